package io.canaryjudge.memory;

import io.canaryjudge.judge.memory.MemoryGrowthConfig;
import io.canaryjudge.judge.memory.MemoryOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The held-out memory evaluation of docs/EVALUATION.md ("Held-out heap simulator"): the default
 * settings on {@link HeldOutHeapSimulator}, which nothing was tuned on; skipped unless
 * {@code -Dmemory.heldout=true}. Writes {@code canary-judge/target/evaluation/memory-heldout.md}.
 * {@code -Dmemory.heldoutCases=N} cases per cell (400).
 */
@EnabledIfSystemProperty(named = "memory.heldout", matches = "true")
class HeldOutMemoryEvaluation {

    @Test
    void evaluate() throws Exception {
        int cases = Integer.getInteger("memory.heldoutCases", 400);
        MemoryGrowthConfig config = FullMemoryEvaluation.config();
        StringBuilder report = new StringBuilder("# Memory growth: held-out heap simulator (never tuned on)\n\n")
                .append(cases).append(" cases per cell, 3 baseline pods, ")
                .append(String.format(Locale.ROOT, "%.0f", HeldOutHeapSimulator.WINDOW_MINUTES))
                .append("-minute windows. A cell is FAIL (MEMORY_GROWTH)")
                .append(" of all cases; in brackets the cases not judged or inconclusive (neither PASS nor FAIL).\n\n")
                .append("| regime | layout | history |");
        for (HeldOutHeapSimulator.Scenario scenario : HeldOutHeapSimulator.Scenario.values()) {
            report.append(' ').append(scenario.label).append(" |");
        }
        report.append("\n|---|---|---|");
        report.append("---:|".repeat(HeldOutHeapSimulator.Scenario.values().length)).append('\n');
        long seed = 1_000_003;
        for (HeldOutHeapSimulator.Regime regime : HeldOutHeapSimulator.REGIMES) {
            for (int canaryPods : new int[] {3, 1}) {
                for (boolean history : new boolean[] {false, true}) {
                    report.append("| ").append(regime.name()).append(" | ").append(canaryPods).append("v3 | ")
                            .append(history ? "yes" : "no").append(" |");
                    for (HeldOutHeapSimulator.Scenario scenario : HeldOutHeapSimulator.Scenario.values()) {
                        int fail = 0;
                        int neither = 0;
                        for (int c = 0; c < cases; c++) {
                            MemoryOutcome outcome = new HeldOutHeapSimulator(regime, seed++)
                                    .judge(scenario, canaryPods, history, config);
                            fail += outcome == MemoryOutcome.GROWTH ? 1 : 0;
                            neither += outcome != MemoryOutcome.GROWTH && outcome != MemoryOutcome.NO_GROWTH ? 1 : 0;
                        }
                        report.append(String.format(Locale.ROOT, " %.1f %% (%d) |", 100.0 * fail / cases, neither));
                    }
                    report.append('\n');
                }
            }
        }
        Path out = Path.of(System.getProperty("memory.report", "target/evaluation/memory-heldout.md"));
        Files.createDirectories(out.getParent());
        Files.writeString(out, report, StandardCharsets.UTF_8);
        System.out.println(report);
    }
}
