package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.ci.CiBenchRun;
import io.canaryjudge.profile.testing.SyntheticWorkload;
import io.canaryjudge.profile.testing.WorkloadRecording;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CI job that runs its benchmark three times collects the three recordings in one artifact folder and passes
 * the folder: {@code --baseline main/ --canary pr/}. A directory is one JVM whose files are its slices, so the
 * runs were judged as one pod a side — their JVM-to-JVM differences taken for slice noise, their heaps merged — and
 * the answer (INCONCLUSIVE: collect more pods per side) could not be followed by collecting more runs into the
 * folder. Recordings of several JVMs in one directory are invalid input naming them; each run given as its own
 * PATH is judged; two recordings of one JVM in one directory are still its slices. Real async-profiler
 * recordings: {@link io.canaryjudge.ci.CiBench} in its own JVMs, and two recordings of this test's JVM.
 */
class CompareRunsInOneDirectoryTest {
    @TempDir
    static Path dir;
    private static Path[] runs;
    /** 3 s runs on a busy machine can give fewer than the default 1,000 samples a group: this test is about layouts. */
    private static String config;

    @BeforeAll
    static void record() throws Exception {
        config = Files.writeString(dir.resolve("judge.yaml"), "minSamplesPerGroup: 100\n").toString();
        runs = new Path[4];
        // Runs 0 and 1 share a directory in one test, so they run one after the other: two JVMs launched together on a
        // loaded machine's two cores started in the same millisecond, and their recordings read as one JVM's. Runs 2
        // and 3 (history in one test) run together, after them.
        int[][] rounds = {{0}, {1}, {2, 3}};
        for (int[] round : rounds) {
            List<CiBenchRun> started = new ArrayList<>();
            for (int i : round) {
                runs[i] = dir.resolve("run-" + i).resolve("run-" + i + ".jfr");
                started.add(CiBenchRun.start("A", runs[i], 3, 1000));
            }
            for (CiBenchRun run : started) {
                run.await();
            }
        }
    }

    @Test
    void recordingsOfSeveralJvmsInOneDirectoryAreInvalidInputNamingThem() throws Exception {
        Path main = Files.createDirectories(dir.resolve("main"));
        Files.copy(runs[0], main.resolve("run-0.jfr"));
        Files.copy(runs[1], main.resolve("run-1.jfr"));
        CliRun run = CliRun.of("compare", "--baseline", main.toString(), "--canary", runs[2].toString(),
                "--canary", runs[3].toString());
        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(65);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("canary-judge: " + main + ": recordings of 2 JVMs in one directory: run-0.jfr"
                        + " (JVM started ")
                .contains("; run-1.jfr (JVM started ").contains("give each run as its own PATH").hasLineCount(1);
    }

    /**
     * Runs 2 and 3 were launched together: their recordings' JVM starts can lie within the 2 s that two recorders of
     * one JVM may date it apart (a JDK JFR beside async-profiler's), so only their process ids tell them apart, and
     * collected in one directory they are still two JVMs, named with their pids.
     */
    @Test
    void runsStartedTogetherAreTwoJvmsByTheirProcessIds() throws Exception {
        Path pr = Files.createDirectories(dir.resolve("pr"));
        Files.copy(runs[2], pr.resolve("run-2.jfr"));
        Files.copy(runs[3], pr.resolve("run-3.jfr"));
        CliRun run = CliRun.of("compare", "--baseline", runs[0].toString(), "--baseline", runs[1].toString(),
                "--canary", pr.toString());
        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(65);
        assertThat(run.err()).contains("recordings of 2 JVMs in one directory").contains(", pid ");
    }

    @Test
    void eachRunAsItsOwnPathIsJudged() {
        CliRun run = CliRun.of("compare", "--config", config, "--format", "json", "--slice", "1s", "--baseline", runs[0].toString(),
                "--baseline", runs[1].toString(), "--canary", runs[2].toString(), "--canary", runs[3].toString());
        assertThat(run.status()).as(run.err()).isIn(0, 1, 2);
        assertThat(run.out()).contains("\"instances\" : 2");
    }

    /**
     * One benchmark run a side is too little, and the answer must name what a CI job has: not "earlier windows of
     * the baseline pods" (a benchmark JVM has exited), but other JVMs of the baseline version, e.g. earlier runs of
     * the main branch; given as history they replace the prior the one-run verdict rested on. The note is in every
     * one-run verdict; the summary names the remedy when the verdict is underpowered (an A/A of one run a side can
     * also fail by chance).
     */
    @Test
    void oneRunASideNamesEarlierRunsOfTheBaselineVersionAsTheRemedy() {
        CliRun one = CliRun.of("compare", "--config", config, "--format", "json", "--slice", "1s", "--baseline", runs[0].toString(),
                "--canary", runs[1].toString());
        assertThat(one.status()).as(one.err()).isIn(0, 1, 2);
        assertThat(one.out()).contains("1 baseline and 1 canary pod(s): each function's between-pod noise rests on few"
                + " pods; history (earlier windows or other pods of the baseline version) or 3 or more pods per side"
                + " give a firmer verdict");
        if (one.out().contains("collect more pods per side")) {
            assertThat(one.out()).contains("collect more pods per side, or give earlier windows or other pods of the"
                    + " baseline version as history.");
        }

        CliRun followed = CliRun.of("compare", "--config", config, "--format", "json", "--slice", "1s", "--baseline", runs[0].toString(),
                "--canary", runs[1].toString(), "--history", runs[2].toString(), "--history", runs[3].toString());
        assertThat(followed.status()).as(followed.err()).isIn(0, 1, 2);
        assertThat(followed.out()).doesNotContain("as history").doesNotContain("give a firmer verdict")
                .contains("\"noiseSource\" : \"history: ");
    }

    @Test
    void twoRecordingsOfOneJvmInOneDirectoryAreItsSlices() throws Exception {
        Path pod = Files.createDirectories(dir.resolve("one-jvm"));
        for (int k = 1; k <= 2; k++) {
            WorkloadRecording.record(pod.resolve("slice-" + k + ".jfr"), Duration.ofMillis(500),
                    WorkloadRecording.DEFAULT_CPU_INTERVAL, WorkloadRecording.DEFAULT_ALLOC_INTERVAL_BYTES,
                    SyntheticWorkload::step);
        }
        CliRun run = CliRun.of("compare", "--config", config, "--format", "json", "--baseline", pod.toString(), "--canary", runs[2].toString());
        assertThat(run.status()).as(run.err()).isIn(0, 1, 2);
        assertThat(run.err()).doesNotContain("JVMs in one directory");
    }
}
