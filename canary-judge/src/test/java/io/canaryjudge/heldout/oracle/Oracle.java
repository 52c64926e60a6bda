package io.canaryjudge.heldout.oracle;

import io.canaryjudge.judge.Observation;
import io.canaryjudge.judge.Thresholds;
import io.canaryjudge.profile.ProfileType;
import java.util.List;
import java.util.function.Predicate;

/**
 * The best a judge could do knowing each function's true noise: for every function and both
 * measures (self, inclusive share), {@code z = (c̄ − b̄) / sqrt(V_f / P_b + V_f / P_c)} on the group
 * means of pod shares, with {@code V_f} the function's true pod-level variance ({@link KnownNoise}),
 * not an estimate. Only rises that clear the judge's own materiality floors count (relative
 * {@code minRelativeChange}, absolute {@code minAbsoluteChange}; a function absent from the
 * baseline only by the absolute one). Its threshold is set on A/A comparisons, so it is compared
 * with the judge at the same false-FAIL rate.
 */
public final class Oracle {
    private Oracle() {
    }

    public static OracleCall call(List<Observation> baseline, List<Observation> canary, ProfileType type,
                                  KnownNoise noise, Predicate<String> application, Thresholds thresholds) {
        PodShares b = PodShares.of(baseline, type);
        PodShares c = PodShares.of(canary, type);
        if (b.podCount() == 0 || c.podCount() == 0) {
            return new OracleCall(0, null, null);
        }
        java.util.Set<String> functions = new java.util.LinkedHashSet<>(b.functions());
        functions.addAll(c.functions());
        double best = 0;
        String where = null;
        double bestApplication = 0;
        String application0 = null;
        for (String function : functions) {
            for (int measure = 0; measure < 2; measure++) {
                double bMean = b.mean(function, measure);
                double cMean = c.mean(function, measure);
                double rise = cMean - bMean;
                if (rise < thresholds.minAbsoluteChange()
                        || bMean > 0 && cMean / bMean - 1 < thresholds.minRelativeChange()) {
                    continue;
                }
                double v = noise.variance(function, measure, 0.5 * (bMean + cMean));
                double z = rise / Math.sqrt(v / b.podCount() + v / c.podCount());
                if (z > best) {
                    best = z;
                    where = function;
                }
                if (z > bestApplication && application.test(function)) {
                    bestApplication = z;
                    application0 = function;
                }
            }
        }
        return new OracleCall(best, where, application0);
    }
}
