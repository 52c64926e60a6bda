package io.canaryjudge.qa34;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.canaryjudge.scenario.OpenLoopPod;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One pod of a small multi-endpoint service (search, cart, checkout, profile, recommendations; a router picks one
 * per request, 30/25/20/15/10 %) whose canaries differ only by a <em>cross-cutting</em> change — one that adds cost
 * under every request path, not in one application method. Requests arrive at {@code rate}/s (open loop) and
 * {@code workers} threads serve them. Every service logs through SLF4J/Logback (to a discarding stream, so the cost is
 * the formatting) and has {@code log.debug} lines, in its loops too. Variants ({@code variant=}):
 * <ul>
 *   <li>{@code base} — the application's package logs at INFO (the debug lines are skipped);</li>
 *   <li>{@code debug} — the application's package logs at DEBUG: formatting under every service method;</li>
 *   <li>{@code info} — one extra INFO access-log line per request, in the router;</li>
 *   <li>{@code filter} — a request filter computing an HMAC-SHA256 of the body and parsing a header, before the
 *       router;</li>
 *   <li>{@code metrics} — every service method records a Micrometer {@code Timer} tagged with the customer id (a
 *       per-request, high-cardinality tag).</li>
 * </ul>
 * Records {@code slices} JFR files of {@code sliceMillis} each after {@code warmupMillis} (async-profiler,
 * {@code profiler=} arguments, CPU and allocation in one session) and {@code requests.csv}. Run with
 * {@code -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints}; {@code bench/qa34-crosscut.sh} starts the pods.
 */
public final class CrossCuttingPod {
    private CrossCuttingPod() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> map = OpenLoopPod.arguments(args);
        Path folder = Files.createDirectories(Path.of(map.get("output")));
        double rate = Double.parseDouble(map.getOrDefault("rate", "1000"));
        int slices = Integer.parseInt(map.getOrDefault("slices", "4"));
        long sliceMillis = Long.parseLong(map.getOrDefault("sliceMillis", "12000"));
        long warmupMillis = Long.parseLong(map.getOrDefault("warmupMillis", "15000"));
        String variant = map.getOrDefault("variant", "base");
        int workers = Integer.parseInt(map.getOrDefault("workers", "4"));
        String profilerArgs = map.getOrDefault("profiler", "event=itimer,interval=500us,alloc=512k");

        configureLogging(variant.equals("debug"));
        MeterRegistry registry = variant.equals("metrics") ? new SimpleMeterRegistry() : null;
        Services services = new Services(registry);
        Router router = new Router(services, variant.equals("info"));
        RequestFilter filter = variant.equals("filter") ? new RequestFilter() : null;

        OpenLoopPod pod = OpenLoopPod.start(workers, rate, 500_000L, n -> {
            Request request = Request.of(n * 31 + Thread.currentThread().getId());
            if (filter != null) {
                filter.doFilter(request, router);
            } else {
                router.dispatch(request);
            }
        });
        long[] requests = pod.record(folder, warmupMillis, slices, sliceMillis, profilerArgs);
        pod.report(folder, variant, rate, requests, sliceMillis, router.sink);
    }

    /**
     * Logback writing to a stream that discards the bytes: the cost measured is Logback's (layout, encoding), not
     * the disk's. The root logs at INFO; variant debug sets the application's package to DEBUG, as a config change.
     */
    private static void configureLogging(boolean debug) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n");
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setName("discard");
        appender.setEncoder(encoder);
        appender.setOutputStream(OutputStream.nullOutputStream());
        appender.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(appender);
        context.getLogger("io.canaryjudge.qa34").setLevel(debug ? Level.DEBUG : Level.INFO);
    }

    /** A request: an endpoint, a customer, a query, a header and a body. */
    record Request(int endpoint, int customer, String query, String header, byte[] body) {
        private static final byte[] BODY = new byte[4096];

        static {
            Arrays.fill(BODY, (byte) 'x');
        }

        static Request of(long n) {
            long h = n * 0x9E3779B97F4A7C15L;
            int pick = (int) Long.remainderUnsigned(h >>> 7, 100);
            int endpoint = pick < 30 ? 0 : pick < 55 ? 1 : pick < 75 ? 2 : pick < 90 ? 3 : 4;
            int customer = (int) Long.remainderUnsigned(h >>> 17, 20_000);
            String query = "red shoes size " + (customer % 13) + " leather";
            String header = "v=1;customer=" + customer + ";region=eu-" + (customer % 4) + ";trace=" + Long.toHexString(h);
            return new Request(endpoint, customer, query, header, BODY);
        }
    }

    /** Variant filter: a signature check of every request (HMAC-SHA256 over the body) and its header parsed. */
    static final class RequestFilter {
        private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(RequestFilter::newMac);

        private static Mac newMac() {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec("canary-judge-qa34-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                return mac;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        void doFilter(Request request, Router chain) {
            Map<String, String> attributes = parseHeader(request.header());
            Mac mac = macs.get();
            mac.update(request.body());
            String signature = HexFormat.of().formatHex(mac.doFinal());
            if (signature.isEmpty() || attributes.isEmpty()) {
                throw new IllegalStateException("unsigned");
            }
            chain.dispatch(request);
        }

        private static Map<String, String> parseHeader(String header) {
            Map<String, String> attributes = new HashMap<>();
            for (String part : header.split(";")) {
                String[] kv = part.split("=", 2);
                attributes.put(kv[0].trim(), kv.length > 1 ? kv[1].trim() : "");
            }
            return attributes;
        }
    }

    /** Picks the endpoint's service; variant info logs one access line per request. */
    static final class Router {
        private static final Logger log = LoggerFactory.getLogger(Router.class);
        private final Services services;
        private final boolean accessLog;
        volatile long sink;

        Router(Services services, boolean accessLog) {
            this.services = services;
            this.accessLog = accessLog;
        }

        void dispatch(Request request) {
            long start = System.nanoTime();
            long result = switch (request.endpoint()) {
                case 0 -> services.search.search(request);
                case 1 -> services.cart.addItem(request);
                case 2 -> services.checkout.checkout(request);
                case 3 -> services.profile.render(request);
                default -> services.recommendations.recommend(request);
            };
            sink += result;
            if (accessLog) {
                log.info("served endpoint={} customer={} in {} us", request.endpoint(), request.customer(),
                        (System.nanoTime() - start) / 1000);
            }
        }
    }

    /** The services, and (variant metrics) the registry their timers go to. */
    static final class Services {
        final SearchService search;
        final CartService cart;
        final CheckoutService checkout;
        final ProfileService profile;
        final RecommendationService recommendations;

        Services(MeterRegistry registry) {
            Instrumentation metrics = new Instrumentation(registry);
            this.search = new SearchService(metrics);
            this.cart = new CartService(metrics);
            this.checkout = new CheckoutService(metrics);
            this.profile = new ProfileService(metrics);
            this.recommendations = new RecommendationService(metrics);
        }
    }

    /** Variant metrics: a Timer per service call tagged with the customer (2,000 ids of the 20,000: a high-cardinality tag, 10,000 timers). */
    static final class Instrumentation {
        private final MeterRegistry registry;

        Instrumentation(MeterRegistry registry) {
            this.registry = registry;
        }

        void record(String operation, Request request, long startNanos) {
            if (registry == null) {
                return;
            }
            Timer.builder("service.calls").tag("operation", operation)
                    .tag("customer", Integer.toString(request.customer() % 2000))
                    .tag("region", "eu-" + (request.customer() % 4))
                    .register(registry).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Scores a small catalogue against the query's tokens. */
    static final class SearchService {
        private static final Logger log = LoggerFactory.getLogger(SearchService.class);
        private static final String[] CATALOGUE = catalogue();
        private final Instrumentation metrics;

        SearchService(Instrumentation metrics) {
            this.metrics = metrics;
        }

        private static String[] catalogue() {
            String[] words = {"red", "blue", "shoes", "boots", "leather", "canvas", "size", "sale", "new", "classic"};
            String[] items = new String[400];
            for (int i = 0; i < items.length; i++) {
                items[i] = words[i % 10] + " " + words[(i * 7) % 10] + " " + words[(i * 3 + 1) % 10] + " " + i;
            }
            return items;
        }

        long search(Request request) {
            long start = System.nanoTime();
            List<String> tokens = Arrays.asList(request.query().toLowerCase(Locale.ROOT).split(" "));
            log.debug("search customer={} tokens={}", request.customer(), tokens);
            long best = 0;
            int hits = 0;
            for (int i = 0; i < CATALOGUE.length; i++) {
                int score = score(CATALOGUE[i], tokens);
                if (score > 1) {
                    hits++;
                    if (hits <= 8) {
                        log.debug("hit {} score={} item={}", hits, score, CATALOGUE[i]);
                    }
                }
                best = Math.max(best, score * 1000L + i);
            }
            log.debug("search customer={} hits={} best={}", request.customer(), hits, best);
            metrics.record("search", request, start);
            return best;
        }

        private static int score(String item, List<String> tokens) {
            int score = 0;
            for (String token : tokens) {
                if (item.contains(token)) {
                    score += token.length() > 3 ? 2 : 1;
                }
            }
            return score;
        }
    }

    /** Adds an item to a customer's cart and prices the cart with BigDecimal. */
    static final class CartService {
        private static final Logger log = LoggerFactory.getLogger(CartService.class);
        private final Map<Integer, List<BigDecimal>> carts = new ConcurrentHashMap<>();
        private final Instrumentation metrics;

        CartService(Instrumentation metrics) {
            this.metrics = metrics;
        }

        long addItem(Request request) {
            long start = System.nanoTime();
            List<BigDecimal> cart = carts.computeIfAbsent(request.customer() % 512, c -> new ArrayList<>());
            BigDecimal total = BigDecimal.ZERO;
            synchronized (cart) {
                if (cart.size() > 40) {
                    cart.clear();
                }
                cart.add(BigDecimal.valueOf(request.customer() % 9973, 2));
                for (BigDecimal line : cart) {
                    BigDecimal taxed = line.multiply(BigDecimal.valueOf(119, 2)).setScale(2, RoundingMode.HALF_EVEN);
                    log.debug("cart line {} taxed {}", line, taxed);
                    total = total.add(taxed);
                }
            }
            log.debug("cart customer={} total={}", request.customer(), total);
            metrics.record("cart", request, start);
            return total.unscaledValue().longValue();
        }
    }

    /** Validates an order and formats its receipt. */
    static final class CheckoutService {
        private static final Logger log = LoggerFactory.getLogger(CheckoutService.class);
        private final Instrumentation metrics;

        CheckoutService(Instrumentation metrics) {
            this.metrics = metrics;
        }

        long checkout(Request request) {
            long start = System.nanoTime();
            StringBuilder receipt = new StringBuilder(2048);
            long sum = 0;
            for (int line = 0; line < 40; line++) {
                long cents = (request.customer() * 31L + line * 977L) % 10_000;
                sum += cents;
                receipt.append(String.format(Locale.ROOT, "%3d  item-%05d  %8.2f%n", line, cents, cents / 100.0));
                if (line % 4 == 0) {
                    log.debug("checkout customer={} line={} cents={}", request.customer(), line, cents);
                }
            }
            receipt.append("total ").append(sum);
            log.debug("checkout customer={} receipt length={}", request.customer(), receipt.length());
            metrics.record("checkout", request, start);
            return receipt.length() + sum;
        }
    }

    /** Renders a customer's profile as JSON by hand. */
    static final class ProfileService {
        private static final Logger log = LoggerFactory.getLogger(ProfileService.class);
        private final Instrumentation metrics;

        ProfileService(Instrumentation metrics) {
            this.metrics = metrics;
        }

        long render(Request request) {
            long start = System.nanoTime();
            StringBuilder json = new StringBuilder("{\"customer\":").append(request.customer()).append(",\"orders\":[");
            for (int i = 0; i < 120; i++) {
                json.append(i == 0 ? "" : ",").append("{\"id\":\"").append(Integer.toHexString(request.customer() * 61 + i))
                        .append("\",\"total\":").append((request.customer() + i * 13) % 977).append('}');
                if (i % 20 == 0) {
                    log.debug("profile customer={} order {} of 120", request.customer(), i);
                }
            }
            String body = json.append("]}").toString();
            log.debug("profile customer={} rendered {} chars", request.customer(), body.length());
            metrics.record("profile", request, start);
            return body.hashCode();
        }
    }

    /** Ranks items for a customer: a small dot-product scoring and a sort. */
    static final class RecommendationService {
        private static final Logger log = LoggerFactory.getLogger(RecommendationService.class);
        private final Instrumentation metrics;

        RecommendationService(Instrumentation metrics) {
            this.metrics = metrics;
        }

        long recommend(Request request) {
            long start = System.nanoTime();
            double[] user = new double[32];
            for (int i = 0; i < user.length; i++) {
                user[i] = Math.sin(request.customer() + i);
            }
            double[] scores = new double[800];
            for (int item = 0; item < scores.length; item++) {
                double s = 0;
                for (int i = 0; i < user.length; i++) {
                    s += user[i] * Math.cos(item * 0.37 + i);
                }
                scores[item] = s;
            }
            Arrays.sort(scores);
            for (int k = 0; k < 5; k++) {
                log.debug("recommend customer={} rank {} score={}", request.customer(), k, scores[scores.length - 1 - k]);
            }
            metrics.record("recommend", request, start);
            return Double.doubleToLongBits(scores[scores.length - 1]);
        }
    }
}
