package io.canaryjudge.judge.memory;

import io.canaryjudge.judge.FrameClass;
import io.canaryjudge.judge.FrameClassifier;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.FunctionTotals;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Names where a growing canary's extra live objects were allocated, from live-object profiles
 * ({@code live_bytes}, else {@code live_objects}): per frame, its inclusive share of each canary pod's live
 * set, averaged over the canary's pods, against the <em>highest</em> share any one baseline observation
 * gave it; the application frame whose share rose the most names the site. The highest, not the average:
 * live objects whose share depends on a JVM's age (a cache warming in every young JVM, 45 % of a young
 * live set and 15 % of an old one) are matched by the baseline window of that age — history holds windows
 * of several ages — instead of averaged away by older windows and named as a young canary's leak (the
 * recorded young canaries of docs/EVALUATION.md: site named first 89.7 → 100 % for the slowest leak). A
 * leak's frame, absent from every baseline window, rises by its whole share either way. Frames above it (a request handler, {@code main}) rise by as much, so among the frames within
 * {@value #NEAR_TOP} of the largest rise the most specific one — the smallest share of the canary's
 * live set, i.e. the deepest — is chosen: {@code SessionRegistry.register}, not the handler calling it.
 * JDK and library frames below it (the map's node, the byte array) are detail, as for incidents. When no
 * application frame rose within {@value #NEAR_TOP} of the largest rise of a library frame (the rise is in
 * library code whose application caller is the root of the whole live set, so its share hardly moves), the
 * deepest application frame on the path to that library frame names the site instead. Whose code a frame is comes from the judge's {@link FrameClassifier} ({@code applicationPackages},
 * {@code libraryPackages}), so the MEMORY_GROWTH incident is named like every other.
 */
public final class LeakSites {
    /** Frames whose rise is at least this fraction of the largest rise compete for the name. */
    static final double NEAR_TOP = 0.8;

    private LeakSites() {
    }

    /**
     * @param frames whose code a frame is: only application frames name the site
     * @return the site, or null when neither group has live-object profiles or no application frame's share rose
     */
    public static LeakSite find(List<Observation> baseline, List<Observation> canary, FrameClassifier frames) {
        OldShares before = OldShares.of(baseline);
        OldShares after = OldShares.of(canary);
        LeakSite byAge = before == null || after == null ? null : findOld(before, after, canary, frames);
        if (byAge != null && byAge.oldObjects().beyondNoise()) {
            return byAge;
        }
        ProfileType type = has(baseline, ProfileType.LIVE_BYTES) && has(canary, ProfileType.LIVE_BYTES)
                ? ProfileType.LIVE_BYTES
                : has(baseline, ProfileType.LIVE_OBJECTS) && has(canary, ProfileType.LIVE_OBJECTS) ? ProfileType.LIVE_OBJECTS
                : null;
        LeakSite byShares = type == null ? null : type == ProfileType.LIVE_OBJECTS ? findCounts(baseline, canary, frames)
                : find(baseline, canary, frames, type, function -> true);
        if (byShares == null || before == null || after == null || byShares.profileType() != ProfileType.LIVE_OBJECTS) {
            // live bytes (the JDK's samples carry sizes from JDK 22): their bytes per second are weighed against the
            // growth instead (MemoryGrowthAnalysis.unexplained)
            return byShares;
        }
        // Counts only, with ages, and none rose beyond the noise: the shares' site is kept (qa72's broken-100 is named right
        // there) with what its old objects were, so the finding says the ages do not confirm it (MemoryFindings.siteWords).
        return new LeakSite(byShares.function(), byShares.callPath(), byShares.profileType(), byShares.baselineShare(),
                byShares.canaryShare(), byShares.risePerSecond(), oldObjects(before, after, byShares.function(), false),
                byShares.untold());
    }

    /**
     * How many times the noise a frame's share of sampled live objects must stand above the baseline pods' mean to be
     * named from counts ({@link #findCounts}): qa72's factor for ages ({@link #MIN_OLD_RISE}), not chosen anew.
     */
    static final double MIN_COUNT_RISE = 3;

    /**
     * The site of a growing canary from live-object counts only ({@code live_objects}: the JDK's old-object samples, a few
     * hundred objects per recording, with no bytes per second to weigh against the growth as live bytes are,
     * {@code MemoryGrowthAnalysis.unexplained}): as {@link #find(List, List, FrameClassifier, ProfileType, Predicate)}, but
     * among the frames whose share stands out of the baseline pods' spread only — above every baseline observation's and
     * at least {@value #MIN_COUNT_RISE} times the noise above the baseline pods' mean, the noise being the spread of the
     * pods' shares, never less than a recording's sampling noise (binomial, at the baseline's mean share, over the
     * canary's sampled objects per recording) nor one sample. The JDK's sampler keeps its first minutes' samples, so a
     * pod's shares hardly move from minute to minute while pods differ by several points (qa72: {@code ProductCatalog.load}
     * 52.9-59.8 % in the baseline pods): the largest rise over the highest baseline pod was, for {@code half-100}, the
     * catalog every pod warms (65 %, 2.4 spreads), a frame the leak does not allocate in (docs/EVALUATION.md "(qa78)"). When
     * no frame stands out, the shares' site is returned with the frames looked at ({@link LeakSite#untold()}), so the
     * finding says the site could not be told instead of naming it.
     *
     * @return the site, the shares' site with the candidates when none stands out, or null when no application frame's
     *         share rose
     */
    private static LeakSite findCounts(List<Observation> baseline, List<Observation> canary, FrameClassifier frames) {
        LeakSite byShares = find(baseline, canary, frames, ProfileType.LIVE_OBJECTS, function -> true);
        if (byShares == null) {
            return null;
        }
        CountNoise noise = CountNoise.of(baseline, canary);
        LeakSite told = find(baseline, canary, frames, ProfileType.LIVE_OBJECTS, noise::standsOut);
        if (told != null) {
            return told;
        }
        return new LeakSite(byShares.function(), byShares.callPath(), byShares.profileType(), byShares.baselineShare(),
                byShares.canaryShare(), byShares.risePerSecond(), null, noise.candidates(byShares.function(), frames));
    }

    /**
     * Per frame, its share of each baseline pod's sampled live objects (the pod's observations pooled) and of the canary's
     * (the pods' mean), with the canary's sampled objects per recording: whether a frame's share stands out of the
     * baseline pods' spread ({@link #findCounts}).
     */
    private record CountNoise(List<Map<String, Double>> baselinePods, Map<String, Double> highest,
                              Map<String, Double> canary, double sampledPerRecording) {
        static CountNoise of(List<Observation> baseline, List<Observation> canary) {
            List<Map<String, Double>> pods = new ArrayList<>();
            Map<String, List<Observation>> byPod = new LinkedHashMap<>();
            for (Observation o : baseline) {
                byPod.computeIfAbsent(o.instance(), k -> new ArrayList<>()).add(o);
            }
            for (List<Observation> pod : byPod.values()) {
                Map<String, Double> shares = shares(pod, ProfileType.LIVE_OBJECTS);
                if (!shares.isEmpty()) {
                    pods.add(shares);
                }
            }
            double sampled = 0;
            int recordings = 0;
            for (Observation o : canary) {
                FunctionTotals totals = o.profile().functionTotals(ProfileType.LIVE_OBJECTS);
                if (totals != null && totals.total() > 0) {
                    sampled += totals.total();
                    recordings++;
                }
            }
            return new CountNoise(pods, highestShares(baseline, ProfileType.LIVE_OBJECTS),
                    shares(canary, ProfileType.LIVE_OBJECTS), recordings == 0 ? 1 : sampled / recordings);
        }

        double mean(String function) {
            double sum = 0;
            for (Map<String, Double> pod : baselinePods) {
                sum += pod.getOrDefault(function, 0.0);
            }
            return baselinePods.isEmpty() ? 0 : sum / baselinePods.size();
        }

        /** The baseline pods' spread there, never less than a recording's sampling noise nor one sample (shares, 0..1). */
        double noise(String function) {
            double m = mean(function);
            double sum = 0;
            for (Map<String, Double> pod : baselinePods) {
                double d = pod.getOrDefault(function, 0.0) - m;
                sum += d * d;
            }
            double spread = baselinePods.size() > 1 ? Math.sqrt(sum / (baselinePods.size() - 1)) : 0;
            double sampling = Math.sqrt(m * (1 - m) / sampledPerRecording);
            return Math.max(spread, Math.max(sampling, 1 / sampledPerRecording));
        }

        /** How many times the noise the canary's share is above the baseline pods' mean. */
        double noises(String function) {
            return (canary.getOrDefault(function, 0.0) - mean(function)) / noise(function);
        }

        boolean standsOut(String function) {
            return canary.getOrDefault(function, 0.0) > highest.getOrDefault(function, 0.0)
                    && noises(function) >= MIN_COUNT_RISE;
        }

        /**
         * The application frames whose canary share rose above every baseline observation's, most standing out first, at
         * most {@value #CANDIDATES} and the shares' site; of frames with the same share (a caller whose every
         * sampled object goes through one callee) the first only.
         */
        List<LeakSite.Candidate> candidates(String sharesSite, FrameClassifier frames) {
            List<String> rising = new ArrayList<>();
            for (Map.Entry<String, Double> frame : canary.entrySet()) {
                if (frame.getValue() > highest.getOrDefault(frame.getKey(), 0.0)
                        && isApplicationFrame(frame.getKey(), frames)) {
                    rising.add(frame.getKey());
                }
            }
            // most standing out first; of equal standing, the smaller share (the deeper frame), then the name
            rising.sort(java.util.Comparator.comparingDouble((String f) -> -noises(f))
                    .thenComparingDouble(f -> canary.get(f)).thenComparing(f -> f));
            List<LeakSite.Candidate> out = new ArrayList<>();
            for (String function : rising) {
                boolean tie = out.stream().anyMatch(c -> Math.abs(c.canaryShare() - canary.get(function)) < 1e-9);
                if (!tie && out.size() < CANDIDATES) {
                    out.add(candidate(function));
                }
            }
            if (out.stream().noneMatch(c -> c.function().equals(sharesSite))) {
                out.add(candidate(sharesSite));
            }
            return out;
        }

        private LeakSite.Candidate candidate(String function) {
            double low = Double.MAX_VALUE;
            double high = 0;
            for (Map<String, Double> pod : baselinePods) {
                low = Math.min(low, pod.getOrDefault(function, 0.0));
                high = Math.max(high, pod.getOrDefault(function, 0.0));
            }
            return new LeakSite.Candidate(function, canary.getOrDefault(function, 0.0),
                    baselinePods.isEmpty() ? 0 : low, high, noises(function));
        }

        /** The frames a finding lists when none stands out. */
        static final int CANDIDATES = 3;
    }

    /**
     * Where a canary whose {@code native} area grows keeps the native memory: the same reading of {@code malloc_leak_bytes}
     * (sampled native blocks not freed by the recording's end, async-profiler's {@code nativemem}) as of live objects,
     * named only when the site's share of those bytes rose by at least {@value #MIN_NATIVE_SITE_RISE}. Most of a JVM's
     * unfreed native bytes are its own (compiler arenas, no Java frame), sampled every 64 KiB in a few dozen samples a
     * minute, so one sample under an application frame is 5 to 10 % of a pod's minute: the qa48 stable pods' application
     * frames held 0 to 18 % of their 5 minutes (a GC notification, a deoptimisation below a request), the leaking pods'
     * allocating method 77 to 90 %. A growth the native code of the JVM itself explains names no site rather than a
     * sample's frame.
     *
     * @return the site, or null when either group has no such profile or no application frame's share rose enough
     */
    public static LeakSite findNative(List<Observation> baseline, List<Observation> canary, FrameClassifier frames) {
        if (!has(baseline, ProfileType.MALLOC_LEAK_BYTES) || !has(canary, ProfileType.MALLOC_LEAK_BYTES)) {
            return null;
        }
        LeakSite site = find(baseline, canary, frames, ProfileType.MALLOC_LEAK_BYTES, function -> true);
        return site == null || site.canaryShare() - site.baselineShare() < MIN_NATIVE_SITE_RISE ? null : site;
    }

    /**
     * Where a canary keeps objects longer than the baseline does, from the ages the JDK's old-object samples carry
     * ({@code old_live_objects}: sampled live objects allocated at least {@value ProfileType#OLD_OBJECT_AGE_MINUTES} min
     * before their recording was written): the application frame whose share of a recording's sampled live objects that
     * are old rose the most beyond the highest share one baseline recording gave it. Shares of all live objects cannot
     * tell a cache whose expiry broke: one-minute recordings hold the baseline's expired entries not yet collected as
     * live as the leak's kept ones (qa66: {@code IdempotencyKeys.remember} as many live bytes per second in baseline and
     * leaking pods). Ages can: the baseline's entries there die within the expiry and the next collections, the leak's
     * grow older every minute (qa72, docs/EVALUATION.md "A broken cache named by object age"). A frame is named only when
     * its share is above every baseline recording's and at least {@value #MIN_OLD_RISE} times the noise above the baseline
     * pods' mean: the spread of the baseline pods' shares, never less than one sample of a recording's (the JDK keeps a
     * few hundred sampled objects: {@code old-object-queue-size}, 256 by default). Chosen after seeing one recording (qa72's
     * {@code broken-100}, 3 baseline pods: 3.1 spreads above their mean over its minutes 19, 24 and 29, 2.8 over every
     * minute's recording of minutes 15-30 — at the edge; above the highest baseline recording by less than 3 spreads).
     *
     * @return the site, or null when either group's profiles hold no ages (async-profiler's live objects, pprof) or no
     *         application frame holds old objects beyond the baseline's
     */
    private static LeakSite findOld(OldShares before, OldShares after, List<Observation> canary, FrameClassifier frames) {
        Map<String, Double> highest = before.highest();
        Map<String, Double> rising = new HashMap<>(); // frame → canary share, for frames whose rise is beyond the noise
        for (Map.Entry<String, Double> frame : after.mean().entrySet()) {
            String function = frame.getKey();
            // above every baseline recording, and MIN_OLD_RISE times the noise above the baseline pods' mean
            double aboveHighest = frame.getValue() - highest.getOrDefault(function, 0.0);
            double aboveMean = frame.getValue() - before.mean().getOrDefault(function, 0.0);
            double noise = Math.max(before.podSpread(function), 1 / after.sampled());
            if (aboveHighest > 0 && aboveMean >= MIN_OLD_RISE * noise && isApplicationFrame(function, frames)) {
                rising.put(function, frame.getValue());
            }
        }
        double top = topRise(highest, rising, function -> true);
        if (top <= 0) {
            return null;
        }
        String best = mostSpecific(highest, rising, top, function -> true, canary, ProfileType.OLD_LIVE_OBJECTS);
        return new LeakSite(best, hottestPath(canary, ProfileType.OLD_LIVE_OBJECTS, best), ProfileType.OLD_LIVE_OBJECTS,
                highest.getOrDefault(best, 0.0), rising.get(best), Double.NaN, oldObjects(before, after, best, true));
    }

    private static OldObjects oldObjects(OldShares before, OldShares after, String function, boolean beyondNoise) {
        return new OldObjects(after.meanOld(function), after.sampled(), before.mostOld(function),
                before.sampledWhereMost(function), before.podSpread(function) * after.sampled(),
                ProfileType.OLD_OBJECT_AGE_MINUTES, beyondNoise);
    }

    /** How many times the noise a frame's share of old sampled objects must rise by to be named ({@link #findOld}). */
    static final double MIN_OLD_RISE = 3;

    /**
     * Per frame, the share of each recording's sampled live objects that are old ({@code old_live_objects} over
     * {@code live_objects}): the canary pods' mean (each pod's recordings averaged), the highest of one recording, and the
     * spread of the pods' means; with the counts the words give.
     */
    private record OldShares(Map<String, Double> mean, Map<String, Double> highest, Map<String, Double> podSpreads,
                             Map<String, Double> meanOld, Map<String, Most> most, double sampled) {
        /** The recording where a frame's share of old sampled objects was highest: its old objects there, of its sampled. */
        record Most(double old, double sampled) {
        }

        double podSpread(String function) {
            return podSpreads.getOrDefault(function, 0.0);
        }

        double meanOld(String function) {
            return meanOld.getOrDefault(function, 0.0);
        }

        double mostOld(String function) {
            Most m = most.get(function);
            return m == null ? 0 : m.old();
        }

        double sampledWhereMost(String function) {
            Most m = most.get(function);
            return m == null ? sampled : m.sampled();
        }

        /** Null when no observation has both columns with samples (recordings without ages). */
        static OldShares of(List<Observation> observations) {
            Map<String, List<Map<String, Double>>> byPod = new LinkedHashMap<>(); // pod → per recording: frame → share
            Map<String, Double> highest = new HashMap<>();
            Map<String, Most> most = new HashMap<>(); // frame → the recording with its highest share
            Map<String, Double> oldSum = new HashMap<>();
            double sampledSum = 0;
            int recordings = 0;
            for (Observation o : observations) {
                FunctionTotals live = o.profile().functionTotals(ProfileType.LIVE_OBJECTS);
                FunctionTotals old = o.profile().functionTotals(ProfileType.OLD_LIVE_OBJECTS);
                if (live == null || old == null || live.total() <= 0) {
                    continue;
                }
                double sampled = live.total();
                Map<String, Double> shares = new HashMap<>();
                for (int f = 0; f < old.functionCount(); f++) {
                    long count = old.inclusive(f);
                    if (count > 0) {
                        String function = old.functionName(f);
                        shares.put(function, count / sampled);
                        oldSum.merge(function, (double) count, Double::sum);
                        if (count / sampled > highest.getOrDefault(function, -1.0)) {
                            highest.put(function, count / sampled);
                            most.put(function, new Most(count, sampled));
                        }
                    }
                }
                byPod.computeIfAbsent(o.instance(), k -> new ArrayList<>()).add(shares);
                sampledSum += sampled;
                recordings++;
            }
            if (recordings == 0) {
                return null;
            }
            Map<String, Double> mean = new HashMap<>();
            List<Map<String, Double>> podMeans = new ArrayList<>();
            for (List<Map<String, Double>> pod : byPod.values()) {
                Map<String, Double> podMean = new HashMap<>();
                for (Map<String, Double> recording : pod) {
                    recording.forEach((f, share) -> podMean.merge(f, share / pod.size(), Double::sum));
                }
                podMeans.add(podMean);
                podMean.forEach((f, share) -> mean.merge(f, share / byPod.size(), Double::sum));
            }
            Map<String, Double> spreads = new HashMap<>();
            if (podMeans.size() > 1) {
                for (String function : mean.keySet()) {
                    double m = mean.get(function);
                    double sum = 0;
                    for (Map<String, Double> pod : podMeans) {
                        double d = pod.getOrDefault(function, 0.0) - m;
                        sum += d * d;
                    }
                    spreads.put(function, Math.sqrt(sum / (podMeans.size() - 1)));
                }
            }
            Map<String, Double> meanOld = new HashMap<>();
            int n = recordings;
            oldSum.forEach((f, sum) -> meanOld.put(f, sum / n));
            return new OldShares(mean, highest, spreads, meanOld, most, sampledSum / recordings);
        }
    }

    /**
     * Where a canary whose {@code goroutines} area grows keeps the extra goroutines: per frame, its share of the canary's
     * goroutines outside net/http's connection serving ({@link ConnectionGoroutines}; Go's goroutine profile: each goroutine once, by the stack it is parked or running in) against the
     * highest share any baseline observation gave it, as for live objects; the deepest application frame whose share
     * rose the most is the function the leaked goroutines run and wait in (below it only Go's runtime: {@code
     * runtime.chanrecv1}, {@code runtime.gopark}). Named only when its share rose by at least
     * {@value #MIN_NATIVE_SITE_RISE}: a healthy pod's few dozen goroutines move by a worker or two between profiles.
     *
     * @return the site, or null when either group has no goroutine profile or no application frame's share rose enough
     */
    public static LeakSite findGoroutines(List<Observation> baseline, List<Observation> canary, FrameClassifier frames) {
        if (!has(baseline, ProfileType.GOROUTINES) || !has(canary, ProfileType.GOROUTINES)) {
            return null;
        }
        // among the goroutines outside net/http's connection serving: a weight step's idle connections would
        // otherwise drown a leak's share (qa77)
        LeakSite site = find(ConnectionGoroutines.withoutConnections(baseline, frames),
                ConnectionGoroutines.withoutConnections(canary, frames), frames, ProfileType.GOROUTINES,
                function -> true);
        return site == null || site.canaryShare() - site.baselineShare() < MIN_NATIVE_SITE_RISE ? null : site;
    }

    /** The least rise of a native site's share of the sampled native bytes not freed (0..1) that names it. */
    static final double MIN_NATIVE_SITE_RISE = 0.25;

    /** @param eligible frames that may be named (or whose rise, in library code, names its application caller) */
    private static LeakSite find(List<Observation> baseline, List<Observation> canary, FrameClassifier frames,
                                 ProfileType type, Predicate<String> eligible) {
        Map<String, Double> highest = highestShares(baseline, type);
        Map<String, Double> after = shares(canary, type);
        // What a frame is measured against: its highest baseline share, or more where its live bytes per second are not
        // above the highest any baseline observation had (the reported baseline share stays the highest share).
        // goroutines are a count at an instant, not bytes per second: their shares alone
        Rates rates = type == ProfileType.MALLOC_LEAK_BYTES || type == ProfileType.GOROUTINES ? null
                : Rates.of(baseline, canary, type);
        Map<String, Double> before = rates == null ? highest : beyondBaselineRates(highest, after, rates);
        Predicate<String> application = function -> isApplicationFrame(function, frames) && eligible.test(function);
        double top = topRise(before, after, application);
        // Library frames only: the JDK's helpers (Arrays.copyOf, HashMap nodes) serve every caller, and their
        // shares move with the whole live set.
        Predicate<String> library = function -> frames.classify(function) == FrameClass.LIBRARY && eligible.test(function);
        double topLibrary = topRise(before, after, library);
        if (top <= 0 && topLibrary <= 0) {
            return null;
        }
        if (top < NEAR_TOP * topLibrary) {
            // The rise sits below the application's frames (in a package declared a library, say) and the frame
            // calling it is the root of most of the live set, so its own share hardly moves: name the deepest
            // application frame on the path to the frame that rose, as an incident names its entry frame.
            String risen = mostSpecific(before, after, topLibrary, library, canary, type);
            List<String> path = hottestPath(canary, type, risen);
            for (int i = path.size() - 1; i >= 0; i--) {
                String function = path.get(i);
                if (isApplicationFrame(function, frames)) {
                    // the bytes that rose are under the library frame, not beside it: its rise is the site's
                    return new LeakSite(function, path.subList(0, i + 1), type, highest.getOrDefault(function, 0.0),
                            after.getOrDefault(function, 0.0), rates == null ? Double.NaN : rates.beyond(risen));
                }
            }
            return null;
        }
        String best = mostSpecific(before, after, top, application, canary, type);
        return new LeakSite(best, hottestPath(canary, type, best), type, highest.getOrDefault(best, 0.0), after.get(best),
                rates == null ? Double.NaN : rates.beyond(best));
    }

    /**
     * Each frame's reference share raised so that its rise counts only the live bytes per second it holds beyond the
     * highest any one baseline observation held (as a share of the canary's live bytes per second): a frame's rise is
     * the lesser of its rise in share and its rise in bytes per second. At the baseline's load the two agree. In a
     * lighter canary (a weighted router's 25 %) fixed-rate work — the metrics scrape's objects, timers — keeps its
     * bytes per second while the per-request live set shrinks, so its share rises three- or fourfold with nothing
     * retained: qa56's leak at 25 %, judged per hour, was named at the scrape's {@code MemoryPod.lambda$main$0} in
     * 10 of 10 failing windows (share 2 % of the baseline's, 7 % of the canary's, 14-18 KB/s in both), never at the
     * leak's {@code SessionRegistry.register} (0 → 3 KB/s). docs/EVALUATION.md "(qa64)". Observations without a
     * duration leave the shares alone.
     */
    private static Map<String, Double> beyondBaselineRates(Map<String, Double> highest, Map<String, Double> after,
                                                           Rates rates) {
        if (rates == null) {
            return highest;
        }
        Map<String, Double> reference = new HashMap<>(highest);
        for (Map.Entry<String, Double> frame : after.entrySet()) {
            String function = frame.getKey();
            double beyond = rates.beyond(function) / rates.canaryTotal();
            reference.put(function, Math.max(highest.getOrDefault(function, 0.0), frame.getValue() - beyond));
        }
        return reference;
    }

    /**
     * Live bytes per second per frame: the highest one baseline observation held, and the canary pods' mean (each pod's
     * observations pooled), with the canary's in all.
     */
    private record Rates(Map<String, Double> baseline, Map<String, Double> canary, double canaryTotal) {
        /** The canary's bytes per second at {@code function} beyond the highest of one baseline observation. */
        double beyond(String function) {
            return canary.getOrDefault(function, 0.0) - baseline.getOrDefault(function, 0.0);
        }

        /** Null when an observation has no duration or either group has no such profile. */
        static Rates of(List<Observation> baseline, List<Observation> canary, ProfileType type) {
            Map<String, Double> baselineRates = new HashMap<>(); // frame → highest bytes per second of one observation
            for (Observation o : baseline) {
                FunctionTotals totals = o.profile().functionTotals(type);
                if (totals == null || totals.total() <= 0) {
                    continue;
                }
                double seconds = o.profile().durationNanos() / 1e9;
                if (!(seconds > 0)) {
                    return null;
                }
                for (int f = 0; f < totals.functionCount(); f++) {
                    if (totals.inclusive(f) > 0) {
                        baselineRates.merge(totals.functionName(f), totals.inclusive(f) / seconds, Math::max);
                    }
                }
            }
            Map<String, Map<String, Double>> bytesByPod = new LinkedHashMap<>();
            Map<String, double[]> podTotals = new HashMap<>(); // pod → {bytes, seconds}
            for (Observation o : canary) {
                FunctionTotals totals = o.profile().functionTotals(type);
                if (totals == null || totals.total() <= 0) {
                    continue;
                }
                double seconds = o.profile().durationNanos() / 1e9;
                if (!(seconds > 0)) {
                    return null;
                }
                double[] pod = podTotals.computeIfAbsent(o.instance(), k -> new double[2]);
                pod[0] += totals.total();
                pod[1] += seconds;
                Map<String, Double> bytes = bytesByPod.computeIfAbsent(o.instance(), k -> new HashMap<>());
                for (int f = 0; f < totals.functionCount(); f++) {
                    if (totals.inclusive(f) > 0) {
                        bytes.merge(totals.functionName(f), (double) totals.inclusive(f), Double::sum);
                    }
                }
            }
            if (bytesByPod.isEmpty() || baselineRates.isEmpty()) {
                return null;
            }
            Map<String, Double> canaryRates = new HashMap<>();
            double canaryTotal = 0;
            for (Map.Entry<String, Map<String, Double>> pod : bytesByPod.entrySet()) {
                double seconds = podTotals.get(pod.getKey())[1];
                canaryTotal += podTotals.get(pod.getKey())[0] / seconds / bytesByPod.size();
                for (Map.Entry<String, Double> frame : pod.getValue().entrySet()) {
                    canaryRates.merge(frame.getKey(), frame.getValue() / seconds / bytesByPod.size(), Double::sum);
                }
            }
            return new Rates(baselineRates, canaryRates, canaryTotal);
        }
    }

    /** The largest rise of a frame's share among the frames {@code eligible} accepts; 0 when none rose. */
    private static double topRise(Map<String, Double> before, Map<String, Double> after,
                                  Predicate<String> eligible) {
        double top = 0;
        for (Map.Entry<String, Double> entry : after.entrySet()) {
            double rise = entry.getValue() - before.getOrDefault(entry.getKey(), 0.0);
            if (rise > top && eligible.test(entry.getKey())) {
                top = rise;
            }
        }
        return top;
    }

    /**
     * Among the eligible frames whose rise is within {@link #NEAR_TOP} of {@code top}, the smallest share (deepest). Of
     * two with the same share — a caller all of whose sampled value goes through one callee, as a pod's main loop above
     * the one request method that leaked in a short recording — the callee: the caller is on the callee's hottest path.
     * (Before, the name's alphabetical order chose, and named {@code MemoryPod.main} for a native leak in
     * {@code NonHeapLeaks.nativeBlock}.)
     */
    private static String mostSpecific(Map<String, Double> before, Map<String, Double> after, double top,
                                       Predicate<String> eligible, List<Observation> canary, ProfileType type) {
        String best = null;
        // A frame's hottest path walks every canary stack: each is computed once, however many frames tie.
        Map<String, List<String>> hottest = new HashMap<>();
        for (Map.Entry<String, Double> entry : after.entrySet()) {
            String function = entry.getKey();
            double rise = entry.getValue() - before.getOrDefault(function, 0.0);
            if (rise < NEAR_TOP * top || !eligible.test(function)) {
                continue;
            }
            if (best == null || entry.getValue() < after.get(best)) {
                best = function;
            } else if (entry.getValue().equals(after.get(best))) {
                boolean deeper = hottest.computeIfAbsent(function, f -> hottestPath(canary, type, f)).contains(best);
                boolean shallower = hottest.computeIfAbsent(best, f -> hottestPath(canary, type, f)).contains(function);
                if (deeper && !shallower || deeper == shallower && function.compareTo(best) < 0) {
                    best = function;
                }
            }
        }
        return best;
    }

    /**
     * The observations that start at or after their pod's time in {@code keepAfter} (epoch milliseconds):
     * a young pod's warm-up is left out of its live set as of its heap. Observations of other pods, and
     * without a start time, are kept.
     */
    public static List<Observation> after(List<Observation> observations, Map<String, Long> keepAfter) {
        if (keepAfter.isEmpty()) {
            return observations;
        }
        List<Observation> kept = new ArrayList<>();
        for (Observation o : observations) {
            Long from = keepAfter.get(o.instance());
            long start = o.profile().startEpochNanos() / 1_000_000;
            if (from == null || start <= 0 || start >= from) {
                kept.add(o);
            }
        }
        return kept;
    }

    /**
     * Whether a frame is the application's own Java code: {@link FrameClass#APPLICATION} and a
     * {@code Class.method} name (not a thread or a profiler's marker frame such as {@code [unknown]}).
     */
    static boolean isApplicationFrame(String function, FrameClassifier frames) {
        return frames.classify(function) == FrameClass.APPLICATION && function.contains(".") && !function.startsWith("[");
    }

    private static boolean has(List<Observation> observations, ProfileType type) {
        for (Observation o : observations) {
            int column = o.profile().sampleTypeIndex(type);
            if (column >= 0 && o.profile().total(column) > 0) {
                return true;
            }
        }
        return false;
    }

    /** Per frame, its inclusive share of each pod's live set (observations of a pod pooled), averaged over pods. */
    private static Map<String, Double> shares(List<Observation> observations, ProfileType type) {
        Map<String, Map<String, Long>> inclusiveByPod = new LinkedHashMap<>();
        Map<String, Long> totalByPod = new HashMap<>();
        for (Observation o : observations) {
            FunctionTotals totals = o.profile().functionTotals(type);
            if (totals == null || totals.total() <= 0) {
                continue;
            }
            Map<String, Long> pod = inclusiveByPod.computeIfAbsent(o.instance(), k -> new HashMap<>());
            totalByPod.merge(o.instance(), totals.total(), Long::sum);
            for (int f = 0; f < totals.functionCount(); f++) {
                long inclusive = totals.inclusive(f);
                if (inclusive > 0) {
                    pod.merge(totals.functionName(f), inclusive, Long::sum);
                }
            }
        }
        Map<String, Double> shares = new HashMap<>();
        for (Map.Entry<String, Map<String, Long>> pod : inclusiveByPod.entrySet()) {
            double total = totalByPod.get(pod.getKey());
            for (Map.Entry<String, Long> frame : pod.getValue().entrySet()) {
                shares.merge(frame.getKey(), frame.getValue() / total / inclusiveByPod.size(), Double::sum);
            }
        }
        return shares;
    }

    /** Per frame, the highest inclusive share of the live set any one observation gave it. */
    private static Map<String, Double> highestShares(List<Observation> observations, ProfileType type) {
        Map<String, Double> shares = new HashMap<>();
        for (Observation o : observations) {
            FunctionTotals totals = o.profile().functionTotals(type);
            if (totals == null || totals.total() <= 0) {
                continue;
            }
            double total = totals.total();
            for (int f = 0; f < totals.functionCount(); f++) {
                long inclusive = totals.inclusive(f);
                if (inclusive > 0) {
                    shares.merge(totals.functionName(f), inclusive / total, Math::max);
                }
            }
        }
        return shares;
    }

    /** The root-to-{@code function} path carrying the most live value in the observations. */
    private static List<String> hottestPath(List<Observation> observations, ProfileType type, String function) {
        Map<List<String>, Long> paths = new HashMap<>();
        for (Observation o : observations) {
            Profile profile = o.profile();
            int column = profile.sampleTypeIndex(type);
            if (column < 0) {
                continue;
            }
            for (int s = 0; s < profile.stackCount(); s++) {
                long value = profile.value(s, column);
                if (value <= 0) {
                    continue;
                }
                int depth = profile.stackDepth(s);
                for (int d = 0; d < depth; d++) { // leaf first: the deepest occurrence of the function
                    if (profile.functionName(profile.stackFunction(s, d)).equals(function)) {
                        List<String> path = new ArrayList<>(depth - d);
                        for (int up = depth - 1; up >= d; up--) {
                            path.add(profile.functionName(profile.stackFunction(s, up)));
                        }
                        paths.merge(path, value, Long::sum);
                        break;
                    }
                }
            }
        }
        return paths.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(List.of(function));
    }
}
