package io.canaryjudge.memory.app;

import java.util.SplittableRandom;

/** One priced order: a few lines, a customer, a total. Short-lived. */
record Order(long id, Product product, String customer, int[] quantities, long[] prices, long total) {
    static Order random(long id, Product product, SplittableRandom random) {
        int lines = 4 + random.nextInt(8);
        int[] quantities = new int[lines];
        long[] prices = new long[lines];
        long total = 0;
        for (int i = 0; i < lines; i++) {
            quantities[i] = 1 + random.nextInt(5);
            prices[i] = product.priceHistory()[random.nextInt(product.priceHistory().length)] * quantities[i];
            total += prices[i];
        }
        return new Order(id, product, "customer-" + random.nextInt(100_000), quantities, prices, total);
    }
}
