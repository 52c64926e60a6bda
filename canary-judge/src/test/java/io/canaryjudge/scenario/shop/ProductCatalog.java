package io.canaryjudge.scenario.shop;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Article look-up with a bounded LRU cache in front of a (simulated) slow store: a miss builds
 * the product the way a database row mapper would. Not thread-safe: one per worker.
 */
public final class ProductCatalog {
    /** Cached products; fewer than {@link OrderFeed#ARTICLES}, so rare articles miss. */
    static final int CACHE_CAPACITY = 2000;

    private final Map<String, Product> cache = new LinkedHashMap<>(CACHE_CAPACITY * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Product> eldest) {
            return size() > CACHE_CAPACITY;
        }
    };

    /** The product with this article number. */
    public Product lookup(String sku) {
        Product product = cache.get(sku);
        if (product == null) {
            product = load(sku);
            cache.put(sku, product);
        }
        return product;
    }

    private static Product load(String sku) {
        int number = Integer.parseInt(sku.substring(sku.indexOf('-') + 1));
        StringBuilder name = new StringBuilder(48).append("Article ").append(number).append(" (");
        name.append(switch (number % 4) {
            case 0 -> "garden";
            case 1 -> "kitchen";
            case 2 -> "office";
            default -> "outdoor";
        });
        name.append(')');
        long priceCents = 199 + (number * 7919L) % 50_000;
        return new Product(sku, name.toString(), number % 16, priceCents);
    }
}
