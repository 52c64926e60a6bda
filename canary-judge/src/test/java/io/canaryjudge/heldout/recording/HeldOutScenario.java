package io.canaryjudge.heldout.recording;

import io.canaryjudge.heldout.search.SearchVariant;
import java.util.List;

/**
 * One recorded held-out canary with a known injected change, and what a correct judge says. The
 * baseline of every scenario is the pool of baseline pods ({@code heldout/baselines}); A/A
 * comparisons are made from that pool itself.
 *
 * @param name           folder name under {@code heldout/}
 * @param injectedChange what the canary build does differently, in words
 * @param canary         the canary's build
 * @param pods           canary pods (JVMs) the recording plan runs (the manifest says how many were recorded)
 * @param profileType    profile type the change shows in ({@code cpu}, {@code alloc_bytes}); null for none
 * @param function       the application method the change was injected into or enters through
 *                       (dotted, as the judge names it): the culprit a correct judge names; null for none
 * @param expectedKind   REGRESSION, NEW_HOT_PATH, DIFFERENT_PROGRAM; null for an A/A
 * @param expectedResult FAIL or PASS
 * @param note           what makes it hard
 */
public record HeldOutScenario(String name, String injectedChange, SearchVariant canary, int pods, String profileType,
                              String function, String expectedKind, String expectedResult, String note) {

    public static final String SEARCH = "io.canaryjudge.heldout.search.";

    /** Every held-out scenario {@link RecordHeldOut} records. */
    public static List<HeldOutScenario> all() {
        SearchVariant base = SearchVariant.baseline();
        return List.of(
                rerank("rerank-10", 1.10, 3, "+10 % of the method's own cost: below what 2-3 pods can resolve"),
                rerank("rerank-20", 1.20, 4, "+20 % of the method's own cost (the 2v2 detection target)"),
                rerank("rerank-50", 1.50, 3, "+50 % of the method's own cost"),
                new HeldOutScenario("row-audit", "RecordStore.load also runs RowAuditor.verify (SHA-256 of every "
                        + "loaded row's payload)", base.withRowAudit(true), 3, "cpu", SEARCH + "RowAuditor.verify",
                        "NEW_HOT_PATH", "FAIL",
                        "A new application method under RecordStore.load; its cost is in JDK frames "
                                + "(sun.security.provider.*) below it."),
                new HeldOutScenario("payload-copy", "ResponseFormatter.format copies every row's payload before "
                        + "reading its snippet", base.withCopyPayloads(true), 3, "alloc_bytes",
                        SEARCH + "ResponseFormatter.format", "REGRESSION", "FAIL",
                        "Allocation only: ~1 KB more per row, the bytes land in java.util.Arrays.copyOf below the "
                                + "application method; CPU barely moves."),
                new HeldOutScenario("zstd-level", "PayloadCompressor.compress uses zstd level 4 instead of 1 (JNI)",
                        base.withCompressionLevel(4), 3, "cpu", SEARCH + "PayloadCompressor.compress", "REGRESSION",
                        "FAIL", "The extra CPU is in the native library libzstd-jni-*.so (other block compressors "
                                + "than level 1's) below one application method."),
                new HeldOutScenario("jit-skewed-aa", "none: the canary's first warm-up seconds serve only "
                        + "single-word title queries (same code)", base.withSkewedWarmup(true), 3, null, null, null,
                        "PASS", "The JIT compiles the hot paths from a different type and branch profile; "
                                + "no function may be blamed."),
                new HeldOutScenario("reindex-program", "the canary runs a different program: a bulk re-indexing "
                        + "job (Lucene indexing, force-merge, zstd archiving) instead of the search service",
                        base.withProgram("reindex"), 3, "cpu", null, "DIFFERENT_PROGRAM", "FAIL",
                        "Most of the canary's CPU is in functions the baseline never or barely ran."));
    }

    private static HeldOutScenario rerank(String name, double factor, int pods, String note) {
        return new HeldOutScenario(name, "ResultRanker.rerank makes " + Math.round((factor - 1) * 100)
                + " % more passes over its dense layer", SearchVariant.baseline().withRerankFactor(factor), pods, "cpu",
                SEARCH + "ResultRanker.rerank", "REGRESSION", "FAIL", note);
    }

    /** The scenario with this name. */
    public static HeldOutScenario named(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no held-out scenario \"" + name + "\"; known: "
                        + all().stream().map(HeldOutScenario::name).toList()));
    }
}
