package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.FrameNames;
import io.canaryjudge.profile.testing.ConverterConventions;
import io.canaryjudge.profile.testing.WorkloadRecording;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import one.convert.Arguments;
import one.convert.JfrToFlame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code collapse} on a real async-profiler recording prints the same stacks and values as
 * async-profiler's own converter ({@code jfrconv -o collapsed}, jfr-converter 4.2), once the
 * converter's output is put in the judge's terms:
 * <ul>
 *   <li>frame names normalised ({@link FrameNames#normalize}: no {@code _[j]} frame-type suffixes,
 *       dots for slashes, stable lambda names), and native frames prefixed with their library as
 *       the judge names them ({@link ConverterConventions#frame});</li>
 *   <li>in allocation profiles, the converter's extra leaf frame naming the allocated class
 *       ({@code byte[]_[i]}) removed: the judge charges the allocating method;</li>
 *   <li>CPU values: the converter prints sample counts, {@code collapse} prints the profile's
 *       unit, nanoseconds = samples &times; the recording's itimer interval (10 ms here).</li>
 * </ul>
 * Normalising can make two of the converter's lines one (the same method as an interpreted and as
 * a compiled frame), so equal stacks are summed before comparing.
 */
class CollapseAgainstConverterTest {
    @TempDir
    Path dir;

    @Test
    void cpuStacksEqualTheConvertersInTheJudgesTerms() throws Exception {
        WorkloadRecording.Recording recording = WorkloadRecording.shared();
        Path converted = dir.resolve("cpu.collapsed");
        JfrToFlame.convert(recording.jfr().toString(), converted.toString(), new Arguments("--cpu", "-o", "collapsed"));
        ConverterConventions conventions = ConverterConventions.of(recording.jfr());

        Map<String, Long> ours = collapse(recording.jfr(), "cpu");

        Map<String, Long> theirs = judgesTerms(Files.readString(converted), conventions, false,
                recording.cpuIntervalNanos());
        assertThat(ours).isEqualTo(theirs);
    }

    @Test
    void allocationBytesStacksEqualTheConvertersInTheJudgesTerms() throws Exception {
        WorkloadRecording.Recording recording = WorkloadRecording.shared();
        Path converted = dir.resolve("alloc.collapsed");
        JfrToFlame.convert(recording.jfr().toString(), converted.toString(),
                new Arguments("--alloc", "--total", "-o", "collapsed"));
        ConverterConventions conventions = ConverterConventions.of(recording.jfr());

        Map<String, Long> ours = collapse(recording.jfr(), "alloc_bytes");

        assertThat(ours).isEqualTo(judgesTerms(Files.readString(converted), conventions, true, 1));
    }

    private static Map<String, Long> collapse(Path jfr, String type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Cli.run(new String[] {"collapse", jfr.toString(), "--profile-type", type},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as("exit status; stderr: %s", err.toString(StandardCharsets.UTF_8)).isZero();
        Map<String, Long> stacks = new TreeMap<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            int space = line.lastIndexOf(' ');
            Long previous = stacks.put(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
            assertThat(previous).as("collapse prints each stack once: %s", line).isNull();
        }
        assertThat(stacks).as("collapse output of %s", jfr).isNotEmpty();
        return stacks;
    }

    /** The converter's lines as the judge names and values them; equal stacks summed. */
    private static Map<String, Long> judgesTerms(String collapsed, ConverterConventions conventions,
                                                 boolean allocation, long factor) {
        Map<String, Long> stacks = new TreeMap<>();
        for (String line : collapsed.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            List<String> frames = new ArrayList<>(Arrays.asList(line.substring(0, space).split(";", -1)));
            if (allocation) {
                String leaf = FrameNames.normalize(frames.remove(frames.size() - 1));
                assertThat(conventions.allocatedClasses()).as("the converter's allocation leaf frame").contains(leaf);
            }
            List<String> names = frames.stream().map(conventions::frame).toList();
            long value = Long.parseLong(line.substring(space + 1).trim()) * factor;
            stacks.merge(String.join(";", names), value, Long::sum);
        }
        return stacks;
    }
}
