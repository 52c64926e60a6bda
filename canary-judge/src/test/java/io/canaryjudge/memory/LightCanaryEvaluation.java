package io.canaryjudge.memory;

import io.canaryjudge.judge.memory.LoadEstimate;
import io.canaryjudge.judge.memory.MemoryGrowthAnalysis;
import io.canaryjudge.judge.memory.MemoryGrowthConfig;
import io.canaryjudge.judge.memory.MemoryGrowthResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * qa59: every 15- and 30-minute window one minute apart of the recording of {@link LightCanaryWithoutCounts}, each canary
 * pod against b1-b3 over the same minutes (the pods started together), the memory check without request counts before
 * (no stand-in: {@link LoadEstimate#NONE}) and after (the allocation profiles' bytes per second), and with counts for
 * reference: MEMORY_GROWTH / unresolved / not judged / no growth.
 *
 * <pre>
 * nice mvn -B -q -o -pl canary-judge -am test -Dtest=LightCanaryEvaluation -Dqa59.eval=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * Writes {@code target/evaluation/qa59-light.md}.
 */
@EnabledIfSystemProperty(named = "qa59.eval", matches = "true")
class LightCanaryEvaluation {
    public static void main(String[] args) throws Exception {
        new LightCanaryEvaluation().evaluate();
    }

    @Test
    void evaluate() throws Exception {
        LightCanaryWithoutCounts recording = new LightCanaryWithoutCounts();
        int recorded = (int) ((recording.pods.values().stream().mapToLong(p -> p.blocks().get(p.blocks().size() - 1)
                .endMillis()).min().orElseThrow() - recording.start) / LightCanaryWithoutCounts.MINUTE);
        StringBuilder report = new StringBuilder("| canary | window | requests / allocation ratio | no counts, before |"
                + " no counts, after | with counts |\n|---|---|---|---|---|---|\n");
        StringBuilder notes = new StringBuilder();
        for (int window : new int[] {15, 30}) {
            for (String pod : List.of("aa-10", "leak-10", "aa-25", "leak-25")) {
                List<String> canary = List.of(pod);
                int[][] c = new int[3][4];
                double requests = 0;
                double allocation = 0;
                int n = 0;
                for (int from = 0; from + window <= recorded; from++) {
                    int to = from + window;
                    LoadEstimate estimate = recording.estimate(canary, from, to);
                    requests += recording.requestRatio(canary, from, to);
                    allocation += estimate.ratio();
                    n++;
                    count(c[0], MemoryGrowthAnalysis.analyse(recording.windows(canary, from, to, false),
                            MemoryGrowthConfig.DEFAULTS, MemoryGrowthAnalysis.SiteFinder.NONE, LoadEstimate.NONE));
                    MemoryGrowthResult after = MemoryGrowthAnalysis.analyse(recording.windows(canary, from, to, false),
                            MemoryGrowthConfig.DEFAULTS, MemoryGrowthAnalysis.SiteFinder.NONE, estimate);
                    count(c[1], after);
                    if (window == 30 && from == recorded - window) {
                        notes.append(String.format(Locale.ROOT, "%s, minutes %d-%d, no counts: %s%n", pod, from, to,
                                after.quality().notes().get(0)));
                    }
                    count(c[2], MemoryGrowthAnalysis.analyse(recording.windows(canary, from, to, true),
                            MemoryGrowthConfig.DEFAULTS, MemoryGrowthAnalysis.SiteFinder.NONE, LoadEstimate.NONE));
                }
                report.append(String.format(Locale.ROOT, "| %s | %d min (%d) | %.0f %% / %.0f %% | %s | %s | %s |%n", pod,
                        window, n, 100 * requests / n, 100 * allocation / n, row(c[0]), row(c[1]), row(c[2])));
            }
        }
        report.append('\n').append(notes);
        Path out = Path.of(System.getProperty("qa59.report", "target/evaluation/qa59-light.md"));
        Files.createDirectories(out.getParent());
        Files.writeString(out, report, StandardCharsets.UTF_8);
        System.out.println(report);
    }

    private static void count(int[] c, MemoryGrowthResult r) {
        switch (r.outcome()) {
            case GROWTH -> c[0]++;
            case UNRESOLVED -> c[1]++;
            case NOT_JUDGED -> c[2]++;
            default -> c[3]++;
        }
    }

    private static String row(int[] c) {
        return c[0] + " / " + c[1] + " / " + c[2] + " / " + c[3];
    }
}
