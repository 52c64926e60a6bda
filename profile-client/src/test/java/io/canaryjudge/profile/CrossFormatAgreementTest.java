package io.canaryjudge.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.testing.ConverterConventions;
import io.canaryjudge.profile.testing.SyntheticWorkload;
import io.canaryjudge.profile.testing.WorkloadRecording;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * <p><b>Units.</b> The judge's CPU unit is nanoseconds, but the converter writes CPU as sample
 * counts: collapsed text has counts (the collapsed reader's {@code cpu} column is
 * {@code samples}), and pprof has {@code cpu/count} — or, with {@code --total}, a column labelled
 * {@code cpu/nanoseconds} that still holds counts (jfr-converter 4.2 totals
 * {@code ExecutionSample}'s value, which is its sample count). The test uses the {@code --total}
 * pprof because only a {@code nanoseconds} column maps to {@code cpu}, and converts: nanoseconds =
 * samples &times; the recording's itimer interval ({@link WorkloadRecording.Recording#cpuIntervalNanos()}).
 * Allocation is converted with {@code --total}: bytes, the unit of {@code alloc_bytes}.
 *
 * <p><b>Names.</b> The converter names native frames without their library and adds the allocated
 * class as a leaf frame; {@link ConverterConventions} maps both (learnt from the recording with the
 * JDK's JFR parser), everything else must match exactly after {@link FrameNames} normalisation.
 */
class CrossFormatAgreementTest {
    @TempDir
    static Path dir;

    private static WorkloadRecording.Recording recording;
    private static ConverterConventions conventions;

    @BeforeAll
    static void convert() throws IOException {
        recording = WorkloadRecording.shared();
        conventions = ConverterConventions.of(recording.jfr());
        String jfr = recording.jfr().toString();
        Arguments cpuPprof = new Arguments("--cpu", "--total", "-o", "pprof");
        JfrToPprof.convert(jfr, dir.resolve("cpu.pprof").toString(), cpuPprof);
        JfrToPprof.convert(jfr, dir.resolve("cpu.pb.gz").toString(), new Arguments("--cpu", "--total", "-o", "pb.gz"));
        JfrToFlame.convert(jfr, dir.resolve("cpu.collapsed").toString(), new Arguments("--cpu", "-o", "collapsed"));
        Arguments allocPprof = new Arguments("--alloc", "--total", "-o", "pprof");
        JfrToPprof.convert(jfr, dir.resolve("alloc.pprof").toString(), allocPprof);
        JfrToPprof.convert(jfr, dir.resolve("alloc.pb.gz").toString(),
                new Arguments("--alloc", "--total", "-o", "pb.gz"));
        JfrToFlame.convert(jfr, dir.resolve("alloc.collapsed").toString(),
                new Arguments("--alloc", "--total", "-o", "collapsed"));
    }

    @Test
    void cpuSelfAndInclusiveAgreeAcrossJfrPprofAndCollapsed() throws Exception {
        Map<String, Totals> fromJfr = functionTotals(read(recording.jfr(), ProfileFormat.JFR, null), ProfileType.CPU);
        assertThat(fromJfr).as("the workload's hot method is in the JFR profile")
                .containsKey(SyntheticWorkload.class.getName() + ".mixHashes");

        long interval = recording.cpuIntervalNanos();
        for (String file : List.of("cpu.pprof", "cpu.pb.gz", "cpu.collapsed")) {
            ProfileFormat format = file.endsWith("collapsed") ? ProfileFormat.COLLAPSED : ProfileFormat.PPROF;
            Profile converted = read(dir.resolve(file), format, ProfileType.CPU);
            Map<String, Totals> samples = renamed(functionTotals(converted, ProfileType.CPU));
            assertThat(scaled(samples, interval)).as("%s (samples x %d ns) vs JFR", file, interval)
                    .isEqualTo(fromJfr);
        }
    }

    @Test
    void allocationBytesSelfAndInclusiveAgreeAcrossJfrPprofAndCollapsed() throws Exception {
        Map<String, Totals> fromJfr =
                functionTotals(read(recording.jfr(), ProfileFormat.JFR, null), ProfileType.ALLOC_BYTES);
        assertThat(fromJfr).as("the workload's allocation sites are in the JFR profile")
                .containsKey(SyntheticWorkload.class.getName() + ".allocateBuffers")
                .containsKey(SyntheticWorkload.class.getName() + ".allocateLargeBuffer");
        Set<String> classes = conventions.allocatedClasses();
        assertThat(classes).contains("byte[]", "long[]");

        for (String file : List.of("alloc.pprof", "alloc.pb.gz", "alloc.collapsed")) {
            ProfileFormat format = file.endsWith("collapsed") ? ProfileFormat.COLLAPSED : ProfileFormat.PPROF;
            Profile converted = read(dir.resolve(file), format, ProfileType.ALLOC_BYTES);

            // Inclusive values do not change when a leaf frame is added below the allocating method:
            // the project's FunctionTotals on the converted profile, class frames left out.
            Map<String, Totals> totals = renamed(functionTotals(converted, ProfileType.ALLOC_BYTES));
            Map<String, Long> inclusive = new TreeMap<>();
            totals.forEach((name, t) -> {
                if (!classes.contains(name)) {
                    inclusive.put(name, t.inclusive());
                }
            });
            Map<String, Long> jfrInclusive = new TreeMap<>();
            fromJfr.forEach((name, t) -> jfrInclusive.put(name, t.inclusive()));
            assertThat(inclusive).as("%s inclusive vs JFR", file).isEqualTo(jfrInclusive);

            // Self values move from the class frame to the allocating method: recomputed from the stacks.
            assertThat(withoutClassLeaf(converted, ProfileType.ALLOC_BYTES, classes))
                    .as("%s without the converter's allocated-class frames vs JFR", file).isEqualTo(fromJfr);
        }
    }

    /** Self and inclusive value of one function, in the column's unit. */
    record Totals(long self, long inclusive) {
        Totals times(long factor) {
            return new Totals(self * factor, inclusive * factor);
        }
    }

    private static Profile read(Path file, ProfileFormat expected, ProfileType collapsedType) throws Exception {
        List<Profile> profiles = ProfileFiles.read(file, ReadOptions.defaults().withCollapsedType(collapsedType));
        assertThat(profiles).as("profiles in %s", file).hasSize(1);
        Profile profile = profiles.get(0);
        assertThat(profile.format()).as("format detected for %s", file).isEqualTo(expected);
        return profile;
    }

    /** Function name to totals from {@link Profile#functionTotals}, for functions with a value. */
    private static Map<String, Totals> functionTotals(Profile profile, ProfileType type) {
        FunctionTotals totals = profile.functionTotals(type);
        assertThat(totals).as("%s has %s", profile, type).isNotNull();
        Map<String, Totals> byName = new TreeMap<>();
        for (int f = 0; f < totals.functionCount(); f++) {
            if (totals.inclusive(f) != 0) {
                Totals previous = byName.put(totals.functionName(f), new Totals(totals.self(f), totals.inclusive(f)));
                assertThat(previous).as("function names are unique in %s", profile).isNull();
            }
        }
        assertThat(byName).as("functions of %s in %s", type, profile).isNotEmpty();
        return byName;
    }

    /** Converter names to the judge's names; the mapping is one-to-one, so totals carry over. */
    private static Map<String, Totals> renamed(Map<String, Totals> converter) {
        Map<String, Totals> renamed = new TreeMap<>();
        converter.forEach((name, totals) -> {
            Totals previous = renamed.put(conventions.frame(name), totals);
            assertThat(previous).as("two converter frames map to %s", conventions.frame(name)).isNull();
        });
        return renamed;
    }

    /**
     * Self and inclusive values of a converted allocation profile as if the converter had not added
     * the allocated class as a leaf frame: an independent recomputation from the stacks (each
     * function counted once per stack), with the converter's names mapped to the judge's.
     */
    private static Map<String, Totals> withoutClassLeaf(Profile profile, ProfileType type, Set<String> classes) {
        int column = profile.sampleTypeIndex(type);
        Map<String, long[]> sums = new TreeMap<>();
        for (int s = 0; s < profile.stackCount(); s++) {
            long value = profile.value(s, column);
            if (value == 0) {
                continue;
            }
            int depth = profile.stackDepth(s);
            String leaf = profile.functionName(profile.stackFunction(s, 0));
            assertThat(classes).as("leaf frame of a converted allocation stack").contains(leaf);
            Set<String> seen = new HashSet<>();
            for (int d = 1; d < depth; d++) {
                String name = conventions.frame(profile.functionName(profile.stackFunction(s, d)));
                long[] sum = sums.computeIfAbsent(name, k -> new long[2]);
                if (d == 1) {
                    sum[0] += value;
                }
                if (seen.add(name)) {
                    sum[1] += value;
                }
            }
        }
        Map<String, Totals> totals = new TreeMap<>();
        sums.forEach((name, sum) -> totals.put(name, new Totals(sum[0], sum[1])));
        return totals;
    }

    private static Map<String, Totals> scaled(Map<String, Totals> counts, long factor) {
        Map<String, Totals> scaled = new TreeMap<>();
        counts.forEach((name, totals) -> scaled.put(name, totals.times(factor)));
        return scaled;
    }
}
