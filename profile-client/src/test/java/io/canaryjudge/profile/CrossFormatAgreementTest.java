package io.canaryjudge.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.testing.SyntheticWorkload;
import io.canaryjudge.profile.testing.WorkloadRecording;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import one.convert.Arguments;
import one.convert.JfrToFlame;
import one.convert.JfrToPprof;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real async-profiler recording, four formats, one answer. The recording ({@link
 * WorkloadRecording#shared()}) is converted with async-profiler's own converter (jfr-converter
 * 4.2: {@code JfrToPprof}, {@code JfrToFlame -o collapsed}) to pprof (raw and gzipped) and
 * collapsed text; {@link ProfileFiles} reads each (format detected from content) and every
 * function's self and inclusive value must be the same as from the JFR file itself.
 *
 * <p>Units: the judge's CPU unit is nanoseconds, but the converter writes CPU as sample counts:
 * collapsed text has counts (the collapsed reader's {@code cpu} column is {@code samples}), and
 * pprof has {@code cpu/count} — or, with {@code --total}, a column labelled {@code cpu/nanoseconds}
 * that still holds counts (jfr-converter 4.2 takes {@code ExecutionSample}'s value, the sample
 * count, as the total). The test uses the {@code --total} pprof because only a
 * {@code nanoseconds} column maps to {@code cpu}, and converts: nanoseconds = samples &times;
 * the recording's itimer interval ({@link WorkloadRecording.Recording#cpuIntervalNanos()}).
 * Allocation is converted with {@code --total}: bytes, the unit of {@code alloc_bytes}.
 */
class CrossFormatAgreementTest {
    @TempDir
    static Path dir;

    private static WorkloadRecording.Recording recording;

    @BeforeAll
    static void convert() throws IOException {
        recording = WorkloadRecording.shared();
        String jfr = recording.jfr().toString();
        JfrToPprof.convert(jfr, dir.resolve("cpu.pprof").toString(), new Arguments("--cpu", "--total", "-o", "pprof"));
        JfrToPprof.convert(jfr, dir.resolve("cpu.pb.gz").toString(), new Arguments("--cpu", "--total", "-o", "pb.gz"));
        JfrToFlame.convert(jfr, dir.resolve("cpu.collapsed").toString(), new Arguments("--cpu", "-o", "collapsed"));
        JfrToPprof.convert(jfr, dir.resolve("alloc.pprof").toString(),
                new Arguments("--alloc", "--total", "-o", "pprof"));
        JfrToPprof.convert(jfr, dir.resolve("alloc.pb.gz").toString(),
                new Arguments("--alloc", "--total", "-o", "pb.gz"));
        JfrToFlame.convert(jfr, dir.resolve("alloc.collapsed").toString(),
                new Arguments("--alloc", "--total", "-o", "collapsed"));
    }

    @Test
    void cpuSelfAndInclusiveAgreeAcrossJfrPprofAndCollapsed() throws Exception {
        Map<String, Totals> fromJfr = totals(read(recording.jfr(), ProfileFormat.JFR, null), ProfileType.CPU);
        assertThat(fromJfr).as("the workload's hot method is in the JFR profile")
                .containsKey(SyntheticWorkload.class.getName() + ".mixHashes");

        long interval = recording.cpuIntervalNanos();
        for (String file : List.of("cpu.pprof", "cpu.pb.gz")) {
            Map<String, Totals> converted = totals(read(dir.resolve(file), ProfileFormat.PPROF, null), ProfileType.CPU);
            assertThat(scaled(converted, interval)).as("%s (samples x %d ns) vs JFR", file, interval)
                    .isEqualTo(fromJfr);
        }
        Map<String, Totals> collapsed =
                totals(read(dir.resolve("cpu.collapsed"), ProfileFormat.COLLAPSED, ProfileType.CPU), ProfileType.CPU);
        assertThat(scaled(collapsed, interval)).as("collapsed (samples x %d ns) vs JFR", interval).isEqualTo(fromJfr);
    }

    @Test
    void allocationBytesSelfAndInclusiveAgreeAcrossJfrPprofAndCollapsed() throws Exception {
        Map<String, Totals> fromJfr =
                totals(read(recording.jfr(), ProfileFormat.JFR, null), ProfileType.ALLOC_BYTES);
        assertThat(fromJfr).as("the workload's allocation sites are in the JFR profile")
                .containsKey(SyntheticWorkload.class.getName() + ".allocateBuffers")
                .containsKey(SyntheticWorkload.class.getName() + ".allocateLargeBuffer");

        for (String file : List.of("alloc.pprof", "alloc.pb.gz")) {
            Map<String, Totals> converted =
                    totals(read(dir.resolve(file), ProfileFormat.PPROF, null), ProfileType.ALLOC_BYTES);
            assertThat(converted).as("%s vs JFR", file).isEqualTo(fromJfr);
        }
        Map<String, Totals> collapsed = totals(
                read(dir.resolve("alloc.collapsed"), ProfileFormat.COLLAPSED, ProfileType.ALLOC_BYTES),
                ProfileType.ALLOC_BYTES);
        assertThat(collapsed).as("collapsed vs JFR").isEqualTo(fromJfr);
    }

    /** Self and inclusive value of one function, in the column's unit. */
    record Totals(long self, long inclusive) {
        Totals times(long factor) {
            return new Totals(self * factor, inclusive * factor);
        }
    }

    private static Profile read(Path file, ProfileFormat expected, ProfileType collapsedType) throws Exception {
        ReadOptions options = ReadOptions.defaults();
        if (collapsedType != null) {
            options = options.withCollapsedType(collapsedType);
        }
        List<Profile> profiles = ProfileFiles.read(file, options);
        assertThat(profiles).as("profiles in %s", file).hasSize(1);
        Profile profile = profiles.get(0);
        assertThat(profile.format()).as("format detected for %s", file).isEqualTo(expected);
        return profile;
    }

    /** Function name to totals, for the functions with a non-zero inclusive value. */
    private static Map<String, Totals> totals(Profile profile, ProfileType type) {
        FunctionTotals totals = profile.functionTotals(type);
        assertThat(totals).as("%s has %s", profile, type).isNotNull();
        Map<String, Totals> byName = new TreeMap<>();
        for (int f = 0; f < totals.functionCount(); f++) {
            if (totals.inclusive(f) != 0) {
                byName.put(totals.functionName(f), new Totals(totals.self(f), totals.inclusive(f)));
            }
        }
        assertThat(byName).as("functions of %s in %s", type, profile).isNotEmpty();
        return byName;
    }

    private static Map<String, Totals> scaled(Map<String, Totals> counts, long factor) {
        Map<String, Totals> scaled = new TreeMap<>();
        counts.forEach((name, totals) -> scaled.put(name, totals.times(factor)));
        return scaled;
    }
}
