package io.canaryjudge.scenario.shop;

import java.util.List;

/**
 * One incoming checkout request of the demo shop.
 *
 * @param customerId  customer identifier
 * @param email       customer e-mail address, validated against a pattern
 * @param country     ISO country code, selects the tax rate
 * @param couponCode  coupon entered by the customer, empty when none
 * @param lines       ordered articles
 */
public record Order(String customerId, String email, String country, String couponCode, List<OrderLine> lines) {

    /**
     * @param sku      article number, e.g. {@code SKU-004711}
     * @param quantity pieces ordered
     */
    public record OrderLine(String sku, int quantity) {
    }
}
