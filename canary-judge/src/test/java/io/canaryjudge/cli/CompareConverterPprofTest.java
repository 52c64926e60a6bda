package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.profile.testing.WorkloadRecording;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import one.convert.Arguments;
import one.convert.JfrToPprof;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CI job that profiles with async-profiler and keeps pprof converts with async-profiler's own converter,
 * {@code jfrconv -o pprof --cpu}. Without {@code --total} it writes {@code cpu/count} (samples), which the judge
 * does not compare; such files were read as profiles holding nothing, and the verdict only said "no type that
 * can fail the canary has data in both groups" (exit 2). They are invalid input naming the file, its columns and
 * what to give instead; with {@code --total} ({@code cpu/nanoseconds}) the same recording is judged.
 */
class CompareConverterPprofTest {
    @TempDir
    Path dir;

    private Path pprof(String name, String... converterArgs) throws Exception {
        Path out = dir.resolve(name);
        JfrToPprof.convert(WorkloadRecording.shared().jfr().toString(), out.toString(), new Arguments(converterArgs));
        return out;
    }

    @Test
    void converterSampleCountsAreInvalidInputNamingTheFileAndTheFlag() throws Exception {
        Path counts = pprof("run-1.pb.gz", "--cpu", "-o", "pprof");
        Path slices = Files.createDirectories(dir.resolve("pr"));
        Files.copy(counts, slices.resolve("run-1.pb.gz"));
        Files.copy(counts, slices.resolve("run-2.pb.gz"));
        CliRun run = CliRun.of("compare", "--baseline", counts.toString(), "--canary", slices.toString());
        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(65);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("canary-judge: " + counts + ": no column the judge compares (cpu/count);"
                + " CPU must be in nanoseconds and allocations in bytes or objects, e.g. cpu/nanoseconds,"
                + " alloc_space/bytes; give async-profiler's JFR recording itself, or convert it with jfrconv --total\n");
    }

    @Test
    void withTotalTheSameRecordingIsJudged() throws Exception {
        Path nanos = pprof("run-1.pb.gz", "--cpu", "--total", "-o", "pprof");
        Path pr = Files.createDirectories(dir.resolve("pr"));
        Path base = Files.createDirectories(dir.resolve("main"));
        Files.copy(nanos, pr.resolve("a.pb.gz"));
        Files.copy(nanos, pr.resolve("b.pb.gz"));
        Files.copy(nanos, base.resolve("a.pb.gz"));
        Files.copy(nanos, base.resolve("b.pb.gz"));
        CliRun run = CliRun.of("compare", "--format", "json", "--baseline", base.toString(), "--canary", pr.toString());
        assertThat(run.status()).as(run.err()).isIn(0, 2);
        assertThat(run.out()).contains("\"profileType\" : \"cpu\"").doesNotContain("no type that can fail");
    }

    /**
     * The converter's {@code --nativemem} pprof holds {@code malloc/count} (or {@code malloc/bytes} with
     * {@code --total}) whether or not {@code --leak} left out the freed blocks, so it cannot be judged as either native
     * type. The error said "convert it with jfrconv --total", which a user who had done so could not follow; it names
     * the JFR recording, which the judge reads as both types. A recording the project made (profile-client's
     * {@code nativemem.jfr.gz}).
     */
    @Test
    void converterNativeAllocationsAreInvalidInputNamingTheRecordingAsTheRemedy() throws Exception {
        Path jfr = dir.resolve("nativemem.jfr");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(SharedFixtures.projectRoot()
                .resolve("profile-client/src/test/resources/jfr/nativemem.jfr.gz")))) {
            Files.copy(in, jfr);
        }
        for (String[] args : new String[][] {{"--nativemem", "--total"}, {"--nativemem", "--leak", "--total"},
                {"--nativemem"}}) {
            Path pprof = dir.resolve("native-" + String.join("", args).replace("-", "") + ".pb");
            String[] converterArgs = new String[args.length + 2];
            System.arraycopy(args, 0, converterArgs, 0, args.length);
            converterArgs[args.length] = "-o";
            converterArgs[args.length + 1] = "pprof";
            JfrToPprof.convert(jfr.toString(), pprof.toString(), new Arguments(converterArgs));
            Path canary = Files.copy(pprof, dir.resolve("canary-" + pprof.getFileName()));
            CliRun run = CliRun.of("compare", "--baseline", pprof.toString(), "--canary", canary.toString());
            assertThat(run.status()).as(run.out() + run.err()).isEqualTo(65);
            assertThat(run.err()).as(String.join(" ", args)).startsWith("canary-judge: " + pprof
                            + ": no column the judge compares (malloc/")
                    .contains("give the JFR recording itself, read as malloc_bytes and malloc_leak_bytes")
                    .doesNotContain("--total").hasLineCount(1);
        }
    }
}
