package io.canaryjudge.analysis;

import io.canaryjudge.metrics.MetricQueries;
import io.canaryjudge.metrics.PromQl;
import io.canaryjudge.metrics.QueryTemplate;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.source.LabelMatcher;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.ProfileSource;
import io.canaryjudge.report.AnalysisContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the report shows under "what was compared": each group's selector as the profile store reads it, the
 * pods that answered, the window and every query sent, with a link to the same window in Pyroscope's UI when
 * the source is Pyroscope. Built from the request, not from the source's internals.
 */
final class ReportContexts {
    private final String applicationLabel;
    private final String pyroscopeUrl;
    private final RequestMetrics metrics;
    private final Duration slice;
    private final Map<ProfileType, List<String>> pyroscopeTypeIds;

    /**
     * @param applicationLabel the label the source matches {@code application} against (Pyroscope's
     *                         {@code service_name}); null when the source has none (a directory, an upload)
     * @param pyroscopeUrl     Pyroscope's base URL for links; null when the source is not Pyroscope
     * @param metrics          the Prometheus queries' renderer; null without Prometheus
     * @param slice            the slice length (the queries' range and step)
     * @param pyroscopeTypeIds the Pyroscope profile type IDs fetched for each type (empty: none)
     */
    ReportContexts(String applicationLabel, String pyroscopeUrl, RequestMetrics metrics, Duration slice,
                   Map<ProfileType, List<String>> pyroscopeTypeIds) {
        this.pyroscopeTypeIds = pyroscopeTypeIds;
        this.applicationLabel = applicationLabel;
        this.pyroscopeUrl = pyroscopeUrl;
        this.metrics = metrics;
        this.slice = slice;
    }

    AnalysisContext of(AnalysisRequest request, ProfileSource source, Map<Group, Set<String>> pods,
                       boolean metricsQueried) {
        boolean pyroscope = pyroscopeUrl != null && "pyroscope".equals(source.name());
        String typeId = pyroscope ? pyroscopeTypeId(request.profileTypes().get(0)) : null;
        List<AnalysisContext.Query> queries = new ArrayList<>();
        if (pyroscope) {
            for (ProfileType type : request.profileTypes()) {
                String id = pyroscopeTypeId(type);
                queries.add(new AnalysisContext.Query("pyroscope", "SelectMergeProfile " + id + selector(request.baseline())));
                queries.add(new AnalysisContext.Query("pyroscope", "SelectMergeProfile " + id + selector(request.canary())));
            }
        }
        if (metricsQueried && metrics != null) {
            MetricQueries templates = request.config().queries();
            for (QueryTemplate template : Stream.of(templates.requestsPerInstance(),
                    templates.errorRatio(), templates.latencyP99()).filter(Objects::nonNull).toList()) {
                for (ProfileSelector group : List.of(request.baseline(), request.canary())) {
                    queries.add(new AnalysisContext.Query("prometheus", metrics.render(template, group, slice)));
                }
            }
        }
        boolean windowed = source.timeAware();
        return new AnalysisContext(source.name(), request.application(),
                selection(request.baseline(), pods.get(Group.BASELINE), source, typeId),
                selection(request.canary(), pods.get(Group.CANARY), source, typeId),
                windowed ? request.window().start() : null, windowed ? request.window().end() : null, queries,
                pyroscope ? pyroscopeUrl : null);
    }

    private AnalysisContext.Selection selection(ProfileSelector selector, Set<String> pods, ProfileSource source,
                                                String typeId) {
        String text = "upload".equals(source.name()) ? null : selector(selector);
        return new AnalysisContext.Selection(text, typeId == null ? null : typeId + text,
                pods == null ? List.of() : pods.stream().sorted().toList()); // sorted: the report reads the same every time
    }

    /** {@code {service_name="shop",rollouts_pod_template_hash="6d4f8c7b9"}}, values escaped as in PromQL. */
    private String selector(ProfileSelector selector) {
        StringBuilder text = new StringBuilder("{");
        if (applicationLabel != null) {
            text.append(applicationLabel).append('=').append(PromQl.quote(selector.application()));
        } else {
            text.append("application=").append(PromQl.quote(selector.application()));
        }
        for (LabelMatcher matcher : selector.labels()) {
            text.append(',').append(matcher.name()).append('=').append(PromQl.quote(matcher.value()));
        }
        return text.append('}').toString();
    }

    private String pyroscopeTypeId(ProfileType type) {
        List<String> ids = pyroscopeTypeIds.get(type);
        return ids == null || ids.isEmpty() ? type.id() : ids.get(0);
    }
}
