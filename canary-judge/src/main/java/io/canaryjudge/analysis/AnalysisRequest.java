package io.canaryjudge.analysis;

import io.canaryjudge.config.AnalysisConfig;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.TimeWindow;
import io.canaryjudge.source.Deadline;
import java.util.List;
import java.util.Objects;

/**
 * One analysis to run, validated and resolved: which profiles make up each group, the window, what to fetch,
 * the config to judge with and the deadline to answer by.
 *
 * @param application   the application (Pyroscope's service_name, a local directory name)
 * @param namespace     the namespace asked for (already part of the selectors when a namespace label is set), or null
 * @param baseline      the baseline group's profiles
 * @param canary        the canary group's profiles
 * @param history       profiles of the baseline version to learn noise from over the same window (uploads'
 *                      {@code history} part), or null to use earlier windows of the baseline pods
 * @param window        the window judged
 * @param profileTypes  profile types fetched and judged
 * @param config        the resolved config (request overrides applied)
 * @param deadline      when the answer is due
 * @param reportBaseUrl scheme, host and port (and path prefix) the report link starts with, no trailing slash
 * @param skipped       inputs the caller already passed over and why (uploaded files that are not profiles), for
 *                      {@code dataQuality.skipped}
 * @param typesDefaulted whether {@code profileTypes} are the service's defaults, named by neither the request nor its
 *                      config: then what the source holds may choose them ({@link HeldTypes}); types anyone named are
 *                      never replaced
 */
public record AnalysisRequest(String application, String namespace, ProfileSelector baseline, ProfileSelector canary,
                              ProfileSelector history, TimeWindow window, List<ProfileType> profileTypes,
                              AnalysisConfig config, Deadline deadline, String reportBaseUrl, List<String> skipped,
                              boolean typesDefaulted) {
    public AnalysisRequest {
        skipped = skipped == null ? List.of() : List.copyOf(skipped);
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(canary, "canary");
        Objects.requireNonNull(window, "window");
        profileTypes = List.copyOf(profileTypes);
        if (profileTypes.isEmpty()) {
            throw new IllegalArgumentException("profileTypes must not be empty");
        }
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(reportBaseUrl, "reportBaseUrl");
    }

    /** A request whose profile types were named (by the request, its config, or the caller): never replaced. */
    public AnalysisRequest(String application, String namespace, ProfileSelector baseline, ProfileSelector canary,
                           ProfileSelector history, TimeWindow window, List<ProfileType> profileTypes,
                           AnalysisConfig config, Deadline deadline, String reportBaseUrl, List<String> skipped) {
        this(application, namespace, baseline, canary, history, window, profileTypes, config, deadline, reportBaseUrl,
                skipped, false);
    }

    /** The same request judging {@code types} instead, as named ones (they are not replaced again). */
    public AnalysisRequest withProfileTypes(List<ProfileType> types) {
        return new AnalysisRequest(application, namespace, baseline, canary, history, window, types, config, deadline,
                reportBaseUrl, skipped, false);
    }

    /** The config's name, or null for the defaults. */
    public String configName() {
        return config.name();
    }
}
