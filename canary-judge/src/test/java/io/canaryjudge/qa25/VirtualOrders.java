package io.canaryjudge.qa25;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.canaryjudge.qa25.OrderQuotes.Item;
import io.canaryjudge.qa25.OrderQuotes.Line;
import io.canaryjudge.qa25.OrderQuotes.Order;
import io.canaryjudge.qa25.OrderQuotes.Quote;
import io.canaryjudge.qa25.OrderQuotes.Variant;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The quote handler of a thread-per-request service on virtual threads (JDK 21+): each request runs on its own
 * virtual thread, prices its lines in a loop ({@link #price}) and reserves them concurrently, one more virtual thread
 * per line ({@link #reserve}). Built for Java 17, so virtual threads are made by reflection.
 */
final class VirtualOrders {
    private final ObjectMapper mapper = new ObjectMapper();
    private final Variant variant;
    private final int priceRounds;
    private final ExecutorService lines = newVirtualThreadPerTaskExecutor();
    private volatile byte[] lastScratch;

    VirtualOrders(Variant variant) {
        this.variant = variant;
        this.priceRounds = (int) (ReactiveOrders.PRICE_ROUNDS * variant.priceFactor);
    }

    ObjectMapper mapper() {
        return mapper;
    }

    static ExecutorService newVirtualThreadPerTaskExecutor() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("virtual threads need JDK 21 or later", e);
        }
    }

    byte[] quote(byte[] body) throws Exception {
        Order order = mapper.readValue(body, Order.class);
        List<Line> priced = new ArrayList<>();
        for (Item item : order.items) {
            priced.add(price(item));
        }
        List<Future<Line>> reserved = new ArrayList<>();
        for (Line line : priced) {
            reserved.add(lines.submit(() -> reserve(line)));
        }
        List<Line> quoted = new ArrayList<>();
        for (Future<Line> line : reserved) {
            quoted.add(ReactiveOrders.tax(line.get()));
        }
        return mapper.writeValueAsBytes(new Quote(order.orderId, quoted));
    }

    private Line price(Item item) {
        long h = item.sku.hashCode() * 31L + item.quantity;
        for (int r = 0; r < priceRounds; r++) {
            h = h * 6364136223846793005L + 1442695040888963407L;
            h ^= h >>> 29;
        }
        if (variant.scratch) {
            byte[] scratch = new byte[4096];
            scratch[(int) (h & 4095)] = (byte) h;
            lastScratch = scratch;
        }
        long discount = (h & 7) == 0 ? item.unitPriceCents / 20 : 0;
        return new Line(item.sku, item.unitPriceCents * item.quantity - discount);
    }

    private Line reserve(Line line) {
        long h = line.sku.hashCode();
        for (int r = 0; r < 600; r++) {
            h = h * 2862933555777941757L + 3037000493L;
        }
        line.reserved = (h & 15) != 0;
        if (variant.fraudCheck) {
            line.risk = ReactiveOrders.fraudScore(line);
        }
        return line;
    }
}
