package io.canaryjudge.memory.app;

/** Renders an order as JSON the slow way (a growing builder): tens of KB of garbage per request. */
final class OrderSerializer {
    private OrderSerializer() {
    }

    static String toJson(Order order) {
        StringBuilder json = new StringBuilder(64);
        json.append("{\"id\":").append(order.id()).append(",\"customer\":\"").append(order.customer())
                .append("\",\"product\":{\"id\":").append(order.product().id()).append(",\"name\":\"")
                .append(order.product().name()).append("\",\"description\":\"").append(order.product().description())
                .append("\"},\"lines\":[");
        for (int i = 0; i < order.quantities().length; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append("{\"quantity\":").append(order.quantities()[i]).append(",\"price\":").append(order.prices()[i])
                    .append(",\"note\":\"");
            for (int k = 0; k < 40; k++) {
                json.append("line ").append(i).append(" of order ").append(order.id()).append("; ");
            }
            json.append("\"}");
        }
        return json.append("],\"total\":").append(order.total()).append('}').toString();
    }
}
