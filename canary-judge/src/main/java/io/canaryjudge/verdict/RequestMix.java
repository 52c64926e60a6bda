package io.canaryjudge.verdict;

import java.util.List;

/**
 * The request mix the baseline and canary pods served, from per-endpoint request counts ({@code endpoints.csv}): a
 * canary behind a header route, an A/B match or a mirror serves another mix than the baseline by design, and every
 * function's share moves with its endpoint's (docs/EVALUATION.md "Canaries that serve a different request mix (qa79)").
 *
 * @param differs      whether the canary's mix differs materially: some endpoint's share ratio is outside [1/1.2, 1.2]
 *                     by more than twice its counting noise (sqrt(1/b + 1/c) on the log ratio); then rises a function's endpoint share explains
 *                     are not failed and a PASS is not claimed
 * @param largestRatio the largest canary/baseline share ratio of those endpoints: no function's cost per request rises
 *                     further from the mix alone; null when the canary served an endpoint the baseline did not
 * @param smallestRatio the smallest such ratio (0 for an endpoint the canary did not serve)
 * @param endpoints    each endpoint's counts and shares, most requested in the baseline first
 */
public record RequestMix(boolean differs, Double largestRatio, double smallestRatio, List<Endpoint> endpoints) {
    public RequestMix {
        endpoints = List.copyOf(endpoints);
    }

    /**
     * One endpoint.
     *
     * @param endpoint          the endpoint as the counts name it (route, URI template)
     * @param baselineRequests  requests the baseline pods served, over the judged slices
     * @param canaryRequests    requests the canary pods served
     * @param baselineShare     its share of the baseline's requests, 0..1
     * @param canaryShare       its share of the canary's requests, 0..1
     * @param ratio             canary share / baseline share; null when the baseline served none
     * @param judged            both groups together served at least 20 of its requests: counted in the ratios above
     */
    public record Endpoint(String endpoint, long baselineRequests, long canaryRequests, double baselineShare,
                           double canaryShare, Double ratio, boolean judged) {
    }
}
