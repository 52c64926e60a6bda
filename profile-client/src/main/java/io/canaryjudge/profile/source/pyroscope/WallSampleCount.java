package io.canaryjudge.profile.source.pyroscope;

import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.pprof.EffectiveSamples;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How many samples lie behind a wall profile that Pyroscope answers with its one {@code wall/nanoseconds} column.
 *
 * <p>Pyroscope's {@code SelectMergeProfile} answers a wall query with period 1 (its {@code SetProfileMetadata} guesses a
 * period for {@code process_cpu} and {@code memory} only), so the pprof reader's total-over-period count is the wall
 * time in nanoseconds: qa76's Node pods read as 201,272,384,000 "samples" for 10,099 real ones, and the judge then
 * fitted an overdispersion of 21.6 million, tested 326 functions instead of 163 and stated a detectable change of 106 %
 * where {@code compare} on the same uploads states 91 % (docs/EVALUATION.md, "Node.js services through the service:
 * the samples behind wall (qa86)").
 *
 * <p>Pyroscope's Node SDK uploads a {@code samples/count} column beside wall ({@code @datadog/pprof}), which Pyroscope
 * keeps as the series {@code wall:samples:count:wall:nanoseconds}. Fetched for the same slice, it gives each stack's
 * samples; the count is then what the pprof reader takes from a file with both columns ({@link EffectiveSamples}):
 * Kish's effective number (Σv)² / Σ(v²/k) over the stacks (v a stack's wall time, k its samples), at most Σk. Stacks
 * whose samples carry no wall time (the event loop's idle samples with {@code collectCpuTime}) add nothing, as in a
 * file. Per merged stack rather than per pprof row: equal when each sample weighs the same, as the
 * SDK's wall samples do (one interval each).
 */
final class WallSampleCount {
    private WallSampleCount() {
    }

    /**
     * The wall sample type's Pyroscope IDs with {@code wall/nanoseconds} replaced by {@code samples/count}, e.g.
     * {@code wall:samples:count:wall:nanoseconds} for {@code wall:wall:nanoseconds:wall:nanoseconds}; empty unless there
     * is exactly one ID of that form (a sum of several wall series has no one count series to pair with).
     */
    static List<String> countIds(List<String> wallIds) {
        if (wallIds.size() != 1) {
            return List.of();
        }
        String[] parts = wallIds.get(0).split(":", -1);
        if (parts.length != 5 || !parts[1].equals("wall") || !parts[2].equals("nanoseconds")) {
            return List.of();
        }
        return List.of(parts[0] + ":samples:count:" + parts[3] + ":" + parts[4]);
    }

    /**
     * The ID of the CPU time uploaded in the same profiles as the wall sample type {@code wallIds}: Pyroscope's ingest
     * moves a Node wall upload's {@code cpu/nanoseconds} column (the SDK's {@code collectCpuTime}) to {@code process_cpu}
     * with the wall's period type, {@code process_cpu:cpu:nanoseconds:wall:nanoseconds}
     * ({@link PyroscopeProfileTypes#NODE_CPU}). A JVM's CPU has period type {@code cpu}: never this ID. Empty unless
     * there is exactly one wall ID of the {@code :wall:nanoseconds:} form.
     */
    static List<String> cpuIds(List<String> wallIds) {
        List<String> counts = countIds(wallIds);
        if (counts.isEmpty()) {
            return List.of();
        }
        String[] parts = wallIds.get(0).split(":", -1);
        return List.of("process_cpu:cpu:nanoseconds:" + parts[3] + ":" + parts[4]);
    }

    /**
     * The {@code samples/count} series uploaded with the CPU time of a Node wall upload, {@code
     * wall:samples:count:wall:nanoseconds} for {@code process_cpu:cpu:nanoseconds:wall:nanoseconds} ({@link #cpuIds}'
     * inverse): the same samples, so cpu's are counted as wall's are, Kish's effective number over the stacks, as the
     * pprof reader counts the upload file's {@code cpu/nanoseconds} column. Empty unless there is exactly one ID of that
     * form (a JVM's CPU, period type {@code cpu}, has no such series).
     */
    static List<String> cpuCountIds(List<String> cpuIds) {
        if (cpuIds.size() != 1) {
            return List.of();
        }
        String[] parts = cpuIds.get(0).split(":", -1);
        if (parts.length != 5 || !parts[0].equals("process_cpu") || !parts[1].equals("cpu")
                || !parts[2].equals("nanoseconds") || !parts[3].equals("wall") || !parts[4].equals("nanoseconds")) {
            return List.of();
        }
        return List.of("wall:samples:count:" + parts[3] + ":" + parts[4]);
    }

    /**
     * What a wall profile says of the CPU time its uploads carried ({@link #cpuIds}), in
     * {@link Profile#leftOutTypes()}: the upload's file holds it as a column, so {@code compare} lets CPU decide over
     * Node's wall (judge.NodeBusyWall), and so does the service.
     */
    static String cpuLeftOut(String cpuId) {
        return "the uploads of these wall profiles also carried CPU time (Node's SDK with collectCpuTime), which"
                + " Pyroscope keeps as the series " + cpuId + ", not fetched with wall; judged as cpu where cpu is"
                + " requested and read from that series (canary-judge.pyroscope.producer=node, or a request naming no"
                + " profileTypes)";
    }

    /**
     * {@code @datadog/pprof}'s leaf for CPU time spent outside JavaScript, the one row with no samples, as the reader
     * names it: no script, the name, line 0 ({@code :Non JS threads activity:0}).
     */
    private static final Pattern UNSAMPLED_ROW = Pattern.compile(":?Non JS threads activity(:\\d+)?");

    /**
     * Kish's effective number of samples behind {@code wall}'s column {@code wallColumn}, from {@code counts}' column
     * {@code countColumn} (the same series' samples), stacks matched by their frame names; -1 when a stack holding wall
     * time has no samples in {@code counts} (the answers do not describe the same stacks, e.g. truncated differently):
     * the count stays unknown rather than guessed.
     */
    static long of(Profile wall, int wallColumn, Profile counts, int countColumn) {
        return of(wall, wallColumn, counts, countColumn, false);
    }

    /**
     * {@link #of(Profile, int, Profile, int)}; with {@code unsampledStacks}, a stack holding time but no samples in
     * {@code counts} adds to the total only, as a file's row with no samples does in the pprof reader: the CPU column of
     * a Node wall upload gives CPU time to {@code @datadog/pprof}'s {@code Non JS threads activity} row, which holds no
     * samples, and Pyroscope keeps no stack without a value in the count series. Only that row, by its leaf's name.
     */
    static long of(Profile wall, int wallColumn, Profile counts, int countColumn, boolean unsampledStacks) {
        Map<String, Long> samplesByStack = new HashMap<>();
        long samples = 0;
        for (int s = 0; s < counts.stackCount(); s++) {
            long k = counts.value(s, countColumn);
            if (k > 0) {
                samplesByStack.merge(key(counts, s), k, Long::sum);
                samples += k;
            }
        }
        double total = 0;
        double squares = 0;
        Map<String, Long> wallByStack = new HashMap<>();
        Set<String> unsampled = new HashSet<>();
        for (int s = 0; s < wall.stackCount(); s++) {
            long v = wall.value(s, wallColumn);
            if (v > 0) {
                String stack = key(wall, s);
                wallByStack.merge(stack, v, Long::sum);
                if (wall.stackDepth(s) > 0 && unsampledRow(wall.rawFunctionName(wall.stackFunction(s, 0)))) {
                    unsampled.add(stack);
                }
            }
        }
        for (Map.Entry<String, Long> stack : wallByStack.entrySet()) {
            Long k = samplesByStack.get(stack.getKey());
            double v = stack.getValue();
            if (k == null) {
                // only that row truly holds no samples; any other stack missing from the answer means the answer
                // is not this slice's count (another upload, a cut answer): unread, not a stack without samples
                if (!unsampledStacks || !unsampled.contains(stack.getKey())) {
                    return -1;
                }
                total += v;
                continue;
            }
            total += v;
            squares += v * v / k;
        }
        if (samples <= 0 || squares <= 0) {
            return -1;
        }
        return EffectiveSamples.of(samples, total, squares);
    }

    private static boolean unsampledRow(String leaf) {
        return UNSAMPLED_ROW.matcher(leaf).matches();
    }

    /**
     * A stack as its frame names, leaf first, and its labels: how a count answer's stacks are matched to the wall
     * answer's here and a heap column's to its pair's in {@link HeapSampleCount} (one key, so both match alike).
     */
    static String key(Profile profile, int stack) {
        StringBuilder key = new StringBuilder();
        for (int d = 0; d < profile.stackDepth(stack); d++) {
            key.append(profile.rawFunctionName(profile.stackFunction(stack, d))).append('\u0000');
        }
        return key.append(new TreeMap<>(profile.labels(stack))).toString();
    }
}
