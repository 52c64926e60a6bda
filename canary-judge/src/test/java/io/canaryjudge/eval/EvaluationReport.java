package io.canaryjudge.eval;

import java.util.List;
import java.util.Locale;

/**
 * Renders evaluation results as markdown tables (rendering only; the numbers come from
 * {@link CellResult}).
 */
final class EvaluationReport {
    private EvaluationReport() {
    }

    /** The A/A table: false-FAIL rate of the judge and of each reference test at its nominal level. */
    static String aaTable(CellResult aa) {
        StringBuilder out = new StringBuilder();
        out.append("| test | false FAIL | 95 % interval | n |\n|---|---:|---|---:|\n");
        row(out, "judge (defaults)", aa.judgeFalseFail());
        for (int i = 0; i < aa.referenceNames().size(); i++) {
            row(out, aa.referenceNames().get(i) + " @ q ≤ " + aa.nominalAlpha(),
                    aa.referenceFalseFail(i, aa.nominalAlpha()));
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String name, CellResult.Rate rate) {
        out.append(String.format(Locale.ROOT, "| %s | %s | %s–%s | %d |%n", name, percent(rate.value()),
                percent(rate.low()), percent(rate.high()), rate.n()));
    }

    /**
     * The grid table: for each cell the judge's FAIL rate, culprit accuracy and INCONCLUSIVE rate,
     * the oracle at the judge's false-FAIL rate and at the nominal level, the naive tests, and the
     * A/A false-FAIL rates of the same design.
     */
    static String gridTable(List<EvaluationGrid.Cell> cells, List<CellResult> results) {
        StringBuilder out = new StringBuilder();
        out.append("| factor | cell | material | judge FAIL | judge culprit | judge INCONCL. | oracle (calibr.) "
                + "| oracle culprit | oracle @ q≤.01 | Welch | Mann–Whitney | judge A/A FAIL | oracle α* "
                + "| Welch A/A | MW A/A | gap | judge κ̂ | judge φ̂ | judge tests | oracle, true level (calibr.) | gap to it |\n");
        out.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < cells.size(); i++) {
            CellResult r = results.get(i);
            double alpha = r.calibratedOracleAlpha();
            double nominal = r.nominalAlpha();
            double gap = r.referenceFail(CellResult.ORACLE, alpha).value() - r.judgeFail().value();
            boolean hasTrueLevel = r.referenceNames().size() > CellResult.ORACLE_TRUE_LEVEL;
            double trueLevel = hasTrueLevel ? r.referenceFail(CellResult.ORACLE_TRUE_LEVEL,
                    r.calibratedAlpha(CellResult.ORACLE_TRUE_LEVEL)).value() : Double.NaN;
            String trueLevelGap = hasTrueLevel && r.material() == SimulationSetting.Materiality.YES
                    ? String.format(Locale.ROOT, "%+.0f", (trueLevel - r.judgeFail().value()) * 100) : "—";
            out.append(String.format(Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s (%d/%d) | %s | %s | %s | %s "
                            + "| %.3f | %.2f | %.0f | %s | %s |%n",
                    cells.get(i).factor(), r.setting().label(), r.material().name().toLowerCase(Locale.ROOT),
                    percent(r.judgeFail().value()), percent(r.judgeCulprit().value()),
                    percent(r.judgeInconclusive().value()),
                    percent(r.referenceFail(CellResult.ORACLE, alpha).value()),
                    percent(r.referenceCulprit(CellResult.ORACLE, alpha).value()),
                    percent(r.referenceFail(CellResult.ORACLE, nominal).value()),
                    percent(r.referenceFail(1, nominal).value()), percent(r.referenceFail(2, nominal).value()),
                    percent(r.judgeFalseFail().value()), r.judgeFalseFail().hits(), r.judgeFalseFail().n(),
                    alpha >= 1 ? "1" : String.format(Locale.ROOT, "%.2g", alpha),
                    percent(r.referenceFalseFail(1, nominal).value()), percent(r.referenceFalseFail(2, nominal).value()),
                    r.material() == SimulationSetting.Materiality.YES ? String.format(Locale.ROOT, "%+.0f", gap * 100) : "—",
                    r.median(CaseOutcome::estimatedPodCv), r.median(CaseOutcome::estimatedDispersion),
                    r.median(o -> o.tests()), percent(trueLevel), trueLevelGap));
        }
        return out.toString();
    }

    /** Lines naming cells where the judge misses a target, or threw. */
    static String targetCheck(List<EvaluationGrid.Cell> cells, List<CellResult> results) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            CellResult r = results.get(i);
            double oracle = r.referenceFail(CellResult.ORACLE, r.calibratedOracleAlpha()).value();
            double judge = r.judgeFail().value();
            if (r.judgeErrors() > 0) {
                out.append("- ").append(r.setting().label()).append(": the judge threw in ").append(r.judgeErrors())
                        .append(" cases (").append(r.firstError()).append(")\n");
            }
            if (r.material() == SimulationSetting.Materiality.YES && oracle - judge > 0.10) {
                out.append(String.format(Locale.ROOT, "- %s: judge %s vs oracle %s (more than 10 points below)%n",
                        r.setting().label(), percent(judge), percent(oracle)));
            }
            if (r.material() == SimulationSetting.Materiality.YES && oracle >= 0.99 && judge < 0.95) {
                out.append(String.format(Locale.ROOT, "- %s: oracle %s but judge %s (< 95 %%)%n",
                        r.setting().label(), percent(oracle), percent(judge)));
            }
            if (r.material() == SimulationSetting.Materiality.NO && judge > 0.05) {
                out.append(String.format(Locale.ROOT, "- %s: immaterial change but the judge FAILs %s%n",
                        r.setting().label(), percent(judge)));
            }
            if (r.judgeFalseFail().value() > 0.01) {
                out.append(String.format(Locale.ROOT, "- %s: A/A false FAIL %s (%d/%d) > 1 %%%n",
                        r.setting().withChange(0).label(), percent(r.judgeFalseFail().value()),
                        r.judgeFalseFail().hits(), r.judgeFalseFail().n()));
            }
        }
        return out.length() == 0 ? "- none\n" : out.toString();
    }

    static String percent(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.1f %%", value * 100);
    }
}
