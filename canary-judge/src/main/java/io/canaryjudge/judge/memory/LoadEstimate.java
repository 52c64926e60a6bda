package io.canaryjudge.judge.memory;

import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The canary pods' load over the baseline pods' as their allocation profiles say it, for when no request counts do:
 * each pod's allocated bytes per second over its profiles' time, the mean per group, canary over baseline. A stand-in
 * for the request ratio the memory check needs to know a canary is lighter ({@link MemoryGrowthAnalysis}).
 *
 * <p>Why allocated bytes and not CPU: recorded (qa59, docs/EVALUATION.md "A canary's load without request counts"), the
 * order service's pods at 10 %, 25 % and 200 % of a baseline pod's requests allocated 10-11 %, 25-29 % and 192-200 % of
 * its bytes per second, while their CPU per second read 24-174 % at 10-25 % and 142-1,225 % at 200 % (a baseline pod
 * took 8-23 itimer samples a minute): requests that cost little CPU leave the JVM's own work (compilation, collection,
 * timers, the scrape) most of it. Fixed-rate work
 * allocates too, at any load, so a light canary's ratio lies between its request ratio and 1 (at most its share, never
 * less), and a canary whose code allocates less per request reads lighter than it is: so the estimate is said in the
 * verdict, never used to hold a canary's memory unjudged (a memoising cache that leaks saves allocation). {@link #NONE} unless every baseline and canary pod has allocation profiles with a duration.
 *
 * @param ratio     canary bytes per second over baseline bytes per second; NaN when unknown
 * @param canary    the canary pods' mean allocated bytes per second
 * @param baseline  the baseline pods' mean allocated bytes per second
 */
public record LoadEstimate(double ratio, double canary, double baseline) {
    public static final LoadEstimate NONE = new LoadEstimate(Double.NaN, Double.NaN, Double.NaN);

    /** From the baseline's and the canary's allocation profiles ({@link ProfileType#ALLOC_BYTES}) of the window. */
    public static LoadEstimate fromAllocation(List<Observation> baseline, List<Observation> canary) {
        double b = meanRate(baseline);
        double c = meanRate(canary);
        return b > 0 && c > 0 ? new LoadEstimate(c / b, c, b) : NONE;
    }

    /** Whether the estimate says the canary is lighter: below {@link MemoryGrowthAnalysis#LIGHTER_CANARY}. */
    boolean lighter() {
        return ratio < MemoryGrowthAnalysis.LIGHTER_CANARY;
    }

    /** Mean over pods of allocated bytes per second; NaN when a pod has no allocation profile or no duration. */
    private static double meanRate(List<Observation> observations) {
        Map<String, double[]> pods = new LinkedHashMap<>(); // instance → {bytes, seconds}
        for (Observation o : observations) {
            Profile profile = o.profile();
            int column = profile.sampleTypeIndex(ProfileType.ALLOC_BYTES);
            double[] pod = pods.computeIfAbsent(o.instance(), k -> new double[2]);
            if (column < 0 || profile.durationNanos() <= 0) {
                continue;
            }
            pod[0] += profile.total(column);
            pod[1] += profile.durationNanos() / 1e9;
        }
        if (pods.isEmpty()) {
            return Double.NaN;
        }
        double sum = 0;
        for (double[] pod : pods.values()) {
            if (!(pod[1] > 0)) {
                return Double.NaN;
            }
            sum += pod[0] / pod[1];
        }
        return sum / pods.size();
    }
}
