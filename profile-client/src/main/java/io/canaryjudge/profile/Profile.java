package io.canaryjudge.profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One profile: distinct stacks of interned functions, one value per sample type per stack —
 * the shape of pprof, normalised and immutable. Built by {@link ProfileBuilder}.
 *
 * <p>Memory-lean: all stacks share one {@code int[]} of function ids (leaf first, as pprof),
 * values are one {@code long[]} per sample type indexed by stack.
 */
public final class Profile {
    private final String source;
    private final ProfileFormat format;
    private final List<SampleType> sampleTypes;
    private final String[] functionNames;
    private final String[] rawFunctionNames;
    private final int[] stackOffsets;
    private final int[] stackFunctions;
    private final int[] stackLabelSets;
    private final List<Map<String, String>> labelSets;
    private final long[][] values;
    private final long[] sampleCounts;
    private final long startEpochNanos;
    private final long durationNanos;
    private final SamplingSetting cpuSampling;
    private final Map<ProfileType, String> leftOutTypes;
    private final Map<ProfileType, String> caveats;
    private final JvmRuntime runtime;
    private final JitEvents jitEvents;
    /** {@link #sampledHeapPeriod()}. */
    private final long sampledHeapPeriod;

    Profile(String source, ProfileFormat format, List<SampleType> sampleTypes, String[] functionNames,
            String[] rawFunctionNames, int[] stackOffsets, int[] stackFunctions, int[] stackLabelSets,
            List<Map<String, String>> labelSets, long[][] values, long[] sampleCounts,
            long startEpochNanos, long durationNanos, SamplingSetting cpuSampling,
            Map<ProfileType, String> leftOutTypes, long sampledHeapPeriod) {
        this(source, format, sampleTypes, functionNames, rawFunctionNames, stackOffsets, stackFunctions, stackLabelSets,
                labelSets, values, sampleCounts, startEpochNanos, durationNanos, cpuSampling, leftOutTypes, Map.of(), null, null,
                sampledHeapPeriod);
    }

    private Profile(String source, ProfileFormat format, List<SampleType> sampleTypes, String[] functionNames,
            String[] rawFunctionNames, int[] stackOffsets, int[] stackFunctions, int[] stackLabelSets,
            List<Map<String, String>> labelSets, long[][] values, long[] sampleCounts,
            long startEpochNanos, long durationNanos, SamplingSetting cpuSampling,
            Map<ProfileType, String> leftOutTypes, Map<ProfileType, String> caveats, JvmRuntime runtime,
            JitEvents jitEvents, long sampledHeapPeriod) {
        this.source = source;
        this.format = format;
        this.sampleTypes = List.copyOf(sampleTypes);
        this.functionNames = functionNames;
        this.rawFunctionNames = rawFunctionNames;
        this.stackOffsets = stackOffsets;
        this.stackFunctions = stackFunctions;
        this.stackLabelSets = stackLabelSets;
        this.labelSets = labelSets;
        this.values = values;
        this.sampleCounts = sampleCounts;
        this.startEpochNanos = startEpochNanos;
        this.durationNanos = durationNanos;
        this.cpuSampling = cpuSampling;
        this.leftOutTypes = Map.copyOf(leftOutTypes);
        this.caveats = Map.copyOf(caveats);
        this.runtime = runtime;
        this.jitEvents = jitEvents;
        this.sampledHeapPeriod = sampledHeapPeriod;
    }

    /** Where the profile came from (file name, URL), for messages. */
    public String source() {
        return source;
    }

    public ProfileFormat format() {
        return format;
    }

    public List<SampleType> sampleTypes() {
        return sampleTypes;
    }

    /** Index of the column holding {@code type}, or -1 when the profile has none. */
    public int sampleTypeIndex(ProfileType type) {
        for (int i = 0; i < sampleTypes.size(); i++) {
            if (sampleTypes.get(i).profileType() == type) {
                return i;
            }
        }
        return -1;
    }

    /** The judge's profile types present in this profile. */
    public Set<ProfileType> profileTypes() {
        Set<ProfileType> types = EnumSet.noneOf(ProfileType.class);
        for (SampleType sampleType : sampleTypes) {
            if (sampleType.profileType() != null) {
                types.add(sampleType.profileType());
            }
        }
        return types;
    }

    public int functionCount() {
        return functionNames.length;
    }

    /** Normalised function name ({@link FrameNames#normalize}); the key that matches across runs. */
    public String functionName(int functionId) {
        return functionNames[functionId];
    }

    /** The first raw frame name seen for this function, as the producer wrote it (for display). */
    public String rawFunctionName(int functionId) {
        return rawFunctionNames[functionId];
    }

    public int stackCount() {
        return stackOffsets.length - 1;
    }

    public int stackDepth(int stack) {
        return stackOffsets[stack + 1] - stackOffsets[stack];
    }

    /** Function id at {@code depth} of {@code stack}; depth 0 is the leaf. */
    public int stackFunction(int stack, int depth) {
        return stackFunctions[stackOffsets[stack] + depth];
    }

    /** A copy of the stack's function ids, leaf first. */
    public int[] stack(int stack) {
        return Arrays.copyOfRange(stackFunctions, stackOffsets[stack], stackOffsets[stack + 1]);
    }

    /** Labels of the samples aggregated into this stack (pprof labels); empty when none. */
    public Map<String, String> labels(int stack) {
        return stackLabelSets == null ? Map.of() : labelSets.get(stackLabelSets[stack]);
    }

    /** Value of column {@code sampleTypeIndex} for {@code stack}, in that column's unit. */
    public long value(int stack, int sampleTypeIndex) {
        return values[sampleTypeIndex][stack];
    }

    /** Sum of a column over all stacks. */
    public long total(int sampleTypeIndex) {
        long sum = 0;
        for (long v : values[sampleTypeIndex]) {
            sum += v;
        }
        return sum;
    }

    /**
     * Number of samples (events) behind a column, when the producer says so: for 10 ms CPU
     * sampling a total of 5e9 ns is 500 samples. -1 when not known.
     */
    public long sampleCount(int sampleTypeIndex) {
        return sampleCounts[sampleTypeIndex];
    }

    /** Start of the profiled interval, nanoseconds since the epoch; 0 when not known. */
    public long startEpochNanos() {
        return startEpochNanos;
    }

    /** Length of the profiled interval, nanoseconds; 0 when not known. */
    public long durationNanos() {
        return durationNanos;
    }

    /**
     * How the {@code cpu} column's samples were taken (engine, interval), when the producer says so
     * (a JFR recording's settings, a pprof profile's period); null when unknown or without a cpu column.
     */
    public SamplingSetting cpuSampling() {
        return cpuSampling;
    }

    /**
     * The mean bytes between two samples of a sampled heap profile (Go's {@code MemProfileRate}, written as the pprof
     * {@code period} of {@code space/bytes}; 512 KiB by default), which each row's values were scaled up from; 0 when
     * the profile is not one or does not say. {@link GoAllocationCounts} undoes the scaling with it.
     */
    public long sampledHeapPeriod() {
        return sampledHeapPeriod;
    }

    /**
     * Types the file seems to hold but the reader left out, each with the reason in words (e.g.
     * {@code alloc_objects} of async-profiler's allocation samples, which count samples, not objects);
     * empty when none.
     */
    public Map<ProfileType, String> leftOutTypes() {
        return leftOutTypes;
    }

    /**
     * Columns kept although their values are not what the type's name says, each with the reason in words (e.g.
     * {@code alloc_objects} from Pyroscope for async-profiler's data, which counts allocation samples); empty when none.
     */
    public Map<ProfileType, String> caveats() {
        return caveats;
    }

    /** This profile with {@link #cpuSampling()} set to {@code setting} (null: unknown); the data are shared. */
    public Profile withCpuSampling(SamplingSetting setting) {
        return new Profile(source, format, sampleTypes, functionNames, rawFunctionNames, stackOffsets, stackFunctions,
                stackLabelSets, labelSets, values, sampleCounts, startEpochNanos, durationNanos, setting, leftOutTypes,
                caveats, runtime, jitEvents, sampledHeapPeriod);
    }

    /**
     * This profile with {@code samples} as the number of samples behind {@code type}'s column, where its producer gave
     * the values without their count and a source knows it from elsewhere (Pyroscope's objects series beside its
     * allocation bytes); this profile itself when it has no such column. The data are shared.
     */
    public Profile withSampleCount(ProfileType type, long samples) {
        int column = sampleTypeIndex(type);
        if (column < 0) {
            return this;
        }
        long[] counts = sampleCounts.clone();
        counts[column] = samples;
        return new Profile(source, format, sampleTypes, functionNames, rawFunctionNames, stackOffsets, stackFunctions,
                stackLabelSets, labelSets, values, counts, startEpochNanos, durationNanos, cpuSampling, leftOutTypes,
                caveats, runtime, jitEvents, sampledHeapPeriod);
    }

    /**
     * This profile with {@code type}'s column divided by {@code snapshots}, each stack's value rounded to the nearest
     * unit: the mean of {@code snapshots} summed snapshots of a gauge (goroutines, bytes in use), as a profile store
     * that merges a time range by adding its profiles answers them. The sample count, when known, is divided alike.
     * This profile itself when it has no such column or {@code snapshots} is 1.
     */
    public Profile withMeanOf(ProfileType type, long snapshots) {
        if (snapshots < 1) {
            throw new IllegalArgumentException("snapshots must be at least 1, was " + snapshots);
        }
        int column = sampleTypeIndex(type);
        if (column < 0 || snapshots == 1) {
            return this;
        }
        long[][] divided = values.clone();
        divided[column] = new long[values[column].length];
        for (int s = 0; s < divided[column].length; s++) {
            divided[column][s] = Math.round(values[column][s] / (double) snapshots);
        }
        long[] counts = sampleCounts.clone();
        if (counts[column] > 0) {
            counts[column] = Math.max(1, Math.round(counts[column] / (double) snapshots));
        }
        return new Profile(source, format, sampleTypes, functionNames, rawFunctionNames, stackOffsets, stackFunctions,
                stackLabelSets, labelSets, divided, counts, startEpochNanos, durationNanos, cpuSampling, leftOutTypes,
                caveats, runtime, jitEvents, sampledHeapPeriod);
    }

    /** This profile with {@code reason} recorded in {@link #caveats()} for {@code type}; the data are shared. */
    public Profile withCaveat(ProfileType type, String reason) {
        Map<ProfileType, String> more = new EnumMap<>(ProfileType.class);
        more.putAll(caveats);
        more.put(type, Objects.requireNonNull(reason, "reason"));
        return new Profile(source, format, sampleTypes, functionNames, rawFunctionNames, stackOffsets, stackFunctions,
                stackLabelSets, labelSets, values, sampleCounts, startEpochNanos, durationNanos, cpuSampling, leftOutTypes,
                more, runtime, jitEvents, sampledHeapPeriod);
    }

    /**
     * This profile without the column of {@code type}, which is recorded in {@link #leftOutTypes()} with
     * {@code reason}; this profile itself when it has no such column or no other.
     */
    public Profile withoutType(ProfileType type, String reason) {
        int index = sampleTypeIndex(type);
        if (index < 0 || sampleTypes.size() < 2) {
            return this;
        }
        List<SampleType> types = new ArrayList<>(sampleTypes);
        types.remove(index);
        long[][] kept = new long[values.length - 1][];
        long[] keptCounts = new long[values.length - 1];
        for (int i = 0, k = 0; i < values.length; i++) {
            if (i != index) {
                kept[k] = values[i];
                keptCounts[k++] = sampleCounts[i];
            }
        }
        Map<ProfileType, String> leftOut = new EnumMap<>(ProfileType.class);
        leftOut.putAll(leftOutTypes);
        leftOut.put(type, reason);
        Map<ProfileType, String> keptCaveats = new EnumMap<>(ProfileType.class);
        keptCaveats.putAll(caveats);
        keptCaveats.remove(type);
        return new Profile(source, format, types, functionNames, rawFunctionNames, stackOffsets, stackFunctions,
                stackLabelSets, labelSets, kept, keptCounts, startEpochNanos, durationNanos, cpuSampling, leftOut,
                keptCaveats, runtime, jitEvents, sampledHeapPeriod);
    }

    /**
     * This profile with {@code type} recorded in {@link #leftOutTypes()} with {@code reason} where it has no column of
     * that type: a source that knows the producer wrote that type with these samples and did not read it (Pyroscope
     * keeps the CPU time of Node's wall uploads as a series of its own). This profile itself when it holds such a
     * column. The data are shared.
     */
    public Profile withTypeLeftOut(ProfileType type, String reason) {
        if (sampleTypeIndex(type) >= 0) {
            return this;
        }
        Map<ProfileType, String> leftOut = new EnumMap<>(ProfileType.class);
        leftOut.putAll(leftOutTypes);
        leftOut.put(type, Objects.requireNonNull(reason, "reason"));
        return new Profile(source, format, sampleTypes, functionNames, rawFunctionNames, stackOffsets, stackFunctions,
                stackLabelSets, labelSets, values, sampleCounts, startEpochNanos, durationNanos, cpuSampling, leftOut,
                caveats, runtime, jitEvents, sampledHeapPeriod);
    }

    /**
     * The JVM the profile was taken in (version and options), when the recording says so (a JFR recording's
     * {@code jdk.JVMInformation}); null when unknown (pprof, collapsed stacks, Pyroscope).
     */
    public JvmRuntime runtime() {
        return runtime;
    }

    /** This profile with {@link #runtime()} set to {@code runtime} (null: unknown); the data are shared. */
    public Profile withRuntime(JvmRuntime runtime) {
        return new Profile(source, format, sampleTypes, functionNames, rawFunctionNames, stackOffsets, stackFunctions,
                stackLabelSets, labelSets, values, sampleCounts, startEpochNanos, durationNanos, cpuSampling, leftOutTypes,
                caveats, runtime, jitEvents, sampledHeapPeriod);
    }

    /**
     * What the JVM's JIT did in this profile's time (methods compiled and deoptimised, classes defined), when the
     * recording carries the JDK's events for it (JFR with {@code jdk.Compilation}, {@code jdk.Deoptimization} or
     * {@code jdk.ClassDefine} enabled); null when it does not (pprof, collapsed stacks, Pyroscope, JFR without them).
     */
    public JitEvents jitEvents() {
        return jitEvents;
    }

    /** This profile with {@link #jitEvents()} set to {@code events} (null: not recorded); the data are shared. */
    public Profile withJitEvents(JitEvents events) {
        return new Profile(source, format, sampleTypes, functionNames, rawFunctionNames, stackOffsets, stackFunctions,
                stackLabelSets, labelSets, values, sampleCounts, startEpochNanos, durationNanos, cpuSampling, leftOutTypes,
                caveats, runtime, events, sampledHeapPeriod);
    }

    /**
     * This profile with every function renamed by {@code rename} (e.g. native frames by their symbol alone), functions
     * that then share a name becoming one; the raw names stay what the producer wrote. This profile itself when no name
     * changes.
     */
    public Profile withFunctionNames(UnaryOperator<String> rename) {
        Map<String, Integer> ids = new HashMap<>();
        List<String> names = new ArrayList<>();
        List<String> raws = new ArrayList<>();
        int[] renamed = new int[functionNames.length];
        boolean changed = false;
        for (int f = 0; f < functionNames.length; f++) {
            String name = rename.apply(functionNames[f]);
            changed |= !name.equals(functionNames[f]);
            Integer id = ids.get(name);
            if (id == null) {
                id = names.size();
                ids.put(name, id);
                names.add(name);
                raws.add(rawFunctionNames[f]);
            }
            renamed[f] = id;
        }
        if (!changed) {
            return this;
        }
        int[] stacks = new int[stackFunctions.length];
        for (int i = 0; i < stacks.length; i++) {
            stacks[i] = renamed[stackFunctions[i]];
        }
        return new Profile(source, format, sampleTypes, names.toArray(new String[0]), raws.toArray(new String[0]),
                stackOffsets, stacks, stackLabelSets, labelSets, values, sampleCounts, startEpochNanos, durationNanos,
                cpuSampling, leftOutTypes, caveats, runtime, jitEvents, sampledHeapPeriod);
    }

    /** Per-function self and inclusive values of one column. */
    public FunctionTotals functionTotals(int sampleTypeIndex) {
        return FunctionTotals.of(this, sampleTypeIndex);
    }

    /** Per-function totals of a profile type, or {@code null} when the profile lacks it. */
    public FunctionTotals functionTotals(ProfileType type) {
        int index = sampleTypeIndex(type);
        return index < 0 ? null : FunctionTotals.of(this, index);
    }

    @Override
    public String toString() {
        List<String> types = new ArrayList<>();
        for (SampleType t : sampleTypes) {
            types.add(t.type() + "/" + t.unit());
        }
        return "Profile[" + source + ", " + format + ", " + types + ", " + functionCount() + " functions, "
                + stackCount() + " stacks]";
    }
}
