package io.canaryjudge.qa41;

import io.canaryjudge.scenario.ShopPod;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import one.profiler.AsyncProfiler;

/**
 * One pod of a small catalogue service whose load and configuration change between the windows it is recorded in,
 * as a stable version's history does: the same JVM is recorded in consecutive phases ({@code phases=}
 * {@code name:rate:slices:mode,...}), each into {@code output/name/pod}, so an earlier phase is that pod's JVM in an
 * earlier window ({@code compare --history}). Every request looks items up in an LRU cache ({@code ItemCache.get};
 * a miss builds the item in {@code Catalog.load}), scores them ({@code Catalog.search}), quotes a price
 * ({@code Pricing.quote}) and renders the answer ({@code Render.json}). Modes: {@code normal}; {@code storm} (a
 * dependency times out for 40 % of requests, retried three times with an exception each, {@code Backend.call});
 * {@code flag} (a feature flag shrinks the cache from 1,500 to 400 items: more misses, {@code Catalog.load} rises). Variants
 * ({@code variant=}): {@code base}; {@code slow} ({@code Tariff.applyTax} loops 1.45× as often: a +45 % regression of an application method); {@code newpath} ({@code Recommend.similar}, a new call per request); {@code prev} (the previous
 * stable version: {@code Render.json} built with {@code String.format}, a different composition).
 * Run with {@code -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints}; {@code bench/qa41-history.sh} starts pods.
 */
public final class HistoryShiftPod {
    private final BlockingQueue<Long> arrivals = new LinkedBlockingQueue<>(1 << 16);
    private final LongAdder served = new LongAdder();
    private volatile double rate;
    private volatile String mode = "normal";
    volatile long sink;

    private HistoryShiftPod(double rate) {
        this.rate = rate;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> map = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            map.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Path output = Path.of(map.get("output"));
        String pod = map.get("pod");
        String variant = map.getOrDefault("variant", "base");
        long sliceMillis = Long.parseLong(map.getOrDefault("sliceMillis", "10000"));
        long warmupMillis = Long.parseLong(map.getOrDefault("warmupMillis", "0"));
        int workers = Integer.parseInt(map.getOrDefault("workers", "4"));
        String profilerArgs = map.getOrDefault("profiler", "event=itimer,interval=500us,alloc=64k");
        String[] phases = map.getOrDefault("phases", "now:600:4:normal").split(",");

        HistoryShiftPod service = new HistoryShiftPod(Double.parseDouble(phases[0].split(":")[1]));
        Catalog catalog = new Catalog(variant);
        for (int w = 0; w < workers; w++) {
            Thread worker = new Thread(() -> service.serve(catalog), "http-nio-exec-" + (w + 1));
            worker.setDaemon(true);
            worker.start();
        }
        Thread pacer = new Thread(service::pace, "acceptor");
        pacer.setDaemon(true);
        pacer.start();
        AsyncProfiler profiler = ShopPod.loadProfiler();
        String firstMode = phases[0].split(":")[3];
        service.mode = firstMode;
        catalog.configure(firstMode);
        Thread.sleep(warmupMillis);
        for (String phase : phases) {
            String[] p = phase.split(":");
            service.rate = Double.parseDouble(p[1]);
            service.mode = p[3];
            catalog.configure(p[3]);
            int slices = Integer.parseInt(p[2]);
            Path folder = Files.createDirectories(output.resolve(p[0]).resolve(pod));
            long[] requests = new long[slices];
            for (int k = 0; k < slices; k++) {
                Path jfr = folder.resolve("slice-" + (k + 1) + ".jfr");
                profiler.execute("start," + profilerArgs + ",jfr,file=" + jfr.toAbsolutePath());
                long before = service.served.sum();
                Thread.sleep(sliceMillis);
                requests[k] = service.served.sum() - before;
                profiler.execute("stop");
            }
            try (Writer writer = Files.newBufferedWriter(folder.resolve("requests.csv"), StandardCharsets.UTF_8)) {
                writer.write("profile,requests\n");
                for (int k = 0; k < slices; k++) {
                    writer.write("slice-" + (k + 1) + ".jfr," + requests[k] + "\n");
                }
            }
            long total = 0;
            for (long r : requests) {
                total += r;
            }
            System.err.printf(Locale.ROOT, "pod %s %s (%s, %s): %s/s asked, %.0f/s served, backlog %d, checksum %x%n",
                    pod, p[0], variant, p[3], p[1], total * 1000.0 / (slices * sliceMillis), service.arrivals.size(),
                    service.sink);
        }
    }

    /** Open loop at the current rate; arrivals come every 2 ms at most, in bursts, as a load balancer's batches do. */
    private void pace() {
        long last = System.nanoTime();
        double owed = 0;
        while (true) {
            long now = System.nanoTime();
            owed += (now - last) * rate / 1e9;
            last = now;
            while (owed >= 1) {
                arrivals.offer(now);
                owed--;
            }
            LockSupport.parkNanos(2_000_000L);
        }
    }

    private void serve(Catalog catalog) {
        long n = Thread.currentThread().getId() * 1_000_003L;
        while (true) {
            try {
                arrivals.take();
            } catch (InterruptedException e) {
                return;
            }
            sink += catalog.handle(n++, mode);
            served.increment();
        }
    }

    /** An item built on a cache miss: a feature vector and a description. */
    record Item(int id, double[] features, String description) {
    }

    static final class Catalog {
        private final String variant;
        private final ItemCache cache = new ItemCache();
        private final Pricing pricing;
        private final Render render;
        private final Backend backend = new Backend();
        private final Recommend recommend = new Recommend();
        private final boolean slowTax;

        Catalog(String variant) {
            this.variant = variant;
            this.pricing = new Pricing(400);
            this.slowTax = variant.equals("slow");
            this.render = new Render(variant.equals("prev"));
        }

        void configure(String mode) {
            cache.resize(mode.equals("flag") ? 400 : 1500);
        }

        long handle(long n, String mode) {
            long h = n * 0x9E3779B97F4A7C15L;
            int[] ids = new int[8];
            for (int i = 0; i < ids.length; i++) {
                // Zipf-like: most lookups hit a few hundred popular items, the tail misses a small cache.
                long r = Long.remainderUnsigned(h >>> (i * 3), 1_000_000);
                ids[i] = (int) (r * r / 200_000_000L) + (int) Long.remainderUnsigned(h >>> (i + 5), 7);
            }
            List<Item> items = new ArrayList<>(ids.length);
            for (int id : ids) {
                Item item = cache.get(id);
                if (item == null) {
                    item = load(id);
                    cache.put(id, item);
                }
                items.add(item);
            }
            long acc = 0;
            acc += Query.tokenize(h, 300);
            acc += Query.normalize(h, 180);
            acc += Query.stem(h, 120);
            acc += Query.expand(h, 90);
            acc += Ranker.rank(h, 420);
            acc += Ranker.dedupe(h, 150);
            acc += Ranker.boost(h, 110);
            acc += Ranker.diversify(h, 75);
            acc += Stock.filterStock(h, 200);
            acc += Stock.reserve(h, 60);
            acc += Tariff.applyTax(h, slowTax ? 377 : 260);
            acc += Tariff.applyCoupon(h, 140);
            acc += Tariff.currency(h, 100);
            acc += Tariff.shipping(h, 80);
            acc += Output.escape(h, 160);
            acc += Output.compress(h, 230);
            double score = search(items, h) + (acc & 1);
            long price = pricing.quote(items, h);
            if (mode.equals("storm")) {
                price += backend.call(h);
            }
            if (variant.equals("newpath")) {
                score += recommend.similar(items, h);
            }
            return render.json(items, score, price).length();
        }

        /** A cache miss: builds the item's features (a few hundred multiply-adds) and its description. */
        Item load(int id) {
            double[] features = new double[64];
            long s = id * 2654435761L;
            for (int round = 0; round < 800; round++) {
                for (int i = 0; i < features.length; i++) {
                    s = s * 6364136223846793005L + 1442695040888963407L;
                    features[i] += (s >>> 40) / (double) (1 << 24) - 0.5;
                }
            }
            return new Item(id, features, "item-" + id + "-" + Long.toHexString(s));
        }

        /** Scores the items against a query vector. */
        double search(List<Item> items, long h) {
            double[] query = new double[64];
            for (int i = 0; i < query.length; i++) {
                query[i] = ((h >>> (i % 50)) & 15) / 15.0;
            }
            double total = 0;
            for (int pass = 0; pass < 120; pass++) {
                for (Item item : items) {
                    double dot = 0;
                    double[] f = item.features();
                    for (int i = 0; i < f.length; i++) {
                        dot += f[i] * query[(i + pass) % query.length];
                    }
                    total += Math.tanh(dot);
                }
            }
            return total;
        }
    }

    /** The service's request stages, each an application method with its own loop (self time) and allocation. */
    static final class Query {
        private Query() {
        }

        /** 300 × 30 rounds of mixing; a scratch array per call. */
        static long tokenize(long h, int rounds) {
            long[] scratch = new long[8 + rounds / 16];
            long x = h ^ 22067L;
            for (int r = 0; r < rounds * 30; r++) {
                for (int k = 0; k < 12; k++) {
                    x = x * 6364136223846793005L + 1442695040888963407L + k;
                }
                scratch[r % scratch.length] += x >>> 33;
            }
            return x + scratch[0] + scratch.length;
        }

        /** 180 × 30 rounds of mixing; a scratch array per call. */
        static long normalize(long h, int rounds) {
            long[] scratch = new long[8 + rounds / 16];
            long x = h ^ 45364L;
            for (int r = 0; r < rounds * 30; r++) {
                for (int k = 0; k < 12; k++) {
                    x = x * 6364136223846793005L + 1442695040888963407L + k;
                }
                scratch[r % scratch.length] += x >>> 33;
            }
            return x + scratch[0] + scratch.length;
        }

        /** 120 × 30 rounds of mixing; a scratch array per call. */
        static long stem(long h, int rounds) {
            long[] scratch = new long[8 + rounds / 16];
            long x = h ^ 2938L;
            for (int r = 0; r < rounds * 30; r++) {
                for (int k = 0; k < 12; k++) {
                    x = x * 6364136223846793005L + 1442695040888963407L + k;
                }
                scratch[r % scratch.length] += x >>> 33;
            }
            return x + scratch[0] + scratch.length;
        }

        /** 90 × 30 rounds of mixing; a scratch array per call. */
        static long expand(long h, int rounds) {
            long[] scratch = new long[8 + rounds / 16];
            long x = h ^ 6844L;
            for (int r = 0; r < rounds * 30; r++) {
                for (int k = 0; k < 12; k++) {
                    x = x * 6364136223846793005L + 1442695040888963407L + k;
                }
                scratch[r % scratch.length] += x >>> 33;
            }
            return x + scratch[0] + scratch.length;
        }
    }

    static final class Ranker {
        private Ranker() {
        }

        /** 420 × 30 rounds of mixing; a scratch array per call. */
        static long rank(long h, int rounds) {
            long[] scratch = new long[8 + rounds / 16];
            long x = h ^ 58655L;
            for (int r = 0; r < rounds * 30; r++) {
                for (int k = 0; k < 12; k++) {
                    x = x * 6364136223846793005L + 1442695040888963407L + k;
                }
                scratch[r % scratch.length] += x >>> 33;
            }
            return x + scratch[0] + scratch.length;
        }

        /** 150 × 30 rounds of mixing; a scratch array per call. */
        static long dedupe(long h, int rounds) {
            long[] scratch = new long[8 + rounds / 16];
            long x = h ^ 84839L;
            for (int r = 0; r < rounds * 30; r++) {
                for (int k = 0; k < 12; k++) {
                    x = x * 6364136223846793005L + 1442695040888963407L + k;
                }
                scratch[r % scratch.length] += x >>> 33;
            }
            return x + scratch[0] + scratch.length;
        }

        /** 110 × 30 rounds of mixing; a scratch array per call. */
        static long boost(long h, int rounds) {
            long[] scratch = new long[8 + rounds / 16];
            long x = h ^ 98230L;
            for (int r = 0; r < rounds * 30; r++) {
                for (int k = 0; k < 12; k++) {
                    x = x * 6364136223846793005L + 1442695040888963407L + k;
                }
                scratch[r % scratch.length] += x >>> 33;
            }
            return x + scratch[0] + scratch.length;
        }

        /** 75 × 30 rounds of mixing; a scratch array per call. */
        static long diversify(long h, int rounds) {
            long[] scratch = new long[8 + rounds / 16];
            long x = h ^ 40001L;
            for (int r = 0; r < rounds * 30; r++) {
                for (int k = 0; k < 12; k++) {
                    x = x * 6364136223846793005L + 1442695040888963407L + k;
                }
                scratch[r % scratch.length] += x >>> 33;
            }
            return x + scratch[0] + scratch.length;
        }
    }

    static final class Stock {
        private Stock() {
        }

        /** 200 × 30 rounds of mixing; a scratch array per call. */
        static long filterStock(long h, int rounds) {
            long[] scratch = new long[8 + rounds / 16];
            long x = h ^ 89157L;
            for (int r = 0; r < rounds * 30; r++) {
                for (int k = 0; k < 12; k++) {
                    x = x * 6364136223846793005L + 1442695040888963407L + k;
                }
                scratch[r % scratch.length] += x >>> 33;
            }
            return x + scratch[0] + scratch.length;
        }

        /** 60 × 30 rounds of mixing; a scratch array per call. */
        static long reserve(long h, int rounds) {
            long[] scratch = new long[8 + rounds / 16];
            long x = h ^ 51677L;
            for (int r = 0; r < rounds * 30; r++) {
                for (int k = 0; k < 12; k++) {
                    x = x * 6364136223846793005L + 1442695040888963407L + k;
                }
                scratch[r % scratch.length] += x >>> 33;
            }
            return x + scratch[0] + scratch.length;
        }
    }

    static final class Tariff {
        private Tariff() {
        }

        /** 260 × 30 rounds of mixing; a scratch array per call. */
        static long applyTax(long h, int rounds) {
            long[] scratch = new long[8 + rounds / 16];
            long x = h ^ 77319L;
            for (int r = 0; r < rounds * 30; r++) {
                for (int k = 0; k < 12; k++) {
                    x = x * 6364136223846793005L + 1442695040888963407L + k;
                }
                scratch[r % scratch.length] += x >>> 33;
            }
            return x + scratch[0] + scratch.length;
        }

        /** 140 × 30 rounds of mixing; a scratch array per call. */
        static long applyCoupon(long h, int rounds) {
            long[] scratch = new long[8 + rounds / 16];
            long x = h ^ 81241L;
            for (int r = 0; r < rounds * 30; r++) {
                for (int k = 0; k < 12; k++) {
                    x = x * 6364136223846793005L + 1442695040888963407L + k;
                }
                scratch[r % scratch.length] += x >>> 33;
            }
            return x + scratch[0] + scratch.length;
        }

        /** 100 × 30 rounds of mixing; a scratch array per call. */
        static long currency(long h, int rounds) {
            long[] scratch = new long[8 + rounds / 16];
            long x = h ^ 62549L;
            for (int r = 0; r < rounds * 30; r++) {
                for (int k = 0; k < 12; k++) {
                    x = x * 6364136223846793005L + 1442695040888963407L + k;
                }
                scratch[r % scratch.length] += x >>> 33;
            }
            return x + scratch[0] + scratch.length;
        }

        /** 80 × 30 rounds of mixing; a scratch array per call. */
        static long shipping(long h, int rounds) {
            long[] scratch = new long[8 + rounds / 16];
            long x = h ^ 93712L;
            for (int r = 0; r < rounds * 30; r++) {
                for (int k = 0; k < 12; k++) {
                    x = x * 6364136223846793005L + 1442695040888963407L + k;
                }
                scratch[r % scratch.length] += x >>> 33;
            }
            return x + scratch[0] + scratch.length;
        }
    }

    static final class Output {
        private Output() {
        }

        /** 160 × 30 rounds of mixing; a scratch array per call. */
        static long escape(long h, int rounds) {
            long[] scratch = new long[8 + rounds / 16];
            long x = h ^ 68648L;
            for (int r = 0; r < rounds * 30; r++) {
                for (int k = 0; k < 12; k++) {
                    x = x * 6364136223846793005L + 1442695040888963407L + k;
                }
                scratch[r % scratch.length] += x >>> 33;
            }
            return x + scratch[0] + scratch.length;
        }

        /** 230 × 30 rounds of mixing; a scratch array per call. */
        static long compress(long h, int rounds) {
            long[] scratch = new long[8 + rounds / 16];
            long x = h ^ 24740L;
            for (int r = 0; r < rounds * 30; r++) {
                for (int k = 0; k < 12; k++) {
                    x = x * 6364136223846793005L + 1442695040888963407L + k;
                }
                scratch[r % scratch.length] += x >>> 33;
            }
            return x + scratch[0] + scratch.length;
        }
    }

    /** The items most recently used, up to a configured size (a feature flag changes it). */
    static final class ItemCache {
        private final LinkedHashMap<Integer, Item> map = new LinkedHashMap<>(4096, 0.75f, true);
        private volatile int capacity = 1500;

        void resize(int capacity) {
            this.capacity = capacity;
        }

        synchronized Item get(int id) {
            return map.get(id);
        }

        synchronized void put(int id, Item item) {
            map.put(id, item);
            while (map.size() > capacity) {
                map.remove(map.keySet().iterator().next());
            }
        }
    }

    static final class Pricing {
        private final int rounds;

        Pricing(int rounds) {
            this.rounds = rounds;
        }

        /** Discount tiers per item: {@code rounds} passes of integer arithmetic per item. */
        long quote(List<Item> items, long h) {
            long cents = 0;
            for (Item item : items) {
                long base = 100 + (item.id() * 37L) % 9900;
                for (int r = 0; r < rounds; r++) {
                    for (int k = 0; k < 16; k++) {
                        base = (base * 1103515245L + 12345L + k + (h & 7)) % 1_000_003L;
                    }
                    cents += base % 97;
                }
            }
            return cents;
        }
    }

    static final class Render {
        private final boolean formatted;

        Render(boolean formatted) {
            this.formatted = formatted;
        }

        String json(List<Item> items, double score, long price) {
            StringBuilder out = new StringBuilder(512).append("{\"items\":[");
            for (Item item : items) {
                if (formatted) {
                    out.append(String.format(Locale.ROOT, "{\"id\":%d,\"d\":\"%s\"},", item.id(), item.description()));
                } else {
                    out.append("{\"id\":").append(item.id()).append(",\"d\":\"").append(item.description()).append("\"},");
                }
            }
            return out.append("],\"score\":").append(score).append(",\"price\":").append(price).append('}').toString();
        }
    }

    /** A dependency that, during an incident, times out: three retries, an exception each. */
    static final class Backend {
        long call(long h) {
            if (Long.remainderUnsigned(h >>> 11, 10) >= 4) {
                return 1;
            }
            long got = 0;
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    got += attempt(h, attempt);
                } catch (IllegalStateException e) {
                    got += e.getStackTrace().length;
                }
            }
            return got;
        }

        private long attempt(long h, int attempt) {
            throw new IllegalStateException("backend timed out after 200 ms (attempt " + attempt + ", " + h + ")");
        }
    }

    /** The new feature of {@code variant=newpath}: items like the first, by a distance over the features. */
    static final class Recommend {
        double similar(List<Item> items, long h) {
            double best = 0;
            double[] first = items.get(0).features();
            for (int pass = 0; pass < 24; pass++) {
                for (Item item : items) {
                    double d = 0;
                    double[] f = item.features();
                    for (int i = 0; i < f.length; i++) {
                        double x = f[i] - first[(i + pass) % first.length];
                        d += x * x;
                    }
                    best = Math.max(best, Math.sqrt(d) + (h & 1));
                }
            }
            return best;
        }
    }
}
