package io.canaryjudge.scenario.shop;

import java.util.Locale;
import java.util.Map;

/**
 * What one build of the shop does differently from the baseline build. Every field has a neutral
 * value (the baseline); a scenario changes one of them. Parsed from and written to
 * {@code key=value} arguments so a recording driver can hand it to a pod process.
 *
 * @param discountRuleFactor       number of discount rules {@code PriceCalculator.applyDiscounts}
 *                                 evaluates per line, relative to the baseline's (1.0 = baseline;
 *                                 1.3 = 30 % more work in that function's own code)
 * @param compileEmailPatternPerRequest when true, {@code OrderValidator.validate} compiles its
 *                                 e-mail regular expression on every request instead of once
 * @param auditSnapshots           when true, every request also runs
 *                                 {@code AuditTrail.serializeSnapshot} (absent in the baseline)
 * @param serializerBufferChars    initial capacity of the {@code StringBuilder} in
 *                                 {@code OrderSerializer.toJson}, characters (bytes for Latin-1);
 *                                 the baseline sizes it to fit a typical order
 * @param fingerprintRoundsFactor  mixing rounds of {@code OrderHasher.fingerprint} relative to
 *                                 the baseline's (0.6 = 40 % less work)
 * @param rateFraction             request rate relative to the pod's own flat-out rate (measured
 *                                 at the end of its warm-up), 0 &lt; f &lt;= 1; 1 = flat out
 * @param auditWithJackson         when true (with {@code auditSnapshots}), {@code AuditTrail.serializeSnapshot}
 *                                 writes its record with Jackson instead of by hand
 * @param pricingContextLookups    how often {@code PriceCalculator.quote} reads its per-thread pricing context
 *                                 ({@code ThreadLocal}) per order line; 0 (the baseline) = no context at all,
 *                                 above 0 {@code ShopRequestHandler.handle} also reads it once per request
 */
public record ShopVariant(double discountRuleFactor, boolean compileEmailPatternPerRequest, boolean auditSnapshots,
                          int serializerBufferChars, double fingerprintRoundsFactor, double rateFraction,
                          boolean auditWithJackson, int pricingContextLookups) {

    /** Baseline capacity of the serializer's buffer, characters: fits a typical order. */
    public static final int BASELINE_SERIALIZER_BUFFER_CHARS = 1024;

    public ShopVariant {
        if (!(discountRuleFactor > 0)) {
            throw new IllegalArgumentException("discountRuleFactor must be > 0, was " + discountRuleFactor);
        }
        if (serializerBufferChars < 16) {
            throw new IllegalArgumentException("serializerBufferChars must be >= 16, was " + serializerBufferChars);
        }
        if (!(fingerprintRoundsFactor > 0)) {
            throw new IllegalArgumentException("fingerprintRoundsFactor must be > 0, was " + fingerprintRoundsFactor);
        }
        if (!(rateFraction > 0 && rateFraction <= 1)) {
            throw new IllegalArgumentException("rateFraction must be in (0, 1], was " + rateFraction);
        }
        if (pricingContextLookups < 0) {
            throw new IllegalArgumentException("pricingContextLookups must be >= 0, was " + pricingContextLookups);
        }
    }

    /** The baseline build. */
    public static ShopVariant baseline() {
        return new ShopVariant(1.0, false, false, BASELINE_SERIALIZER_BUFFER_CHARS, 1.0, 1.0, false, 0);
    }

    public ShopVariant withDiscountRuleFactor(double factor) {
        return new ShopVariant(factor, compileEmailPatternPerRequest, auditSnapshots, serializerBufferChars,
                fingerprintRoundsFactor, rateFraction, auditWithJackson, pricingContextLookups);
    }

    public ShopVariant withCompileEmailPatternPerRequest(boolean compile) {
        return new ShopVariant(discountRuleFactor, compile, auditSnapshots, serializerBufferChars,
                fingerprintRoundsFactor, rateFraction, auditWithJackson, pricingContextLookups);
    }

    public ShopVariant withAuditSnapshots(boolean audit) {
        return new ShopVariant(discountRuleFactor, compileEmailPatternPerRequest, audit, serializerBufferChars,
                fingerprintRoundsFactor, rateFraction, auditWithJackson, pricingContextLookups);
    }

    public ShopVariant withSerializerBufferChars(int chars) {
        return new ShopVariant(discountRuleFactor, compileEmailPatternPerRequest, auditSnapshots, chars,
                fingerprintRoundsFactor, rateFraction, auditWithJackson, pricingContextLookups);
    }

    public ShopVariant withFingerprintRoundsFactor(double factor) {
        return new ShopVariant(discountRuleFactor, compileEmailPatternPerRequest, auditSnapshots,
                serializerBufferChars, factor, rateFraction, auditWithJackson, pricingContextLookups);
    }

    public ShopVariant withRateFraction(double fraction) {
        return new ShopVariant(discountRuleFactor, compileEmailPatternPerRequest, auditSnapshots,
                serializerBufferChars, fingerprintRoundsFactor, fraction, auditWithJackson, pricingContextLookups);
    }

    public ShopVariant withAuditWithJackson(boolean jackson) {
        return new ShopVariant(discountRuleFactor, compileEmailPatternPerRequest, auditSnapshots, serializerBufferChars,
                fingerprintRoundsFactor, rateFraction, jackson, pricingContextLookups);
    }

    public ShopVariant withPricingContextLookups(int lookups) {
        return new ShopVariant(discountRuleFactor, compileEmailPatternPerRequest, auditSnapshots, serializerBufferChars,
                fingerprintRoundsFactor, rateFraction, auditWithJackson, lookups);
    }

    /** The variant as {@code key=value} arguments, the inverse of {@link #fromArguments}. */
    public String[] toArguments() {
        return new String[] {
            "discountRuleFactor=" + discountRuleFactor,
            "compileEmailPatternPerRequest=" + compileEmailPatternPerRequest,
            "auditSnapshots=" + auditSnapshots,
            "serializerBufferChars=" + serializerBufferChars,
            "fingerprintRoundsFactor=" + fingerprintRoundsFactor,
            "rateFraction=" + rateFraction,
            "auditWithJackson=" + auditWithJackson,
            "pricingContextLookups=" + pricingContextLookups,
        };
    }

    /** Reads the variant from {@code key=value} pairs; missing keys keep the baseline value. */
    public static ShopVariant fromArguments(Map<String, String> arguments) {
        ShopVariant base = baseline();
        return new ShopVariant(
                Double.parseDouble(arguments.getOrDefault("discountRuleFactor", "" + base.discountRuleFactor)),
                Boolean.parseBoolean(arguments.getOrDefault("compileEmailPatternPerRequest", "false")),
                Boolean.parseBoolean(arguments.getOrDefault("auditSnapshots", "false")),
                Integer.parseInt(arguments.getOrDefault("serializerBufferChars", "" + base.serializerBufferChars)),
                Double.parseDouble(arguments.getOrDefault("fingerprintRoundsFactor", "" + base.fingerprintRoundsFactor)),
                Double.parseDouble(arguments.getOrDefault("rateFraction", "" + base.rateFraction)),
                Boolean.parseBoolean(arguments.getOrDefault("auditWithJackson", "false")),
                Integer.parseInt(arguments.getOrDefault("pricingContextLookups", "" + base.pricingContextLookups)));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "ShopVariant[discountRuleFactor=%s, compileEmailPatternPerRequest=%s, auditSnapshots=%s, "
                        + "serializerBufferChars=%d, fingerprintRoundsFactor=%s, rateFraction=%s, auditWithJackson=%s, "
                        + "pricingContextLookups=%d]",
                discountRuleFactor, compileEmailPatternPerRequest, auditSnapshots, serializerBufferChars,
                fingerprintRoundsFactor, rateFraction, auditWithJackson, pricingContextLookups);
    }
}
