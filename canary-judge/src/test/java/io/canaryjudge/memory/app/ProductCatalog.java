package io.canaryjudge.memory.app;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Products behind a bounded LRU cache shared by the pod: a miss builds the product (~2 KB). Keys
 * are uniform over {@link #PRODUCTS}, so a new JVM's cache fills as 1 − exp(−t/τ) with
 * τ = PRODUCTS / request rate = 8 minutes at 25 requests per second: about 24 MiB that a young pod
 * gains in its first half hour and an old pod keeps flat — the warm-up a young canary shows.
 */
final class ProductCatalog {
    static final int PRODUCTS = 12_000;

    private static final Map<Integer, Product> CACHE = Collections.synchronizedMap(
            new LinkedHashMap<>(PRODUCTS * 2, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Integer, Product> eldest) {
                    return size() > PRODUCTS;
                }
            });

    private ProductCatalog() {
    }

    static Product product(int id) {
        Product product = CACHE.get(id);
        if (product == null) {
            product = load(id);
            CACHE.put(id, product);
        }
        return product;
    }

    private static Product load(int id) {
        StringBuilder description = new StringBuilder(1400);
        while (description.length() < 1300) {
            description.append("Article ").append(id).append(" is sturdy, light and ships in ").append(id % 7 + 1)
                    .append(" days. ");
        }
        long[] history = new long[48];
        for (int i = 0; i < history.length; i++) {
            history[i] = 1000L + (id * 31L + i * 17L) % 5000;
        }
        return new Product(id, "Article " + id, description.toString(), history);
    }
}
