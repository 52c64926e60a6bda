package io.canaryjudge.scenario.shop;

/**
 * The priced order.
 *
 * @param subtotalCents  sum of line prices before discounts, cents
 * @param discountCents  sum of the best discount of every line, cents
 * @param taxCents       tax on the discounted amount, cents
 * @param lineCents      price of each line after its discount, cents
 */
public record Quote(long subtotalCents, long discountCents, long taxCents, long[] lineCents) {

    /** Amount the customer pays, cents. */
    public long totalCents() {
        return subtotalCents - discountCents + taxCents;
    }
}
