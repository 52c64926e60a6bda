package io.canaryjudge.scenario;

import io.canaryjudge.scenario.shop.ShopVariant;

import java.util.List;

/**
 * One recorded baseline/canary comparison with a known injected change and the verdict a
 * correct judge gives.
 *
 * @param name             folder name under {@code scenarios/}
 * @param session          recording session: the scenarios of one session are recorded at the
 *                         same time and share one baseline, {@code baselines/session-S}
 * @param injectedChange   what the canary build does differently, in words
 * @param canary           the canary's build; the baseline always runs {@link ShopVariant#baseline()}
 * @param profileType      profile type the change shows in ({@code cpu}, {@code alloc_bytes}); null for none
 * @param function         the function the change was injected into (dotted, as the judge names
 *                         it); null for none
 * @param expectedKind     the finding a correct judge reports for {@code function}
 *                         ({@code REGRESSION}, {@code NEW_HOT_PATH}, {@code IMPROVEMENT}); null for none
 * @param expectedResult   {@code FAIL} or {@code PASS}
 * @param note             what makes the scenario hard, for the reader of the manifest
 * @param entryFrame       the application method a correct judge names its lead incident at: where the change
 *                         was made, even when its cost shows in JDK or library frames; null for none
 */
public record Scenario(String name, int session, String injectedChange, ShopVariant canary, String profileType,
                       String function, String expectedKind, String expectedResult, String note, String entryFrame) {

    public Scenario(String name, int session, String injectedChange, ShopVariant canary, String profileType,
                    String function, String expectedKind, String expectedResult, String note) {
        this(name, session, injectedChange, canary, profileType, function, expectedKind, expectedResult, note, function);
    }

    private static final String SHOP = "io.canaryjudge.scenario.shop.";

    /** Every scenario {@link RecordScenarios} records. */
    public static List<Scenario> all() {
        ShopVariant base = ShopVariant.baseline();
        return List.of(
                new Scenario("aa", 1, "none: the canary runs the baseline's code (A/A)", base,
                        null, null, null, "PASS",
                        "Separate JVMs make their own JIT decisions; no function may be blamed."),
                cpu("cpu-regression-10", 1, 1.10, "+10 % of its own cost: small, near the detection limit"),
                cpu("cpu-regression-30", 2, 1.30, "+30 % of its own cost"),
                cpu("cpu-regression-100", 2, 2.00, "+100 % of its own cost (twice the rules)"),
                new Scenario("regex-per-request", 3,
                        "OrderValidator.validate compiles its e-mail Pattern on every request",
                        base.withCompileEmailPatternPerRequest(true), "cpu", "java.util.regex.Pattern.compile",
                        "NEW_HOT_PATH", "FAIL",
                        "The cost appears under JDK frames (java.util.regex.*) called from "
                                + SHOP + "OrderValidator.validate, whose inclusive time rises.",
                        SHOP + "OrderValidator.validate"),
                new Scenario("new-hot-path", 3, "every request also runs AuditTrail.serializeSnapshot",
                        base.withAuditSnapshots(true), "cpu", SHOP + "AuditTrail.serializeSnapshot",
                        "NEW_HOT_PATH", "FAIL", "Absent from the baseline: a zero baseline, no ratio exists."),
                new Scenario("alloc-regression", 4,
                        "OrderSerializer.toJson pre-sizes its StringBuilder to 4096 instead of 1024 chars",
                        base.withSerializerBufferChars(4096), "alloc_bytes", SHOP + "OrderSerializer.toJson",
                        "REGRESSION", "FAIL",
                        "About +3 KB allocated per request in one function. Not free in CPU: zeroing and cache "
                                + "misses of the larger array raised toJson's CPU share too (+24 % measured), so a "
                                + "cpu finding on the same function is also right."),
                new Scenario("improvement", 4, "OrderHasher.fingerprint makes 40 % fewer passes",
                        base.withFingerprintRoundsFactor(0.6), "cpu", SHOP + "OrderHasher.fingerprint",
                        "IMPROVEMENT", "PASS",
                        "Every other function's share of CPU rises although none changed (shares are "
                                + "compositional)."),
                new Scenario("low-rate", 5,
                        "none: same code, the canary paced to 30 % of its own flat-out rate (measured at the end "
                                + "of its warm-up)",
                        base.withRateFraction(0.3), null, null, null, "PASS",
                        "Fixed costs (LatencyReporter.publish, GC, JIT) take a larger share of a less busy "
                                + "canary and caches are colder; requests.csv gives the rates actually served "
                                + "(measured: canary median 18 % of the baseline's: the machine got quieter "
                                + "after the canary measured its flat-out rate)."),
                new Scenario("audit-jackson", 6,
                        "every 4th request also runs AuditTrail.serializeSnapshot, which writes the audit record "
                                + "with Jackson",
                        baselineVariant(6).withAuditSnapshots(true).withAuditWithJackson(true), "cpu",
                        SHOP + "AuditTrail.serializeSnapshot", "NEW_HOT_PATH", "FAIL",
                        "Nearly all of the new cost is in Jackson (tools.jackson.*) and JDK frames under one "
                                + "application method; Jackson calls the record's accessors back."),
                new Scenario("thread-local-lookups", 6,
                        "PriceCalculator.quote reads its per-thread pricing context 40 instead of 2 times per order "
                                + "line",
                        baselineVariant(6).withPricingContextLookups(40), "cpu", SHOP + "PriceCalculator.quote",
                        "REGRESSION", "FAIL",
                        "A small change of quote's cost, nearly all of it in the JDK helpers it inlines "
                                + "(java.lang.ThreadLocal.get, ThreadLocalMap.getEntry, Reference.refersTo), which the "
                                + "baseline calls too (from quote and once per request from ShopRequestHandler.handle). "
                                + "A first recording with 14 look-ups moved quote's inclusive share by only +3 %."));
    }

    /**
     * The build a session's baseline pods run: {@link ShopVariant#baseline()}, except that session 6's
     * shop reads a per-thread pricing context (2 look-ups per order line), so that
     * {@code java.lang.ThreadLocal.get} exists in the baseline and a canary can call it more.
     */
    public static ShopVariant baselineVariant(int session) {
        return session == 6 ? ShopVariant.baseline().withPricingContextLookups(2) : ShopVariant.baseline();
    }

    private static Scenario cpu(String name, int session, double factor, String size) {
        return new Scenario(name, session,
                "PriceCalculator.applyDiscounts evaluates " + Math.round((factor - 1) * 100) + " % more discount rules",
                ShopVariant.baseline().withDiscountRuleFactor(factor), "cpu", SHOP + "PriceCalculator.applyDiscounts",
                "REGRESSION", "FAIL", size);
    }

    /** The folder of a session's shared baseline, relative to the scenarios folder. */
    public static String baselineFolder(int session) {
        return "baselines/session-" + session;
    }

    /** The scenario with this name. */
    public static Scenario named(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no scenario \"" + name + "\"; known: "
                        + all().stream().map(Scenario::name).toList()));
    }
}
