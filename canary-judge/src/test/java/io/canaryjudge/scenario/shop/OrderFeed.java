package io.canaryjudge.scenario.shop;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Produces the pod's incoming requests: random but realistic orders (1..8 lines, a skewed
 * article popularity, a few invalid e-mail addresses, some coupons). Deterministic per seed so
 * every pod sees the same kind of traffic.
 */
public final class OrderFeed {
    /** Number of distinct articles requests refer to. */
    public static final int ARTICLES = 3000;

    private static final String[] COUNTRIES = {"DE", "FR", "NL", "AT", "IT", "ES", "PL", "SE"};
    private static final String[] COUPONS = {"", "", "", "", "WELCOME10", "SPRING", "VIP2026", "FREESHIP"};
    private static final String[] NAMES = {"anna", "ben", "chris", "dora", "emil", "fatima", "georg", "hana"};

    private final SplittableRandom random;

    public OrderFeed(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The next request. */
    public Order next() {
        int customer = random.nextInt(1_000_000);
        String name = NAMES[random.nextInt(NAMES.length)];
        // About 2 % of requests carry an address the validator rejects.
        String email = random.nextInt(50) == 0
                ? name + customer + "@@example"
                : name + "." + customer + "@shop-customers.example.com";
        int lineCount = 1 + random.nextInt(8);
        List<Order.OrderLine> lines = new ArrayList<>(lineCount);
        for (int i = 0; i < lineCount; i++) {
            // Squaring a uniform variate makes low article numbers popular, as in real shops.
            double u = random.nextDouble();
            int article = (int) (u * u * ARTICLES);
            lines.add(new Order.OrderLine(sku(article), 1 + random.nextInt(6)));
        }
        return new Order("C" + customer, email, COUNTRIES[random.nextInt(COUNTRIES.length)],
                COUPONS[random.nextInt(COUPONS.length)], lines);
    }

    /** Article number as {@code SKU-} and six zero-padded digits. */
    static String sku(int article) {
        String digits = Integer.toString(article);
        return "SKU-" + "000000".substring(digits.length()) + digits;
    }
}
