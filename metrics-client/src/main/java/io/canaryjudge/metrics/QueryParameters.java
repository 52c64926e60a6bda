package io.canaryjudge.metrics;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@link QueryTemplate} is filled with for one group (baseline or canary).
 *
 * @param selector      the group's equality matchers, rendered for {@code {{selector}}} in this order
 *                      (e.g. {@code service="checkout", rollouts_pod_template_hash="6d4f8c7b9"}); at least
 *                      one, or the query would select every series of the metric
 * @param range         a Prometheus duration for {@code {{range}}}: a whole number and one unit of
 *                      {@code ms, s, m, h, d} ({@code 60s}, {@code 1m})
 * @param application   for {@code {{application}}}, rendered as an escaped string literal; null when none
 * @param namespace     for {@code {{namespace}}}, rendered as an escaped string literal; null when none
 * @param instanceLabel for {@code {{instance_label}}}: the label that names one instance (JVM), e.g.
 *                      {@code pod}; null when none
 */
public record QueryParameters(Map<String, String> selector, String range, String application, String namespace,
                              String instanceLabel) {

    /** At most 9 digits: Prometheus parses durations into int64 milliseconds. */
    private static final Pattern RANGE = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");

    public QueryParameters {
        Objects.requireNonNull(selector, "selector");
        if (selector.isEmpty()) {
            throw new IllegalArgumentException("selector needs at least one label matcher; an empty one selects"
                    + " every series of the metric, baseline and canary alike");
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        selector.forEach((name, value) -> {
            PromQl.checkLabelName(name);
            if (value == null) {
                throw new IllegalArgumentException("selector label \"" + name + "\" has no value");
            }
            ordered.put(name, value);
        });
        selector = Collections.unmodifiableMap(ordered);
        Matcher matcher = range == null ? null : RANGE.matcher(range);
        if (matcher == null || !matcher.matches() || Integer.parseInt(matcher.group(1)) == 0) {
            throw new IllegalArgumentException("range \"" + range
                    + "\" must be a positive whole number (at most 9 digits) with one unit of ms, s, m, h, d (e.g. 60s, 1m)");
        }
        if (instanceLabel != null) {
            PromQl.checkLabelName(instanceLabel);
        }
    }

    /** A selector and a range; no application, namespace or instance label. */
    public static QueryParameters of(Map<String, String> selector, Duration range) {
        return new QueryParameters(selector, range(range), null, null, null);
    }

    public QueryParameters withApplication(String newApplication) {
        return new QueryParameters(selector, range, newApplication, namespace, instanceLabel);
    }

    public QueryParameters withNamespace(String newNamespace) {
        return new QueryParameters(selector, range, application, newNamespace, instanceLabel);
    }

    public QueryParameters withInstanceLabel(String newInstanceLabel) {
        return new QueryParameters(selector, range, application, namespace, newInstanceLabel);
    }

    /** {@code duration} as a Prometheus duration: whole seconds as {@code 60s}, otherwise milliseconds. */
    public static String range(Duration duration) {
        long millis = duration.toMillis();
        if (millis <= 0 || duration.toNanos() % 1_000_000 != 0) {
            throw new IllegalArgumentException("range " + duration + " must be a positive whole number of milliseconds");
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
