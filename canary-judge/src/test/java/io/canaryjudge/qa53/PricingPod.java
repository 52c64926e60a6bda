package io.canaryjudge.qa53;

import io.canaryjudge.scenario.OpenLoopPod;
import io.canaryjudge.scenario.ShopPod;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import one.profiler.AsyncProfiler;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * One pod of a pricing API on Spring WebFlux's functional endpoints over Reactor Netty (qa53: culprits under a real
 * HTTP framework). {@code POST /v1/quote} takes a cart as JSON (Jackson, WebFlux's codec), prices each line in a
 * Reactor {@code map} lambda ({@code Quotes.lambda$quote$N}: tax bands in its own loop), applies the promotion rules
 * ({@code PromotionRules.apply}, its own loop, called by the handler), writes an audit entry ({@code AuditLog.record}:
 * Jackson serialises each priced line, so its cost is mostly Jackson below it) and answers the quote as JSON;
 * {@code GET /v1/stock/{sku}} answers a small stock record. {@link PricingLoad} drives it over loopback from another
 * JVM.
 * <p>
 * Variants ({@code change=}, {@code factor=}): {@code none}; {@code handler} multiplies {@code PromotionRules.apply}'s
 * loop; {@code codec} the audit entries Jackson writes; {@code lambda} the map lambda's tax loop; {@code alloc}
 * allocates a 64 KB scratch table per quote in {@code PromotionRules.apply} (CPU unchanged but for zeroing it).
 * Records {@code slices} JFR files of {@code sliceMillis} after {@code warmupMillis} with {@code requests.csv}
 * (quotes served in each), then exits; bench/qa53-record.sh starts the pods.
 */
public final class PricingPod {
    private PricingPod() {
    }

    /** A cart line as the client sends it. */
    public record CartLine(String sku, int quantity, long unitCents, String region) {
    }

    /** A cart. */
    public record Cart(String customer, String currency, List<CartLine> lines) {
    }

    /** A priced line. */
    public record PricedLine(String sku, int quantity, long netCents, long taxCents, String band) {
    }

    /** The answer. */
    public record Quote(String customer, String currency, List<PricedLine> lines, long totalCents, long discountCents,
                        String rule) {
    }

    /** The stock endpoint's answer. */
    public record Stock(String sku, int available, String warehouse) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> map = OpenLoopPod.arguments(args);
        Path folder = Files.createDirectories(Path.of(map.get("output")));
        int port = Integer.parseInt(map.get("port"));
        int slices = Integer.parseInt(map.getOrDefault("slices", "4"));
        long sliceMillis = Long.parseLong(map.getOrDefault("sliceMillis", "10000"));
        long warmupMillis = Long.parseLong(map.getOrDefault("warmupMillis", "40000"));
        String change = map.getOrDefault("change", "none");
        double factor = Double.parseDouble(map.getOrDefault("factor", "1"));
        String profilerArgs = map.getOrDefault("profiler", "event=itimer,interval=2ms,alloc=256k");

        Quotes quotes = new Quotes(change, factor);
        RouterFunction<ServerResponse> routes = RouterFunctions.route()
                .POST("/v1/quote", quotes::quote)
                .GET("/v1/stock/{sku}", quotes::stock)
                .build();
        HttpHandler http = RouterFunctions.toHttpHandler(routes);
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(port)
                .handle(new ReactorHttpHandlerAdapter(http)).bindNow();
        Thread.sleep(warmupMillis);
        AsyncProfiler profiler = ShopPod.loadProfiler();
        long[] requests = new long[slices];
        for (int k = 0; k < slices; k++) {
            Path jfr = folder.resolve("slice-" + (k + 1) + ".jfr");
            profiler.execute("start," + profilerArgs + ",jfr,file=" + jfr.toAbsolutePath());
            long before = quotes.served.sum();
            Thread.sleep(sliceMillis);
            requests[k] = quotes.served.sum() - before;
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
        System.err.printf(Locale.ROOT, "pod %s (%s x%s): %.0f quotes/s served, checksum %x%n", folder, change, factor,
                total * 1000.0 / (slices * sliceMillis), quotes.sink);
        server.disposeNow();
        System.exit(0);
    }

    /** The handlers. */
    static final class Quotes {
        private static final String[] BANDS = {"standard", "reduced", "zero", "luxury"};
        private final PromotionRules rules;
        private final AuditLog audit;
        /** Rounds of the tax loop per line (the lambda change's factor scales it). */
        private final int taxRounds;
        final LongAdder served = new LongAdder();
        volatile long sink;

        Quotes(String change, double factor) {
            this.rules = new PromotionRules(scaled(12_000, change.equals("handler") ? factor : 1), change.equals("alloc"));
            this.audit = new AuditLog(4 * (change.equals("codec") ? factor : 1));
            this.taxRounds = scaled(900, change.equals("lambda") ? factor : 1);
        }

        private static int scaled(int base, double factor) {
            return (int) Math.round(base * factor);
        }

        Mono<ServerResponse> quote(ServerRequest request) {
            return request.bodyToMono(Cart.class)
                    .flatMap(cart -> Flux.fromIterable(cart.lines())
                            .map(line -> {
                                // Tax bands: the lambda's own loop, the CPU the lambda change multiplies.
                                long h = line.sku().hashCode() * 0x9E3779B97F4A7C15L + line.quantity();
                                long tax = 0;
                                for (int i = 0; i < taxRounds; i++) {
                                    h ^= h << 13;
                                    h ^= h >>> 7;
                                    h ^= h << 17;
                                    tax += (h & 0xff) * line.unitCents() / 1000;
                                }
                                long net = line.unitCents() * line.quantity();
                                return new PricedLine(line.sku(), line.quantity(), net, Math.abs(tax) % (net / 5 + 1),
                                        BANDS[(int) (h >>> 62)]);
                            })
                            .collectList()
                            .map(lines -> rules.apply(cart, lines)))
                    .doOnNext(audit::record)
                    .flatMap(q -> {
                        served.increment();
                        sink += q.totalCents();
                        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(q);
                    });
        }

        Mono<ServerResponse> stock(ServerRequest request) {
            String sku = request.pathVariable("sku");
            return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(new Stock(sku, Math.floorMod(sku.hashCode(), 500), "wh-" + Math.floorMod(sku.hashCode(), 7)));
        }
    }

    /** Promotion rules: their own loop is the CPU the handler change multiplies. */
    static final class PromotionRules {
        private final int rounds;
        private final boolean scratch;
        volatile double[] last;

        PromotionRules(int rounds, boolean scratch) {
            this.rounds = rounds;
            this.scratch = scratch;
        }

        Quote apply(Cart cart, List<PricedLine> lines) {
            long total = 0;
            long h = cart.customer().hashCode();
            for (PricedLine line : lines) {
                total += line.netCents() + line.taxCents();
                h = h * 31 + line.sku().hashCode();
            }
            long best = 0;
            for (int i = 0; i < rounds; i++) {
                h ^= h << 21;
                h ^= h >>> 35;
                h ^= h << 4;
                long discount = Math.floorMod(h, 1 + total / 10);
                best = Math.max(best, discount % (1 + total / 20));
            }
            if (scratch) {
                // The allocation-only change: a 64 KB scratch table per quote, barely touched.
                double[] table = new double[8192];
                table[(int) (h & 8191)] = best;
                last = table;
            }
            return new Quote(cart.customer(), cart.currency(), lines, total - best, best, "rule-" + (h & 15));
        }
    }

    /** The audit trail: Jackson writes each priced line (four times each; the codec change factor times as many). */
    static final class AuditLog {
        private final ObjectMapper json = JsonMapper.builder().build();
        private final double factor;
        private double credit;
        volatile long bytes;

        AuditLog(double factor) {
            this.factor = factor;
        }

        void record(Quote quote) {
            long written = 0;
            List<Object> entry = new ArrayList<>(3);
            for (PricedLine line : quote.lines()) {
                double c;
                synchronized (this) {
                    credit += factor;
                    c = Math.floor(credit);
                    credit -= c;
                }
                for (int k = 0; k < c; k++) {
                    entry.clear();
                    entry.add(quote.customer());
                    entry.add(line);
                    entry.add(quote.rule());
                    written += json.writeValueAsBytes(entry).length;
                }
            }
            bytes += written;
        }
    }
}
