package io.canaryjudge.qa30;

import io.canaryjudge.scenario.ShopPod;
import io.canaryjudge.scenario.SlicePprofWriter;
import one.profiler.AsyncProfiler;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One pod of a small web service with four endpoints — search, product page, checkout, login — served at a <b>fixed
 * arrival rate</b> with a given <b>endpoint mix</b>, as a canary that a header or cookie route (Flagger's A/B testing,
 * Argo's {@code setHeaderRoute}) sends one user segment to. The endpoints have call paths of their own
 * ({@link Search#handle}, {@link ProductPage#handle}, {@link Checkout#handle}, {@link Login#handle}) below one
 * dispatcher ({@link #dispatch}) and share code: a JSON writer ({@link Json}), an access log ({@link AccessLog}) and a
 * product cache ({@link ProductCache}). Arguments {@code key=value}: {@code output} (pod folder), {@code rate}
 * (requests per second), {@code mix} ({@code search:40,product:20,checkout:30,login:10}), {@code slices},
 * {@code sliceMillis}, {@code warmupMillis}, {@code seed}, {@code event} (cpu|itimer), {@code cpuIntervalNanos},
 * {@code allocIntervalBytes}, {@code taxFactor} (2 = {@link Checkout#computeTax} does twice the work: a regression in
 * one endpoint), {@code rerank} (true = {@link Search#handle} re-ranks its hits with a new scoring pass: a new hot
 * path). Writes {@code slice-K.pb.gz} and {@code requests.csv}. Run it with
 * {@code -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints} ({@link SegmentRecordings} does).
 */
public final class SegmentPod {
    static final String[] ENDPOINTS = {"search", "product", "checkout", "login"};
    private static final int WORKERS = 2;

    private SegmentPod() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> map = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            map.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Path folder = Files.createDirectories(Path.of(map.get("output")));
        double rate = Double.parseDouble(map.getOrDefault("rate", "300"));
        double[] mix = mix(map.getOrDefault("mix", "search:40,product:20,checkout:30,login:10"));
        int slices = Integer.parseInt(map.getOrDefault("slices", "6"));
        long sliceMillis = Long.parseLong(map.getOrDefault("sliceMillis", "10000"));
        long warmupMillis = Long.parseLong(map.getOrDefault("warmupMillis", "30000"));
        long seed = Long.parseLong(map.getOrDefault("seed", "1"));
        String event = map.getOrDefault("event", "cpu");
        long cpuInterval = Long.parseLong(map.getOrDefault("cpuIntervalNanos", "1000000"));
        long allocInterval = Long.parseLong(map.getOrDefault("allocIntervalBytes", "524288"));
        Code code = new Code(Integer.parseInt(map.getOrDefault("taxFactor", "1")),
                Boolean.parseBoolean(map.getOrDefault("rerank", "false")));

        Path logFile = Files.createTempFile("qa30-access", ".log");
        AccessLog log = new AccessLog(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8));
        ProductCache cache = new ProductCache();
        Catalog catalog = new Catalog();
        LongAdder served = new LongAdder();
        BlockingQueue<Long> arrivals = new ArrayBlockingQueue<>(1 << 16);
        for (int w = 0; w < WORKERS; w++) {
            SplittableRandom random = new SplittableRandom(seed * 1000 + w);
            Thread worker = new Thread(() -> serve(arrivals, mix, random, code, catalog, cache, log, served),
                    "http-nio-exec-" + (w + 1));
            worker.setDaemon(true);
            worker.start();
        }
        Thread acceptor = new Thread(() -> pace(rate, arrivals), "http-nio-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();

        Thread.sleep(warmupMillis);
        AsyncProfiler profiler = ShopPod.loadProfiler();
        List<Path> jfrs = new ArrayList<>();
        long[] requests = new long[slices];
        long[] starts = new long[slices];
        long[] durations = new long[slices];
        for (int k = 0; k < slices; k++) {
            Path jfr = folder.resolve("slice-" + (k + 1) + ".jfr");
            profiler.execute("start,event=" + event + ",interval=" + cpuInterval
                    + (allocInterval > 0 ? ",alloc=" + allocInterval : "") + ",jfr,file=" + jfr.toAbsolutePath());
            Instant start = Instant.now();
            long tick = System.nanoTime();
            long before = served.sum();
            Thread.sleep(sliceMillis);
            requests[k] = served.sum() - before;
            durations[k] = System.nanoTime() - tick;
            starts[k] = start.getEpochSecond() * 1_000_000_000L + start.getNano();
            profiler.execute("stop");
            jfrs.add(jfr);
        }
        for (int k = 0; k < slices; k++) {
            SlicePprofWriter.convert(jfrs.get(k), folder.resolve("slice-" + (k + 1) + ".pb.gz"), cpuInterval,
                    allocInterval > 0, starts[k], durations[k]);
            Files.delete(jfrs.get(k));
        }
        try (Writer writer = Files.newBufferedWriter(folder.resolve("requests.csv"), StandardCharsets.UTF_8)) {
            writer.write("profile,requests\n");
            for (int k = 0; k < slices; k++) {
                writer.write("slice-" + (k + 1) + ".pb.gz," + requests[k] + "\n");
            }
        }
        Files.deleteIfExists(logFile);
        System.err.printf(Locale.ROOT, "pod %s: rate %.0f/s asked, %.0f/s served, backlog %d, checksum %x%n", folder,
                rate, Arrays.stream(requests).sum() * 1e9 / Arrays.stream(durations).sum(), arrivals.size(),
                log.checksum + cache.checksum);
    }

    static double[] mix(String spec) {
        double[] weights = new double[ENDPOINTS.length];
        for (String part : spec.split(",")) {
            String[] kv = part.split(":");
            weights[Arrays.asList(ENDPOINTS).indexOf(kv[0])] = Double.parseDouble(kv[1]);
        }
        double sum = Arrays.stream(weights).sum();
        double cumulative = 0;
        for (int i = 0; i < weights.length; i++) {
            cumulative += weights[i] / sum;
            weights[i] = cumulative;
        }
        return weights;
    }

    /** What the code under test does differently: the canary's build. */
    record Code(int taxFactor, boolean rerank) {
    }

    /** Open loop: arrival n is due at n / rate seconds. */
    private static void pace(double rate, BlockingQueue<Long> arrivals) {
        long start = System.nanoTime();
        long issued = 0;
        while (true) {
            long due = (long) ((System.nanoTime() - start) * rate / 1e9);
            while (issued < due) {
                if (!arrivals.offer(System.nanoTime())) {
                    break;
                }
                issued++;
            }
            issued = Math.max(issued, due);
            LockSupport.parkNanos(Math.max(200_000L, (long) (1e9 / rate)));
        }
    }

    private static void serve(BlockingQueue<Long> arrivals, double[] mix, SplittableRandom random, Code code,
                              Catalog catalog, ProductCache cache, AccessLog log, LongAdder served) {
        long sink = 0;
        while (true) {
            long arrived;
            try {
                arrived = arrivals.take();
            } catch (InterruptedException e) {
                return;
            }
            double u = random.nextDouble();
            int endpoint = 0;
            while (endpoint < mix.length - 1 && u >= mix[endpoint]) {
                endpoint++;
            }
            String body = dispatch(endpoint, random, code, catalog, cache);
            sink += body.length();
            log.write(ENDPOINTS[endpoint], body.length(), System.nanoTime() - arrived);
            served.increment();
            if (sink == 42) {
                System.err.print("");
            }
        }
    }

    /** The web framework's dispatcher: one handler per route. */
    static String dispatch(int endpoint, SplittableRandom random, Code code, Catalog catalog, ProductCache cache) {
        return switch (endpoint) {
            case 0 -> Search.handle(Catalog.QUERIES[random.nextInt(Catalog.QUERIES.length)], code, catalog);
            case 1 -> ProductPage.handle(random.nextInt(Catalog.SIZE), catalog, cache);
            case 2 -> Checkout.handle(random, code, catalog, cache);
            default -> Login.handle("user" + random.nextInt(5000), random.nextLong());
        };
    }

    /** Products with names and descriptions, and a fixed set of search queries. */
    static final class Catalog {
        static final int SIZE = 1500;
        static final String[] WORDS = {"red", "blue", "green", "cotton", "wool", "shirt", "sock", "shoe", "jacket",
                "lamp", "desk", "chair", "steel", "oak", "mini", "pro", "max", "kids", "men", "women", "sport",
                "winter", "summer", "classic", "slim", "wide", "soft", "hard", "travel", "home"};
        static final String[] QUERIES = {"red shirt", "wool sock", "oak desk", "kids winter jacket", "sport shoe",
                "classic lamp", "slim steel chair", "soft cotton", "travel pro", "women summer"};
        final String[] names = new String[SIZE];
        final String[] descriptions = new String[SIZE];
        final long[] prices = new long[SIZE];

        Catalog() {
            SplittableRandom r = new SplittableRandom(7);
            for (int i = 0; i < SIZE; i++) {
                names[i] = WORDS[r.nextInt(WORDS.length)] + " " + WORDS[r.nextInt(WORDS.length)] + " "
                        + WORDS[r.nextInt(WORDS.length)];
                StringBuilder d = new StringBuilder();
                for (int w = 0; w < 12; w++) {
                    d.append(WORDS[r.nextInt(WORDS.length)]).append(' ');
                }
                descriptions[i] = d.toString();
                prices[i] = 199 + r.nextInt(50_000);
            }
        }
    }

    /** Full-text search over the catalog: tokenise, score every product, keep the top hits, write them as JSON. */
    static final class Search {
        static String handle(String query, Code code, Catalog catalog) {
            String[] tokens = query.toLowerCase(Locale.ROOT).split(" ");
            int[] scores = score(tokens, catalog);
            int[] top = topHits(scores, 20);
            if (code.rerank()) {
                top = rerank(top, tokens, catalog);
            }
            Json json = new Json();
            json.beginArray();
            for (int id : top) {
                json.beginObject().field("id", id).field("name", catalog.names[id]).field("price", catalog.prices[id])
                        .endObject();
            }
            return json.endArray().toString();
        }

        static int[] score(String[] tokens, Catalog catalog) {
            int[] scores = new int[Catalog.SIZE];
            for (int i = 0; i < Catalog.SIZE; i++) {
                for (String token : tokens) {
                    if (catalog.names[i].contains(token)) {
                        scores[i] += 3;
                    }
                    if (catalog.descriptions[i].contains(token)) {
                        scores[i] += 1;
                    }
                }
            }
            return scores;
        }

        static int[] topHits(int[] scores, int k) {
            Integer[] ids = new Integer[scores.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = i;
            }
            Arrays.sort(ids, (a, b) -> scores[b] != scores[a] ? Integer.compare(scores[b], scores[a])
                    : Integer.compare(a, b));
            int[] top = new int[k];
            for (int i = 0; i < k; i++) {
                top[i] = ids[i];
            }
            return top;
        }

        /** The canary's new scoring pass: edit distance of each hit's words to the query's. */
        static int[] rerank(int[] top, String[] tokens, Catalog catalog) {
            long[] keyed = new long[top.length];
            for (int i = 0; i < top.length; i++) {
                int distance = 0;
                for (String word : catalog.descriptions[top[i]].split(" ")) {
                    for (String token : tokens) {
                        distance += editDistance(word, token);
                    }
                }
                keyed[i] = ((long) distance << 32) | top[i];
            }
            Arrays.sort(keyed);
            int[] out = new int[top.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (int) keyed[i];
            }
            return out;
        }

        static int editDistance(String a, String b) {
            int[] previous = new int[b.length() + 1];
            int[] current = new int[b.length() + 1];
            for (int j = 0; j <= b.length(); j++) {
                previous[j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                current[0] = i;
                for (int j = 1; j <= b.length(); j++) {
                    int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                    current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                }
                int[] swap = previous;
                previous = current;
                current = swap;
            }
            return previous[b.length()];
        }
    }

    /** A product page: the cached product, its reviews rendered, written as JSON. */
    static final class ProductPage {
        static String handle(int id, Catalog catalog, ProductCache cache) {
            Map<String, Object> product = cache.get(id, catalog);
            Json json = new Json().beginObject();
            for (Map.Entry<String, Object> e : product.entrySet()) {
                json.field(e.getKey(), String.valueOf(e.getValue()));
            }
            json.key("reviews").beginArray();
            for (String review : reviews(id, catalog)) {
                json.beginObject().field("text", review).field("stars", review.length() % 5 + 1).endObject();
            }
            return json.endArray().endObject().toString();
        }

        static List<String> reviews(int id, Catalog catalog) {
            List<String> reviews = new ArrayList<>();
            for (int r = 0; r < 24; r++) {
                reviews.add(String.format(Locale.ROOT, "Review %d of %s: %s", r, catalog.names[id],
                        catalog.descriptions[(id + r) % Catalog.SIZE]));
            }
            return reviews;
        }
    }

    /** Checkout: a cart of cached products priced line by line with tax and discounts, fraud-screened, as JSON. */
    static final class Checkout {
        static String handle(SplittableRandom random, Code code, Catalog catalog, ProductCache cache) {
            int lines = 2 + random.nextInt(5);
            Json json = new Json().beginObject().key("lines").beginArray();
            long total = 0;
            for (int l = 0; l < lines; l++) {
                int id = random.nextInt(Catalog.SIZE);
                Map<String, Object> product = cache.get(id, catalog);
                long price = (Long) product.get("price");
                int quantity = 1 + random.nextInt(3);
                long line = price * quantity;
                line -= discount(line, catalog.names[id]);
                line += computeTax(line, code.taxFactor());
                total += line;
                json.beginObject().field("id", id).field("quantity", quantity).field("amount", line).endObject();
            }
            json.endArray().field("total", total).field("risk", fraudScore(total, random.nextLong()));
            return json.endObject().toString();
        }

        static long discount(long amount, String name) {
            long d = 0;
            for (String word : Catalog.WORDS) {
                if (name.startsWith(word)) {
                    d += amount / 50;
                }
            }
            return d;
        }

        /** Tax by rules of a jurisdiction table; {@code factor} passes over it (the canary's slower build: 2). */
        static long computeTax(long amount, int factor) {
            double tax = 0;
            for (int pass = 0; pass < factor; pass++) {
                double t = 0;
                for (int rule = 0; rule < 10000; rule++) {
                    t += Math.floorMod(amount * 31 + rule * 17L, 97) * 0.0001 * Math.sqrt(rule + 1.0);
                }
                tax = t;
            }
            return (long) (amount * 0.19 + tax);
        }

        static double fraudScore(long total, long fingerprint) {
            double score = 0;
            long x = fingerprint ^ total;
            for (int i = 0; i < 5000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
                score += Math.log1p((x >>> 33) % 1000);
            }
            return score / 5000;
        }
    }

    /** Login: salted, iterated SHA-256 of the password, then a session token. */
    static final class Login {
        static String handle(String user, long password) {
            byte[] hash = hash(user, password);
            StringBuilder token = new StringBuilder();
            for (byte b : hash) {
                token.append(String.format(Locale.ROOT, "%02x", b));
            }
            return new Json().beginObject().field("user", user).field("session", token.toString()).endObject()
                    .toString();
        }

        static byte[] hash(String user, long password) {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                byte[] value = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < 250; i++) {
                    value = digest.digest(value);
                }
                return value;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Products as maps, kept by id; a tenth of the lookups miss (expired) and rebuild the entry. */
    static final class ProductCache {
        private final Map<Integer, Map<String, Object>> entries = new ConcurrentHashMap<>();
        volatile long checksum;

        Map<String, Object> get(int id, Catalog catalog) {
            Map<String, Object> entry = entries.get(id);
            if (entry == null || (id + System.nanoTime()) % 10 == 0) {
                entry = load(id, catalog);
                entries.put(id, entry);
            }
            return entry;
        }

        Map<String, Object> load(int id, Catalog catalog) {
            Map<String, Object> entry = new HashMap<>();
            entry.put("id", id);
            entry.put("name", catalog.names[id]);
            entry.put("description", catalog.descriptions[id]);
            entry.put("price", catalog.prices[id]);
            entry.put("sku", String.format(Locale.ROOT, "SKU-%06d", id));
            checksum += entry.size();
            return entry;
        }
    }

    /** A small JSON writer every endpoint uses. */
    static final class Json {
        private final StringBuilder out = new StringBuilder(256);
        private boolean first = true;

        Json beginObject() {
            comma();
            out.append('{');
            first = true;
            return this;
        }

        Json endObject() {
            out.append('}');
            first = false;
            return this;
        }

        Json beginArray() {
            comma();
            out.append('[');
            first = true;
            return this;
        }

        Json endArray() {
            out.append(']');
            first = false;
            return this;
        }

        Json key(String key) {
            comma();
            quote(key);
            out.append(':');
            first = true;
            return this;
        }

        Json field(String key, String value) {
            key(key);
            quote(value);
            first = false;
            return this;
        }

        Json field(String key, long value) {
            key(key);
            out.append(value);
            first = false;
            return this;
        }

        Json field(String key, double value) {
            key(key);
            out.append(value);
            first = false;
            return this;
        }

        private void comma() {
            if (!first) {
                out.append(',');
            }
        }

        private void quote(String value) {
            out.append('"');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '"' || c == '\\') {
                    out.append('\\');
                }
                out.append(c);
            }
            out.append('"');
        }

        @Override
        public String toString() {
            return out.toString();
        }
    }

    /** One access-log line per request, formatted and written as a logging framework would. */
    static final class AccessLog {
        private final BufferedWriter out;
        volatile long checksum;

        AccessLog(BufferedWriter out) {
            this.out = out;
        }

        synchronized void write(String route, int bytes, long nanos) {
            try {
                String line = String.format(Locale.ROOT, "%s \"GET /%s\" 200 %d %.3fms%n", Instant.now(), route, bytes,
                        nanos / 1e6);
                out.write(line);
                checksum += line.length();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
