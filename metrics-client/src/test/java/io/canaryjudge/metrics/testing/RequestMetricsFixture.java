package io.canaryjudge.metrics.testing;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Micrometer-style HTTP server metrics of several pods over a window, written as OpenMetrics text for
 * {@code promtool tsdb create-blocks-from openmetrics}, with exact bookkeeping of what was written so
 * tests compare Prometheus' answers with numbers they did not get from Prometheus.
 *
 * <p>Samples every {@link #SCRAPE_INTERVAL} from {@code start}; minute {@code m} is
 * {@code [start + m min, start + (m+1) min]}, so a range query with step = range = 60 s reports minute
 * {@code m} at {@link #minuteEnd(int)}, exactly (Prometheus 2.x range selectors include both ends, and a
 * counter sampled at both ends of the window needs no extrapolation).
 */
public final class RequestMetricsFixture {
    public static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(15);
    static final int SCRAPES_PER_MINUTE = 4;
    /** Upper bounds of the latency buckets, seconds; the last is +Inf. */
    public static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, Double.POSITIVE_INFINITY};
    public static final String METRIC = "http_server_requests_seconds";

    private final Instant start;
    private final int minutes;
    private final List<PodTraffic> pods;

    /**
     * @param start   first sample, whole seconds
     * @param minutes length of the window, minutes
     */
    public RequestMetricsFixture(Instant start, int minutes, List<PodTraffic> pods) {
        if (start.getNano() != 0) {
            throw new IllegalArgumentException("start must be whole seconds");
        }
        this.start = start;
        this.minutes = minutes;
        this.pods = List.copyOf(pods);
    }

    public Instant start() {
        return start;
    }

    public Instant end() {
        return minuteEnd(minutes - 1);
    }

    public int minutes() {
        return minutes;
    }

    public List<PodTraffic> pods() {
        return pods;
    }

    /** When a 60 s range query reports minute {@code m}: the minute's last sample. */
    public Instant minuteEnd(int minute) {
        return start.plus(Duration.ofMinutes(minute + 1L));
    }

    /** Requests (all statuses) the pod served in minute {@code m}; 0 before it started. */
    public long requests(PodTraffic pod, int minute) {
        return minute < pod.firstMinute() ? 0
                : SCRAPES_PER_MINUTE * (pod.okPerScrape(minute) + pod.errorsPerScrape(minute));
    }

    /** 5xx answers of the pod in minute {@code m}. */
    public long errors(PodTraffic pod, int minute) {
        return minute < pod.firstMinute() ? 0 : SCRAPES_PER_MINUTE * pod.errorsPerScrape(minute);
    }

    /** 5xx / all of the group in minute {@code m}. */
    public double errorRatio(List<PodTraffic> group, int minute) {
        long errors = 0;
        long all = 0;
        for (PodTraffic pod : group) {
            errors += errors(pod, minute);
            all += requests(pod, minute);
        }
        return (double) errors / all;
    }

    /**
     * The {@code q} quantile of the group's request durations in minute {@code m}, as Prometheus'
     * {@code histogram_quantile} documents it: the bucket holding rank q × count, linear inside it, the
     * highest finite bound when the rank falls in the +Inf bucket.
     */
    public double latencyQuantile(List<PodTraffic> group, int minute, double q) {
        long[] cumulative = new long[BUCKETS.length];
        for (PodTraffic pod : group) {
            long[] counts = bucketCounts(pod, minute);
            long sum = 0;
            for (int i = 0; i < counts.length; i++) {
                sum += counts[i];
                cumulative[i] += sum;
            }
        }
        double rank = q * cumulative[cumulative.length - 1];
        int b = 0;
        while (cumulative[b] < rank) {
            b++;
        }
        if (b == BUCKETS.length - 1) {
            return BUCKETS[BUCKETS.length - 2];
        }
        double lower = b == 0 ? 0 : BUCKETS[b - 1];
        double below = b == 0 ? 0 : cumulative[b - 1];
        return lower + (BUCKETS[b] - lower) * (rank - below) / (cumulative[b] - below);
    }

    /** Requests per bucket (not cumulative) of the pod in minute {@code m}. */
    private long[] bucketCounts(PodTraffic pod, int minute) {
        long[] counts = new long[BUCKETS.length];
        if (minute < pod.firstMinute()) {
            return counts;
        }
        int[] weights = pod.latencyWeights();
        long batches = (long) SCRAPES_PER_MINUTE * pod.okBatches().applyAsInt(minute);
        for (int i = 0; i < weights.length; i++) {
            counts[i] = batches * weights[i];
        }
        counts[0] += SCRAPES_PER_MINUTE * pod.errorsPerScrape(minute);
        return counts;
    }

    /** Writes every pod's histogram series (one per status it answered) and the closing {@code # EOF}. */
    public void writeOpenMetrics(Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("# HELP " + METRIC + " Duration of HTTP server request handling\n");
            out.write("# TYPE " + METRIC + " histogram\n");
            out.write("# UNIT " + METRIC + " seconds\n");
            for (PodTraffic pod : pods) {
                writeStatus(out, pod, false);
                boolean answeredErrors = false;
                for (int m = pod.firstMinute(); m < minutes; m++) {
                    answeredErrors |= pod.errorsPerScrape(m) > 0;
                }
                if (answeredErrors) {
                    // A pod that never failed has no 5xx series at all, as with Micrometer.
                    writeStatus(out, pod, true);
                }
            }
            out.write("# EOF\n");
        }
    }

    private void writeStatus(BufferedWriter out, PodTraffic pod, boolean errors) throws IOException {
        Map<String, String> labels = new TreeMap<>(pod.labels());
        labels.put("status", errors ? "500" : "200");
        labels.put("outcome", errors ? "SERVER_ERROR" : "SUCCESS");
        String common = labelText(labels);
        long[] cumulativeBuckets = new long[BUCKETS.length];
        double durationSum = 0;
        long firstSecond = start.getEpochSecond() + pod.firstMinute() * 60L;
        long lastSecond = start.getEpochSecond() + minutes * 60L;
        int[] weights = pod.latencyWeights();
        for (long t = firstSecond; t <= lastSecond; t += SCRAPE_INTERVAL.toSeconds()) {
            if (t > firstSecond) {
                // The interval (t − 15 s, t] belongs to the minute it ends in.
                int minute = (int) ((t - 1 - start.getEpochSecond()) / 60);
                long[] added = new long[BUCKETS.length];
                if (errors) {
                    added[0] = pod.errorsPerScrape(minute);
                } else {
                    long batches = pod.okBatches().applyAsInt(minute);
                    for (int i = 0; i < weights.length; i++) {
                        added[i] = batches * weights[i];
                    }
                }
                long running = 0;
                for (int i = 0; i < BUCKETS.length; i++) {
                    running += added[i];
                    cumulativeBuckets[i] += running;
                    durationSum += added[i] * typicalDuration(i);
                }
            }
            for (int i = 0; i < BUCKETS.length; i++) {
                out.write(METRIC + "_bucket{" + common + ",le=\"" + le(BUCKETS[i]) + "\"} " + cumulativeBuckets[i]
                        + " " + t + "\n");
            }
            out.write(METRIC + "_count{" + common + "} " + cumulativeBuckets[BUCKETS.length - 1] + " " + t + "\n");
            out.write(METRIC + "_sum{" + common + "} " + durationSum + " " + t + "\n");
        }
    }

    /** A duration inside bucket {@code i}: its middle, or twice the last finite bound for +Inf. */
    private static double typicalDuration(int i) {
        if (Double.isInfinite(BUCKETS[i])) {
            return 2 * BUCKETS[i - 1];
        }
        return i == 0 ? BUCKETS[0] / 2 : (BUCKETS[i - 1] + BUCKETS[i]) / 2;
    }

    private static String le(double bound) {
        return Double.isInfinite(bound) ? "+Inf" : Double.toString(bound);
    }

    private static String labelText(Map<String, String> labels) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(label.getKey()).append("=\"").append(escapeLabelValue(label.getValue())).append('"');
        }
        return out.toString();
    }

    /** OpenMetrics label value escaping: backslash, double quote and line feed. */
    static String escapeLabelValue(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
