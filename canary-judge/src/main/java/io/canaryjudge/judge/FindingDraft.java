package io.canaryjudge.judge;

import io.canaryjudge.verdict.FindingKind;
import java.util.List;

/** A finding while it is being classified, checked and ordered ({@link FindingBuilder}). */
final class FindingDraft {
    final FunctionTest test;
    final double q;
    final FindingKind kind;
    CallPaths.Path path = new CallPaths.Path(List.of(), false);
    boolean jvmInternal;
    /** Whose code the function is ({@link FrameClassifier}); APPLICATION for the total. */
    FrameClass frameClass = FrameClass.APPLICATION;
    boolean failing;
    FindingDraft explainedBy;
    String caveat;
    /** A new hot path withheld by {@link NewPathConsistency}: in too few canary pods or slices, or under the baseline's intermittent work. */
    boolean inconsistentNewPath;
    /**
     * A new frame read as a wrapper that could as well be added calls costing a new hot path's worth
     * ({@link MovedTimeCheck}): the two readings, said in the INCONCLUSIVE verdict; null when told apart.
     */
    String untold;
    /** A costless wrapper whose callee itself got dearer ({@link MovedTimeCheck}): that callee, whose change it is. */
    String dearerCallee;
    /** An ancestor whose rise a withheld new path carries ({@code inconsistentNewPath} below it). */
    boolean backgroundAncestor;
    /**
     * The part of an inclusive rise that stacks ending in application code carry (|Δ| as a share of the
     * total): JVM work below a function is not its rise; NaN until {@link JvmWorkCheck} measured it.
     */
    double applicationSeverity = Double.NaN;

    FindingDraft(FunctionTest test, double q, FindingKind kind) {
        this.test = test;
        this.q = q;
        this.kind = kind;
    }

    double severity() {
        return test.absoluteShareChange();
    }

    /** {@link #severity()}, less the JVM work below it when that was measured. */
    double ownSeverity() {
        return Double.isNaN(applicationSeverity) ? severity() : Math.min(severity(), applicationSeverity);
    }

    boolean increase() {
        return test.difference() > 0;
    }
}
