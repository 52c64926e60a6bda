package io.canaryjudge.profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link Profile} while a reader decodes: interns function names (normalised once per
 * distinct raw name) and stacks (open addressing over one shared {@code int[]}), and adds values
 * into per-column arrays, so aggregation happens while reading instead of collecting events.
 *
 * <p>Not thread-safe; one builder per file being read.
 */
public final class ProfileBuilder {
    private final String source;
    private final ProfileFormat format;
    private final List<SampleType> sampleTypes;
    private final int maxStackDepth;

    private final Map<String, Integer> functionByRawName = new HashMap<>();
    private final Map<String, Integer> functionByName = new HashMap<>();
    private final List<String> functionNames = new ArrayList<>();
    private final List<String> rawFunctionNames = new ArrayList<>();
    /**
     * Function id of Go's {@code runtime.asyncPreempt}, or -1: the call Go's signal handler injects into whatever
     * function a goroutine was running, to preempt it. As a stack's leaf it marks where the signal interrupted that
     * function, whose cost it is (a long loop is preempted the more it runs: a 1.5× slower loop raised it +109 % in the
     * recorded Go pods, named as the culprit of the change); {@link #stack} gives it to the interrupted function.
     */
    private int goPreemption = -1;

    private final Map<Map<String, String>, Integer> labelSetIds = new HashMap<>();
    private final List<Map<String, String>> labelSets = new ArrayList<>();

    private int[] stackOffsets = new int[1025];
    private int[] stackFunctions = new int[16384];
    private int[] stackLabelSets = new int[1024];
    private int stackCount;
    private int[] table = new int[2048]; // stack index + 1, 0 = empty
    private long[][] values;
    private final long[] sampleCounts;
    private long startEpochNanos;
    private long durationNanos;
    private SamplingSetting cpuSampling;
    private long sampledHeapPeriod;

    /**
     * @param maxStackDepth deeper stacks are rejected with {@link InvalidProfileException}
     */
    public ProfileBuilder(String source, ProfileFormat format, List<SampleType> sampleTypes, int maxStackDepth) {
        if (sampleTypes.isEmpty()) {
            throw new IllegalArgumentException("a profile needs at least one sample type");
        }
        this.source = source;
        this.format = format;
        this.sampleTypes = List.copyOf(sampleTypes);
        this.maxStackDepth = maxStackDepth;
        this.values = new long[sampleTypes.size()][1024];
        this.sampleCounts = new long[sampleTypes.size()];
        Arrays.fill(sampleCounts, -1);
        labelSets.add(Map.of());
        labelSetIds.put(Map.of(), 0);
    }

    public String source() {
        return source;
    }

    public List<SampleType> sampleTypes() {
        return sampleTypes;
    }

    /** Function id for a raw frame name; normalises it the first time the raw name is seen. */
    public int function(String rawName) {
        Integer id = functionByRawName.get(rawName);
        if (id != null) {
            return id;
        }
        String name = FrameNames.normalize(rawName);
        Integer existing = functionByName.get(name);
        int fid;
        if (existing != null) {
            fid = existing;
        } else {
            fid = functionNames.size();
            functionNames.add(name);
            rawFunctionNames.add(rawName);
            functionByName.put(name, fid);
            if (name.equals("runtime.asyncPreempt")) {
                goPreemption = fid;
            }
        }
        functionByRawName.put(rawName, fid);
        return fid;
    }

    /** Id of a label set (0 = no labels); equal maps share one id. */
    public int labelSet(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return 0;
        }
        Integer id = labelSetIds.get(labels);
        if (id != null) {
            return id;
        }
        Map<String, String> copy = Map.copyOf(labels);
        int newId = labelSets.size();
        labelSets.add(copy);
        labelSetIds.put(copy, newId);
        return newId;
    }

    /**
     * Interns a stack and returns its index for {@link #add}.
     *
     * @param functionsLeafFirst function ids from {@link #function}, leaf first; only the first
     *                           {@code length} entries are read (a leaf {@code runtime.asyncPreempt} below a caller is
     *                           left out: its samples are the caller's)
     * @throws InvalidProfileException when the stack is deeper than the configured limit
     */
    public int stack(int[] functionsLeafFirst, int length, int labelSet) throws InvalidProfileException {
        if (length > 1 && functionsLeafFirst[0] == goPreemption) {
            functionsLeafFirst = Arrays.copyOfRange(functionsLeafFirst, 1, length);
            length--;
        }
        if (length > maxStackDepth) {
            throw new StackDepthLimitException(source, format, -1,
                    "stack of " + length + " frames exceeds the limit of " + maxStackDepth, maxStackDepth);
        }
        int hash = labelSet * 31 + length;
        for (int i = 0; i < length; i++) {
            hash = hash * 0x9E3779B1 + functionsLeafFirst[i];
        }
        hash ^= hash >>> 16;
        int mask = table.length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            int entry = table[slot];
            if (entry == 0) {
                int index = append(functionsLeafFirst, length, labelSet);
                table[slot] = index + 1;
                if (stackCount * 2 > table.length) {
                    rehash();
                }
                return index;
            }
            if (sameStack(entry - 1, functionsLeafFirst, length, labelSet)) {
                return entry - 1;
            }
        }
    }

    private boolean sameStack(int index, int[] frames, int length, int labelSet) {
        int start = stackOffsets[index];
        if (stackOffsets[index + 1] - start != length || stackLabelSets[index] != labelSet) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (stackFunctions[start + i] != frames[i]) {
                return false;
            }
        }
        return true;
    }

    private int append(int[] frames, int length, int labelSet) {
        int index = stackCount;
        if (index + 2 > stackOffsets.length) {
            int capacity = stackOffsets.length * 2;
            stackOffsets = Arrays.copyOf(stackOffsets, capacity);
            stackLabelSets = Arrays.copyOf(stackLabelSets, capacity);
            for (int t = 0; t < values.length; t++) {
                values[t] = Arrays.copyOf(values[t], capacity);
            }
        }
        int start = stackOffsets[index];
        if (start + length > stackFunctions.length) {
            stackFunctions = Arrays.copyOf(stackFunctions, Math.max(stackFunctions.length * 2, start + length));
        }
        System.arraycopy(frames, 0, stackFunctions, start, length);
        stackOffsets[index + 1] = start + length;
        stackLabelSets[index] = labelSet;
        stackCount++;
        return index;
    }

    private void rehash() {
        int[] bigger = new int[table.length * 2];
        int mask = bigger.length - 1;
        for (int index = 0; index < stackCount; index++) {
            int start = stackOffsets[index];
            int length = stackOffsets[index + 1] - start;
            int hash = stackLabelSets[index] * 31 + length;
            for (int i = 0; i < length; i++) {
                hash = hash * 0x9E3779B1 + stackFunctions[start + i];
            }
            hash ^= hash >>> 16;
            int slot = hash & mask;
            while (bigger[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            bigger[slot] = index + 1;
        }
        table = bigger;
    }

    /** Adds {@code value} to column {@code sampleTypeIndex} of {@code stack}. */
    public void add(int stack, int sampleTypeIndex, long value) {
        values[sampleTypeIndex][stack] += value;
    }

    /** Adds to the number of samples (events) behind a column; see {@link Profile#sampleCount}. */
    public void addSampleCount(int sampleTypeIndex, long samples) {
        if (sampleCounts[sampleTypeIndex] < 0) {
            sampleCounts[sampleTypeIndex] = 0;
        }
        sampleCounts[sampleTypeIndex] += samples;
    }

    /** Samples added to a column so far; -1 when none was counted. */
    public long sampleCount(int sampleTypeIndex) {
        return sampleCounts[sampleTypeIndex];
    }

    /** Sum of a column's values so far. */
    public long total(int sampleTypeIndex) {
        long sum = 0;
        for (int stack = 0; stack < stackCount; stack++) {
            sum += values[sampleTypeIndex][stack];
        }
        return sum;
    }

    /** The profiled interval: start in nanoseconds since the epoch, length in nanoseconds (0 = unknown). */
    public void interval(long startEpochNanos, long durationNanos) {
        this.startEpochNanos = startEpochNanos;
        this.durationNanos = durationNanos;
    }

    /** How the cpu column's samples were taken; see {@link Profile#cpuSampling()}. */
    public void cpuSampling(SamplingSetting setting) {
        this.cpuSampling = setting;
    }

    /** The bytes between samples of a sampled heap profile; see {@link Profile#sampledHeapPeriod()}. */
    public void sampledHeapPeriod(long bytes) {
        this.sampledHeapPeriod = bytes;
    }

    public int stackCount() {
        return stackCount;
    }

    public Profile build() {
        long[][] trimmed = new long[values.length][];
        for (int t = 0; t < values.length; t++) {
            trimmed[t] = Arrays.copyOf(values[t], stackCount);
        }
        boolean hasLabels = labelSets.size() > 1;
        return new Profile(source, format, sampleTypes,
                functionNames.toArray(new String[0]), rawFunctionNames.toArray(new String[0]),
                Arrays.copyOf(stackOffsets, stackCount + 1),
                Arrays.copyOf(stackFunctions, stackOffsets[stackCount]),
                hasLabels ? Arrays.copyOf(stackLabelSets, stackCount) : null,
                List.copyOf(labelSets), trimmed, sampleCounts.clone(), startEpochNanos, durationNanos,
                cpuSampling, Map.of(), sampledHeapPeriod);
    }
}
