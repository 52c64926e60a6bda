package io.canaryjudge.profile.source.pyroscope;

import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileBuilder;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.SampleType;
import java.util.List;

/**
 * Sums the answers for the several Pyroscope profile type IDs of one profile type (new-TLAB and
 * outside-TLAB allocations; monitor and park lock time) into one profile with one column, the way the
 * pprof reader sums the two TLAB columns of one file: the column is named by its parts joined with
 * {@code +} (e.g. {@code alloc_in_new_tlab_bytes+alloc_outside_tlab_bytes}), identical stacks add up.
 * Frame names go through {@link ProfileBuilder#function}, which normalises them exactly as the readers do.
 */
final class ProfileSum {
    private ProfileSum() {
    }

    /**
     * @param parts profiles that each hold a column of {@code type}; at least two
     * @throws InvalidProfileException when a stack is deeper than the read options allow
     */
    static Profile of(List<Profile> parts, ProfileType type, String source, ReadOptions options)
            throws InvalidProfileException {
        StringBuilder name = new StringBuilder();
        long samples = 0;
        for (Profile part : parts) {
            SampleType column = part.sampleTypes().get(part.sampleTypeIndex(type));
            name.append(name.length() == 0 ? "" : "+").append(column.type());
            long count = part.sampleCount(part.sampleTypeIndex(type));
            samples = samples < 0 || count < 0 ? -1 : samples + count;
        }
        ProfileBuilder builder = new ProfileBuilder(source, ProfileFormat.PPROF,
                List.of(new SampleType(name.toString(), type.unit(), type)), options.maxStackDepth());
        long start = Long.MAX_VALUE;
        long end = 0;
        for (Profile part : parts) {
            int column = part.sampleTypeIndex(type);
            int[] functions = new int[part.functionCount()];
            for (int f = 0; f < functions.length; f++) {
                functions[f] = builder.function(part.rawFunctionName(f));
            }
            int[] frames = new int[64];
            for (int s = 0; s < part.stackCount(); s++) {
                long value = part.value(s, column);
                if (value == 0) {
                    continue;
                }
                int depth = part.stackDepth(s);
                if (depth > frames.length) {
                    frames = new int[Math.max(depth, frames.length * 2)];
                }
                for (int d = 0; d < depth; d++) {
                    frames[d] = functions[part.stackFunction(s, d)];
                }
                int labels = part.labels(s).isEmpty() ? 0 : builder.labelSet(part.labels(s));
                builder.add(builder.stack(frames, depth, labels), 0, value);
            }
            if (part.startEpochNanos() > 0) {
                start = Math.min(start, part.startEpochNanos());
                end = Math.max(end, part.startEpochNanos() + part.durationNanos());
            }
        }
        if (samples >= 0) {
            builder.addSampleCount(0, samples);
        }
        if (start != Long.MAX_VALUE) {
            builder.interval(start, end - start);
        }
        return builder.build();
    }
}
