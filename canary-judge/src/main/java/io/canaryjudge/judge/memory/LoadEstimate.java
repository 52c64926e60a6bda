package io.canaryjudge.judge.memory;

import io.canaryjudge.judge.FrameClassifier;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The canary pods' load over the baseline pods' as their allocation profiles say it, for when no request counts do: the
 * median, over the application's allocation sites, of each site's allocated bytes per second in the canary over the
 * baseline's. A stand-in for the request ratio the memory check needs to know a canary is lighter
 * ({@link MemoryGrowthAnalysis}).
 *
 * <p>Why allocated bytes and not CPU: recorded (qa59, docs/EVALUATION.md "A canary's load without request counts"), the
 * order service's pods at 10 %, 25 % and 200 % of a baseline pod's requests allocated 10-11 %, 25-29 % and 192-200 % of
 * its bytes per second, while their CPU per second read 24-174 % at 10-25 % and 142-1,225 % at 200 % (a baseline pod
 * took 8-23 itimer samples a minute): requests that cost little CPU leave the JVM's own work (compilation, collection,
 * timers, the scrape) most of it.
 *
 * <p>Why the median over sites and not the total (qa64): the change under test is most often one site, and the
 * commonest leak, a memoising cache, allocates less there: a canary at the baseline's load serving nine requests in ten
 * from memoised responses allocated 32 % of a baseline pod's bytes per second in all, the site rendering them 11 %, and the
 * median of its 4 sites 90 %. A site is the deepest application frame of a stack ({@link FrameClassifier}); only sites holding at least
 * {@value #MIN_SITE_SHARE} of the baseline's allocated bytes count (fewer samples are noise; at 1 % the qa59 pods'
 * 15-minute windows kept 2 sites in 9 of 16 windows, at 0.2 % 4 in every one), and at least
 * {@value #MIN_SITES} of them (with fewer, one changed site is the median). Fixed-rate work allocates at any load, so a
 * light canary's ratio lies between its request ratio and 1. Both thresholds were chosen on the qa59 and qa64
 * recordings of one small service (4 sites), the same that test them: one reason the estimate is said in the verdict,
 * never used to hold a canary's memory unjudged. {@link #NONE} unless every baseline and canary pod has allocation profiles with a duration.
 *
 * @param ratio     the median over sites of canary over baseline bytes per second; NaN when unknown
 * @param canary    the canary pods' mean allocated bytes per second, all sites
 * @param baseline  the baseline pods' mean allocated bytes per second, all sites
 * @param sites     the sites the median is over
 */
public record LoadEstimate(double ratio, double canary, double baseline, int sites) {
    public static final LoadEstimate NONE = new LoadEstimate(Double.NaN, Double.NaN, Double.NaN, 0);
    /** The least share of the baseline's allocated bytes a site needs to count. */
    static final double MIN_SITE_SHARE = 0.002;
    /** The fewest sites a median is taken over. */
    static final int MIN_SITES = 3;

    /** From the baseline's and the canary's allocation profiles ({@link ProfileType#ALLOC_BYTES}) of the window. */
    public static LoadEstimate fromAllocation(List<Observation> baseline, List<Observation> canary) {
        return fromAllocation(baseline, canary, FrameClassifier.defaults());
    }

    /** As {@link #fromAllocation(List, List)}, a site being the deepest frame {@code frames} calls the application's. */
    public static LoadEstimate fromAllocation(List<Observation> baseline, List<Observation> canary, FrameClassifier frames) {
        Map<String, Double> b = siteRates(baseline, frames);
        Map<String, Double> c = siteRates(canary, frames);
        if (b == null || c == null) {
            return NONE;
        }
        double bTotal = b.values().stream().mapToDouble(Double::doubleValue).sum();
        double cTotal = c.values().stream().mapToDouble(Double::doubleValue).sum();
        if (!(bTotal > 0) || !(cTotal > 0)) {
            return NONE;
        }
        List<Double> ratios = new ArrayList<>();
        for (Map.Entry<String, Double> site : b.entrySet()) {
            if (!site.getKey().isEmpty() && site.getValue() >= MIN_SITE_SHARE * bTotal) {
                ratios.add(c.getOrDefault(site.getKey(), 0.0) / site.getValue());
            }
        }
        if (ratios.size() < MIN_SITES) {
            return NONE;
        }
        ratios.sort(null);
        int n = ratios.size();
        double median = n % 2 == 1 ? ratios.get(n / 2) : (ratios.get(n / 2 - 1) + ratios.get(n / 2)) / 2;
        return new LoadEstimate(median, cTotal, bTotal, n);
    }

    /** Whether the estimate says the canary is lighter: below {@link MemoryGrowthAnalysis#LIGHTER_CANARY}. */
    boolean lighter() {
        return ratio < MemoryGrowthAnalysis.LIGHTER_CANARY;
    }

    /**
     * Per site (deepest application frame; "" for stacks with none), the mean over pods of allocated bytes per second;
     * null when a pod has no allocation profile with a duration.
     */
    private static Map<String, Double> siteRates(List<Observation> observations, FrameClassifier frames) {
        Map<String, Map<String, Double>> bytesByPod = new LinkedHashMap<>();
        Map<String, Double> seconds = new HashMap<>();
        Map<String, String> siteOf = new HashMap<>(); // function name → its class, asked once
        for (Observation o : observations) {
            Profile profile = o.profile();
            int column = profile.sampleTypeIndex(ProfileType.ALLOC_BYTES);
            Map<String, Double> pod = bytesByPod.computeIfAbsent(o.instance(), k -> new HashMap<>());
            if (column < 0 || profile.durationNanos() <= 0) {
                continue;
            }
            seconds.merge(o.instance(), profile.durationNanos() / 1e9, Double::sum);
            for (int s = 0; s < profile.stackCount(); s++) {
                long value = profile.value(s, column);
                if (value <= 0) {
                    continue;
                }
                String site = "";
                for (int d = 0; d < profile.stackDepth(s); d++) { // leaf first: the deepest application frame
                    String function = profile.functionName(profile.stackFunction(s, d));
                    if (!siteOf.computeIfAbsent(function, f -> LeakSites.isApplicationFrame(f, frames) ? f : "").isEmpty()) {
                        site = function;
                        break;
                    }
                }
                pod.merge(site, (double) value, Double::sum);
            }
        }
        if (bytesByPod.isEmpty()) {
            return null;
        }
        Map<String, Double> rates = new HashMap<>();
        for (Map.Entry<String, Map<String, Double>> pod : bytesByPod.entrySet()) {
            Double s = seconds.get(pod.getKey());
            if (s == null || !(s > 0)) {
                return null;
            }
            for (Map.Entry<String, Double> site : pod.getValue().entrySet()) {
                rates.merge(site.getKey(), site.getValue() / s / bytesByPod.size(), Double::sum);
            }
        }
        return rates;
    }
}
