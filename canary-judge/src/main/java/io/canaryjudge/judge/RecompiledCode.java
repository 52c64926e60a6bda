package io.canaryjudge.judge;

import io.canaryjudge.profile.JitEvents;
import io.canaryjudge.profile.Profile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a canary pod that keeps its JIT busy ({@link CompilingCanaryWarmUp.SustainedCompiling}) compiles, deoptimises or
 * defines again and again, from the JDK's own JIT events when its profiles carry them ({@link Profile#jitEvents()}: JFR
 * with {@code jdk.Compilation}, {@code jdk.Deoptimization}, {@code jdk.ClassDefine}, as async-profiler's {@code jfrsync}
 * or the JDK's recorder writes them). A JVM's warm-up compiles each hot method a few times (tier 3, then C2, now and then
 * once more after an uncommon trap); code deoptimised per request (a call site re-pointed) is compiled at C2 over and over,
 * and classes made per request are defined, and their methods compiled, once per request. Pure: no I/O.
 */
final class RecompiledCode {
    /**
     * The fewest times in the pod's busy slices a method must be compiled or deoptimised, or a class defined, to be named:
     * 10. Warm-up after 3 min compiled each method at most a few times (qa73: the young unchanged canary's methods
     * at most 2 times in its minutes 3-4.5).
     */
    static final long MIN_REPEATS = 10;

    /** How many times more often than in a baseline pod's minute, at least: 10. */
    static final double MIN_RATIO = 10;

    /** At most this many are named. */
    static final int NAMED = 3;

    private RecompiledCode() {
    }

    /** What was done ("compiled", "deoptimised (reason, action)", "defined") to which method or class. */
    private record Done(String what, String name) {
    }

    /** One baseline slice of one pod (a slice read for several types is one slice). */
    private record PodSlice(String instance, long startEpochNanos) {
    }

    /**
     * Whether a name is left out of naming: the JDK's generated method-handle code ({@code java.lang.invoke.LambdaForm$…},
     * {@code DirectMethodHandle$Holder}, {@code Invokers$Holder}, other {@code java.lang.invoke.…$Holder}). Once the
     * generated suffixes are stripped many different generated methods share one such name, so a warm pod's count
     * pools them (qa73 rec1, load 30-55: a warm pod compiled {@code DirectMethodHandle$Holder.invokeStatic} 7 times from
     * 150 s), and they are the JDK's plumbing around the code that changed, which is named beside them.
     */
    static boolean generatedByTheJdk(String name) {
        if (!name.startsWith("java.lang.invoke.")) {
            return false;
        }
        int method = name.lastIndexOf('.');
        String type = name.substring("java.lang.invoke.".length(), method < "java.lang.invoke.".length() ? name.length() : method);
        return type.startsWith("LambdaForm$") || type.endsWith("$Holder");
    }

    /** What was done again and again: "compiled", "deoptimised (reason, action)", "defined". */
    record Repeated(String name, String what, long count, long topTier, long failed, double perMinute,
                    double baselinePerMinute) {
    }

    /**
     * @param carried whether the pod's busy slices carried JIT events at all (else nothing can be named)
     * @param baselineCarried whether the baseline pods' did (else their rates are unknown, and taken as 0)
     * @param repeated what was repeated, most first (at most {@link #NAMED})
     * @param minutes the busy slices' length
     */
    record Evidence(boolean carried, boolean baselineCarried, List<Repeated> repeated, double minutes) {
        static final Evidence NONE = new Evidence(false, false, List.of(), 0);
    }

    /** Evidence from a canary pod's busy slices (each slice's observations) against the baseline's observations. */
    static Evidence of(List<List<Observation>> busySlices, List<Observation> baseline) {
        Map<Done, long[]> canary = new HashMap<>();
        double canaryMinutes = 0;
        boolean carried = false;
        for (List<Observation> slice : busySlices) {
            // One slice may be several observations of the same recording (one per type): count its events once.
            Map<JitEvents, Boolean> seen = new IdentityHashMap<>();
            double minutes = 0;
            for (Observation o : slice) {
                minutes = Math.max(minutes, o.profile().durationNanos() / 60e9);
                JitEvents events = o.profile().jitEvents();
                if (events != null && seen.put(events, Boolean.TRUE) == null) {
                    carried = true;
                    add(canary, events);
                }
            }
            canaryMinutes += minutes;
        }
        if (!carried || !(canaryMinutes > 0)) {
            return Evidence.NONE;
        }
        Map<Done, long[]> base = new HashMap<>();
        Map<String, Double> podMinutes = new HashMap<>();
        Map<JitEvents, Boolean> seen = new IdentityHashMap<>();
        Set<PodSlice> sliceSeen = new HashSet<>();
        boolean baselineCarried = false;
        for (Observation o : baseline) {
            JitEvents events = o.profile().jitEvents();
            if (events == null) {
                continue;
            }
            baselineCarried = true;
            if (seen.put(events, Boolean.TRUE) == null) {
                add(base, events);
            }
            if (sliceSeen.add(new PodSlice(o.instance(), o.profile().startEpochNanos()))) {
                podMinutes.merge(o.instance(), o.profile().durationNanos() / 60e9, Double::sum);
            }
        }
        double baseMinutes = podMinutes.values().stream().mapToDouble(Double::doubleValue).sum();
        List<Repeated> repeated = new ArrayList<>();
        for (Map.Entry<Done, long[]> e : canary.entrySet()) {
            long[] c = e.getValue();
            if (c[0] < MIN_REPEATS || generatedByTheJdk(e.getKey().name())) {
                continue;
            }
            double perMinute = c[0] / canaryMinutes;
            long[] b = base.get(e.getKey());
            double basePerMinute = b == null || !(baseMinutes > 0) ? 0 : b[0] / baseMinutes;
            if (perMinute < MIN_RATIO * basePerMinute) {
                continue;
            }
            repeated.add(new Repeated(e.getKey().name(), e.getKey().what(), c[0], c[1], c[2], perMinute, basePerMinute));
        }
        repeated.sort(Comparator.comparingLong(Repeated::count).reversed().thenComparing(Repeated::name));
        return new Evidence(true, baselineCarried, List.copyOf(repeated.subList(0, Math.min(NAMED, repeated.size()))),
                canaryMinutes);
    }

    /** Adds a profile's events to counts (times, by C2, not installed) keyed by what was done and to what. */
    private static void add(Map<Done, long[]> counts, JitEvents events) {
        for (JitEvents.Count c : events.compilations()) {
            long[] n = counts.computeIfAbsent(new Done("compiled", c.name()), k -> new long[3]);
            n[0] += c.count();
            n[1] += c.topTier();
            n[2] += c.failed();
        }
        for (JitEvents.Deoptimisation d : events.deoptimisations()) {
            counts.computeIfAbsent(new Done("deoptimised (" + d.reason() + ", " + d.action() + ")", d.method()),
                    k -> new long[3])[0] += d.count();
        }
        for (JitEvents.Count c : events.classes()) {
            counts.computeIfAbsent(new Done("defined", c.name()), k -> new long[3])[0] += c.count();
        }
    }

    /**
     * The evidence said for a summary: "`Gateway.handle` compiled 240 times (238 by C2, 3 not installed; 80 a minute,
     * the baseline pods 0.1), …", or null when nothing was repeated.
     */
    static String said(Evidence evidence) {
        if (evidence.repeated().isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (Repeated r : evidence.repeated()) {
            out.append(out.isEmpty() ? "" : ", ");
            boolean aClass = r.what().equals("defined");
            out.append(String.format(Locale.ROOT, "`%s` %s %d %s", r.name(), r.what(), r.count(),
                    aClass ? (r.count() == 1 ? "class" : "classes") : r.count() == 1 ? "time" : "times"));
            List<String> notes = new ArrayList<>();
            if (r.topTier() > 0) {
                notes.add(r.topTier() + " by C2");
            }
            if (r.failed() > 0) {
                notes.add(r.failed() + " not installed");
            }
            notes.add(String.format(Locale.ROOT, "%s a minute; the baseline pods: %s", rate(r.perMinute()),
                    evidence.baselineCarried() ? rate(r.baselinePerMinute()) : "not recorded"));
            out.append(" (").append(String.join(", ", notes)).append(")");
        }
        return out.toString();
    }

    private static String rate(double perMinute) {
        return perMinute >= 10 ? String.format(Locale.ROOT, "%.0f", perMinute)
                : String.format(Locale.ROOT, "%.1f", perMinute);
    }
}
