package io.canaryjudge.metrics.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * Three services, each with 3 baseline and 3 canary pods told apart by
 * {@code rollouts_pod_template_hash}, as Argo Rollouts labels them:
 * <ul>
 * <li>{@link #CHECKOUT}: the canary answers ~4 % 5xx against ~0.3 %, and is slower (p99 in
 * (0.5, 1] s against (0.25, 0.5] s); one canary pod starts 5 minutes late.</li>
 * <li>{@link #CATALOG}: baseline and canary fail equally often over the window (1, 2 or 3 errors per
 * scrape, the canary's cycle one minute ahead, so the ratios differ minute by minute) and are equally
 * fast.</li>
 * <li>{@link #SEARCH}: the baseline never failed — it has no 5xx series at all — and the canary answers
 * ~1.3 % 5xx: the zero baseline a mean ratio cannot judge.</li>
 * </ul>
 * Plus {@link #ESCAPES}: two series whose {@code uri} values differ only in escaping — {@code a"b\c} and
 * the text {@code a\"b\\c} — with different counts, so a wrongly escaped selector picks the wrong one.
 */
public final class CanaryTrafficScenario {
    public static final String CHECKOUT = "checkout";
    public static final String CATALOG = "catalog";
    public static final String SEARCH = "search";
    public static final String ESCAPES = "escapes";
    public static final String HASH_LABEL = "rollouts_pod_template_hash";
    /** A label value with a double quote and a backslash. */
    public static final String TRICKY_URI = "a\"b\\c";
    /** The same characters as {@link #TRICKY_URI} escaped once, taken literally: its decoy. */
    public static final String DECOY_URI = "a\\\"b\\\\c";
    /** Requests per scrape interval of the two {@link #ESCAPES} series. */
    public static final int TRICKY_PER_SCRAPE = 7;
    public static final int DECOY_PER_SCRAPE = 11;

    /** Successful requests per batch and bucket ({@link RequestMetricsFixture#BUCKETS}): p99 in (0.25, 0.5] s. */
    static final int[] FAST = {0, 10, 30, 40, 15, 3, 2, 0, 0};
    /** p99 in (0.5, 1] s. */
    static final int[] SLOW = {0, 0, 5, 20, 35, 25, 12, 3, 0};

    private final Map<String, ServicePods> services = new LinkedHashMap<>();
    private final PodTraffic trickyUri;
    private final PodTraffic decoyUri;
    private final RequestMetricsFixture fixture;

    /** A scenario of {@code minutes} minutes from {@code start} (whole seconds). */
    public CanaryTrafficScenario(Instant start, int minutes) {
        List<PodTraffic> all = new ArrayList<>();
        IntUnaryOperator none = m -> 0;
        add(all, CHECKOUT, "6d4f8c7b9", "7f9b6c5d4",
                i -> new Shape(FAST, m -> 1 + (m + i) % 2, m -> (m + i) % 2 == 0 ? 1 : 0, 0),
                i -> new Shape(SLOW, m -> 1 + (m + i) % 2, m -> 5 + (m + i) % 3, i == 2 ? 5 : 0));
        add(all, CATALOG, "5c8d7e6f4", "9a8b7c6d5",
                i -> new Shape(FAST, m -> 2, m -> 1 + m % 3, 0),
                i -> new Shape(FAST, m -> 2, m -> 1 + (m + 1) % 3, 0));
        add(all, SEARCH, "4b3c2d1e0", "8e7f6a5b4",
                i -> new Shape(FAST, m -> 1 + (m + i) % 2, none, 0),
                i -> new Shape(FAST, m -> 1 + (m + i) % 2, m -> 2, 0));
        trickyUri = new PodTraffic(Map.of("service", ESCAPES, "pod", "escapes-1", "uri", TRICKY_URI),
                new int[] {0, TRICKY_PER_SCRAPE, 0, 0, 0, 0, 0, 0, 0}, m -> 1, none, 0);
        decoyUri = new PodTraffic(Map.of("service", ESCAPES, "pod", "escapes-1", "uri", DECOY_URI),
                new int[] {0, DECOY_PER_SCRAPE, 0, 0, 0, 0, 0, 0, 0}, m -> 1, none, 0);
        all.add(trickyUri);
        all.add(decoyUri);
        fixture = new RequestMetricsFixture(start, minutes, all);
    }

    /** 30 minutes ending about an hour ago, on whole minutes: recent enough for any retention. */
    public static CanaryTrafficScenario recent() {
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(90));
        return new CanaryTrafficScenario(start, 30);
    }

    public RequestMetricsFixture fixture() {
        return fixture;
    }

    public ServicePods service(String name) {
        ServicePods pods = services.get(name);
        if (pods == null) {
            throw new IllegalArgumentException("no service " + name + " in the scenario: " + services.keySet());
        }
        return pods;
    }

    public PodTraffic trickyUri() {
        return trickyUri;
    }

    public PodTraffic decoyUri() {
        return decoyUri;
    }

    /** How one pod's traffic looks; {@code i} is the pod's index in its group. */
    private record Shape(int[] latency, IntUnaryOperator okBatches, IntUnaryOperator errors, int firstMinute) {
    }

    private interface ShapeOfPod {
        Shape of(int i);
    }

    private void add(List<PodTraffic> all, String service, String baselineHash, String canaryHash,
                     ShapeOfPod baselineShape, ShapeOfPod canaryShape) {
        List<PodTraffic> baseline = pods(service, baselineHash, baselineShape);
        List<PodTraffic> canary = pods(service, canaryHash, canaryShape);
        all.addAll(baseline);
        all.addAll(canary);
        services.put(service, new ServicePods(service, baselineHash, canaryHash, baseline, canary));
    }

    private static List<PodTraffic> pods(String service, String hash, ShapeOfPod shapes) {
        List<PodTraffic> pods = new ArrayList<>();
        String[] suffixes = {"x2k9p", "q8w4m", "z7n3v"};
        for (int i = 0; i < 3; i++) {
            Shape shape = shapes.of(i);
            Map<String, String> labels = Map.of("service", service, "pod", service + "-" + hash + "-" + suffixes[i],
                    HASH_LABEL, hash, "namespace", "shop", "method", "GET", "uri", "/api/" + service);
            pods.add(new PodTraffic(labels, shape.latency, shape.okBatches, shape.errors, shape.firstMinute));
        }
        return pods;
    }

    /**
     * One service's groups.
     *
     * @param baselineHash the baseline pods' {@code rollouts_pod_template_hash}
     * @param canaryHash   the canary pods'
     */
    public record ServicePods(String service, String baselineHash, String canaryHash, List<PodTraffic> baseline,
                              List<PodTraffic> canary) {
        /** {@code service} and {@code rollouts_pod_template_hash} of the baseline, in that order. */
        public Map<String, String> baselineSelector() {
            return selector(baselineHash);
        }

        public Map<String, String> canarySelector() {
            return selector(canaryHash);
        }

        private Map<String, String> selector(String hash) {
            Map<String, String> selector = new LinkedHashMap<>();
            selector.put("service", service);
            selector.put(HASH_LABEL, hash);
            return selector;
        }
    }
}
