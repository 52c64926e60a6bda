package io.canaryjudge.analysis;

import io.canaryjudge.metrics.MetricQueries;
import io.canaryjudge.metrics.Prometheus;
import io.canaryjudge.metrics.QueryParameters;
import io.canaryjudge.metrics.QueryTemplate;
import io.canaryjudge.metrics.RangeQueryResult;
import io.canaryjudge.metrics.TimeSeries;
import io.canaryjudge.profile.source.LabelMatcher;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Request metrics of a group from Prometheus: request counts per pod and slice ({@link RequestCounter}) and the
 * series the metric gates compare. A group's metric selector is the application label (when one is configured)
 * and the group's label matchers; values are escaped by the query templates, never spliced in.
 */
public final class RequestMetrics implements RequestCounter {
    private final Prometheus prometheus;
    private final String applicationLabel;
    private final String instanceLabel;

    /**
     * @param applicationLabel the metric label the application is matched against; empty = none
     * @param instanceLabel    the label naming a pod, as in the profiles (e.g. {@code pod})
     */
    public RequestMetrics(Prometheus prometheus, String applicationLabel, String instanceLabel) {
        this.prometheus = prometheus;
        this.applicationLabel = applicationLabel;
        this.instanceLabel = instanceLabel;
    }

    @Override
    public String name() {
        return "prometheus";
    }

    @Override
    public Mono<Map<String, Map<Instant, Long>>> requests(ProfileSelector selector, List<TimeWindow> slices,
                                                          MetricQueries queries) {
        if (slices.isEmpty() || queries.requestsPerInstance() == null) {
            // no query: the exporter has no request metrics (MetricQueries.absent), as if Prometheus had no series
            return Mono.just(Map.of());
        }
        return perSlice(queries.requestsPerInstance(), selector, slices).map(points -> {
            Map<String, Map<Instant, Long>> counts = new HashMap<>();
            points.forEach(p -> counts.computeIfAbsent(p.instance(), k -> new HashMap<>())
                    .put(p.sliceStart(), p.requests()));
            return counts;
        });
    }

    @Override
    public Mono<Map<String, Map<Instant, Map<String, Long>>>> endpointRequests(ProfileSelector selector,
                                                                             List<TimeWindow> slices,
                                                                             MetricQueries queries) {
        if (slices.isEmpty() || queries.requestsPerEndpoint() == null) {
            return Mono.just(Map.of());
        }
        String endpointLabel = queries.endpointLabel();
        return perSlice(queries.requestsPerEndpoint(), selector, slices).map(points -> {
            Map<String, Map<Instant, Map<String, Long>>> counts = new HashMap<>();
            for (SlicePoint p : points) {
                String endpoint = p.labels().get(endpointLabel);
                if (endpoint != null) { // a series that names no endpoint cannot be a pod's share of one
                    counts.computeIfAbsent(p.instance(), k -> new HashMap<>())
                            .computeIfAbsent(p.sliceStart(), k -> new HashMap<>())
                            .merge(endpoint, p.requests(), Long::sum);
                }
            }
            return counts;
        });
    }

    /** One point of a per-slice count: the series' labels, its pod, the slice it counts and the requests, rounded. */
    private record SlicePoint(Map<String, String> labels, String instance, Instant sliceStart, long requests) {
    }

    /**
     * Asks {@code template} once over the slices with step = range = slice length: the point at time t counts the
     * requests of the slice ending at t. Series without the instance label and points that are not a count (NaN,
     * negative) are left out.
     */
    private Mono<List<SlicePoint>> perSlice(QueryTemplate template, ProfileSelector selector, List<TimeWindow> slices) {
        Duration slice = slices.get(0).length();
        String promql = template.render(parameters(selector, slice).withInstanceLabel(instanceLabel));
        Instant first = slices.get(0).end();
        Instant last = slices.get(slices.size() - 1).end();
        return prometheus.queryRange(promql, first, last.isBefore(first) ? first : last, slice).map(series -> {
            List<SlicePoint> points = new ArrayList<>();
            for (TimeSeries one : series) {
                String instance = one.labels().get(instanceLabel);
                if (instance == null) {
                    continue;
                }
                long[] times = one.timestampsMillis();
                double[] values = one.values();
                for (int i = 0; i < times.length; i++) {
                    if (Double.isFinite(values[i]) && values[i] >= 0) {
                        points.add(new SlicePoint(one.labels(), instance, Instant.ofEpochMilli(times[i]).minus(slice),
                                Math.round(values[i])));
                    }
                }
            }
            return points;
        });
    }

    /** One group's series of a gate's metric over the window, one point per step. */
    Mono<List<TimeSeries>> series(QueryTemplate template, ProfileSelector selector, TimeWindow window, Duration step) {
        return seriesWithWarnings(template, selector, window, step).map(RangeQueryResult::series);
    }

    /**
     * {@link #series} with Prometheus' {@code warnings} beside them: Thanos and Mimir answer a query some stores
     * could not serve with the series they have and a warning ("partial response"), which the reader must see.
     */
    Mono<RangeQueryResult> seriesWithWarnings(QueryTemplate template, ProfileSelector selector, TimeWindow window,
                                              Duration step) {
        String promql = template.render(parameters(selector, step).withInstanceLabel(instanceLabel));
        Instant start = window.start().plus(step);
        return prometheus.queryRangeWithWarnings(promql, start.isAfter(window.end()) ? window.end() : start,
                window.end(), step);
    }

    /** The PromQL {@code template} sends for one group, for the report's record of what was asked. */
    String render(QueryTemplate template, ProfileSelector selector, Duration range) {
        return template.render(parameters(selector, range).withInstanceLabel(instanceLabel));
    }

    private QueryParameters parameters(ProfileSelector selector, Duration range) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (!applicationLabel.isEmpty()) {
            labels.put(applicationLabel, selector.application());
        }
        for (LabelMatcher matcher : selector.labels()) {
            labels.put(matcher.name(), matcher.value());
        }
        return QueryParameters.of(labels, range).withApplication(selector.application());
    }
}
