package io.canaryjudge.profile.pprof;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.FrameNames;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.SharedFixtures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PprofReaderTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void kafkaPprofStacksEqualJfrParsersAnswerKey(int slice) throws Exception {
        Path pprof = SharedFixtures.kafkaPprof().get(slice);
        List<Profile> profiles = ProfileFiles.read(pprof, ReadOptions.defaults());

        assertThat(profiles).hasSize(1);
        Profile profile = profiles.get(0);
        assertThat(profile.format()).isEqualTo(ProfileFormat.PPROF);
        int cpu = profile.sampleTypeIndex(ProfileType.CPU);
        assertThat(cpu).isZero();
        assertThat(profile.sampleTypes().get(cpu).type()).isEqualTo("cpu");
        assertThat(profile.sampleTypes().get(cpu).unit()).isEqualTo("nanoseconds");

        Map<String, Long> expected = peerStacks(SharedFixtures.kafkaExpectedCollapsed(slice));
        assertThat(stacks(profile, cpu)).isEqualTo(expected);
    }

    /** Root-first normalised stacks of one column, merged over labels. */
    static Map<String, Long> stacks(Profile profile, int column) {
        Map<String, Long> stacks = new TreeMap<>();
        for (int s = 0; s < profile.stackCount(); s++) {
            List<String> frames = new ArrayList<>();
            for (int d = profile.stackDepth(s) - 1; d >= 0; d--) {
                frames.add(profile.functionName(profile.stackFunction(s, d)));
            }
            stacks.merge(String.join(";", frames), profile.value(s, column), Long::sum);
        }
        stacks.values().removeIf(v -> v == 0);
        return stacks;
    }

    /** jfr-parser's lines {@code frame;…;leaf [value]}, each frame normalised, equal stacks merged. */
    static Map<String, Long> peerStacks(Path expectedCollapsedGz) throws IOException {
        Map<String, Long> stacks = new TreeMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(expectedCollapsedGz)), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                int open = line.lastIndexOf(" [");
                long value = Long.parseLong(line.substring(open + 2, line.length() - 1));
                List<String> frames = new ArrayList<>();
                for (String frame : line.substring(0, open).split(";", -1)) {
                    frames.add(FrameNames.normalize(frame));
                }
                stacks.merge(String.join(";", frames), value, Long::sum);
            }
        }
        return stacks;
    }
}
