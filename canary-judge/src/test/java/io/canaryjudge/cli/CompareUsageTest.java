package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.profile.ProfileType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command lines that cannot run: exit 64 with a message that says what to do, nothing on stdout. */
class CompareUsageTest {
    @TempDir
    Path dir;

    private CliRun usage(String... args) {
        CliRun run = CliRun.of(args);
        assertThat(run.status()).as(run.err()).isEqualTo(64);
        assertThat(run.out()).isEmpty();
        return run;
    }

    @Test
    void unknownFlagIsNamedWithTheValidFlags() {
        CliRun run = usage("compare", "--baseline", "a", "--canary", "b", "--colour", "red");
        assertThat(run.err()).contains("unknown flag --colour").contains("--profile-type").contains("--slice");
    }

    /** pprof and JFR count their samples: --value-per-sample would do nothing, so it is refused, not ignored. */
    @Test
    void valuePerSampleWithOnlyPprofInputIsAUsageErrorNamingIt() {
        Path shop = SharedFixtures.projectRoot().resolve("examples/profiles/shop");
        CliRun run = usage("compare", "--baseline", shop.resolve("shop-6d4f8c7b9-k2x7p").toString(),
                "--canary", shop.resolve("shop-7f9b6c5d4-m4q8z").toString(), "--profile-type", "cpu",
                "--value-per-sample", "1000");
        assertThat(run.err()).contains("--value-per-sample applies only to collapsed input")
                .contains("pprof or JFR").doesNotContain("Exception");
    }

    @Test
    void valuePerSampleWithCollapsedInputIsUsed() throws IOException {
        Path baseline = Files.writeString(dir.resolve("baseline.collapsed"), "main;work;alloc 5242880\nmain;idle 1048576\n");
        Path canary = Files.writeString(dir.resolve("canary.collapsed"), "main;work;alloc 5767168\nmain;idle 1048576\n");
        CliRun run = CliRun.of("compare", "--baseline", baseline.toString(), "--canary", canary.toString(),
                "--profile-type", "alloc_bytes", "--value-per-sample", "524288", "--format", "json");
        assertThat(run.status()).as(run.err()).isIn(0, 1, 2);
        assertThat(run.err()).doesNotContain("--value-per-sample");
    }

    @Test
    void missingCanaryIsAUsageError() {
        assertThat(usage("compare", "--baseline", "a").err()).contains("--canary PATH");
    }

    @Test
    void noArgumentsAtAllIsAUsageError() {
        assertThat(usage("compare").err()).contains("--baseline PATH");
    }

    @Test
    void badFormatListsTheFormats() {
        assertThat(usage("compare", "--baseline", "a", "--canary", "b", "--format", "yaml").err())
                .contains("\"yaml\"").contains("[json, text, markdown, html]");
    }

    @Test
    void badProfileTypeListsTheTypes() {
        assertThat(usage("compare", "--baseline", "a", "--canary", "b", "--profile-type=heap").err())
                .contains("\"heap\"").contains("[cpu, wall, alloc_bytes, alloc_objects, lock_delay, lock_count, live_bytes,"
                        + " live_objects, malloc_bytes, malloc_leak_bytes, goroutines]");
    }

    @Test
    void oldLiveObjectsIsNotATypeToJudge() {
        CliRun run = usage("compare", "--baseline", "a", "--canary", "b", "--profile-type", "old_live_objects");
        assertThat(run.err()).contains("\"old_live_objects\"")
                .contains("read from JDK recordings beside live_objects (their sampled objects' ages), not judged on its own")
                .contains("[cpu, wall, alloc_bytes, alloc_objects, lock_delay, lock_count, live_bytes, live_objects,"
                        + " malloc_bytes, malloc_leak_bytes, goroutines]");
        // the usage text's --profile-type list
        assertThat(usage().err()).contains("live_objects, malloc_bytes, malloc_leak_bytes").doesNotContain("old_live_objects");
    }

    @Test
    void badSliceListsTheDurationForms() {
        assertThat(usage("compare", "--baseline", "a", "--canary", "b", "--slice", "10 seconds").err())
                .contains("\"10 seconds\"").contains("500ms").contains("PT10S");
        assertThat(usage("compare", "--baseline", "a", "--canary", "b", "--slice", "0s").err())
                .contains("longer than 0");
    }

    /** The recording is fine; the slice length asked for is what cannot be used. */
    @Test
    void sliceTooShortForTheRecordingIsAUsageErrorNamingSliceAndTheLimit() {
        Path jfr = SharedFixtures.folder("jfr-parser");
        Path baseline = jfr.resolve("cortex-dev-01__kafka-0__cpu__0.jfr.gz");
        Path canary = jfr.resolve("cortex-dev-01__kafka-0__cpu__1.jfr.gz");

        CliRun run = usage("compare", "--baseline", baseline.toString(), "--canary", canary.toString(), "--slice", "1ms");

        assertThat(run.err()).startsWith("canary-judge: compare: --slice 1ms is too short for " + baseline
                + ": it gives more than 10000 slices, the most one recording may be cut into; choose a longer --slice")
                .doesNotContain("invalid jfr profile");
    }

    @Test
    void flagWithoutValueIsNamed() {
        assertThat(usage("compare", "--baseline", "a", "--canary").err()).contains("--canary needs a value");
        assertThat(usage("compare", "--baseline", "a", "--canary", "b", "--format=").err())
                .contains("--format needs a value");
    }

    @Test
    void singleValuedFlagGivenTwiceIsRefused() {
        assertThat(usage("compare", "--baseline", "a", "--canary", "b", "--format", "json", "--format", "text").err())
                .contains("--format given twice");
    }

    @Test
    void samePathTwiceInAGroupIsRefused() {
        assertThat(usage("compare", "--baseline", "a", "--baseline", "./a", "--canary", "b").err())
                .contains("given twice");
    }

    @Test
    void strayPositionalArgumentIsRefused() {
        assertThat(usage("compare", "--baseline", "a", "b", "--canary", "c").err()).contains("unexpected argument \"b\"");
    }

    @Test
    void serviceNeedsAConfig() {
        assertThat(usage("compare", "--baseline", "a", "--canary", "b", "--service", "checkout").err())
                .contains("--config");
    }

    @Test
    void configWithUnknownKeyIsAUsageErrorNamingKeyAndFile() throws IOException {
        Path config = Files.writeString(dir.resolve("judge.yaml"), "thresholds:\n  maxQvalue: 0.05\n");
        CliRun run = usage("compare", "--baseline", "a", "--canary", "b", "--config", config.toString());
        assertThat(run.err()).contains(config.toString()).contains("thresholds.maxQvalue").contains("unknown key");
    }

    @Test
    void missingConfigFileIsAUsageError() {
        Path config = dir.resolve("nope.yaml");
        assertThat(usage("compare", "--baseline", "a", "--canary", "b", "--config=" + config).err())
                .contains(config.toString()).contains("no such file");
    }

    @Test
    void unknownServiceListsTheKnownOnes() throws IOException {
        Path config = Files.writeString(dir.resolve("judge.yaml"), "services:\n  checkout: {}\n  search: {}\n");
        assertThat(usage("compare", "--baseline", "a", "--canary", "b", "--config", config.toString(),
                "--service", "chekout").err())
                .contains("\"chekout\"").contains("checkout, search");
    }

    @Test
    void missingPathIsInvalidInputNamingIt() throws IOException {
        Path present = Files.createDirectory(dir.resolve("baseline"));
        Path missing = dir.resolve("canary-pod-7");
        CliRun run = CliRun.of("compare", "--baseline", present.toString(), "--canary=" + missing);
        assertThat(run.status()).isEqualTo(65);
        assertThat(run.err()).contains(missing.toString()).contains("no such file or directory");
        assertThat(run.err().lines().count()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void helpPrintsUsageToStdout() {
        CliRun run = CliRun.of("compare", "--help");
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("--baseline PATH").contains("64 usage")
                .contains("TYPE is one of\n      " + java.util.Arrays.stream(ProfileType.values())
                        .filter(ProfileType::judgedOnItsOwn).map(ProfileType::id).collect(java.util.stream.Collectors.joining(", ")) + "\n")
                .contains("live_bytes, live_objects");
    }

    /** Judging the baseline against itself would PASS whatever the canary is: one instance is in one group. */
    @Test
    void sameInstanceAsBaselineAndCanaryIsRefused() throws IOException {
        Path pod = Files.createDirectory(dir.resolve("pod-1"));
        Files.copy(SharedFixtures.kafkaPprof(0), pod.resolve("slice-0.pb.gz"));
        Path other = Files.createDirectory(dir.resolve("pod-2"));
        Files.copy(SharedFixtures.kafkaPprof(1), other.resolve("slice-0.pb.gz"));

        assertThat(usage("compare", "--baseline", pod.toString(), "--baseline", other.toString(),
                "--canary", pod.resolve("../pod-1").toString()).err())
                .contains("given as --baseline and --canary");
        Path link = Files.createSymbolicLink(dir.resolve("canary-link"), other);
        assertThat(usage("compare", "--baseline", pod.toString(), "--baseline", other.toString(),
                "--canary", link.toString()).err())
                .contains(link + " given as --baseline and --canary");
    }

    /** A slice of a baseline pod given as the canary (or as history, or as a second baseline pod) is read twice. */
    @Test
    void fileOfAnInstanceDirectoryGivenAgainIsRefused() throws IOException {
        Path pod = Files.createDirectory(dir.resolve("pod-1"));
        Path slice = Files.copy(SharedFixtures.kafkaPprof(0), pod.resolve("slice-0.pb.gz"));
        Files.copy(SharedFixtures.kafkaPprof(1), pod.resolve("slice-1.pb.gz"));
        Path other = Files.copy(SharedFixtures.kafkaPprof(2), dir.resolve("other.pb.gz"));

        assertThat(usage("compare", "--baseline", pod.toString(), "--canary", slice.toString()).err())
                .startsWith("canary-judge: compare: " + slice + " given as --baseline and --canary (" + slice
                        + " is a file of the directory " + pod + ")");
        assertThat(usage("compare", "--baseline", slice.toString(), "--canary", other.toString(),
                "--history", pod.toString()).err())
                .contains("given as --baseline and --history (" + slice + " is a file of the directory " + pod + ")");
        assertThat(usage("compare", "--baseline", pod.toString(), "--baseline", slice.toString(),
                "--canary", other.toString()).err())
                .contains(slice + " given twice (" + slice + " is a file of the directory " + pod + ")");
    }

    /** --output over a profile it judges wrote the verdict over that profile: the recording was lost. */
    @Test
    void outputNamingAnInputIsRefusedAndTheInputKept() throws IOException {
        Path baseline = Files.copy(SharedFixtures.kafkaPprof(0), dir.resolve("baseline.pb.gz"));
        Path canaryPod = Files.createDirectory(dir.resolve("canary-pod"));
        Path canarySlice = Files.copy(SharedFixtures.kafkaPprof(1), canaryPod.resolve("slice-0.pb.gz"));
        Path config = Files.writeString(dir.resolve("judge.yaml"), "thresholds:\n  maxQValue: 0.05\n");
        byte[] baselineBytes = Files.readAllBytes(baseline);
        byte[] canaryBytes = Files.readAllBytes(canarySlice);

        assertThat(usage("compare", "--baseline", baseline.toString(), "--canary", canaryPod.toString(),
                "--output", baseline.toString()).err())
                .startsWith("canary-judge: compare: --output " + baseline + " is the --baseline " + baseline + " itself");
        assertThat(usage("compare", "--baseline", baseline.toString(), "--canary", canaryPod.toString(),
                "--output=" + canaryPod.resolve("../canary-pod/slice-0.pb.gz")).err())
                .contains("is in the --canary directory " + canaryPod + ", whose files are that instance's slices");
        assertThat(usage("compare", "--baseline", baseline.toString(), "--canary", canaryPod.toString(),
                "--config", config.toString(), "--output", config.toString()).err())
                .contains("--output " + config + " is the --config file");

        assertThat(Files.readAllBytes(baseline)).isEqualTo(baselineBytes);
        assertThat(Files.readAllBytes(canarySlice)).isEqualTo(canaryBytes);
        assertThat(Files.readString(config)).contains("maxQValue");
    }

    /**
     * A new file in an instance directory is refused too: it would be refused as an existing one on the next run
     * (and read as a file of the instance).
     */
    @Test
    void outputOrLearnedNoiseInAnInstanceDirectoryIsRefused() throws IOException {
        Path baseline = Files.copy(SharedFixtures.kafkaPprof(0), dir.resolve("baseline.pb.gz"));
        Path canaryPod = Files.createDirectory(dir.resolve("canary-pod"));
        Files.copy(SharedFixtures.kafkaPprof(1), canaryPod.resolve("slice-0.pb.gz"));

        assertThat(usage("compare", "--baseline", baseline.toString(), "--canary", canaryPod.toString(),
                "--format", "json", "--output", canaryPod.resolve("verdict.json").toString()).err())
                .contains("--output " + canaryPod.resolve("verdict.json") + " is in the --canary directory");
        assertThat(usage("compare", "--baseline", baseline.toString(), "--canary", canaryPod.toString(),
                "--learned-noise", canaryPod.resolve("noise.json").toString()).err())
                .contains("--learned-noise " + canaryPod.resolve("noise.json") + " is in the --canary directory");
        assertThat(canaryPod.resolve("verdict.json")).doesNotExist();
        assertThat(canaryPod.resolve("noise.json")).doesNotExist();
    }

    /** A config (or profile) given as --learned-noise was called damaged, with the advice to delete it. */
    @Test
    void learnedNoiseNamingAnInputIsRefused() throws IOException {
        Path baseline = Files.copy(SharedFixtures.kafkaPprof(0), dir.resolve("baseline.pb.gz"));
        Path canary = Files.copy(SharedFixtures.kafkaPprof(1), dir.resolve("canary.pb.gz"));
        Path config = Files.writeString(dir.resolve("judge.yaml"), "thresholds:\n  maxQValue: 0.05\n");

        CliRun run = usage("compare", "--baseline", baseline.toString(), "--canary", canary.toString(),
                "--config", config.toString(), "--learned-noise", config.toString());

        assertThat(run.err()).contains("--learned-noise " + config + " is the --config file").doesNotContain("delete");
        assertThat(usage("compare", "--baseline", baseline.toString(), "--canary", canary.toString(),
                "--learned-noise", canary.toString()).err())
                .contains("--learned-noise " + canary + " is the --canary " + canary + " itself");
    }
}
