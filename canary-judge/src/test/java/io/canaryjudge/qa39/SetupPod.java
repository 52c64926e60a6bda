package io.canaryjudge.qa39;

import io.canaryjudge.scenario.OpenLoopPod;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;

/**
 * One pod of a small catalogue service whose canaries change how they are profiled, not (or not only) the code. Every
 * request searches the catalogue ({@code Catalog.search}, most of the CPU), quotes a price ({@code Pricing.quote}) and
 * renders the answer as text ({@code Renderer.render}, most of the bytes). Variants ({@code variant=}): {@code base};
 * {@code slow} — {@code Pricing.quote} adds a rounding check over its tiers (25,000 integer remainders, the same answer):
 * recorded, {@code quote} went from ~4 % to 14-23 % of CPU in pods under load and stayed at 1-6 % in pods recorded in a
 * quiet minute (what the JIT makes of the check varies).
 *
 * <p>Records {@code slices} JFR files of {@code sliceMillis} each after {@code warmupMillis}, with {@code requests.csv},
 * through async-profiler ({@code profiler=} its arguments, e.g. {@code event=itimer,interval=500us,alloc=64k}) or,
 * with {@code profiler=jdk[,period=20ms]}, through the JDK's own JFR ({@code jdk.ExecutionSample} at that period and
 * {@code jdk.ObjectAllocationSample}). {@code bench/qa39-setup.sh} starts the pods.
 */
public final class SetupPod {
    private SetupPod() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> map = OpenLoopPod.arguments(args);
        Path folder = Files.createDirectories(Path.of(map.get("output")));
        double rate = Double.parseDouble(map.getOrDefault("rate", "500"));
        int slices = Integer.parseInt(map.getOrDefault("slices", "4"));
        long sliceMillis = Long.parseLong(map.getOrDefault("sliceMillis", "8000"));
        long warmupMillis = Long.parseLong(map.getOrDefault("warmupMillis", "12000"));
        String variant = map.getOrDefault("variant", "base");
        int workers = Integer.parseInt(map.getOrDefault("workers", "3"));
        String profilerArgs = map.getOrDefault("profiler", "event=itimer,interval=500us,alloc=64k");

        Service service = new Service(variant.equals("slow"));
        OpenLoopPod pod = OpenLoopPod.start(workers, rate, 2_000_000L, n -> service.handle(n * 31 + Thread.currentThread().getId()));
        long[] requests = profilerArgs.startsWith("jdk")
                ? recordWithJdk(pod, service, folder, warmupMillis, slices, sliceMillis, profilerArgs)
                : pod.record(folder, warmupMillis, slices, sliceMillis, profilerArgs);
        pod.report(folder, variant, rate, requests, sliceMillis, service.sink);
    }

    /** The JDK's own JFR instead of async-profiler: execution samples every {@code period} (default 20 ms) and sampled allocations. */
    private static long[] recordWithJdk(OpenLoopPod pod, Service service, Path folder, long warmupMillis, int slices,
            long sliceMillis, String profilerArgs) throws Exception {
        Duration period = Duration.ofMillis(20);
        for (String part : profilerArgs.split(",")) {
            if (part.startsWith("period=")) {
                period = Duration.ofMillis(Long.parseLong(part.substring(7).replace("ms", "")));
            }
        }
        Thread.sleep(warmupMillis);
        long[] requests = new long[slices];
        for (int k = 0; k < slices; k++) {
            Path jfr = folder.resolve("slice-" + (k + 1) + ".jfr");
            try (Recording recording = new Recording()) {
                recording.enable("jdk.ExecutionSample").withPeriod(period);
                recording.enable("jdk.ObjectAllocationSample").with("throttle", "150/s");
                // What -XX:StartFlightRecording's default.jfc and profile.jfc record too: the settings in effect.
                recording.enable("jdk.ActiveSetting");
                recording.start();
                long before = service.served;
                Thread.sleep(sliceMillis);
                requests[k] = service.served - before;
                recording.stop();
                recording.dump(jfr);
            }
        }
        try (Writer writer = Files.newBufferedWriter(folder.resolve("requests.csv"), StandardCharsets.UTF_8)) {
            writer.write("profile,requests\n");
            for (int k = 0; k < slices; k++) {
                writer.write("slice-" + (k + 1) + ".jfr," + requests[k] + "\n");
            }
        }
        return requests;
    }

    static final class Service {
        private final Catalog catalog = new Catalog();
        private final Pricing pricing;
        private final Renderer renderer = new Renderer();
        volatile long sink;
        volatile long served;

        Service(boolean slow) {
            pricing = new Pricing(slow ? 25 : 0);
        }

        void handle(long n) {
            long h = n * 0x9E3779B97F4A7C15L;
            List<Integer> hits = catalog.search((int) Long.remainderUnsigned(h >>> 11, 100_000));
            long price = pricing.quote(hits, (int) Long.remainderUnsigned(h >>> 23, 97));
            String body = renderer.render(hits, price);
            synchronized (this) {
                sink += body.length() + price;
                served++;
            }
        }
    }

    /** 20,000 items; a search scores a window of 3,750 of them against the query (60 rounds each) and keeps the best 16. */
    static final class Catalog {
        private final int[] keys = new int[20_000];

        Catalog() {
            for (int i = 0; i < keys.length; i++) {
                keys[i] = (int) ((i * 2654435761L) & 0x7fffffff);
            }
        }

        List<Integer> search(int query) {
            List<Integer> hits = new ArrayList<>(16);
            int start = query % (keys.length - 3750);
            for (int i = start; i < start + 3750; i++) {
                int score = Integer.bitCount(keys[i] ^ query) + score(keys[i], query);
                if (score % 17 == 0 && hits.size() < 16) {
                    hits.add(i);
                }
            }
            return hits;
        }

        private static int score(int key, int query) {
            int s = 0;
            for (int r = 0; r < 60; r++) {
                s += Integer.rotateLeft(key, r) % (query | 1);
            }
            return s;
        }
    }

    /**
     * Quotes a price: 25 passes of a discount loop over 4,000 tiers, then (the slow canary only) {@code checks} passes of a
     * per-tier rounding check over the same tiers, which changes nothing in the answer.
     */
    static final class Pricing {
        private final int rounds;
        private final int checks;
        private final long[] tiers = new long[4000];

        Pricing(int checks) {
            this.rounds = 25;
            this.checks = checks;
            for (int i = 0; i < tiers.length; i++) {
                tiers[i] = 1000 + (i * 7919L) % 5000;
            }
        }

        long quote(List<Integer> hits, int customer) {
            long total = 0;
            for (int hit : hits) {
                total += 100 + hit % 900;
            }
            long best = total;
            for (int r = 0; r < rounds; r++) {
                for (long tier : tiers) {
                    long discounted = total * (10_000 - (tier + r + customer) % 1500) / 10_000;
                    best = Math.min(best, discounted | (r & 1));
                }
            }
            for (int c = 0; c < checks; c++) {
                for (int t = 0; t < 1000; t++) {
                    best -= (tiers[t] + c) % (customer + 3) == 1_000_003 ? 1 : 0;
                }
            }
            return best;
        }
    }

    /** Renders the hits and the price as a small JSON-like text (the bytes of a request). */
    static final class Renderer {
        String render(List<Integer> hits, long price) {
            Map<String, Object> fields = new HashMap<>();
            StringBuilder text = new StringBuilder("{\"items\":[");
            for (int hit : hits) {
                fields.put("item" + hit, "sku-" + Integer.toHexString(hit * 31));
                text.append("{\"id\":").append(hit).append(",\"name\":\"").append(fields.get("item" + hit)).append("\"},");
            }
            return text.append("],\"price\":").append(price).append('}').toString();
        }
    }
}
