package io.canaryjudge.profile.collapsed;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.AsyncProfilerConversions;
import io.canaryjudge.profile.FunctionTotals;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.testing.SyntheticWorkload;
import io.canaryjudge.profile.testing.WorkloadRecording;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The collapsed stacks users make of one real async-profiler recording with jfrconv's naming options
 * ({@code --lines}, {@code --bci}, {@code --threads}, {@code --dot}, {@code --norm}) read as the same functions with
 * the same self and inclusive counts as the plain conversion: a baseline and a canary converted with the same
 * option are compared function by function, and a canary whose lines shifted matches its baseline. Found by a
 * QA pass: {@code --bci} frames ({@code Orders.checksum@25}) made one function per sampled bytecode index, and
 * {@code --threads} roots ({@code [main tid=27313]}, a new id in every JVM) were a new hot path of 42 % of CPU.
 */
class AsyncProfilerCollapsedOptionsTest {
    private static Map<String, List<Long>> plain;
    private static WorkloadRecording.Recording recording;

    @BeforeAll
    static void convert() throws Exception {
        recording = WorkloadRecording.shared();
        plain = totals(AsyncProfilerConversions.collapsed(recording.jfr(), "--cpu"));
        assertThat(plain).containsKey(SyntheticWorkload.class.getName() + ".mixHashes");
    }

    @Test
    void bytecodeIndexesAreDroppedSoEachMethodIsOneFunction() throws Exception {
        String bci = AsyncProfilerConversions.collapsed(recording.jfr(), "--cpu", "--bci");
        assertThat(bci).containsPattern("\\.mixHashes@\\d+_\\[[a-z0-9]\\]");

        assertThat(totals(bci)).isEqualTo(plain);
    }

    @Test
    void lineNumbersAreDroppedSoEachMethodIsOneFunction() throws Exception {
        String lines = AsyncProfilerConversions.collapsed(recording.jfr(), "--cpu", "--lines");
        assertThat(lines).containsPattern("\\.mixHashes:\\d+_\\[[a-z0-9]\\]");

        assertThat(totals(lines)).isEqualTo(plain);
        // an edit elsewhere in the file moves every line of the canary's methods: still the same functions
        assertThat(totals(lines.replaceAll(":(\\d+)_\\[", ":1$1_["))).isEqualTo(plain);
    }

    @Test
    void threadRootFramesAreLeftOutAndTheirStacksKept() throws Exception {
        String threads = AsyncProfilerConversions.collapsed(recording.jfr(), "--cpu", "--threads");
        assertThat(threads).containsPattern("(?m)^\\[[^;\\]]* ?tid=\\d+\\];");

        assertThat(totals(threads)).isEqualTo(plain);
    }

    @Test
    void dottedAndNormalisedNamesAreTheSameFunctions() throws Exception {
        assertThat(totals(AsyncProfilerConversions.collapsed(recording.jfr(), "--cpu", "--dot"))).isEqualTo(plain);
        assertThat(totals(AsyncProfilerConversions.collapsed(recording.jfr(), "--cpu", "--norm"))).isEqualTo(plain);
    }

    @Test
    void onlyARootFrameEndingInATidIsAThread() throws Exception {
        Map<String, List<Long>> read = totals("[main tid=12];a 3\n[tid=7];a 2\nb;[x tid=1] 4\n[gc];b 1\n[w tid=9] 5\n");
        assertThat(read).containsOnlyKeys("a", "b", "[x tid=1]", "[gc]", "[w tid=9]");
        assertThat(read.get("a")).containsExactly(5L, 5L);
    }

    /** Function name to [self, inclusive] sample counts of collapsed cpu text. */
    private static Map<String, List<Long>> totals(String collapsed) throws Exception {
        List<Profile> profiles = ProfileFiles.read(collapsed.getBytes(StandardCharsets.UTF_8), "cpu.collapsed",
                ReadOptions.defaults().withCollapsedType(ProfileType.CPU));
        FunctionTotals totals = profiles.get(0).functionTotals(ProfileType.CPU);
        Map<String, List<Long>> byName = new TreeMap<>();
        for (int f = 0; f < totals.functionCount(); f++) {
            if (totals.inclusive(f) != 0) {
                assertThat(byName.put(totals.functionName(f), List.of(totals.self(f), totals.inclusive(f))))
                        .as("function names are unique").isNull();
            }
        }
        return byName;
    }
}
