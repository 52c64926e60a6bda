package io.canaryjudge.scenario.shop;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The "new feature" of the new-hot-path scenarios: an audit record of every priced order,
 * serialised and checksummed, kept in a bounded in-memory ring. Absent from the baseline build.
 * Written by hand ({@code new-hot-path}) or as JSON with Jackson ({@code audit-jackson}, the case
 * where most of the new cost lands in a library under one application method).
 */
public final class AuditTrail {
    private static final int RING = 256;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final String[] ring = new String[RING];
    /** With Jackson, every this many orders are audited (a sampled audit trail). */
    static final int JACKSON_EVERY = 4;
    private final boolean jackson;
    private int next;
    private int calls;

    /** @param jackson write the record with Jackson (every {@value #JACKSON_EVERY}th order) instead of by hand (every order) */
    public AuditTrail(boolean jackson) {
        this.jackson = jackson;
    }

    /** Serialises a snapshot of the order and remembers it; returns its checksum. */
    public long serializeSnapshot(Order order, List<Product> products, Quote quote, long fingerprint) {
        if (jackson) {
            return ++calls % JACKSON_EVERY != 0 ? 0 : remember(writeWithJackson(order, products, quote, fingerprint), 1);
        }
        StringBuilder snapshot = new StringBuilder(512);
        snapshot.append(order.customerId()).append('|').append(order.country()).append('|')
                .append(Long.toHexString(fingerprint));
        for (int i = 0; i < products.size(); i++) {
            Product product = products.get(i);
            snapshot.append('|').append(product.sku()).append(':').append(order.lines().get(i).quantity())
                    .append(':').append(quote.lineCents()[i]).append(':').append(product.category());
        }
        snapshot.append('|').append(quote.totalCents());
        return remember(snapshot.toString(), 6);
    }

    private static String writeWithJackson(Order order, List<Product> products, Quote quote, long fingerprint) {
        List<AuditSnapshot.Line> lines = new ArrayList<>(products.size());
        for (int i = 0; i < products.size(); i++) {
            Product product = products.get(i);
            lines.add(new AuditSnapshot.Line(product.sku(), order.lines().get(i).quantity(), quote.lineCents()[i],
                    product.category()));
        }
        return JSON.writeValueAsString(new AuditSnapshot(order.customerId(), order.country(),
                Long.toHexString(fingerprint), lines, quote.totalCents()));
    }

    /** Keeps the record in the ring; returns its tamper-evidence checksum (passes of a simple mix). */
    private long remember(String record, int passes) {
        long checksum = 17;
        for (int pass = 0; pass < passes; pass++) {
            for (int i = 0; i < record.length(); i++) {
                checksum = 31 * checksum + record.charAt(i);
                checksum ^= checksum >>> 17;
            }
        }
        ring[next] = record;
        next = (next + 1) % RING;
        return checksum;
    }
}
