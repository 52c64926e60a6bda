package io.canaryjudge.scenario.shop;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Prices an order: the best of many discount rules per line, then tax. The rules live in
 * parallel primitive arrays so the rule loop's cost is the own (self) cost of
 * {@link #applyDiscounts}: the number of rules is the knob of the CPU-regression scenarios.
 */
public final class PriceCalculator {
    /** Rules the baseline evaluates per order line. */
    public static final int BASELINE_RULES = 80;

    private static final Map<String, Integer> TAX_BASIS_POINTS = Map.of(
            "DE", 1900, "FR", 2000, "NL", 2100, "AT", 2000, "IT", 2200,
            "ES", 2100, "PL", 2300, "SE", 2500, "DK", 2500, "BE", 2100);

    /**
     * Per-thread pricing context (currency, rounding mode, running totals), looked up the way code
     * reads a request-scoped bean: one {@code ThreadLocal} per concern. Several distinct instances,
     * each updated, so the JIT cannot fold repeated look-ups into one.
     */
    private static final List<ThreadLocal<long[]>> CONTEXT = java.util.stream.IntStream.range(0, 16)
            .mapToObj(i -> ThreadLocal.withInitial(() -> new long[2])).toList();

    private final int ruleCount;
    private final int contextLookups;
    private final int[] minQuantity;
    private final int[] categoryMask;
    private final int[] couponHash;
    private final int[] basisPoints;
    private final long[] minUnitCents;
    private final long[] capCents;

    /**
     * @param ruleFactor rules evaluated per line relative to {@link #BASELINE_RULES}; the extra
     *                   rules are drawn from the same distribution, so each costs the same
     */
    public PriceCalculator(double ruleFactor) {
        this(ruleFactor, 0);
    }

    /**
     * @param ruleFactor     as above
     * @param contextLookups per-thread context look-ups per order line in {@link #quote} (0 = none)
     */
    public PriceCalculator(double ruleFactor, int contextLookups) {
        this.contextLookups = contextLookups;
        ruleCount = Math.max(1, (int) Math.round(BASELINE_RULES * ruleFactor));
        minQuantity = new int[ruleCount];
        categoryMask = new int[ruleCount];
        couponHash = new int[ruleCount];
        basisPoints = new int[ruleCount];
        minUnitCents = new long[ruleCount];
        capCents = new long[ruleCount];
        SplittableRandom random = new SplittableRandom(42);
        String[] coupons = {"WELCOME10", "SPRING", "VIP2026", "FREESHIP"};
        for (int r = 0; r < ruleCount; r++) {
            minQuantity[r] = 1 + random.nextInt(4);
            categoryMask[r] = random.nextInt(1 << 16) | (1 << random.nextInt(16));
            couponHash[r] = random.nextInt(4) == 0 ? coupons[random.nextInt(coupons.length)].hashCode() : 0;
            basisPoints[r] = 50 + random.nextInt(1500);
            minUnitCents[r] = random.nextInt(20_000);
            capCents[r] = 500 + random.nextInt(10_000);
        }
    }

    /** Prices the order's lines; {@code products} are in line order. */
    public Quote quote(Order order, List<Product> products) {
        int couponHashValue = order.couponCode().isEmpty() ? 0 : order.couponCode().hashCode();
        long[] lineCents = new long[products.size()];
        long subtotal = 0;
        long discount = 0;
        for (int i = 0; i < lineCents.length; i++) {
            Product product = products.get(i);
            int quantity = order.lines().get(i).quantity();
            long gross = product.priceCents() * quantity;
            long lineDiscount = applyDiscounts(product.category(), quantity, product.priceCents(), gross,
                    couponHashValue);
            lineCents[i] = gross - lineDiscount;
            for (int k = 0; k < contextLookups; k++) {
                long[] context = CONTEXT.get(k & 15).get();
                context[0] += lineCents[i];
                context[1] ^= context[0] >>> k;
            }
            subtotal += gross;
            discount += lineDiscount;
        }
        long tax = computeTax(order.country(), subtotal - discount);
        return new Quote(subtotal, discount, tax, lineCents);
    }

    /** Sets the per-request part of the pricing context (called once per request when the context is used). */
    static void startRequest(String country) {
        long[] context = CONTEXT.get(0).get();
        context[1] = country.hashCode();
    }

    /** The best single discount any rule grants this line, cents. */
    long applyDiscounts(int category, int quantity, long unitCents, long grossCents, int couponHashValue) {
        long best = 0;
        int categoryBit = 1 << category;
        for (int r = 0; r < ruleCount; r++) {
            if (quantity < minQuantity[r] || (categoryMask[r] & categoryBit) == 0) {
                continue;
            }
            if (couponHash[r] != 0 && couponHash[r] != couponHashValue) {
                continue;
            }
            long candidate = grossCents * basisPoints[r] / 10_000;
            if (unitCents < minUnitCents[r]) {
                candidate = candidate / 2;
            }
            candidate = Math.min(candidate, capCents[r]);
            if (candidate > best) {
                best = candidate;
            }
        }
        return best;
    }

    /** Tax on the net amount, rounded half-even to the cent. */
    long computeTax(String country, long netCents) {
        int rate = TAX_BASIS_POINTS.getOrDefault(country, 2000);
        long scaled = netCents * rate;
        long tax = scaled / 10_000;
        long remainder = scaled % 10_000;
        if (remainder > 5_000 || (remainder == 5_000 && (tax & 1) == 1)) {
            tax++;
        }
        return tax;
    }
}
