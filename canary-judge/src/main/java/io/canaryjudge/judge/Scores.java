package io.canaryjudge.judge;

import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.Result;
import java.util.List;

/**
 * The 0–100 score, in bands that agree with the result so a Kayenta-style threshold reads it the
 * same way: FAIL 0–49 (49 × Π over failing findings of (1 − relative rise), so a +100 % rise or a
 * new hot path gives 0), INCONCLUSIVE 50, PASS 75–100 (100 = nothing to report; 5 off per
 * non-failing rise, e.g. JVM-internal).
 */
final class Scores {
    private Scores() {
    }

    static int score(Result result, List<Finding> findings) {
        return switch (result) {
            case INCONCLUSIVE -> 50;
            case PASS -> {
                long concerns = findings.stream().filter(f -> !f.failing()
                        && (f.kind() == FindingKind.REGRESSION || f.kind() == FindingKind.NEW_HOT_PATH)).count();
                yield (int) Math.max(75, 100 - 5 * concerns);
            }
            case FAIL -> {
                double keep = 1.0;
                for (Finding f : findings) {
                    if (f.failing()) {
                        double rise = f.relativeChange() == null ? 1.0 : f.relativeChange();
                        keep *= 1 - Math.min(1, Math.max(0, rise));
                    }
                }
                yield (int) Math.floor(49 * keep);
            }
        };
    }
}
