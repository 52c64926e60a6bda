package io.canaryjudge.analysis;

import io.canaryjudge.metrics.MetricQueries;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.TimeWindow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Requests served per instance and slice (from Prometheus), for cost per request when the profile source does
 * not know them. Failures are signalled as errors; unknown counts are simply absent.
 */
public interface RequestCounter {

    /** Short name for messages and metrics, e.g. {@code prometheus}. */
    String name();

    /**
     * @param selector the group's pods (application and label matchers)
     * @param slices   the slices of the window, of equal length but perhaps the last
     * @param queries  the application's queries ({@link MetricQueries#requestsPerInstance()} is used)
     * @return instance name → slice start → requests served in that slice
     */
    Mono<Map<String, Map<Instant, Long>>> requests(ProfileSelector selector, List<TimeWindow> slices,
                                                   MetricQueries queries);

    /**
     * Requests per instance, slice and endpoint: the request mix each pod served ({@code RequestMixCheck}). Empty when
     * the queries ask none ({@link MetricQueries#requestsPerEndpoint()} null) or no series answered.
     *
     * @param queries the application's queries ({@link MetricQueries#requestsPerEndpoint()} is used)
     * @return instance name → slice start → endpoint → requests served in that slice
     */
    default Mono<Map<String, Map<Instant, Map<String, Long>>>> endpointRequests(ProfileSelector selector,
                                                                              List<TimeWindow> slices,
                                                                              MetricQueries queries) {
        return Mono.just(Map.of());
    }
}
