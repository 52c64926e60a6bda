package io.canaryjudge.metrics.testing;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * The HTTP traffic one pod served, minute by minute, as Micrometer's Spring Boot server metrics count
 * it: every scrape interval of minute {@code m} the pod answers {@code okBatches(m)} batches of
 * successful requests, each batch spread over the latency buckets by {@code latencyWeights}, plus
 * {@code errors(m)} 5xx answers (fast failures, all in the first bucket).
 *
 * @param labels         the series' labels besides {@code status}, {@code outcome} and {@code le}, e.g.
 *                       {@code service}, {@code pod}, {@code rollouts_pod_template_hash}, {@code uri}
 * @param latencyWeights successful requests per batch in each bucket of {@link RequestMetricsFixture#BUCKETS}
 *                       (not cumulative); their sum is the batch size
 * @param okBatches      minute index → batches per scrape interval
 * @param errors         minute index → 5xx answers per scrape interval
 * @param firstMinute    the pod's series start at this minute (a pod started later); 0 for the whole window
 */
public record PodTraffic(Map<String, String> labels, int[] latencyWeights, IntUnaryOperator okBatches,
                         IntUnaryOperator errors, int firstMinute) {

    public PodTraffic {
        labels = Map.copyOf(labels);
        if (latencyWeights.length != RequestMetricsFixture.BUCKETS.length) {
            throw new IllegalArgumentException("latencyWeights needs one weight per bucket: "
                    + RequestMetricsFixture.BUCKETS.length);
        }
        latencyWeights = latencyWeights.clone();
        Objects.requireNonNull(okBatches, "okBatches");
        Objects.requireNonNull(errors, "errors");
        if (firstMinute < 0) {
            throw new IllegalArgumentException("firstMinute < 0");
        }
    }

    public String pod() {
        return labels.get("pod");
    }

    public int batchSize() {
        return Arrays.stream(latencyWeights).sum();
    }

    /** Successful requests in each scrape interval of {@code minute}. */
    public long okPerScrape(int minute) {
        return (long) okBatches.applyAsInt(minute) * batchSize();
    }

    public long errorsPerScrape(int minute) {
        return errors.applyAsInt(minute);
    }

    @Override
    public int[] latencyWeights() {
        return latencyWeights.clone();
    }

    @Override
    public String toString() {
        return "PodTraffic" + labels;
    }
}
