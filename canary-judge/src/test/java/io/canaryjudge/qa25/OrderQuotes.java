package io.canaryjudge.qa25;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The order model and request bodies shared by the reactive ({@link ReactiveOrders}) and the virtual-thread
 * ({@link VirtualOrders}) services: an order of line items is quoted (priced, reserved, taxed) and answered as JSON.
 */
public final class OrderQuotes {
    private OrderQuotes() {
    }

    /** What a canary changes; the same code runs in every pod and the variant is picked at start. */
    public enum Variant {
        /** The baseline build. */
        A(1.0, false, false),
        /** The pricing step costs 50 % more. */
        CPU50(1.5, false, false),
        /** The pricing step costs twice as much. */
        CPU100(2.0, false, false),
        /** A new fraud check inside the reservation step. */
        NEWPATH(1.0, true, false),
        /** The pricing step allocates a scratch buffer per line, at about the same CPU. */
        ALLOC(1.0, false, true);

        final double priceFactor;
        final boolean fraudCheck;
        final boolean scratch;

        Variant(double priceFactor, boolean fraudCheck, boolean scratch) {
            this.priceFactor = priceFactor;
            this.fraudCheck = fraudCheck;
            this.scratch = scratch;
        }
    }

    public static final class Order {
        public String orderId;
        public String customerId;
        public String currency;
        public List<Item> items = new ArrayList<>();
    }

    public static final class Item {
        public String sku;
        public int quantity;
        public long unitPriceCents;
    }

    public static final class Line {
        public String sku;
        public long cents;
        public long taxCents;
        public boolean reserved;
        public int risk;

        public Line() {
        }

        Line(String sku, long cents) {
            this.sku = sku;
            this.cents = cents;
        }
    }

    public static final class Quote {
        public String orderId;
        public List<Line> lines;
        public long totalCents;

        public Quote() {
        }

        Quote(String orderId, List<Line> lines) {
            this.orderId = orderId;
            this.lines = lines;
            this.totalCents = lines.stream().mapToLong(l -> l.cents + l.taxCents).sum();
        }
    }

    static List<byte[]> requestBodies(ObjectMapper mapper, int count) throws Exception {
        Random random = new Random(42);
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Order order = new Order();
            order.orderId = "order-" + random.nextInt(1_000_000);
            order.customerId = "customer-" + random.nextInt(5000);
            order.currency = random.nextBoolean() ? "EUR" : "USD";
            int lines = 8 + random.nextInt(8);
            for (int l = 0; l < lines; l++) {
                Item item = new Item();
                item.sku = "sku-" + random.nextInt(10_000);
                item.quantity = 1 + random.nextInt(5);
                item.unitPriceCents = 100 + random.nextInt(20_000);
                order.items.add(item);
            }
            bodies.add(mapper.writeValueAsBytes(order));
        }
        return bodies;
    }
}
