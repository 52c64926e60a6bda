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
    boolean failing;
    FindingDraft explainedBy;
    String caveat;

    FindingDraft(FunctionTest test, double q, FindingKind kind) {
        this.test = test;
        this.q = q;
        this.kind = kind;
    }

    double severity() {
        return test.absoluteShareChange();
    }

    boolean increase() {
        return test.difference() > 0;
    }
}
