package io.canaryjudge.profile.source;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One equality matcher on a profile or metric label, e.g. {@code rollouts_pod_template_hash="6d4f8c7b9"}.
 * The name is checked here (Prometheus/Pyroscope label-name syntax); the value may be any text and is
 * escaped by whoever renders a selector, never concatenated raw.
 *
 * @param name  label name, {@code [a-zA-Z_][a-zA-Z0-9_]*}
 * @param value label value, any text (empty matches an absent label, as in PromQL)
 */
public record LabelMatcher(String name, String value) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    public LabelMatcher {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("label name \"" + name + "\" must match [a-zA-Z_][a-zA-Z0-9_]*");
        }
    }
}
