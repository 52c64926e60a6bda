package io.canaryjudge.profile.source.pyroscope;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileBuilder;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.SampleType;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * The count of a Node wall upload's CPU column from its samples/count column ({@link WallSampleCount}) on qa75's real
 * upload ({@code @pyroscope/nodejs} 0.6.4 with {@code collectCpuTime}): only {@code @datadog/pprof}'s
 * {@code Non JS threads activity} row holds CPU time and no samples; any other stack missing from the count answer
 * leaves the count unread (-1), never read as a stack without samples.
 */
class WallSampleCountTest {
    static final Path UPLOAD = Path.of("../canary-judge/src/test/resources/qa75/pods/b1/wall-003.pb.gz");

    @Test
    void onlyTheNonJsThreadsRowMayBeMissingFromTheCounts() throws Exception {
        Profile wall = ProfileFiles.read(UPLOAD, ReadOptions.defaults()).get(0);
        int cpu = wall.sampleTypeIndex(ProfileType.CPU);
        int samples = column(wall, "samples");
        assertThat(cpu).isNotNegative();
        assertThat(samples).isNotNegative();
        // the file's own count column leaves out only the row without samples, Non JS threads activity: counted
        Profile counts = counts(wall, samples, s -> true);
        assertThat(WallSampleCount.of(wall, cpu, counts, 0, true)).isPositive();

        // one JavaScript stack holding CPU time removed from the count answer: unread, not a stack without samples
        int removed = -1;
        for (int s = 0; s < wall.stackCount() && removed < 0; s++) {
            String leaf = wall.rawFunctionName(wall.stackFunction(s, 0));
            if (wall.value(s, cpu) > 0 && wall.value(s, samples) > 0 && !leaf.contains("Non JS threads")) {
                removed = s;
            }
        }
        assertThat(removed).isNotNegative();
        int gone = removed;
        Profile missingOne = counts(wall, samples, s -> s != gone);
        assertThat(WallSampleCount.of(wall, cpu, missingOne, 0, true)).isEqualTo(-1);
    }

    private static int column(Profile profile, String type) {
        List<SampleType> types = profile.sampleTypes();
        for (int i = 0; i < types.size(); i++) {
            if (types.get(i).type().equals(type)) {
                return i;
            }
        }
        return -1;
    }

    /** The upload's count column as Pyroscope answers it: the stacks holding samples that {@code kept} keeps. */
    private static Profile counts(Profile wall, int samples, IntPredicate kept) throws Exception {
        SampleType count = wall.sampleTypes().get(samples);
        ProfileBuilder builder = new ProfileBuilder("counts", wall.format(), List.of(count), 1024);
        for (int s = 0; s < wall.stackCount(); s++) {
            long k = wall.value(s, samples);
            if (k <= 0 || !kept.test(s)) {
                continue;
            }
            int depth = wall.stackDepth(s);
            int[] frames = new int[depth];
            for (int d = 0; d < depth; d++) {
                frames[d] = builder.function(wall.rawFunctionName(wall.stackFunction(s, d)));
            }
            builder.add(builder.stack(frames, depth, builder.labelSet(wall.labels(s))), 0, k);
        }
        return builder.build();
    }
}
