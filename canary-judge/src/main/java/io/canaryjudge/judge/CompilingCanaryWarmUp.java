package io.canaryjudge.judge;

import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * A canary pod's first slices while its JVM is still compiling its code are its warm-up, found from the profiles
 * themselves: pure, no I/O. Argo Rollouts' and Flagger's first analysis looks at canary pods a minute or a few old, so
 * their profiles begin with the JVM's start; until the JIT has compiled the hot code, the application's own methods
 * (and the JDK code they call) run interpreted or as C1 code, and cost more than in the warm baseline pods — real CPU
 * in application frames, not in JVM frames the judge reports apart (recorded shop canaries started with the window:
 * {@code OrderSerializer.toJson} +68 to +98 % of CPU with its callees in every 3 + 3 and history case, FAIL). The
 * service leaves out a young canary's first {@code warmup} when its source says when the pod started; a CLI user's
 * pprof slices say nothing of that, and a pod started just before the window is not seen as young there either.
 *
 * <p>What shows a JVM compiling is its JIT compiler threads' CPU: a canary slice whose stacks in JIT compilation
 * ({@link NativeFrameNames#jvmActivity}) are credibly more than the baseline pods' rate of it (binomial, p ≤
 * {@code maxQValue}) is warm-up, and so is every slice of the pod before it — the leading run of such slices, each
 * pod on its own, in time order. All types of those slices are left out (a young JVM's allocations differ too: the
 * interpreter calls what C2 intrinsifies), whichever types are judged. A slice after a quiet one is not warm-up: a
 * later burst of compilation (deoptimisation, a new code path, or a restart under the same pod name that no pause in
 * its profiles showed) is left to the judge, which reports JIT work apart, and is said in a warning naming the pod. Nor
 * is a slice starting {@link #LONGEST_WARM_UP_NANOS} or more after the pod's first: compiling that long is what the
 * pod's code does, not its warm-up.
 * Nothing is left out when a baseline pod's own first slice is compiling so, by at least {@link #ALIKE_WARM_UP_FRACTION}
 * of the canary's first-slice excess (a benchmark's runs, pods started with the canary's: both groups warm up alike and
 * compare as they are), nor without cpu columns or timestamps, nor with
 * {@code failOnJvmInternal} (JIT work may fail the canary).
 */
final class CompilingCanaryWarmUp {
    /**
     * How long after a pod's first slice its compiling can still be warm-up, in ns: 3 min. Recorded JVMs here were done
     * within 40 s (shop canaries: the JIT at 15–46 % of their CPU for 1–4 slices of 10 s; the Groovy script pods of
     * qa29 from 34–43 % to 0.2–18 % by their fourth); a pod compiling as much through a longer window is not warming
     * up but compiling what it makes while it serves (a Groovy rule parsed per request kept the JIT at 38–51 % of its
     * CPU), and leaving it out gave "judge a later window" in every window. Shorter than an analysis window of 5 min.
     */
    static final long LONGEST_WARM_UP_NANOS = 180_000_000_000L;

    /**
     * The part of the canary's first-slice JIT excess (its share above the baseline's rate, the busiest canary pod's) a
     * baseline pod's first slice must reach to count as warming up with it: 0.1. The shipped example's baseline pods,
     * started with its canaries, reach 0.31 (2.35 % against the baseline's 1.63 %, the canaries' first slices 3.95 %); a
     * warm pod's burst of recompilation reached 0.05 (4.2 % against 1.9 %, beside a young canary's 47 %) and turned the
     * warm-up rule off, so the young canary's interpreted code FAILed.
     */
    static final double ALIKE_WARM_UP_FRACTION = 0.1;

    /**
     * The fewest slices past {@link #LONGEST_WARM_UP_NANOS} that can show compiling not ending with the window: 3 (30 s
     * of 10 s slices). One busy slice there is as much a warm-up ending late (a young RoutingPod canary at a light load
     * compiled until 250 s) as a loop that never ends.
     */
    static final int SUSTAINED_MIN_SLICES = 3;

    /**
     * How much more of a slice's CPU than the baseline pods' rate its JIT compiler must take to begin a run of compiling
     * (a warm-up, a later burst) or to count towards compiling that does not end: 10 percentage points; the slices after
     * the first in a run need only be credibly busier (a warm-up's tail). Warm-up slices recorded here took 15-47 % (shop canaries, qa29's script pods, qa70's RoutingPod
     * canaries); warm pods' bursts of recompilation 4.0 % against 0.73 % (qa24's steady canary, its 19th slice), 4.2 %
     * against 1.9 %, and 10.0 % against 0.80 % (the recorded shop scenario cpu-regression-30's canary, its first slice:
     * left out, its +30 % rise PASSed). Significance alone took those for warm-up or a restart once the baseline's rate was
     * its compilers' alone (qa70: allocation slow paths had been counted as JIT, and raised the rate).
     */
    static final double MIN_EXCESS = 0.10;

    private CompilingCanaryWarmUp() {
    }

    /**
     * The canary observations kept, what was left out per pod, how many slices of all pods that was, and the canary pods
     * whose JIT compiler kept compiling from {@link #LONGEST_WARM_UP_NANOS} after their first slice to the window's end
     * (empty when none did).
     */
    record Result(List<Observation> kept, List<String> warnings, int leftOut, List<SustainedCompiling> sustained) {
        Result(List<Observation> kept, List<String> warnings, int leftOut) {
            this(kept, warnings, leftOut, List.of());
        }
    }

    /**
     * A canary pod whose JIT compiler was credibly busier than the baseline pods' in its first slice starting
     * {@link #LONGEST_WARM_UP_NANOS} or more after its first, in at least half of its slices from there on, and in its
     * last: compiling that does not end with the window.
     *
     * @param share         the JIT compiler's share of the pod's CPU in those slices (0-1)
     * @param baselineShare the baseline pods' share (0-1)
     * @param fromSeconds   when that run began, seconds after the pod's first slice
     * @param slices        how many slices it spans, to the window's end
     * @param recompiled    what the JDK's JIT events of those slices show it compiled, deoptimised or defined again and
     *                      again ({@link RecompiledCode}); {@link RecompiledCode.Evidence#NONE} when they carry none
     */
    record SustainedCompiling(String pod, double share, double baselineShare, long fromSeconds, int slices,
                              RecompiledCode.Evidence recompiled) {
        SustainedCompiling(String pod, double share, double baselineShare, long fromSeconds, int slices) {
            this(pod, share, baselineShare, fromSeconds, slices, RecompiledCode.Evidence.NONE);
        }
    }

    static Result apply(List<Observation> baseline, List<Observation> canary, JudgeConfig config) {
        if (config.failOnJvmInternal()) {
            return new Result(canary, List.of(), 0); // JIT work may fail the canary: nothing of it is left out
        }
        // Whether a function name is JIT compilation, shared by every profile: the names repeat across slices and pods.
        Map<String, Boolean> jitNames = new HashMap<>();
        double[] base = new double[2];
        for (Observation o : baseline) {
            double[] c = compiling(o.profile(), config.frames(), jitNames);
            if (c != null) {
                base[0] += c[0];
                base[1] += c[1];
            }
        }
        if (!(base[1] > 0)) {
            return new Result(canary, List.of(), 0);
        }
        // The baseline's rate of JIT work, with half a sample added so a baseline that never compiled in its samples
        // still has a rate a slice must credibly exceed.
        double rate = (base[0] + 0.5) / (base[1] + 1);
        // Baseline pods compiling at their own start (a benchmark's runs, pods started with the canary's) warm up as the
        // canary's do: the groups compare alike, and leaving out the canary's warm-up alone would not. A warm pod's
        // small burst in its first slice is no such start: it must compile a part of what the canary's first slices do.
        double canaryExcess = 0;
        for (TreeMap<Long, List<Observation>> slices : slicesByPod(canary).values()) {
            double[] first = compiling(slices.firstEntry().getValue(), config.frames(), jitNames);
            if (first != null && first[1] > 0) {
                canaryExcess = Math.max(canaryExcess, first[0] / first[1] - rate);
            }
        }
        for (TreeMap<Long, List<Observation>> slices : slicesByPod(baseline).values()) {
            double[] first = compiling(slices.firstEntry().getValue(), config.frames(), jitNames);
            if (first != null && credibly(first, rate, config.thresholds().maxQValue())
                    && first[0] / first[1] - rate >= ALIKE_WARM_UP_FRACTION * canaryExcess) {
                return new Result(canary, List.of(), 0);
            }
        }
        List<Observation> dropped = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<SustainedCompiling> sustained = new ArrayList<>();
        int leftOutSlices = 0;
        for (Map.Entry<String, TreeMap<Long, List<Observation>>> pod : slicesByPod(canary).entrySet()) {
            TreeMap<Long, List<Observation>> slices = pod.getValue();
            double compiled = 0;
            double samples = 0;
            int k = 0;
            long end = 0;
            double[] still = null;
            for (Map.Entry<Long, List<Observation>> timed : slices.entrySet()) {
                List<Observation> slice = timed.getValue();
                double[] c = compiling(slice, config.frames(), jitNames);
                if (c == null || !(k == 0 ? starts(c, rate, config.thresholds().maxQValue())
                        : credibly(c, rate, config.thresholds().maxQValue()))) {
                    break;
                }
                if (timed.getKey() - slices.firstKey() >= LONGEST_WARM_UP_NANOS) {
                    still = c;
                    break;
                }
                compiled += c[0];
                samples += c[1];
                dropped.addAll(slice);
                end = Math.max(end, slice.get(0).profile().startEpochNanos() + slice.get(0).profile().durationNanos());
                k++;
            }
            String later = laterCompiling(pod.getKey(), slices, k, rate, base, config, jitNames);
            if (later != null) {
                warnings.add(later);
            }
            if (still != null) {
                SustainedCompiling kept = sustained(pod.getKey(), slices, k, rate, base, config, jitNames, baseline);
                if (kept != null) {
                    sustained.add(kept);
                }
                warnings.add(String.format(Locale.ROOT, "canary pod %s: its JIT compiler was still credibly busier "
                                + "than the baseline pods' %d s after its first slice (%s of its CPU; the baseline pods: %s),"
                                + " longer than a JVM's warm-up: code compiled or generated while it serves (a script or"
                                + " class made per request, a deoptimisation loop) keeps it compiling, so its slices from"
                                + " then on were judged", pod.getKey(), LONGEST_WARM_UP_NANOS / 1_000_000_000L,
                        Summaries.share(still[0] / still[1]), Summaries.share(base[0] / base[1])));
            }
            if (k == 0) {
                continue;
            }
            leftOutSlices += k;
            long seconds = Math.round((end - slices.firstKey()) / 1e9);
            warnings.add(String.format(Locale.ROOT, "canary pod %s: its first %d of %d slice(s)%s left out as JVM "
                            + "warm-up: the JIT compiler took %s of its CPU there (the baseline pods: %s), so its code "
                            + "still ran interpreted or partly compiled%s", pod.getKey(), k, slices.size(),
                    seconds > 0 ? " (" + seconds + " s)" : "", Summaries.share(compiled / samples),
                    Summaries.share(base[0] / base[1]), k == slices.size()
                            ? "; the pod was warming up for the whole window: judge a later window" : ""));
        }
        if (dropped.isEmpty()) {
            return new Result(canary, warnings, 0, sustained);
        }
        Set<Observation> left = Collections.newSetFromMap(new IdentityHashMap<>());
        left.addAll(dropped);
        List<Observation> kept = new ArrayList<>();
        for (Observation o : canary) {
            if (!left.contains(o)) {
                kept.add(o);
            }
        }
        return new Result(kept, warnings, leftOutSlices, sustained);
    }

    /**
     * The slices from {@code from} (0-based, the first starting {@link #LONGEST_WARM_UP_NANOS} or more after the pod's
     * first) to the window's end, at least {@link #SUSTAINED_MIN_SLICES} of them, when the JIT compiler was credibly busier
     * than the baseline's in at least half of them and in the last: a JVM's warm-up ends (recorded RoutingPod JVMs at 20 requests/s on a loaded machine compiled at
     * 30-45 % of their CPU for up to 5 min, then under 1 %), a deoptimisation loop or code made per request does not
     * (qa70: 37 % and 19 % of the canary's CPU to the end, the baseline pods 2.6 %). Null otherwise.
     */
    private static SustainedCompiling sustained(String pod, TreeMap<Long, List<Observation>> slices, int from,
                                                double rate, double[] base, JudgeConfig config,
                                                Map<String, Boolean> jitNames, List<Observation> baseline) {
        List<List<Observation>> rest = new ArrayList<>(slices.values()).subList(from, slices.size());
        int busy = 0;
        boolean last = false;
        double compiled = 0;
        double samples = 0;
        for (List<Observation> slice : rest) {
            double[] c = compiling(slice, config.frames(), jitNames);
            last = starts(c, rate, config.thresholds().maxQValue());
            busy += last ? 1 : 0;
            if (c != null) {
                compiled += c[0];
                samples += c[1];
            }
        }
        if (rest.size() < SUSTAINED_MIN_SLICES || !last || 2 * busy < rest.size() || !(samples > 0)) {
            return null;
        }
        long offset = Math.round((new ArrayList<>(slices.keySet()).get(from) - slices.firstKey()) / 1e9);
        return new SustainedCompiling(pod, compiled / samples, base[0] / base[1], offset, rest.size(),
                RecompiledCode.of(rest, baseline));
    }

    /**
     * A run of slices, after the leading warm-up ({@code leading} slices) and at least one quiet slice, in which the pod's
     * JIT compiler was credibly busier than the baseline pods' again: what a JVM's start shows, when a pod restarts
     * under the same name (OOMKilled, a failed liveness probe) without a pause in its profiles that a source could see,
     * or a burst of recompilation. It stays judged (the judge reports JIT work apart), and is said, naming the pod and
     * where; null when there is none.
     */
    private static String laterCompiling(String pod, TreeMap<Long, List<Observation>> slices, int leading, double rate,
                                         double[] base, JudgeConfig config, Map<String, Boolean> jitNames) {
        int index = 0;
        boolean quiet = false;
        int first = -1;
        int run = 0;
        double compiled = 0;
        double samples = 0;
        for (List<Observation> slice : slices.values()) {
            index++;
            if (index <= leading) {
                continue;
            }
            double[] c = compiling(slice, config.frames(), jitNames);
            boolean busy = c != null && (first < 0 ? starts(c, rate, config.thresholds().maxQValue())
                    : credibly(c, rate, config.thresholds().maxQValue()));
            if (busy && quiet && (first < 0 || first + run == index)) {
                first = first < 0 ? index : first;
                run++;
                compiled += c[0];
                samples += c[1];
            } else if (first >= 0) {
                break;
            }
            quiet |= !busy;
        }
        if (first < 0) {
            return null;
        }
        long offset = Math.round((new ArrayList<>(slices.keySet()).get(first - 1) - slices.firstKey()) / 1e9);
        return String.format(Locale.ROOT, "canary pod %s: from its slice %d of %d (%d s after its first) the JIT compiler"
                        + " took %s of its CPU again (the baseline pods: %s) for %d slice(s), after quieter ones, as a"
                        + " JVM's start does: the pod restarted under the same name (OOMKilled, a failed liveness"
                        + " probe) or recompiled its code; those slices were judged, JIT work reported apart", pod,
                first, slices.size(), offset, Summaries.share(compiled / samples), Summaries.share(base[0] / base[1]),
                run);
    }

    /**
     * Each pod's slices in time order, for pods of two or more slices that all carry timestamps (no order, or nothing
     * after the first slice, otherwise). A slice is every observation of the pod that starts then: one per profile type
     * where a source fetches each type apart (the service's Pyroscope path), one holding every column where a file does.
     */
    private static Map<String, TreeMap<Long, List<Observation>>> slicesByPod(List<Observation> observations) {
        Map<String, TreeMap<Long, List<Observation>>> byPod = new LinkedHashMap<>();
        Map<String, Boolean> timed = new LinkedHashMap<>();
        for (Observation o : observations) {
            long start = o.profile().startEpochNanos();
            timed.merge(o.instance(), start > 0, Boolean::logicalAnd);
            byPod.computeIfAbsent(o.instance(), k -> new TreeMap<>()).computeIfAbsent(start, k -> new ArrayList<>()).add(o);
        }
        byPod.entrySet().removeIf(e -> !timed.get(e.getKey()) || e.getValue().size() < 2);
        return byPod;
    }

    /** {@link #compiling(Profile, FrameClassifier)} of a slice's observations together, or null when none has cpu. */
    private static double[] compiling(List<Observation> slice, FrameClassifier frames, Map<String, Boolean> jitNames) {
        double[] c = null;
        for (Observation o : slice) {
            double[] own = compiling(o.profile(), frames, jitNames);
            if (own != null) {
                c = c == null ? own : new double[] {c[0] + own[0], c[1] + own[1]};
            }
        }
        return c;
    }

    /**
     * Whether a slice can begin a run of compiling: credibly more than {@code rate} and by at least {@link #MIN_EXCESS}
     * of its CPU. The slices after it in the run need only be credibly more (a warm-up's tail).
     */
    private static boolean starts(double[] compiling, double rate, double alpha) {
        return compiling != null && credibly(compiling, rate, alpha) && compiling[0] >= (rate + MIN_EXCESS) * compiling[1];
    }

    /** Whether {@code compiling[0]} of {@code compiling[1]} samples is credibly more than {@code rate} of them. */
    private static boolean credibly(double[] compiling, double rate, double alpha) {
        int n = (int) Math.round(compiling[1]);
        int x = (int) Math.round(compiling[0]);
        if (n <= 0 || x <= 0 || x <= rate * n) {
            return false;
        }
        double p = 1 - new BinomialDistribution(null, n, Math.min(rate, 1)).cumulativeProbability(x - 1);
        return p <= alpha;
    }

    /**
     * {samples in JIT compilation, samples} of a profile's cpu column (samples from the recording's count, or the
     * values' common interval as {@link TypeContext} estimates them), or null without a cpu column or a count.
     */
    private static double[] compiling(Profile profile, FrameClassifier frames, Map<String, Boolean> jitNames) {
        int column = profile.sampleTypeIndex(ProfileType.CPU);
        if (column < 0) {
            return null;
        }
        long total = profile.total(column);
        if (total <= 0) {
            return null;
        }
        long count = profile.sampleCount(column);
        double samples = count > 0 ? count : TypeContext.timeSamples(ProfileType.CPU, profile, column);
        if (!(samples > 0)) {
            return null;
        }
        boolean[] jit = new boolean[profile.functionCount()];
        boolean anyJit = false;
        for (int f = 0; f < jit.length; f++) {
            jit[f] = jitNames.computeIfAbsent(profile.functionName(f), name -> frames.classify(name)
                    == FrameClass.JVM_INTERNAL && NativeFrameNames.jvmActivity(name).equals("JIT compilation"));
            anyJit |= jit[f];
        }
        if (!anyJit) {
            return new double[] {0, samples}; // no compiler frame at all: no stack to walk
        }
        long inJit = 0;
        for (int s = 0; s < profile.stackCount(); s++) {
            long v = profile.value(s, column);
            if (v <= 0) {
                continue;
            }
            for (int d = 0; d < profile.stackDepth(s); d++) {
                if (jit[profile.stackFunction(s, d)]) {
                    inJit += v;
                    break;
                }
            }
        }
        return new double[] {samples * inJit / total, samples};
    }
}
