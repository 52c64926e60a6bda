package io.canaryjudge.scenario.shop;

import java.util.ArrayList;
import java.util.List;

/**
 * Serves one checkout request: validate, look up articles, price, serialise, fingerprint (and
 * in one scenario, audit). Not thread-safe: one per worker thread, like a request-scoped bean
 * whose collaborators are per-thread.
 */
public final class ShopRequestHandler {
    private final OrderValidator validator;
    private final ProductCatalog catalog = new ProductCatalog();
    private final PriceCalculator prices;
    private final OrderSerializer serializer;
    private final OrderHasher hasher;
    private final AuditTrail audit;
    private final boolean context;

    public ShopRequestHandler(ShopVariant variant) {
        validator = new OrderValidator(variant.compileEmailPatternPerRequest());
        prices = new PriceCalculator(variant.discountRuleFactor(), variant.pricingContextLookups());
        serializer = new OrderSerializer(variant.serializerBufferChars());
        hasher = new OrderHasher(variant.fingerprintRoundsFactor());
        audit = variant.auditSnapshots() ? new AuditTrail(variant.auditWithJackson()) : null;
        context = variant.pricingContextLookups() > 0;
    }

    /** Serves {@code order}; returns a value derived from the response so the work cannot be elided. */
    public long handle(Order order) {
        if (context) {
            PriceCalculator.startRequest(order.country()); // a request-scoped context, as a filter would set it
        }
        if (!validator.validate(order)) {
            return serializer.error("invalid order").length();
        }
        List<Product> products = new ArrayList<>(order.lines().size());
        for (Order.OrderLine line : order.lines()) {
            products.add(catalog.lookup(line.sku()));
        }
        Quote quote = prices.quote(order, products);
        String body = serializer.toJson(order, products, quote);
        long fingerprint = hasher.fingerprint(body);
        if (audit != null) {
            fingerprint ^= audit.serializeSnapshot(order, products, quote, fingerprint);
        }
        return fingerprint + body.length();
    }
}
