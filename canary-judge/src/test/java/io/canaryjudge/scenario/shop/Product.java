package io.canaryjudge.scenario.shop;

/**
 * A catalogue entry.
 *
 * @param sku        article number
 * @param name       display name
 * @param category   category number, 0..15, used by discount rules
 * @param priceCents unit price in cents
 */
public record Product(String sku, String name, int category, long priceCents) {
}
