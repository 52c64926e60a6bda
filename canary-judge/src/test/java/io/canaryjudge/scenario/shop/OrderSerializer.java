package io.canaryjudge.scenario.shop;

import java.util.List;

/** Writes the response body, a JSON document, by hand with a {@code StringBuilder}. */
public final class OrderSerializer {
    private final int bufferChars;

    /**
     * @param bufferChars initial capacity of the builder, characters; the allocation-regression
     *                    scenario oversizes it (one large, short-lived array per request)
     */
    public OrderSerializer(int bufferChars) {
        this.bufferChars = bufferChars;
    }

    /** The response body for a priced order. */
    public String toJson(Order order, List<Product> products, Quote quote) {
        StringBuilder json = new StringBuilder(bufferChars);
        json.append("{\"customer\":");
        appendString(json, order.customerId());
        json.append(",\"email\":");
        appendString(json, order.email());
        json.append(",\"country\":");
        appendString(json, order.country());
        json.append(",\"lines\":[");
        for (int i = 0; i < products.size(); i++) {
            Product product = products.get(i);
            if (i > 0) {
                json.append(',');
            }
            json.append("{\"sku\":");
            appendString(json, product.sku());
            json.append(",\"name\":");
            appendString(json, product.name());
            json.append(",\"quantity\":").append(order.lines().get(i).quantity());
            json.append(",\"unitPrice\":");
            appendCents(json, product.priceCents());
            json.append(",\"price\":");
            appendCents(json, quote.lineCents()[i]);
            json.append('}');
        }
        json.append("],\"subtotal\":");
        appendCents(json, quote.subtotalCents());
        json.append(",\"discount\":");
        appendCents(json, quote.discountCents());
        json.append(",\"tax\":");
        appendCents(json, quote.taxCents());
        json.append(",\"total\":");
        appendCents(json, quote.totalCents());
        json.append('}');
        return json.toString();
    }

    /** An error body for a rejected request. */
    public String error(String reason) {
        StringBuilder json = new StringBuilder(64).append("{\"error\":");
        appendString(json, reason);
        return json.append('}').toString();
    }

    private static void appendString(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }

    private static void appendCents(StringBuilder json, long cents) {
        json.append(cents / 100).append('.');
        long fraction = cents % 100;
        if (fraction < 10) {
            json.append('0');
        }
        json.append(fraction);
    }
}
