package io.canaryjudge.scenario.shop;

import java.util.List;

/**
 * The "new feature" of the new-hot-path scenario: an audit record of every priced order,
 * serialised and checksummed, kept in a bounded in-memory ring. Absent from the baseline build.
 */
public final class AuditTrail {
    private static final int RING = 256;
    private final String[] ring = new String[RING];
    private int next;

    /** Serialises a snapshot of the order and remembers it; returns its checksum. */
    public long serializeSnapshot(Order order, List<Product> products, Quote quote, long fingerprint) {
        StringBuilder snapshot = new StringBuilder(512);
        snapshot.append(order.customerId()).append('|').append(order.country()).append('|')
                .append(Long.toHexString(fingerprint));
        for (int i = 0; i < products.size(); i++) {
            Product product = products.get(i);
            snapshot.append('|').append(product.sku()).append(':').append(order.lines().get(i).quantity())
                    .append(':').append(quote.lineCents()[i]).append(':').append(product.category());
        }
        snapshot.append('|').append(quote.totalCents());
        String record = snapshot.toString();
        // A tamper-evidence checksum: a few passes of a simple mix over the record.
        long checksum = 17;
        for (int pass = 0; pass < 6; pass++) {
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
