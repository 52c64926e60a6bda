package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.FrameNames;
import io.canaryjudge.profile.testing.WorkloadRecording;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import one.convert.Arguments;
import one.convert.JfrToFlame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code collapse} on a real async-profiler recording prints the same stacks and values as
 * async-profiler's own converter ({@code jfrconv -o collapsed}) once the converter's frame names
 * are normalised the way the judge names frames ({@link FrameNames#normalize}: no {@code _[j]}
 * frame-type suffixes, dots for slashes, stable lambda names). Normalising can make two of the
 * converter's lines one (the same method as an interpreted and as a compiled frame), so equal
 * stacks are summed before comparing.
 */
class CollapseAgainstConverterTest {
    @TempDir
    Path dir;

    @Test
    void cpuStacksEqualTheConvertersAfterNormalisation() throws Exception {
        WorkloadRecording.Recording recording = WorkloadRecording.shared();
        Path converted = dir.resolve("cpu.collapsed");
        JfrToFlame.convert(recording.jfr().toString(), converted.toString(), new Arguments("--cpu", "-o", "collapsed"));

        Map<String, Long> ours = collapse(recording.jfr(), "cpu");

        assertThat(ours).isEqualTo(normalised(Files.readString(converted)));
    }

    @Test
    void allocationBytesStacksEqualTheConvertersAfterNormalisation() throws Exception {
        WorkloadRecording.Recording recording = WorkloadRecording.shared();
        Path converted = dir.resolve("alloc.collapsed");
        JfrToFlame.convert(recording.jfr().toString(), converted.toString(),
                new Arguments("--alloc", "--total", "-o", "collapsed"));

        Map<String, Long> ours = collapse(recording.jfr(), "alloc_bytes");

        assertThat(ours).isEqualTo(normalised(Files.readString(converted)));
    }

    private static Map<String, Long> collapse(Path jfr, String type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Cli.run(new String[] {"collapse", jfr.toString(), "--profile-type", type},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as("exit status; stderr: %s", err.toString(StandardCharsets.UTF_8)).isZero();
        Map<String, Long> stacks = parse(out.toString(StandardCharsets.UTF_8), false);
        assertThat(stacks).as("collapse output of %s", jfr).isNotEmpty();
        return stacks;
    }

    private static Map<String, Long> normalised(String collapsed) {
        return parse(collapsed, true);
    }

    /** Stack text to value; equal stacks summed. */
    private static Map<String, Long> parse(String collapsed, boolean normalise) {
        Map<String, Long> stacks = new TreeMap<>();
        for (String line : collapsed.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String stack = line.substring(0, space);
            if (normalise) {
                StringBuilder text = new StringBuilder();
                for (String frame : stack.split(";", -1)) {
                    text.append(text.length() == 0 ? "" : ";").append(FrameNames.normalize(frame));
                }
                stack = text.toString();
            }
            stacks.merge(stack, Long.parseLong(line.substring(space + 1).trim()), Long::sum);
        }
        return stacks;
    }
}
