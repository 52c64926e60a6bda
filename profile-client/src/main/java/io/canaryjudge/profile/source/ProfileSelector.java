package io.canaryjudge.profile.source;

import java.util.List;
import java.util.Objects;

/**
 * Which profiles make up one group (baseline, canary or history): the application's profiles with
 * every label matcher equal. Sources match {@code application} against their application label
 * (Pyroscope's {@code service_name} by default, a directory name for the local source).
 *
 * @param application application name
 * @param labels      further equality matchers, all of which must hold
 */
public record ProfileSelector(String application, List<LabelMatcher> labels) {
    public ProfileSelector {
        Objects.requireNonNull(application, "application");
        if (application.isBlank()) {
            throw new IllegalArgumentException("application must not be blank");
        }
        labels = List.copyOf(labels);
    }
}
