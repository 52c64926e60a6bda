package io.canaryjudge.judge;

import io.canaryjudge.profile.FunctionTotals;
import io.canaryjudge.profile.JvmRuntime;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.SamplingSetting;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Caveats about the inputs themselves, for {@code dataQuality.warnings}: what the profiles say about how they
 * were taken, before anything is compared. Warnings only: the comparison goes ahead (benchstat's habit: a
 * caveat is data carried to the output, not a reason to refuse).
 */
final class InputComparability {
    private InputComparability() {
    }

    /**
     * A warning when the baseline's and canary's CPU profiles declare different sampling (async-profiler
     * {@code event=cpu} against {@code event=itimer}, or different intervals), naming which pods used which;
     * null when they agree or do not say. perf_events charges a sample to the thread whose CPU time ran out, a
     * process-wide timer signal to whichever thread runs when it fires; another interval changes how short
     * functions and short-lived threads show. Shares then differ function by function without any code change.
     */
    static String cpuSampling(List<Observation> baseline, List<Observation> canary) {
        Map<SamplingSetting, List<String>> pods = new LinkedHashMap<>();
        add(pods, baseline, "baseline");
        add(pods, canary, "canary");
        List<SamplingSetting> settings = new ArrayList<>(pods.keySet());
        boolean differ = false;
        for (int i = 0; i < settings.size() && !differ; i++) {
            for (int j = i + 1; j < settings.size() && !differ; j++) {
                differ = settings.get(i).differsFrom(settings.get(j));
            }
        }
        if (!differ) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<SamplingSetting, List<String>> entry : pods.entrySet()) {
            parts.add(entry.getKey().describe() + ": " + String.join(", ", entry.getValue()));
        }
        return "cpu profiles were sampled differently, so their shares are comparable only roughly (a function's share"
                + " moves with the sampling engine and interval, not only with the code): " + String.join("; ", parts)
                + "; record both groups with the same profiler settings";
    }

    /**
     * Whether samples × interval measure CPU differently in the two groups, so CPU per request and per second cannot be
     * compared: the groups declare different kinds of sampler (async-profiler's events, the JDK's sampler), or different
     * intervals where one side is async-profiler's {@code itimer} below {@link #KERNEL_TICK_NANOS} (it fires at most
     * once per tick the process runs in, so it undercounts: qa39's one build read 94.8 µs per request at 500 µs, 694 µs
     * at 5 ms). perf_events' {@code event=cpu} counts CPU time at any interval, and an interval only inferred from the
     * values (Pyroscope's pprof) says nothing of the engine: neither keeps the comparison from being made.
     */
    static boolean cpuPerRequestMiscounted(List<Observation> baseline, List<Observation> canary) {
        Set<SamplingSetting> base = settings(baseline);
        Set<SamplingSetting> can = settings(canary);
        for (SamplingSetting b : base) {
            for (SamplingSetting c : can) {
                boolean engines = b.engine() != null && c.engine() != null && !b.engine().equals(c.engine());
                boolean intervals = b.intervalNanos() > 0 && c.intervalNanos() > 0 && b.intervalNanos() != c.intervalNanos()
                        && (belowTick(b) || belowTick(c));
                if (engines || intervals) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The shortest interval at which async-profiler's itimer still counts every sample: one tick at HZ=250. */
    static final long KERNEL_TICK_NANOS = 4_000_000;

    private static boolean belowTick(SamplingSetting setting) {
        return setting.engine() != null && setting.engine().contains("itimer") && setting.intervalNanos() < KERNEL_TICK_NANOS;
    }

    private static Set<SamplingSetting> settings(List<Observation> group) {
        Set<SamplingSetting> settings = new HashSet<>();
        for (Observation o : group) {
            SamplingSetting setting = o.profile().sampleTypeIndex(ProfileType.CPU) >= 0 ? o.profile().cpuSampling() : null;
            if (setting != null) {
                settings.add(setting);
            }
        }
        return settings;
    }

    /**
     * "async-profiler event=itimer in the baseline, JDK method sampling in the canary" when every CPU profile of each
     * group declares its sampling and the groups' samplers are of different kinds: async-profiler (any event, interval or
     * version) against the JDK's own method or CPU-time sampling, or the JDK's two against each other. Null otherwise.
     */
    static String cpuSamplers(List<Observation> baseline, List<Observation> canary) {
        Set<String> base = samplers(baseline);
        Set<String> can = samplers(canary);
        if (base == null || can == null || base.isEmpty() || can.isEmpty()) {
            return null;
        }
        Set<String> baseKinds = new TreeSet<>();
        base.forEach(e -> baseKinds.add(samplerKind(e)));
        Set<String> canKinds = new TreeSet<>();
        can.forEach(e -> canKinds.add(samplerKind(e)));
        if (baseKinds.equals(canKinds)) {
            return null;
        }
        return String.join(", ", base) + " in the baseline, " + String.join(", ", can) + " in the canary";
    }

    /** async-profiler's engines are one kind (its events differ in detail, not in which threads they see). */
    private static String samplerKind(String engine) {
        return engine.startsWith("async-profiler") ? "async-profiler" : engine;
    }

    /** The CPU sampling engines a group's profiles declare; null when one CPU profile declares none. */
    private static Set<String> samplers(List<Observation> group) {
        Set<String> engines = new TreeSet<>();
        for (Observation o : group) {
            if (o.profile().sampleTypeIndex(ProfileType.CPU) < 0) {
                continue;
            }
            SamplingSetting setting = o.profile().cpuSampling();
            if (setting == null || setting.engine() == null) {
                return null;
            }
            engines.add(setting.engine());
        }
        return engines;
    }

    /**
     * Why one group has no data of {@code type} while the other has, when its profiles hold other types instead: they
     * were recorded with another profiler event, e.g. async-profiler {@code event=wall} on the canary, whose execution
     * samples are wall-clock time, not CPU (recorded qa39: "the canary has no cpu data" and nothing more). Text to
     * append to the shortage ("; the canary's profiles hold wall, alloc_bytes and no cpu, the baseline's cpu,
     * alloc_bytes: …"), or null when both groups hold the type, or neither, or the group without it holds nothing else.
     */
    static String typeOnlyInOneGroup(ProfileType type, List<Observation> baseline, List<Observation> canary) {
        Set<ProfileType> base = typesHeld(baseline);
        Set<ProfileType> can = typesHeld(canary);
        boolean inBase = base.contains(type);
        if (inBase == can.contains(type)) {
            return null;
        }
        String without = inBase ? "canary" : "baseline";
        Set<ProfileType> withoutTypes = inBase ? can : base;
        if (withoutTypes.isEmpty()) {
            return null;
        }
        String example = type == ProfileType.CPU && withoutTypes.contains(ProfileType.WALL)
                ? " (async-profiler's event=wall gives wall-clock samples, not cpu)" : "";
        return String.format(Locale.ROOT, "; the %s's profiles hold %s and no %s, the %s's %s: the groups were recorded"
                        + " with different profiler events%s, so %s cannot be compared; record both groups with the same"
                        + " events", without, typeList(withoutTypes), type.id(), inBase ? "baseline" : "canary",
                typeList(inBase ? base : can), example, type.id());
    }

    private static Set<ProfileType> typesHeld(List<Observation> group) {
        Set<ProfileType> held = new TreeSet<>();
        for (Observation o : group) {
            for (ProfileType t : ProfileType.values()) {
                if (o.profile().sampleTypeIndex(t) >= 0) {
                    held.add(t);
                }
            }
        }
        return held;
    }

    private static String typeList(Set<ProfileType> types) {
        List<String> ids = new ArrayList<>();
        types.forEach(t -> ids.add(t.id()));
        return String.join(", ", ids);
    }

    /**
     * What the recordings say changed in the JVM between the groups, or null when nothing did or they do not say
     * (pprof, collapsed stacks): a JVM version no baseline recording ran (a JDK upgrade in the canary's image), and JVM
     * options every recording of one group was started with and none of the other's ({@code -XX:+UseParallelGC},
     * {@code -XX:TieredStopAtLevel=1}). Such a canary changes JDK and JVM frames — renamed JDK internals, other
     * intrinsics, another collector's threads — without any change to the application's code, and what it costs is
     * the runtime's doing: the verdict names the runtime as what changed. E.g. {@code JVM 25.0.3+9-LTS in the canary,
     * 17.0.15+6 in the baseline; JVM options only in the canary: -XX:TieredStopAtLevel=1}.
     */
    static String runtimeChange(List<Observation> baseline, List<Observation> canary) {
        List<JvmRuntime> base = runtimes(baseline);
        List<JvmRuntime> can = runtimes(canary);
        if (base.isEmpty() || can.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        Set<String> baseVersions = versions(base);
        Set<String> canaryVersions = versions(can);
        if (!baseVersions.isEmpty() && !canaryVersions.isEmpty() && !baseVersions.containsAll(canaryVersions)) {
            parts.add("JVM " + String.join(", ", canaryVersions) + " in the canary, " + String.join(", ", baseVersions)
                    + " in the baseline");
        }
        List<String> onlyCanary = JvmRuntime.added(commonOptions(can), anyOptions(base));
        List<String> onlyBaseline = JvmRuntime.added(commonOptions(base), anyOptions(can));
        if (!onlyCanary.isEmpty()) {
            parts.add("JVM options only in the canary: " + String.join(" ", onlyCanary));
        }
        if (!onlyBaseline.isEmpty()) {
            parts.add("JVM options only in the baseline: " + String.join(" ", onlyBaseline));
        }
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    /**
     * HotSpot's collectors by the classes only each one's frames carry (JDK 17–25 names), first match wins. Serial's
     * young collection ({@code DefNewGeneration}) and heap ({@code SerialHeap}, {@code TenuredGeneration}); Parallel's
     * {@code PS*} classes; G1's {@code G1*}; ZGC's {@code Z*}; Shenandoah's.
     */
    private static final List<Map.Entry<String, Pattern>> COLLECTORS = List.of(
            Map.entry("G1", Pattern.compile("^(\\w+ )?G1\\w*(<[^:]*>)?::")),
            Map.entry("Serial", Pattern.compile("^(\\w+ )?(DefNewGeneration|SerialHeap|TenuredGeneration|DefNew\\w+)(<[^:]*>)?::")),
            Map.entry("Parallel", Pattern.compile("^(\\w+ )?(PS\\w+|ParallelScavengeHeap|ParallelCompact\\w*)(<[^:]*>)?::")),
            Map.entry("ZGC", Pattern.compile("^(\\w+ )?Z(Driver|Mark|Heap|Relocate|Collected\\w*|Generation\\w*|Director)\\w*(<[^:]*>)?::")),
            Map.entry("Shenandoah", Pattern.compile("^(\\w+ )?Shenandoah\\w*(<[^:]*>)?::")));

    /**
     * Which garbage collector each group's JVMs ran, read from their CPU profiles' JVM frames, when every pod of each
     * group shows exactly one and the groups' differ: "Serial in the canary, G1 in the baseline"; else null. No flag says
     * so in pprof (Pyroscope) profiles, and the usual cause is no flag at all: JVM ergonomics choose SerialGC for a JVM
     * that sees one CPU ({@code -XX:ActiveProcessorCount}, a container CPU limit of 1 or less, {@code taskset}) or under
     * 1792 MB, G1 otherwise — a canary scheduled on a smaller node, or a release that changed the pod's
     * {@code resources:}. GC, allocation and write-barrier costs then differ without any change to the code (recorded
     * qa28 shop pods: G1's workers gone, SerialGC's young collections in the VM thread new, 1.5 % of CPU).
     */
    static String collectorChange(List<Observation> baseline, List<Observation> canary) {
        String base = collector(baseline);
        String can = collector(canary);
        return base == null || can == null || base.equals(can) ? null : can + " in the canary, " + base + " in the baseline";
    }

    /** The one collector every pod of the group shows frames of, or null (none, or more than one). */
    private static String collector(List<Observation> group) {
        Map<String, Set<String>> byPod = new LinkedHashMap<>();
        for (Observation o : group) {
            Set<String> seen = byPod.computeIfAbsent(o.instance(), k -> new TreeSet<>());
            Profile profile = o.profile();
            if (profile.sampleTypeIndex(ProfileType.CPU) < 0) {
                continue;
            }
            // Names first (the function table), samples only for a collector this pod has not yet shown: one pass over
            // the stacks per pod and collector, not one per slice (a pod cut into 10 s slices has dozens).
            Map<String, List<Integer>> candidates = new LinkedHashMap<>();
            for (int f = 0; f < profile.functionCount(); f++) {
                NativeFrameNames.NativeName name = NativeFrameNames.split(profile.functionName(f));
                if (name == null || name.library() == null || !name.library().startsWith("libjvm")) {
                    continue;
                }
                for (Map.Entry<String, Pattern> collector : COLLECTORS) {
                    if (collector.getValue().matcher(name.symbol()).lookingAt()) {
                        if (!seen.contains(collector.getKey())) {
                            candidates.computeIfAbsent(collector.getKey(), k -> new ArrayList<>()).add(f);
                        }
                        break;
                    }
                }
            }
            if (candidates.isEmpty()) {
                continue;
            }
            FunctionTotals totals = profile.functionTotals(ProfileType.CPU);
            candidates.forEach((collector, functions) -> {
                if (functions.stream().anyMatch(f -> totals.inclusive(f) > 0)) {
                    seen.add(collector);
                }
            });
        }
        Set<String> all = new TreeSet<>();
        for (Set<String> seen : byPod.values()) {
            if (seen.size() != 1) {
                return null;
            }
            all.addAll(seen);
        }
        return all.size() == 1 ? all.iterator().next() : null;
    }

    /** Each observation's runtime where its recording says one; empty when any says none (the groups cannot be told apart). */
    private static List<JvmRuntime> runtimes(List<Observation> group) {
        List<JvmRuntime> runtimes = new ArrayList<>();
        for (Observation o : group) {
            JvmRuntime runtime = o.profile().runtime();
            if (runtime == null || !runtime.known()) {
                return List.of();
            }
            runtimes.add(runtime);
        }
        return runtimes;
    }

    private static Set<String> versions(List<JvmRuntime> runtimes) {
        Set<String> versions = new TreeSet<>();
        for (JvmRuntime runtime : runtimes) {
            if (runtime.version() == null) {
                return Set.of(); // one unknown version: no claim about the group's JVM
            }
            versions.add(runtime.version());
        }
        return versions;
    }

    private static Set<String> commonOptions(List<JvmRuntime> runtimes) {
        Set<String> common = null;
        for (JvmRuntime runtime : runtimes) {
            if (runtime.arguments() == null) {
                return Set.of();
            }
            if (common == null) {
                common = new LinkedHashSet<>(runtime.jvmOptions());
            } else {
                common.retainAll(runtime.jvmOptions());
            }
        }
        return common == null ? Set.of() : common;
    }

    private static Set<String> anyOptions(List<JvmRuntime> runtimes) {
        Set<String> any = new HashSet<>();
        for (JvmRuntime runtime : runtimes) {
            any.addAll(runtime.jvmOptions());
        }
        return any;
    }

    private static void add(Map<SamplingSetting, List<String>> pods, List<Observation> group, String name) {
        for (Observation o : group) {
            SamplingSetting setting = o.profile().sampleTypeIndex(ProfileType.CPU) >= 0 ? o.profile().cpuSampling() : null;
            if (setting == null) {
                continue;
            }
            List<String> names = pods.computeIfAbsent(setting, k -> new ArrayList<>());
            String pod = name + " " + o.instance();
            if (!names.contains(pod)) {
                names.add(pod);
            }
        }
    }

    /**
     * One warning per judged type that the readers left out of some baseline or canary profiles (async-profiler's
     * allocation samples give no object count), with their reason and how many profiles it concerns.
     */
    static List<String> leftOutTypes(List<Observation> baseline, List<Observation> canary, Set<ProfileType> judged) {
        Map<ProfileType, Map<String, Integer>> reasons = new LinkedHashMap<>();
        int profiles = baseline.size() + canary.size();
        for (List<Observation> group : List.of(baseline, canary)) {
            for (Observation o : group) {
                o.profile().leftOutTypes().forEach((type, reason) -> {
                    // A pod's profile of the same time holding the type had it read from where its source keeps it (a
                    // Node wall upload's CPU time, which Pyroscope keeps as a series of its own, fetched as cpu for the
                    // same slice): not left out. Other times' profiles do not count (Go's first heap profile).
                    if (judged.contains(type) && !heldBeside(group, o, type)) {
                        reasons.computeIfAbsent(type, k -> new LinkedHashMap<>()).merge(reason, 1, Integer::sum);
                    }
                });
            }
        }
        List<String> warnings = new ArrayList<>();
        reasons.forEach((type, byReason) -> byReason.forEach((reason, count) -> warnings.add(String.format(Locale.ROOT,
                "%s not judged in %d of %d profile(s): %s", type.id(), count, profiles, reason))));
        return warnings;
    }

    /** Whether another profile of {@code left}'s pod, of the same start and length, holds {@code type}. */
    private static boolean heldBeside(List<Observation> group, Observation left, ProfileType type) {
        long start = left.profile().startEpochNanos();
        if (start == 0) {
            return false;
        }
        for (Observation o : group) {
            if (o != left && o.instance().equals(left.instance()) && o.profile().startEpochNanos() == start
                    && o.profile().durationNanos() == left.profile().durationNanos()
                    && o.profile().profileTypes().contains(type)) {
                return true;
            }
        }
        return false;
    }

    /**
     * One warning per judged type whose values in some baseline or canary profiles are not what the type's name says
     * ({@link io.canaryjudge.profile.Profile#caveats()}: alloc_objects from Pyroscope for async-profiler's recordings
     * counts allocation samples), with the reason and how many of the profiles holding the type it concerns. The type
     * is still judged: the service fetches what the request names.
     */
    static List<String> caveats(List<Observation> baseline, List<Observation> canary, Set<ProfileType> judged) {
        Map<ProfileType, Map<String, Integer>> reasons = new LinkedHashMap<>();
        Map<ProfileType, Integer> holding = new LinkedHashMap<>();
        for (List<Observation> group : List.of(baseline, canary)) {
            for (Observation o : group) {
                for (ProfileType type : judged) {
                    if (o.profile().sampleTypeIndex(type) < 0) {
                        continue;
                    }
                    holding.merge(type, 1, Integer::sum);
                    String reason = o.profile().caveats().get(type);
                    if (reason != null) {
                        reasons.computeIfAbsent(type, k -> new LinkedHashMap<>()).merge(reason, 1, Integer::sum);
                    }
                }
            }
        }
        List<String> warnings = new ArrayList<>();
        reasons.forEach((type, byReason) -> byReason.forEach((reason, count) -> warnings.add(String.format(Locale.ROOT,
                "%s in %d of %d profile(s) is not what its name says: %s", type.id(), count,
                holding.get(type), reason))));
        return warnings;
    }
}
