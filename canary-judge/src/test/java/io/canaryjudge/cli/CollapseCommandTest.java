package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.collapsed.CollapsedWriter;
import io.canaryjudge.profile.FrameNames;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollapseCommandTest {

    /** What one run of the command line printed and returned. */
    private record Run(int status, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void pprofIsPrintedAsSortedCollapsedStacks() throws Exception {
        Path pprof = SharedFixtures.kafkaPprof(0);

        Run run = run("collapse", pprof.toString());

        assertThat(run.status()).isZero();
        assertThat(run.err()).isEmpty();
        List<String> lines = run.lines();
        assertThat(lines).hasSizeGreaterThan(100).isSorted()
                .allMatch(line -> line.matches("\\S.* [1-9][0-9]*"))
                .contains(hottestPeerLine(0))
                .doesNotHaveDuplicates();
        long total = lines.stream().mapToLong(line -> Long.parseLong(line.substring(line.lastIndexOf(' ') + 1))).sum();
        assertThat(total).isEqualTo(ProfileFiles.read(pprof, ReadOptions.defaults()).get(0).total(0));
    }

    /** jfr-parser's hottest stack of the same recording, frames normalised, as a collapsed line. */
    private static String hottestPeerLine(int slice) throws Exception {
        Path key = SharedFixtures.folder("jfr-parser").resolve("cortex-dev-01__kafka-0__cpu__" + slice
                + "_0_process_cpu_cpu__nanoseconds_expected_collapsed.txt.gz");
        Map<String, Long> stacks = new HashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(key)), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                int open = line.lastIndexOf(" [");
                String frames = Arrays.stream(line.substring(0, open).split(";"))
                        .map(FrameNames::normalize).collect(Collectors.joining(";"));
                stacks.merge(frames, Long.parseLong(line.substring(open + 2, line.length() - 1)), Long::sum);
            }
        }
        Map.Entry<String, Long> hottest = Collections.max(stacks.entrySet(), Map.Entry.comparingByValue());
        return hottest.getKey() + " " + hottest.getValue();
    }

    @Test
    void collapsedInputNeedsAProfileTypeAndRoundTripsWithOne(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("stacks.txt");
        StringWriter written = new StringWriter();
        CollapsedWriter.write(ProfileFiles.read(SharedFixtures.kafkaPprof(1), ReadOptions.defaults()).get(0), 0, written);
        Files.writeString(text, written.toString());

        Run untyped = run("collapse", text.toString());
        assertThat(untyped.status()).isEqualTo(64);
        assertThat(untyped.out()).isEmpty();
        assertThat(untyped.err()).contains(text + ": collapsed input needs --profile-type");

        Run typed = run("collapse", text.toString(), "--profile-type", "cpu");
        assertThat(typed.status()).isZero();
        assertThat(typed.out()).isEqualTo(written.toString());
    }

    @Test
    void corruptFileIsExit65NamingIt(@TempDir Path dir) throws Exception {
        byte[] gz = Files.readAllBytes(SharedFixtures.kafkaPprof(2));
        Path cut = Files.write(dir.resolve("cut.pb.gz"), Arrays.copyOf(gz, gz.length / 3));

        Run run = run("collapse", cut.toString());

        assertThat(run.status()).isEqualTo(65);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).hasSize(1).first().asString()
                .startsWith("canary-judge: " + cut + ": invalid gzip profile");
    }

    @Test
    void missingFileAndNonProfileAreExit65NamingThem(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.pb");
        Run absent = run("collapse", missing.toString());
        assertThat(absent.status()).isEqualTo(65);
        assertThat(absent.err()).isEqualTo("canary-judge: " + missing + ": no such file" + System.lineSeparator());

        Path csv = Files.writeString(dir.resolve("metrics.csv"), "time,cpu\n1,0.5\n");
        Run notProfile = run("collapse", csv.toString());
        assertThat(notProfile.status()).isEqualTo(65);
        assertThat(notProfile.err()).startsWith("canary-judge: " + csv + ": not a profile");

        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        assertThat(run("collapse", empty.toString()).err()).contains(empty + ": not a profile: file is empty");

        Run directory = run("collapse", dir.toString());
        assertThat(directory.status()).isEqualTo(65);
        assertThat(directory.err()).startsWith("canary-judge: " + dir + ": cannot read");
    }

    @Test
    void negativeCollapsedCountIsExit65NamingFileLineAndCount(@TempDir Path dir) throws Exception {
        Path negative = Files.writeString(dir.resolve("neg.collapsed"), "a;b;c -5\n");

        Run run = run("collapse", negative.toString(), "--profile-type", "cpu");

        assertThat(run.status()).isEqualTo(65);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("canary-judge: " + negative + ": invalid collapsed profile at byte 0: line 1:"
                + " count -5 is negative" + System.lineSeparator());
    }

    @Test
    void askedTypeMissingFromTheFileIsExit65ListingWhatItHas() {
        Run run = run("collapse", SharedFixtures.kafkaPprof(0).toString(), "--profile-type=alloc_bytes");

        assertThat(run.status()).isEqualTo(65);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("has no alloc_bytes profile; it has: cpu/nanoseconds (cpu)");
    }

    @Test
    void usageErrorsAreExit64() {
        assertThat(run("collapse").status()).isEqualTo(64);
        assertThat(run("collapse", "a", "b").err()).contains("collapse takes one FILE");
        Run unknownFlag = run("collapse", "x.pb", "--colour");
        assertThat(unknownFlag.status()).isEqualTo(64);
        assertThat(unknownFlag.err()).contains("unknown option --colour");
        Run unknownType = run("collapse", "x.pb", "--profile-type", "heap");
        assertThat(unknownType.status()).isEqualTo(64);
        assertThat(unknownType.err()).contains("profile type \"heap\" must be one of: [cpu, wall, alloc_bytes");
        assertThat(run("collapse", "x.pb", "--profile-type").err()).contains("--profile-type needs a value");
        assertThat(run("collapse", "x.pb", "--max-decompressed-bytes", "-1").status()).isEqualTo(64);
    }

    /** The last of two values won silently: the column printed was not the one the user read first. */
    @Test
    void optionGivenTwiceIsExit64() {
        String kafka = SharedFixtures.kafkaPprof(0).toString();
        Run twice = run("collapse", kafka, "--profile-type", "cpu", "--profile-type=wall");
        assertThat(twice.status()).isEqualTo(64);
        assertThat(twice.out()).isEmpty();
        assertThat(twice.err()).startsWith("canary-judge: collapse: --profile-type given twice");
        assertThat(run("collapse", kafka, "--max-samples", "10", "--max-samples", "99").err())
                .contains("--max-samples given twice");
    }

    /** It was "unknown option --help" and 64, while compare --help prints usage and exits 0. */
    @Test
    void helpPrintsUsageAndExits0LikeCompare() {
        for (String help : new String[] {"--help", "-h"}) {
            Run run = run("collapse", help);
            assertThat(run.status()).isEqualTo(0);
            assertThat(run.out()).contains("canary-judge collapse FILE");
            assertThat(run.err()).isEmpty();
            assertThat(run("compare", help).out()).isEqualTo(run.out());
        }
    }

    @Test
    void decompressedSizeLimitApplies() {
        Run run = run("collapse", SharedFixtures.kafkaPprof(0).toString(), "--max-decompressed-bytes", "50000");

        // the file has 26 KB, its content 81 KB
        assertThat(run.status()).isEqualTo(65);
        assertThat(run.err()).contains("inflates beyond the limit of 50000 bytes (raise it with --max-decompressed-bytes N)")
                .doesNotContain("decompressed size limit");
    }
}
