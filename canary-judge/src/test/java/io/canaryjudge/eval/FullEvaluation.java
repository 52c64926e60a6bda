package io.canaryjudge.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.judge.JudgeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The full evaluation of docs/EVALUATION.md; skipped unless {@code -Deval.full=true}:
 * <pre>
 * mvn -B -q -pl canary-judge -am test -Dtest=FullEvaluation -Deval.full=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * Optional: {@code -Deval.cases=500} A/B cases per cell, {@code -Deval.aaCases=2000} A/A cases per
 * design, {@code -Deval.aaDefaultCases=2000} A/A cases at the centre, {@code -Deval.threads=2}.
 * Writes {@code canary-judge/target/evaluation/evaluation.md}.
 */
@EnabledIfSystemProperty(named = "eval.full", matches = "true")
class FullEvaluation {

    @Test
    void writesEvaluationTables() throws IOException {
        int cases = Integer.getInteger("eval.cases", 500);
        int aaCases = Integer.getInteger("eval.aaCases", 2000);
        int aaDefault = Integer.getInteger("eval.aaDefaultCases", 2000);
        int threads = Integer.getInteger("eval.threads", 2);
        long start = System.nanoTime();
        EvaluationRunner runner = new EvaluationRunner(JudgeConfig.defaults(), threads);

        CellResult aa = runner.run(EvaluationGrid.centre().withChange(0), 0, aaDefault);
        List<EvaluationGrid.Cell> cells = EvaluationGrid.cells();
        List<CellResult> results = new ArrayList<>();
        for (EvaluationGrid.Cell cell : cells) {
            results.add(runner.run(cell.setting(), cases, aaCases));
            System.err.printf(Locale.ROOT, "%s done after %.0f s%n", cell.setting().label(),
                    (System.nanoTime() - start) / 1e9);
        }
        double minutes = (System.nanoTime() - start) / 60e9;

        String markdown = "# Evaluation results\n\n"
                + String.format(Locale.ROOT, "%d A/B cases per cell, at least %d A/A cases per design, %d at the centre; "
                        + "%d threads; %.1f min.%n%n", cases, aaCases, aaDefault, threads, minutes)
                + "## A/A at the centre design (" + aa.setting().label() + ")\n\n" + EvaluationReport.aaTable(aa)
                + "\n## Grid\n\n" + EvaluationReport.gridTable(cells, results)
                + "\n## Where the judge misses a target\n\n" + EvaluationReport.targetCheck(cells, results);
        Path out = Path.of("target", "evaluation", "evaluation.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, markdown);
        System.out.println(markdown);

        assertThat(results).allSatisfy(r -> assertThat(r.judgeErrors()).as(r.setting().label() + ": " + r.firstError())
                .isZero());
    }
}
