package io.canaryjudge.profile.source.pyroscope;

import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.pprof.EffectiveSamples;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How many samples lie behind a sampled heap's in-use bytes or objects that Pyroscope answers one column at a time.
 *
 * <p>Go's runtime and V8's sampling heap profiler (through {@code @datadog/pprof}) keep one sample per ~512 KiB
 * allocated and write each row's k samples of objects of size s scaled up to k / (1 − e^(−s/period)) objects; neither
 * writes k. A file holds both columns, so the pprof reader undoes the scaling per row,
 * k = objects · (1 − e^(−(bytes/objects)/period)), and gives each column Kish's effective number (docs/EVALUATION.md,
 * "Report-only types and their noise (qa92)"). Pyroscope stores the two columns as two series
 * ({@code memory:inuse_space:bytes:…} and {@code memory:inuse_objects:count:…}) and answers one per query, so the
 * Pyroscope source fetches the other for the same slice and pairs them here, stack by stack. Per stack of frame names
 * rather than per pprof row (the rows are gone: Pyroscope merges rows with the same locations, Go's of different
 * object sizes among them, and a {@link Profile} holds a stack per frame names, rows at different lines of one function
 * merged): objects · (1 − e^(−(bytes/objects)/period)) is superadditive, so a merged row counts at least its rows' sum
 * and its Kish number at least theirs, equal when the rows' objects are of one size. Measured on qa76's and a Go pod's
 * uploads, 39 of 42 Node slices and every Go slice count as the file, three count one more (docs/EVALUATION.md,
 * "In-use heap counts through Pyroscope (qa98)").
 *
 * <p>When no pair can be made ({@link EffectiveSamples#fewestPossible}), the count is the fewest the fetched column allows: every stack
 * holding a value holds at least one sample, so Kish's number with one sample per stack, (Σv)² / Σv², never more.
 */
final class HeapSampleCount {
    /**
     * The sampling period in bytes the count assumes: Go's {@code runtime.MemProfileRate} and the Node SDK's heap
     * {@code samplingIntervalBytes} default alike to 512 KiB, and Pyroscope answers every {@code memory} query with that
     * period ({@code SetProfileMetadata}) whatever the uploads declared, so the answer cannot say otherwise.
     */
    static final double PERIOD_BYTES = 512 * 1024;

    private HeapSampleCount() {
    }

    /**
     * The ID of the other column of an in-use heap ID, same name and period type:
     * {@code memory:inuse_objects:count:space:bytes} for {@code memory:inuse_space:bytes:space:bytes} and back; empty
     * unless there is exactly one ID of either form (a sum of several series has no one partner to pair with).
     */
    static List<String> pairIds(List<String> ids) {
        if (ids.size() != 1) {
            return List.of();
        }
        String[] parts = ids.get(0).split(":", -1);
        if (parts.length != 5) {
            return List.of();
        }
        String rest = ":" + parts[3] + ":" + parts[4];
        if (parts[1].equals("inuse_space") && parts[2].equals("bytes")) {
            return List.of(parts[0] + ":inuse_objects:count" + rest);
        }
        if (parts[1].equals("inuse_objects") && parts[2].equals("count")) {
            return List.of(parts[0] + ":inuse_space:bytes" + rest);
        }
        return List.of();
    }

    /**
     * Kish's effective number of samples behind {@code fetched}'s column {@code column}, with {@code partner}'s column
     * {@code partnerColumn} the other half of the pair; -1 when a stack holding a value in either has none in the other
     * (the answers do not describe the same stacks: another slice, truncated differently), or when nothing is sampled.
     *
     * @param fetchedIsBytes whether {@code fetched} holds the bytes ({@code partner} then holds the objects)
     */
    static long of(Profile fetched, int column, Profile partner, int partnerColumn, boolean fetchedIsBytes) {
        Map<String, Long> values = byStack(fetched, column);
        Map<String, Long> others = byStack(partner, partnerColumn);
        if (values.isEmpty() || !values.keySet().equals(others.keySet())) {
            return -1;
        }
        double samples = 0;
        double total = 0;
        double squares = 0;
        for (Map.Entry<String, Long> stack : values.entrySet()) {
            double v = stack.getValue();
            double other = others.get(stack.getKey());
            double objects = fetchedIsBytes ? other : v;
            double bytes = fetchedIsBytes ? v : other;
            double k = EffectiveSamples.ofSampledHeapRow(objects, bytes, PERIOD_BYTES);
            if (!(k > 0)) {
                return -1;
            }
            samples += k;
            total += v;
            squares += v * v / k;
        }
        return Math.max(1, EffectiveSamples.of(Math.round(Math.max(1, samples)), total, squares));
    }

    /** The column's positive values summed per stack (frame names, leaf first, and labels). */
    private static Map<String, Long> byStack(Profile profile, int column) {
        Map<String, Long> values = new HashMap<>();
        for (int s = 0; s < profile.stackCount(); s++) {
            long v = profile.value(s, column);
            if (v > 0) {
                values.merge(WallSampleCount.key(profile, s), v, Long::sum);
            }
        }
        return values;
    }
}
