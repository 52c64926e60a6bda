package io.canaryjudge.eval;

import io.canaryjudge.judge.Observation;
import io.canaryjudge.judge.Thresholds;
import io.canaryjudge.profile.FunctionTotals;
import io.canaryjudge.profile.ProfileType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.special.Erf;

/**
 * The tuning evaluation's oracle: a test per function that knows each function's true noise — its own
 * between-pod CV κ_f, the slice dispersion d and rate CV c, the layout — so it pays nothing for
 * learning noise. Log ratio of group-mean self shares, z against the true variance
 * Σ_g (κ_f² + (d/(N_g p) + c²)/S)/P_g (N_g samples per slice of group g, S slices), Benjamini–Hochberg at
 * q ≤ 0.01 (unweighted), the judge's materiality; absent functions by the judge's absence test. It
 * knows nothing of JIT flips (its columns mean nothing in those cells). CPU only.
 */
final class TuningOracle {
    private TuningOracle() {
    }

    /** The oracle's culprit when it FAILs the case, else null. */
    static String failingCulprit(TuningSimulator.Case simulated, Thresholds thresholds) {
        TuningSetting setting = simulated.setting();
        Map<String, double[]> baseline = podShares(simulated.baseline(), setting.baselinePods());
        Map<String, double[]> canary = podShares(simulated.canary(), setting.canaryPods());
        java.util.Set<String> names = new java.util.HashSet<>(baseline.keySet());
        names.addAll(canary.keySet());
        List<String> order = new java.util.ArrayList<>(names);
        double[] p = new double[order.size()];
        double[] b = new double[order.size()];
        double[] c = new double[order.size()];
        for (int i = 0; i < order.size(); i++) {
            String name = order.get(i);
            b[i] = mean(baseline.get(name));
            c[i] = mean(canary.get(name));
            double pooled = 0.5 * (b[i] + c[i]);
            if (pooled < thresholds.candidateShare()) {
                p[i] = Double.NaN;
                continue;
            }
            if (b[i] == 0 || c[i] == 0) {
                double present = Math.max(b[i], c[i]) * setting.samplesPerPod() * (b[i] == 0
                        ? setting.canaryPods() * setting.canaryTraffic() : setting.baselinePods()) / setting.dispersion();
                p[i] = Math.min(1, 2 * Math.exp(-present * Math.log(2)));
                continue;
            }
            double kappa = simulated.podCv().getOrDefault(name, setting.medianPodCv());
            double z = Math.log(c[i] / b[i]) / Math.sqrt(trueLogVariance(setting, kappa, pooled));
            p[i] = Erf.erfc(Math.abs(z) / Math.sqrt(2));
        }
        double[] q = BenjaminiHochberg.qValues(p);
        String culprit = null;
        double worst = 0;
        for (int i = 0; i < order.size(); i++) {
            double rise = c[i] - b[i];
            boolean material = rise >= thresholds.minAbsoluteChange()
                    && (b[i] == 0 || c[i] / b[i] - 1 >= thresholds.minRelativeChange());
            if (!Double.isNaN(q[i]) && q[i] <= thresholds.maxQValue() && material && rise > worst) {
                worst = rise;
                culprit = order.get(i);
            }
        }
        return culprit;
    }

    /**
     * True variance of the log ratio of group-mean self shares of a function with pod CV κ at share p:
     * Σ_g (κ² + (d/(N_g p) + c²)/S)/P_g, N_g a group's samples per slice (the canary's scaled by its traffic).
     */
    static double trueLogVariance(TuningSetting setting, double kappa, double pooled) {
        double perSlice = (double) setting.samplesPerPod() / setting.slicesPerPod();
        double sliceRate = setting.sliceCv() * setting.sliceCv();
        double baselineSampling = (setting.dispersion() / (perSlice * pooled) + sliceRate) / setting.slicesPerPod();
        double canarySampling = (setting.dispersion() / (perSlice * setting.canaryTraffic() * pooled) + sliceRate)
                / setting.slicesPerPod();
        return (kappa * kappa + baselineSampling) / setting.baselinePods()
                + (kappa * kappa + canarySampling) / setting.canaryPods();
    }

    private static double mean(double[] values) {
        if (values == null) {
            return 0;
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /** Each pod's pooled self share of every function. */
    private static Map<String, double[]> podShares(List<Observation> observations, int pods) {
        Map<String, Integer> podIndex = new HashMap<>();
        Map<String, double[]> values = new HashMap<>();
        double[] totals = new double[pods];
        for (Observation o : observations) {
            int pod = podIndex.computeIfAbsent(o.instance(), k -> podIndex.size());
            FunctionTotals totalsOf = o.profile().functionTotals(o.profile().profileTypes().contains(ProfileType.CPU)
                    ? ProfileType.CPU : ProfileType.ALLOC_BYTES);
            totals[pod] += totalsOf.total();
            for (int f = 0; f < totalsOf.functionCount(); f++) {
                long self = totalsOf.self(f);
                if (self > 0) {
                    values.computeIfAbsent(totalsOf.functionName(f), k -> new double[pods])[pod] += self;
                }
            }
        }
        for (double[] v : values.values()) {
            for (int pod = 0; pod < pods; pod++) {
                v[pod] /= totals[pod];
            }
        }
        return values;
    }
}
