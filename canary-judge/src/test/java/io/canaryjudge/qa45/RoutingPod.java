package io.canaryjudge.qa45;

import io.canaryjudge.scenario.OpenLoopPod;

import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.function.LongUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One pod of a small message-routing gateway (qa45, JIT decisions between JVMs): each request parses a message's
 * headers into a {@code HashMap}, matches it against 24 routing rules of five kinds through one interface call site
 * (megamorphic), prices it with {@code BigDecimal} ({@code Fees.quote}), counts it in boxed per-route statistics read
 * back through streams and {@code OptionalInt}, and renders a receipt with {@code StringBuilder} (one in eight with
 * {@code String.format}). Its hot paths are the kind whose compiled form depends on what each JVM saw first.
 * <p>
 * What differs between JVMs of the same build: {@code seed=} orders the warm-up traffic, whose first
 * {@code skewMillis} (default 4 s) carry only the one message shape (header set) the seed picks, before the
 * steady mix every pod then serves alike; so C2's first type profiles, inlining and escape-analysis decisions differ
 * between JVMs as between pods that met different first users. Variants ({@code variant=}):
 * <ul>
 *   <li>{@code base} - the unchanged build;</li>
 *   <li>{@code slow} - {@code Fees.quote} does 1.3x its rounding steps (an application method at about 5 % of CPU);</li>
 *   <li>{@code newpath} - a new {@code Throttle.admit} per request (about 1 % of CPU);</li>
 *   <li>{@code lookups} - {@code Enricher.tag} looks each attribute up in the headers twice (twice the
 *   {@code HashMap} lookups per request: a JDK cost the application drives).</li>
 *   <li>{@code deopt} (qa70) - every request re-points a fee hook ({@code FeeHook.retarget}:
 *   {@code MutableCallSite.setTarget}, as a feature-flag or rule refresh per request would), which HotSpot answers by
 *   invalidating every compiled method that inlined the hook ({@code Gateway.handle} and what inlined it): the
 *   code deoptimises and is recompiled over and over, running interpreted or as C1 code in between;</li>
 *   <li>{@code classes} (qa70) - every request spins a new hidden class ({@code Spinner.spin}:
 *   {@code LambdaMetafactory.metafactory} for a rounding function, as a per-request "fast accessor" would) and calls
 *   it 10 times a message, so the JIT compiles each new class's method, for a class used by one request only.</li>
 * </ul>
 * Records {@code slices} JFR files of {@code sliceMillis} after {@code warmupMillis} with {@code requests.csv}
 * ({@link OpenLoopPod}). Run with {@code -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints}; bench/qa45-jit.sh
 * starts the pods.
 */
public final class RoutingPod {
    private RoutingPod() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> map = OpenLoopPod.arguments(args);
        Path folder = Files.createDirectories(Path.of(map.get("output")));
        double rate = Double.parseDouble(map.getOrDefault("rate", "80"));
        int slices = Integer.parseInt(map.getOrDefault("slices", "4"));
        long sliceMillis = Long.parseLong(map.getOrDefault("sliceMillis", "10000"));
        long warmupMillis = Long.parseLong(map.getOrDefault("warmupMillis", "15000"));
        long skewMillis = Long.parseLong(map.getOrDefault("skewMillis", "4000"));
        String variant = map.getOrDefault("variant", "base");
        long seed = Long.parseLong(map.getOrDefault("seed", "1"));
        String profilerArgs = map.getOrDefault("profiler", "event=itimer,interval=4ms,alloc=32k");

        Gateway gateway = new Gateway(variant);
        Traffic traffic = new Traffic(seed);
        long start = System.nanoTime();
        int batch = Integer.parseInt(map.getOrDefault("batch", "400"));
        // One request routes a batch of messages (a consumer's poll), so a request costs about a millisecond.
        OpenLoopPod pod = OpenLoopPod.start(2, rate, 2_000_000L, n -> {
            gateway.begin(n);
            boolean skewed = System.nanoTime() - start < skewMillis * 1_000_000L;
            for (int k = 0; k < batch; k++) {
                gateway.handle(traffic.message(n * batch + k + Thread.currentThread().getId() * 7919, skewed));
            }
        });
        long[] requests = pod.record(folder, warmupMillis, slices, sliceMillis, profilerArgs);
        pod.report(folder, variant + " seed " + seed, rate, requests, sliceMillis, gateway.sink);
    }

    /** A message: its raw header text, a body size and an amount in cents. */
    record Message(String headers, int size, long cents) {
    }

    /** The traffic: a steady mix of message shapes, or (warm-up skew) only the shape and rule kinds the seed picks. */
    static final class Traffic {
        private static final String[] REGIONS = {"eu-west", "us-east", "ap-south", "eu-central", "sa-east"};
        private static final String[] KINDS = {"order", "refund", "invoice", "alert", "ping", "batch"};
        private final int skewShape;

        Traffic(long seed) {
            this.skewShape = new Random(seed).nextInt(4);
        }

        Message message(long n, boolean skewed) {
            long h = n * 0x9E3779B97F4A7C15L;
            int shape = skewed ? skewShape : (int) Long.remainderUnsigned(h >>> 7, 4);
            int region = (int) Long.remainderUnsigned(h >>> 17, REGIONS.length);
            int kind = (int) Long.remainderUnsigned(h >>> 23, KINDS.length);
            StringBuilder headers = new StringBuilder(160);
            headers.append("kind=").append(KINDS[kind]).append(";region=").append(REGIONS[region])
                    .append(";tenant=t").append(Long.remainderUnsigned(h >>> 31, 400))
                    .append(";priority=").append(Long.remainderUnsigned(h >>> 41, 5));
            if (shape >= 1) {
                headers.append(";trace=").append(Long.toHexString(h)).append(";hops=").append(shape * 2);
            }
            if (shape >= 2) {
                headers.append(";currency=").append(shape == 2 ? "EUR" : "USD").append(";channel=c")
                        .append(Long.remainderUnsigned(h >>> 11, 12));
            }
            if (shape == 3) {
                headers.append(";tags=a,b,c").append(Long.remainderUnsigned(h >>> 3, 9)).append(";retry=0");
            }
            return new Message(headers.toString(), 200 + (int) Long.remainderUnsigned(h >>> 29, 4000),
                    1_000 + Long.remainderUnsigned(h >>> 37, 900_000));
        }
    }

    static final class Gateway {
        private final Router router = new Router();
        private final Enricher enricher;
        private final Fees fees;
        private final Stats stats = new Stats();
        private final Receipt receipt = new Receipt();
        private final Throttle throttle;
        private final boolean retarget;
        private final boolean spin;
        private volatile LongUnaryOperator rounding = Spinner.ROUND_DIRECT;
        volatile long sink;

        Gateway(String variant) {
            this.enricher = new Enricher(variant.equals("lookups") ? 2 : 1);
            this.fees = new Fees(variant.equals("slow") ? 1.3 : 1.0);
            this.throttle = variant.equals("newpath") ? new Throttle() : null;
            this.retarget = variant.equals("deopt");
            this.spin = variant.equals("classes");
        }

        /** Once per request, before its messages. */
        void begin(long n) {
            if (retarget) {
                FeeHook.retarget(n);
            }
            if (spin) {
                rounding = Spinner.spin();
            }
        }

        void handle(Message message) {
            Map<String, String> headers = Headers.parse(message.headers());
            List<String> tags = enricher.tag(headers);
            int route = router.route(headers, message);
            BigDecimal fee = fees.quote(message, headers);
            if (retarget) {
                fee = FeeHook.apply(fee);
            }
            if (spin) {
                LongUnaryOperator round = rounding;
                for (int i = 0; i < 10; i++) {
                    sink += round.applyAsLong(message.cents() + i);
                }
            }
            long admitted = throttle == null ? 0 : throttle.admit(headers, message);
            int busiest = stats.record(route, message.size());
            String text = receipt.render(route, fee, tags, message);
            sink += route + busiest + text.length() + admitted + tags.size();
        }
    }

    /** {@code key=value;...} into a HashMap. */
    static final class Headers {
        private Headers() {
        }

        static Map<String, String> parse(String raw) {
            Map<String, String> out = new HashMap<>();
            int from = 0;
            while (from < raw.length()) {
                int end = raw.indexOf(';', from);
                if (end < 0) {
                    end = raw.length();
                }
                int eq = raw.indexOf('=', from);
                out.put(raw.substring(from, eq), raw.substring(eq + 1, end));
                from = end + 1;
            }
            return out;
        }
    }

    /** Derived tags from the headers: a lookup per attribute (twice in the {@code lookups} variant). */
    static final class Enricher {
        private static final String[] ATTRIBUTES = {"kind", "region", "tenant", "priority", "trace", "hops",
                "currency", "channel", "tags", "retry", "locale", "user", "session", "origin", "ttl", "version"};
        private final int passes;

        Enricher(int passes) {
            this.passes = passes;
        }

        List<String> tag(Map<String, String> headers) {
            List<String> tags = new ArrayList<>(8);
            long seen = 0;
            for (int pass = 0; pass < passes; pass++) {
                for (int round = 0; round < 6; round++) {
                    for (String attribute : ATTRIBUTES) {
                        String value = headers.get(attribute);
                        if (value != null) {
                            seen += value.length() + round;
                        }
                        seen += headers.containsKey(attribute + round % 2) ? 1 : 0;
                    }
                }
            }
            Optional.ofNullable(headers.get("region")).map(r -> r.substring(0, 2)).ifPresent(tags::add);
            Optional.ofNullable(headers.get("tags")).map(t -> t.split(",").length).map(Object::toString)
                    .ifPresent(tags::add);
            if (seen % 7 == 0) {
                tags.add("s");
            }
            return tags;
        }
    }

    /** A routing rule; five kinds behind one call site. */
    interface Rule {
        boolean matches(Map<String, String> headers, Message message);
    }

    record PrefixRule(String key, String prefix) implements Rule {
        public boolean matches(Map<String, String> headers, Message message) {
            String v = headers.get(key);
            return v != null && v.startsWith(prefix);
        }
    }

    record RegexRule(String key, Pattern pattern) implements Rule {
        public boolean matches(Map<String, String> headers, Message message) {
            String v = headers.get(key);
            if (v == null) {
                return false;
            }
            Matcher m = pattern.matcher(v);
            return m.find();
        }
    }

    record RangeRule(int low, int high) implements Rule {
        public boolean matches(Map<String, String> headers, Message message) {
            return message.size() >= low && message.size() < high;
        }
    }

    record AmountRule(BigDecimal above) implements Rule {
        public boolean matches(Map<String, String> headers, Message message) {
            return BigDecimal.valueOf(message.cents(), 2).compareTo(above) > 0;
        }
    }

    record AnyOfRule(String key, List<String> values) implements Rule {
        public boolean matches(Map<String, String> headers, Message message) {
            String v = headers.get(key);
            return v != null && values.stream().anyMatch(v::equals);
        }
    }

    /** 24 rules tried in order for each of 4 passes (fallbacks); the first match per pass routes. */
    static final class Router {
        private final Rule[] rules;

        Router() {
            List<Rule> list = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                list.add(new PrefixRule(i % 2 == 0 ? "region" : "kind", new String[] {"eu", "us", "ap", "re", "in"}[i]));
                list.add(new RegexRule(i % 2 == 0 ? "tenant" : "trace", Pattern.compile("[0-9a-f]{" + (3 + i) + "}7")));
                list.add(new RangeRule(400 * i, 400 * i + 350));
                list.add(new AmountRule(BigDecimal.valueOf(1_000 + 1_500L * i)));
                if (i < 4) {
                    list.add(new AnyOfRule(i % 2 == 0 ? "channel" : "priority", List.of("c" + i, "" + i, "c1" + i)));
                }
            }
            rules = list.toArray(new Rule[0]);
        }

        int route(Map<String, String> headers, Message message) {
            int route = 0;
            for (int pass = 0; pass < 4; pass++) {
                for (int i = (pass * 5) % rules.length; i < rules.length; i++) {
                    if (rules[i].matches(headers, message)) {
                        route = route * 31 + i;
                        break;
                    }
                }
            }
            return route & 0xff;
        }
    }

    /** A fee: {@code BigDecimal} percentages, a tiered surcharge and rounding steps (about 5 % of CPU). */
    static final class Fees {
        private static final BigDecimal RATE = new BigDecimal("0.0175");
        private static final BigDecimal TIER = new BigDecimal("0.9985");
        private final int steps;

        Fees(double factor) {
            this.steps = (int) Math.round(10 * factor);
        }

        BigDecimal quote(Message message, Map<String, String> headers) {
            BigDecimal amount = BigDecimal.valueOf(message.cents(), 2);
            BigDecimal fee = amount.multiply(RATE);
            for (int s = 0; s < steps; s++) {
                fee = fee.multiply(TIER).add(BigDecimal.valueOf(s, 3)).setScale(6, RoundingMode.HALF_EVEN);
            }
            if ("USD".equals(headers.get("currency"))) {
                fee = fee.multiply(new BigDecimal("1.0843")).setScale(4, RoundingMode.HALF_UP);
            }
            return fee.setScale(2, RoundingMode.HALF_UP);
        }
    }

    /** Boxed per-route counts and sizes, read back through a stream for the busiest route. */
    static final class Stats {
        private final Map<Integer, Long> bytes = new HashMap<>();
        private final Map<Integer, Integer> counts = new HashMap<>();

        synchronized int record(int route, int size) {
            bytes.merge(route, (long) size, Long::sum);
            counts.merge(route, 1, Integer::sum);
            OptionalInt busiest = counts.entrySet().stream().filter(e -> e.getValue() > 3)
                    .mapToInt(Map.Entry::getKey).limit(8).max();
            return busiest.orElse(-1) + (int) (bytes.getOrDefault(route, 0L) & 0xf);
        }
    }

    /** The receipt: a StringBuilder line, and one in eight through String.format. */
    static final class Receipt {
        String render(int route, BigDecimal fee, List<String> tags, Message message) {
            StringBuilder out = new StringBuilder(96);
            out.append("route ").append(route).append(" fee ").append(fee.toPlainString()).append(" tags ")
                    .append(tags.stream().collect(Collectors.joining(",")));
            if ((message.cents() & 7) == 0) {
                out.append(String.format(Locale.ROOT, " %08.2f %5d", fee.doubleValue(), message.size()));
            }
            return out.toString();
        }
    }

    /** The new hot path: a token bucket per tenant with a small hash over the tenant and trace. */
    static final class Throttle {
        private final Map<String, long[]> buckets = new HashMap<>();

        synchronized long admit(Map<String, String> headers, Message message) {
            String tenant = headers.getOrDefault("tenant", "-");
            long[] bucket = buckets.computeIfAbsent(tenant, t -> new long[2]);
            long h = bucket[1];
            for (int i = 0; i < 220; i++) {
                h = (h ^ (message.cents() + i)) * 0x100000001B3L;
            }
            bucket[1] = h;
            bucket[0]++;
            return h & 1;
        }
    }

    /**
     * qa70 {@code deopt}: a fee hook behind a {@link MutableCallSite}. C2 inlines the call site's current target into
     * the compiled code that calls {@link #apply} and records a dependency on it; {@link #retarget} per request breaks
     * that dependency, so HotSpot makes that code not entrant (deoptimising the frames running it) and compiles it again.
     */
    static final class FeeHook {
        private static final MethodHandle TAG;
        private static final MutableCallSite SITE =
                new MutableCallSite(MethodType.methodType(BigDecimal.class, BigDecimal.class));
        private static final MethodHandle INVOKER = SITE.dynamicInvoker();

        static {
            try {
                TAG = MethodHandles.lookup().findStatic(FeeHook.class, "tag",
                        MethodType.methodType(BigDecimal.class, BigDecimal.class, long.class));
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
            SITE.setTarget(MethodHandles.insertArguments(TAG, 1, 0L));
        }

        private FeeHook() {
        }

        static void retarget(long version) {
            SITE.setTarget(MethodHandles.insertArguments(TAG, 1, version));
        }

        static BigDecimal apply(BigDecimal fee) {
            try {
                return (BigDecimal) INVOKER.invokeExact(fee);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        static BigDecimal tag(BigDecimal fee, long version) {
            return (version & 1023) == 1023 ? fee.stripTrailingZeros() : fee;
        }
    }

    /**
     * qa70 {@code classes}: a new hidden class per request. Each {@code LambdaMetafactory.metafactory} call spins and
     * defines a class of its own (only an {@code invokedynamic} call site would cache it), whose method the JIT then
     * compiles once it is called often enough in that request.
     */
    static final class Spinner {
        static final LongUnaryOperator ROUND_DIRECT = Spinner::round;
        private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
        private static final MethodType SHAPE = MethodType.methodType(long.class, long.class);
        private static final MethodHandle ROUND;

        static {
            try {
                ROUND = LOOKUP.findStatic(Spinner.class, "round", SHAPE);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private Spinner() {
        }

        static LongUnaryOperator spin() {
            try {
                CallSite site = LambdaMetafactory.metafactory(LOOKUP, "applyAsLong",
                        MethodType.methodType(LongUnaryOperator.class), SHAPE, ROUND, SHAPE);
                return (LongUnaryOperator) site.getTarget().invokeExact();
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        static long round(long cents) {
            long r = cents;
            for (int i = 0; i < 4; i++) {
                r = (r * 31 + 50) / 100 * 100 + (r & 7);
            }
            return r;
        }
    }
}
