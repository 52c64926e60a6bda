package io.canaryjudge.qa79;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.canaryjudge.scenario.OpenLoopPod;
import io.canaryjudge.scenario.ShopPod;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import one.profiler.AsyncProfiler;

/**
 * One pod of a shop API with four endpoints of unlike cost (qa79: canaries that serve a different request mix), on the
 * JDK's HTTP server: {@code GET /search} ranks results ({@code SearchService.rank}, the dearest, its own loop),
 * {@code GET /quote} prices a basket ({@code PriceService.price}), {@code GET /product} renders a product page
 * ({@code CatalogService.render}, string building: allocation), {@code GET /cart} sums a cart ({@code CartService.total},
 * cheap), {@code GET /export} renders a rare client's export ({@code ExportService.render}, its own loop, ~1/20 of a
 * search: qa85's rare endpoint a canary's A/B route amplifies). {@code GET /metrics} answers Micrometer's request counter ({@code http_server_requests_seconds_count{uri}}) in
 * Prometheus text form, not counted itself. {@link MixLoad} drives it from another JVM with a chosen mix.
 * <p>
 * {@code change=rank|price} with {@code factor=} multiplies that function's loop (the injected regression);
 * {@code change=audit} adds a new function under /product's code, {@code CatalogService.audit} (SHA-256 of the page
 * {@code auditRounds} times, a real new hot path, qa85). {@code exportRounds} sets /export's loop. Records
 * {@code slices} JFR files of {@code sliceMillis} after {@code warmupMillis}, with {@code requests.csv} (requests served
 * in each slice) and {@code endpoints.csv} (the same per endpoint), then exits; bench/qa79-record.sh starts the pods.
 */
public final class MixPod {
    static final String[] ENDPOINTS = {"/search", "/quote", "/product", "/cart", "/export"};

    private MixPod() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> map = OpenLoopPod.arguments(args);
        Path folder = Files.createDirectories(Path.of(map.get("output")));
        int port = Integer.parseInt(map.get("port"));
        int slices = Integer.parseInt(map.getOrDefault("slices", "4"));
        long sliceMillis = Long.parseLong(map.getOrDefault("sliceMillis", "10000"));
        long warmupMillis = Long.parseLong(map.getOrDefault("warmupMillis", "30000"));
        String change = map.getOrDefault("change", "none");
        double factor = Double.parseDouble(map.getOrDefault("factor", "1"));
        String profilerArgs = map.getOrDefault("profiler", "event=itimer,interval=1ms,alloc=256k");

        int exportRounds = Integer.parseInt(map.getOrDefault("exportRounds", "21000"));
        int auditRounds = change.equals("audit") ? Integer.parseInt(map.getOrDefault("auditRounds", "80")) : 0;
        Services services = new Services(change, factor, exportRounds, auditRounds);
        Map<String, LongAdder> served = new LinkedHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.setExecutor(Executors.newFixedThreadPool(4));
        for (String endpoint : ENDPOINTS) {
            LongAdder count = new LongAdder();
            served.put(endpoint, count);
            server.createContext(endpoint, exchange -> {
                String body = services.handle(endpoint, exchange.getRequestURI().getQuery());
                count.increment();
                answer(exchange, body);
            });
        }
        server.createContext("/metrics", exchange -> {
            StringBuilder text = new StringBuilder("# TYPE http_server_requests_seconds_count counter\n");
            served.forEach((uri, n) -> text.append("http_server_requests_seconds_count{method=\"GET\",status=\"200\",uri=\"")
                    .append(uri).append("\"} ").append(n.sum()).append('\n'));
            answer(exchange, text.toString());
        });
        server.start();
        Thread.sleep(warmupMillis);
        AsyncProfiler profiler = ShopPod.loadProfiler();
        long[][] requests = new long[slices][ENDPOINTS.length];
        for (int k = 0; k < slices; k++) {
            Path jfr = folder.resolve("slice-" + (k + 1) + ".jfr");
            long[] before = counts(served);
            profiler.execute("start," + profilerArgs + ",jfr,file=" + jfr.toAbsolutePath());
            Thread.sleep(sliceMillis);
            profiler.execute("stop");
            long[] after = counts(served);
            for (int e = 0; e < ENDPOINTS.length; e++) {
                requests[k][e] = after[e] - before[e];
            }
        }
        long total = 0;
        try (Writer all = Files.newBufferedWriter(folder.resolve("requests.csv"), StandardCharsets.UTF_8);
             Writer each = Files.newBufferedWriter(folder.resolve("endpoints.csv"), StandardCharsets.UTF_8)) {
            all.write("profile,requests\n");
            each.write("profile,endpoint,requests\n");
            for (int k = 0; k < slices; k++) {
                long sum = 0;
                for (int e = 0; e < ENDPOINTS.length; e++) {
                    sum += requests[k][e];
                    each.write("slice-" + (k + 1) + ".jfr," + ENDPOINTS[e] + "," + requests[k][e] + "\n");
                }
                all.write("slice-" + (k + 1) + ".jfr," + sum + "\n");
                total += sum;
            }
        }
        System.err.printf(Locale.ROOT, "pod %s (%s x%s): %.0f requests/s served, checksum %x%n", folder, change, factor,
                total * 1000.0 / (slices * sliceMillis), services.sink);
        server.stop(0);
        System.exit(0);
    }

    private static long[] counts(Map<String, LongAdder> served) {
        long[] c = new long[ENDPOINTS.length];
        for (int e = 0; e < ENDPOINTS.length; e++) {
            c[e] = served.get(ENDPOINTS[e]).sum();
        }
        return c;
    }

    private static void answer(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The endpoints' work. */
    static final class Services {
        private final SearchService search;
        private final PriceService price;
        private final CatalogService catalog;
        private final CartService cart = new CartService();
        private final ExportService export;
        volatile long sink;

        Services(String change, double factor, int exportRounds, int auditRounds) {
            search = new SearchService((int) Math.round(40_000 * (change.equals("rank") ? factor : 1)));
            price = new PriceService((int) Math.round(12_000 * (change.equals("price") ? factor : 1)));
            catalog = new CatalogService(auditRounds);
            export = new ExportService(exportRounds);
        }

        String handle(String endpoint, String query) {
            long seed = query == null ? 17 : query.hashCode();
            String body = switch (endpoint) {
                case "/search" -> search.rank(seed);
                case "/quote" -> price.price(seed);
                case "/product" -> catalog.render(seed);
                case "/export" -> export.render(seed);
                default -> cart.total(seed);
            };
            sink += body.length();
            return body;
        }
    }

    /** Search: ranks candidates in its own loop (the dearest endpoint, ~1-2 ms of CPU a request). */
    static final class SearchService {
        private final int rounds;

        SearchService(int rounds) {
            this.rounds = rounds;
        }

        String rank(long seed) {
            // Scores candidates with a logarithm each (a real call the JIT cannot fold away, so C1 and C2 code cost
            // about the same: JVMs that compiled the loop differently do not look like a regression).
            long h = seed * 0x9E3779B97F4A7C15L + 1;
            double best = 0;
            for (int i = 0; i < rounds; i++) {
                h ^= h << 13;
                h ^= h >>> 7;
                h ^= h << 17;
                best = Math.max(best, Math.log1p((h & 0xffffff) + i) * (i & 7));
            }
            return "{\"hits\":" + ((long) best & 1023) + "}";
        }
    }

    /** Quotes: prices a basket in its own loop (~0.5 ms a request). */
    static final class PriceService {
        private final int rounds;

        PriceService(int rounds) {
            this.rounds = rounds;
        }

        String price(long seed) {
            long h = seed | 1;
            double total = 0;
            for (int i = 0; i < rounds; i++) {
                h ^= h << 21;
                h ^= h >>> 35;
                h ^= h << 4;
                total += Math.exp(-((h & 0xffff) / 65536.0)) * Math.floorMod(h, 997);
            }
            return "{\"total\":" + (long) total + "}";
        }
    }

    /** Product pages: string building, the allocating endpoint; with {@code auditRounds} > 0 also a new audit step. */
    static final class CatalogService {
        private final int auditRounds;

        CatalogService(int auditRounds) {
            this.auditRounds = auditRounds;
        }

        String render(long seed) {
            StringBuilder page = new StringBuilder(256);
            for (int i = 0; i < 120; i++) {
                page.append("<li data-sku=\"").append(Long.toString(seed * 31 + i, 36)).append("\">")
                        .append(String.format(Locale.ROOT, "%08d", i * seed & 0xffffff)).append("</li>");
            }
            if (auditRounds > 0) {
                page.append("<!--").append(audit(page)).append("-->");
            }
            return page.toString();
        }

        /**
         * qa85's real new hot path: an audit digest of the page, SHA-256 over its bytes {@code auditRounds} times (~0.2
         * of a search's CPU at the default 80; the JDK's digest frames are as new to the profile as this one).
         */
        long audit(CharSequence page) {
            MessageDigest digest;
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException x) {
                throw new IllegalStateException(x);
            }
            byte[] bytes = page.toString().getBytes(StandardCharsets.UTF_8);
            long sum = 0;
            for (int i = 0; i < auditRounds; i++) {
                digest.update(bytes);
                digest.update((byte) i);
                sum += digest.digest()[0];
            }
            return sum;
        }
    }

    /**
     * Exports: a rare client's export rows in their own loop, ~1/20 of a search's CPU (qa85). At 0.5 % of the requests
     * it holds ~0.03 % of a pod's CPU, a few samples or none in a minute; at 20 % (an A/B route sending that client to
     * the canary) over 1 %, which reads as a new hot path on unchanged code.
     */
    static final class ExportService {
        private final int rounds;

        ExportService(int rounds) {
            this.rounds = rounds;
        }

        String render(long seed) {
            long h = seed * 0xD1B54A32D192ED03L + 7;
            double acc = 0;
            for (int i = 0; i < rounds; i++) {
                h ^= h << 7;
                h ^= h >>> 9;
                acc += Math.sqrt((h & 0xfffff) + 1.0) / (1 + (i & 15));
            }
            return "{\"rows\":" + (long) acc + "}";
        }
    }

    /** Carts: a small sum. */
    static final class CartService {
        String total(long seed) {
            long sum = 0;
            for (int i = 0; i < 2_000; i++) {
                sum += (seed ^ i) % 101;
            }
            return "{\"cart\":" + sum + "}";
        }
    }
}
