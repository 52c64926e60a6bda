package io.canaryjudge.qa36;

import io.canaryjudge.scenario.OpenLoopPod;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One pod of a small order service whose canaries change one application method, {@code OrderService.price}, in ways
 * whose cost lands mostly in the JVM around it rather than in the method's own frames. Every request prices an order
 * ({@code OrderService.price}) and then checks stock ({@code InventoryService.check}, 60 %) or renders a receipt
 * ({@code ReceiptService.render}, 40 %). Priced orders stay in a ring of the last 2,048 (a "recent orders" cache, so
 * what price builds lives about a second at 2,000 requests/s and survives young collections). Variants ({@code variant=}):
 * <ul>
 *   <li>{@code base} — price keeps its lines in a {@code long[]};</li>
 *   <li>{@code garbage} — price builds each line as a map of boxed values and a formatted label (4–5× the bytes,
 *       kept in the ring as before): the extra CPU is G1's copying and the allocation slow paths;</li>
 *   <li>{@code exception} — price parses an optional coupon by catching {@link NumberFormatException} when there is
 *       none (every request), from a call 40 frames deep ({@code Throwable.fillInStackTrace} walks them);</li>
 *   <li>{@code classload} — one request in 25 loads a pricing rule's class through a fresh class loader (a plug-in
 *       refreshed per request) and calls it at price's hot call site: class parsing, a megamorphic call site,
 *       deoptimisation and recompilation, class unloading in the collector;</li>
 *   <li>{@code lock} — price takes one global monitor around its tax lookup: four workers contend, the monitor
 *       inflates and the JVM spins before parking.</li>
 * </ul>
 * Records {@code slices} JFR files of {@code sliceMillis} each after {@code warmupMillis} (async-profiler,
 * {@code profiler=} arguments, CPU and allocation in one session) and {@code requests.csv}. Run with
 * {@code -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints}; {@code bench/qa36-indirect.sh} starts the pods.
 */
public final class IndirectCostPod {
    private IndirectCostPod() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> map = OpenLoopPod.arguments(args);
        Path folder = Files.createDirectories(Path.of(map.get("output")));
        double rate = Double.parseDouble(map.getOrDefault("rate", "2000"));
        int slices = Integer.parseInt(map.getOrDefault("slices", "4"));
        long sliceMillis = Long.parseLong(map.getOrDefault("sliceMillis", "12000"));
        long warmupMillis = Long.parseLong(map.getOrDefault("warmupMillis", "15000"));
        String variant = map.getOrDefault("variant", "base");
        int workers = Integer.parseInt(map.getOrDefault("workers", "4"));
        String profilerArgs = map.getOrDefault("profiler", "event=itimer,interval=500us,alloc=512k");

        Router router = new Router(new OrderService(variant), new InventoryService(), new ReceiptService());
        // Arrivals come in bursts of a few every 2 ms, as a load balancer's batches do: workers overlap.
        OpenLoopPod pod = OpenLoopPod.start(workers, rate, 2_000_000L,
                n -> router.dispatch(Order.of(n * 31 + Thread.currentThread().getId())));
        long[] requests = pod.record(folder, warmupMillis, slices, sliceMillis, profilerArgs);
        pod.report(folder, variant, rate, requests, sliceMillis, router.sink);
    }

    /** An order: a customer, 24–55 lines of (sku, quantity, cents), a region and an optional coupon. */
    record Order(int customer, int[] skus, int[] quantities, int[] cents, int region, String coupon) {
        static Order of(long n) {
            long h = n * 0x9E3779B97F4A7C15L;
            int customer = (int) Long.remainderUnsigned(h >>> 17, 20_000);
            int lines = 24 + (int) Long.remainderUnsigned(h >>> 7, 32);
            int[] skus = new int[lines];
            int[] quantities = new int[lines];
            int[] cents = new int[lines];
            for (int i = 0; i < lines; i++) {
                skus[i] = (customer * 31 + i * 977) % 5000;
                quantities[i] = 1 + (customer + i) % 4;
                cents[i] = 99 + (skus[i] * 13) % 9900;
            }
            // Nearly every order has no coupon: the coupon field is empty, as forms send it.
            String coupon = Long.remainderUnsigned(h >>> 29, 50) == 0 ? Integer.toString(customer % 20) : "";
            return new Order(customer, skus, quantities, cents, customer % 4, coupon);
        }
    }

    /** Prices the order, then checks stock (60 %) or renders a receipt (40 %). */
    static final class Router {
        private final OrderService orders;
        private final InventoryService inventory;
        private final ReceiptService receipts;
        volatile long sink;

        Router(OrderService orders, InventoryService inventory, ReceiptService receipts) {
            this.orders = orders;
            this.inventory = inventory;
            this.receipts = receipts;
        }

        void dispatch(Order order) {
            long total = orders.price(order);
            long result = (order.customer() % 5) < 3 ? inventory.check(order) : receipts.render(order, total);
            sink += total + result;
        }
    }

    /** A pricing rule; the canary classload refreshes one per request from a fresh class loader. */
    public interface PricingRule {
        long apply(int sku, int quantity, long cents);
    }

    /** The rule the base applies. */
    public static final class VolumeRule implements PricingRule {
        @Override
        public long apply(int sku, int quantity, long cents) {
            return quantity >= 3 ? cents * quantity * 95 / 100 : cents * quantity;
        }
    }

    /** A second rule the plug-in loader reloads (its bytes read once, defined anew per load). */
    public static final class SeasonalRule implements PricingRule {
        @Override
        public long apply(int sku, int quantity, long cents) {
            return (sku % 7 == 0 ? cents * 90 / 100 : cents) * quantity;
        }
    }

    /** A priced line (base): 32 bytes where the garbage variant builds a map of boxed values and a label. */
    record Line(int sku, int quantity, long amount) {
    }

    /** Priced orders: what price builds, kept for about a second (the last 2,048 orders). */
    record PricedOrder(int customer, long total, Object lines) {
    }

    static final class OrderService {
        private static final int RING = 2048;
        private final String variant;
        private final PricedOrder[] recent = new PricedOrder[RING];
        private final long[] taxBasisPoints = {1900, 2000, 700, 2100};
        private final PricingRule rule = new VolumeRule();
        private final Object taxLock = new Object();
        private final byte[] seasonalBytes;
        private long next;

        OrderService(String variant) {
            this.variant = variant;
            this.seasonalBytes = classBytes(SeasonalRule.class);
        }

        long price(Order order) {
            long subtotal;
            Object lines;
            if (variant.equals("garbage")) {
                List<Map<String, Object>> built = new ArrayList<>(order.skus().length);
                subtotal = 0;
                for (int i = 0; i < order.skus().length; i++) {
                    long amount = rule.apply(order.skus()[i], order.quantities()[i], order.cents()[i]);
                    Map<String, Object> line = new HashMap<>(8);
                    line.put("sku", order.skus()[i]);
                    line.put("quantity", order.quantities()[i]);
                    line.put("amount", amount);
                    line.put("label", "sku-" + order.skus()[i] + "x" + order.quantities()[i]);
                    built.add(line);
                    subtotal += amount;
                }
                lines = built;
            } else {
                PricingRule lineRule = rule;
                if (variant.equals("classload") && order.customer() % 25 == 0) {
                    lineRule = loadFreshRule();
                }
                Line[] built = new Line[order.skus().length];
                subtotal = 0;
                for (int i = 0; i < built.length; i++) {
                    long amount = lineRule.apply(order.skus()[i], order.quantities()[i], order.cents()[i]);
                    built[i] = new Line(order.skus()[i], order.quantities()[i], amount);
                    subtotal += amount;
                }
                lines = built;
            }
            long discount = variant.equals("exception") ? couponDepth(order.coupon(), 40) : coupon(order.coupon());
            long tax;
            if (variant.equals("lock")) {
                synchronized (taxLock) {
                    tax = taxFor(order, subtotal);
                }
            } else {
                tax = taxFor(order, subtotal);
            }
            long total = subtotal - discount + tax;
            synchronized (recent) {
                recent[(int) (next++ % RING)] = new PricedOrder(order.customer(), total, lines);
            }
            return total;
        }

        private long taxFor(Order order, long subtotal) {
            long tax = 0;
            // A per-line rounding rule tried at 8 rates (a few µs per order), the part the lock variant serialises.
            for (int rate = 0; rate < 8; rate++) {
                long basis = taxBasisPoints[order.region()] + rate;
                for (int i = 0; i < order.skus().length; i++) {
                    tax += (order.cents()[i] * (long) order.quantities()[i] * basis + 5000) / 10000 % 7;
                }
            }
            return Math.max(tax, subtotal * taxBasisPoints[order.region()] / 10000 - order.skus().length);
        }

        /** Base: an empty coupon is no discount, checked before parsing. */
        private static long coupon(String coupon) {
            return coupon.isEmpty() ? 0 : Integer.parseInt(coupon) * 100L;
        }

        /** Variant exception: parses whatever came and treats the exception as "no coupon", from deep in a stack. */
        private static long couponDepth(String coupon, int depth) {
            if (depth > 0) {
                return couponDepth(coupon, depth - 1) + (depth & 1) - (depth & 1);
            }
            try {
                return Integer.parseInt(coupon) * 100L;
            } catch (NumberFormatException none) {
                return 0;
            }
        }

        private PricingRule loadFreshRule() {
            try {
                Class<?> type = new RuleLoader(seasonalBytes).loadClass(SeasonalRule.class.getName());
                return (PricingRule) type.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        private static byte[] classBytes(Class<?> type) {
            String resource = type.getName().replace('.', '/') + ".class";
            try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Defines SeasonalRule anew (child-first for that one class), as a plug-in loader refreshed per call would. */
    static final class RuleLoader extends ClassLoader {
        private final byte[] bytes;

        RuleLoader(byte[] bytes) {
            super(IndirectCostPod.class.getClassLoader());
            this.bytes = bytes;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.equals(SeasonalRule.class.getName())) {
                synchronized (getClassLoadingLock(name)) {
                    Class<?> loaded = findLoadedClass(name);
                    return loaded != null ? loaded : defineClass(name, bytes, 0, bytes.length);
                }
            }
            return super.loadClass(name, resolve);
        }
    }

    /** Looks up stock in a sorted table: binary searches per line. */
    static final class InventoryService {
        private final int[] stockSkus = new int[5000];
        private final int[] stock = new int[5000];

        InventoryService() {
            for (int i = 0; i < stockSkus.length; i++) {
                stockSkus[i] = i;
                stock[i] = (i * 7919) % 50;
            }
        }

        long check(Order order) {
            long missing = 0;
            for (int round = 0; round < 200; round++) {
                for (int i = 0; i < order.skus().length; i++) {
                    int at = Arrays.binarySearch(stockSkus, (order.skus()[i] + round * 37) % 5000);
                    missing += stock[at] < order.quantities()[i] ? 1 : 0;
                }
            }
            return missing;
        }
    }

    /** Renders a plain-text receipt with a StringBuilder. */
    static final class ReceiptService {
        long render(Order order, long total) {
            StringBuilder receipt = new StringBuilder(1024);
            for (int i = 0; i < order.skus().length; i++) {
                receipt.append(i).append("  sku-").append(order.skus()[i]).append("  x").append(order.quantities()[i])
                        .append("  ").append(order.cents()[i] / 100).append('.').append(order.cents()[i] % 100)
                        .append('\n');
            }
            receipt.append("total ").append(total / 100).append('.').append(total % 100);
            return receipt.toString().hashCode();
        }
    }
}
