package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.ci.CiBenchRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CI benchmark run given as a directory holding its recording and the {@code requests.csv} CiBench writes (one
 * count for the whole file), cut with {@code --slice}. The count was dropped with one data-quality line per file
 * ("requests.csv counts requests per file, but --slice split it into 4 slices; ...", six near-identical lines for
 * 3 + 3 runs) and cost per request was lost. The judge's total-per-request test needs only each pod's totals, and
 * a pod's CPU summed over its slices over the file's count is exact; so the count is used that way, and the figures
 * equal the unsliced run's (and are compared, or not, alike). Where warm-up leaves out some of a recording's slices, their requests are not known
 * apart: said once, naming the recordings. Real runs: {@link io.canaryjudge.ci.CiBench} in its own JVMs, main (A)
 * and the same code (A2) started in pairs so that both sides see the same machine load.
 */
class CompareSlicedRequestCountsTest {
    private static final Pattern CPU_PER_REQUEST = Pattern.compile("CPU per request: baseline [^\"]*");

    @TempDir
    static Path dir;
    private static final List<String> pods = new ArrayList<>();

    @BeforeAll
    static void record() throws Exception {
        for (int run = 0; run < 3; run++) {
            Path main = dir.resolve("main/run-" + run).resolve("run-" + run + ".jfr");
            Path pr = dir.resolve("pr/run-" + run).resolve("run-" + run + ".jfr");
            CiBenchRun a = CiBenchRun.start("A", main, 4, 1000);
            CiBenchRun b = CiBenchRun.start("A2", pr, 4, 1000);
            a.await();
            b.await();
            assertThat(main.resolveSibling("requests.csv")).exists();
        }
        for (String side : List.of("main", "pr")) {
            for (int run = 0; run < 3; run++) {
                pods.add(side.equals("main") ? "--baseline" : "--canary");
                pods.add(dir.resolve(side + "/run-" + run).toString());
            }
        }
    }

    private static CliRun compare(String... extra) {
        List<String> args = new ArrayList<>(List.of("compare", "--format", "json"));
        args.addAll(pods);
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void slicedRunsKeepTheirCostPerRequestWithoutALinePerFile() {
        CliRun whole = compare();
        CliRun sliced = compare("--slice", "1s");
        assertThat(sliced.status()).as(sliced.err()).isIn(0, 1, 2);
        // Each run measures 4 s of its thread's CPU time: 4 one-second slices or more (more on a busy machine, where
        // that takes longer), 12 or more per side.
        Matcher observations = Pattern.compile("\"observations\" : (\\d+)").matcher(sliced.out());
        assertThat(observations.find()).as(sliced.out()).isTrue();
        assertThat(Integer.parseInt(observations.group(1))).as("slices of each side's 3 runs").isGreaterThanOrEqualTo(12);
        assertThat(sliced.out()).doesNotContain("counts requests per file").doesNotContain("cost per request is not judged");
        // The same figures, and compared or not alike: whether the two sides' request rates are close enough to
        // compare per-request costs (a benchmark JVM's rate varies with the machine's load) is the same question
        // sliced or not.
        assertThat(cpuPerRequest(sliced.out())).as("each pod's CPU over its slices per its count: exact")
                .isEqualTo(cpuPerRequest(whole.out()));
    }

    @Test
    void warmUpThatCutsARecordingIsSaidOnceNamingThem() throws Exception {
        Path config = Files.writeString(dir.resolve("judge.yaml"), "warmup: 1s\n");
        CliRun run = compare("--slice", "1s", "--config", config.toString());
        assertThat(run.status()).as(run.err()).isIn(0, 1, 2);
        assertThat(run.out()).doesNotContain("CPU per request")
                .containsOnlyOnce("requests.csv counts requests per recording, and warm-up left out the first slices"
                        + " of 6 sliced recording(s) (" + dir.resolve("main/run-0/run-0.jfr") + ", ");
    }

    private static String cpuPerRequest(String json) {
        Matcher m = CPU_PER_REQUEST.matcher(json);
        assertThat(m.find()).as(json).isTrue();
        return m.group();
    }
}
