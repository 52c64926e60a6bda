package io.canaryjudge.scenario.shop;

import java.util.List;

/**
 * What the audit trail records of a priced order when it writes it with Jackson (the
 * {@code audit-jackson} scenario): a plain record, serialised through its accessors.
 *
 * @param customerId  customer identifier
 * @param country     ISO country code
 * @param fingerprint the response's fingerprint, hexadecimal
 * @param lines       one entry per order line
 * @param totalCents  amount the customer pays, cents
 */
public record AuditSnapshot(String customerId, String country, String fingerprint, List<Line> lines, long totalCents) {

    /**
     * @param sku      article number
     * @param quantity pieces ordered
     * @param cents    line price after its discount, cents
     * @param category category number of the article
     */
    public record Line(String sku, int quantity, long cents, int category) {
    }
}
