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
                .contains("\"heap\"").contains("[cpu, wall, alloc_bytes, alloc_objects, lock_delay, lock_count, live_bytes, live_objects]");
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
                        .map(ProfileType::id).collect(java.util.stream.Collectors.joining(", ")) + "\n")
                .contains("live_bytes, live_objects");
    }
}
