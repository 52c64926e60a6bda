package io.canaryjudge.judge;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Measure;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The total cost per request of each pod (Σ value / Σ requests), compared between groups on the log
 * scale: a pod's speed (CPU model, neighbours) scales its cost per request as a whole, so the noise is
 * multiplicative. Its relative variance between pods is learned like a function's
 * ({@link PodSpread}: pods within groups, and history windows that carry request counts), moderated
 * towards the configured between-pod CV with 2 prior degrees of freedom (few pods say little about
 * their own spread; Smyth 2004's moderation with a fixed prior).
 */
final class TotalPerRequestTest {
    /** Prior degrees of freedom of the configured between-pod CV. */
    static final double PRIOR_DF = 2;

    private TotalPerRequestTest() {
    }

    /** Per-pod total per request of both groups: [0] baseline mean, [1] canary mean. */
    static double[] groupMeans(List<TypedObservation> observations, Units units) {
        return groupMeans(observations, units, o -> o.total);
    }

    /** As {@link #groupMeans(List, Units)}, counting only the part of each observation that {@code part} gives. */
    static double[] groupMeans(List<TypedObservation> observations, Units units,
                               ToDoubleFunction<TypedObservation> part) {
        double[] value = new double[units.count()];
        double[] requests = new double[units.count()];
        collect(observations, part, value, requests);
        double[] mean = new double[2];
        for (int u = 0; u < units.pods(); u++) {
            int g = units.group()[u];
            mean[g] += value[u] / requests[u] / (g == 0 ? units.baselinePods() : units.canaryPods());
        }
        return mean;
    }

    static FunctionTest run(ProfileType type, List<TypedObservation> observations, Units units, JudgeConfig config) {
        int count = units.count();
        double[] value = new double[count];
        double[] requests = new double[count];
        boolean[] usable = collect(observations, o -> o.total, value, requests);
        double[] perRequest = new double[count];
        for (int u = 0; u < count; u++) {
            perRequest[u] = usable[u] ? value[u] / requests[u] : 0;
        }
        double[] mean = groupMeans(observations, units);
        PodSpread spread = PodSpread.of(units, perRequest, new double[count], usable);
        double prior = Math.pow(Math.max(config.priorBetweenInstanceCv(), 0.01), 2);
        double ownDf = spread.df() > 0 ? spread.df() : 0;
        double variance = (PRIOR_DF * prior + (ownDf > 0 ? ownDf * spread.variance() : 0)) / (PRIOR_DF + ownDf);
        double df = PRIOR_DF + ownDf;
        double relativeSe = Math.sqrt(variance * (1.0 / units.baselinePods() + 1.0 / units.canaryPods()));
        TDistribution t = new TDistribution(null, df);
        double p = Double.NaN;
        if (mean[0] > 0 && mean[1] > 0 && relativeSe > 0) {
            p = 2 * t.cumulativeProbability(-Math.abs(Math.log(mean[1] / mean[0])) / relativeSe);
        }
        double half = t.inverseCumulativeProbability(0.975) * relativeSe * 0.5 * (mean[0] + mean[1]);
        double diff = mean[1] - mean[0];
        double scale = mean[0] > 0 ? 1.0 / mean[0] : 1.0;
        return new FunctionTest(type, Judge.TOTAL, Measure.TOTAL_PER_REQUEST, mean[0], mean[1], scale, p,
                diff - half, diff + half, config.thresholds());
    }

    /**
     * Sums {@code part} and requests per unit; a unit is usable when every observation in it has requests. A
     * count of a whole recording cut into slices counts once, in the unit holding all its slices: a pod's sum
     * over its slices is exact; a history window that cuts through a recording has no count
     * ({@link RecordingRequests}).
     */
    private static boolean[] collect(List<TypedObservation> observations,
                                     ToDoubleFunction<TypedObservation> part, double[] value,
                                     double[] requests) {
        for (TypedObservation o : observations) {
            value[o.unit] += part.applyAsDouble(o);
        }
        double[] counted = RecordingRequests.perUnit(observations, value.length, o -> o.unit, o -> o.requests,
                o -> o.recording);
        boolean[] usable = new boolean[value.length];
        for (int u = 0; u < value.length; u++) {
            requests[u] = Double.isNaN(counted[u]) ? 0 : counted[u];
            usable[u] = requests[u] > 0;
        }
        for (TypedObservation o : observations) {
            usable[o.unit] &= o.requestsCounted();
        }
        return usable;
    }
}
