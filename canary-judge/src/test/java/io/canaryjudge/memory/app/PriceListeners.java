package io.canaryjudge.memory.app;

import java.util.ArrayList;
import java.util.List;

/**
 * The injected leak of {@code leak-listeners}: each request subscribes a price listener that keeps
 * a copy of the order's prices and is never unsubscribed. About 245 bytes per request: 0.35 MiB per
 * minute at 25 requests per second.
 */
final class PriceListeners {
    private static final List<PriceListener> LISTENERS = new ArrayList<>();

    private PriceListeners() {
    }

    record PriceListener(long orderId, long[] watchedPrices) {
    }

    static void subscribe(Order order) {
        long[] watched = new long[24];
        System.arraycopy(order.prices(), 0, watched, 0, Math.min(watched.length, order.prices().length));
        synchronized (LISTENERS) {
            LISTENERS.add(new PriceListener(order.id(), watched));
        }
    }
}
