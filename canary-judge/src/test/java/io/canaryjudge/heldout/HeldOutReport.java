package io.canaryjudge.heldout;

import io.canaryjudge.heldout.oracle.Calibration;
import io.canaryjudge.heldout.oracle.OracleCall;
import io.canaryjudge.profile.ProfileType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Renders the held-out figures as the Markdown of docs/EVALUATION.md "Held-out evaluation": per
 * source (simulated, recorded) the A/A false-FAIL rates per layout and type, the changed cells with
 * the oracle at the same false-FAIL rate beside them, and the targets met or missed.
 */
public final class HeldOutReport {
    /** The false-FAIL target; the oracle is never calibrated below it. */
    static final double TARGET_FALSE_FAIL = 0.01;

    private HeldOutReport() {
    }

    /** The oracle's threshold for a layout and type: at the judge's A/A rate there, never below 1 %. */
    static Calibration calibration(List<Cell> cells, String source, String layout, ProfileType type) {
        return calibration(cells, source, layout, type, false);
    }

    /** ... or, with {@code nominal}, at the 1 % target itself. */
    static Calibration calibration(List<Cell> cells, String source, String layout, ProfileType type, boolean nominal) {
        Cell aa = cells.stream().filter(c -> c.source().equals(source) && !c.changed() && c.layout().equals(layout)
                && c.label().startsWith("A/A")).findFirst().orElse(null);
        if (aa == null) {
            return new Calibration(TARGET_FALSE_FAIL, Double.POSITIVE_INFINITY, 0);
        }
        Proportion judge = type == ProfileType.CPU ? aa.judgeFailOnCpu() : aa.judgeFailOnAllocation();
        List<OracleCall> calls = aa.cases().stream().map(c -> c.oracle().get(type == ProfileType.CPU
                ? ProfileType.CPU : ProfileType.ALLOC_BYTES)).toList();
        return Calibration.of(calls, nominal ? TARGET_FALSE_FAIL : Math.max(TARGET_FALSE_FAIL, judge.rate()));
    }

    public static String render(List<Cell> cells, String header) {
        StringBuilder out = new StringBuilder(header);
        for (String source : List.of("simulated", "recorded")) {
            List<Cell> ofSource = cells.stream().filter(c -> c.source().equals(source)).toList();
            if (ofSource.isEmpty()) {
                continue;
            }
            out.append("\n### ").append(source.equals("simulated") ? "Second simulator" : "Recorded search service")
                    .append("\n\n");
            out.append("A/A (no change): false FAILs at default settings, with history\n\n");
            out.append("| cells | layout | cases | FAIL (any) | FAIL on CPU | FAIL on allocation | INCONCLUSIVE | errors "
                    + "| oracle CPU threshold | oracle alloc threshold |\n|---|---|---:|---|---|---|---:|---:|---|---|\n");
            for (Cell cell : ofSource) {
                if (cell.changed()) {
                    continue;
                }
                out.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %d | %s | %s |%n",
                        cell.label(), cell.layout(), cell.cases().size(), cell.judgeFail(), cell.judgeFailOnCpu(),
                        cell.judgeFailOnAllocation(), cell.judgeInconclusive().brief(), cell.judgeErrors().count(),
                        cell.label().startsWith("A/A") ? calibration(cells, source, cell.layout(), ProfileType.CPU) : "–",
                        cell.label().startsWith("A/A")
                                ? calibration(cells, source, cell.layout(), ProfileType.ALLOC_BYTES) : "–"));
            }
            out.append("\nChanged canaries: detection (FAIL) and culprit, the oracle at the judge's A/A rate of the "
                    + "same layout and type (at least 1 %) beside them\n\n");
            out.append("| change | layout | type | cases | judge FAIL | judge INCONCLUSIVE | culprit = injected method (of FAILs) | "
                    + "culprits the judge named | oracle FAIL | oracle culprit | oracle FAIL at 1 % |\n"
                    + "|---|---|---|---:|---|---:|---|---|---|---|---|\n");
            for (Cell cell : ofSource) {
                if (!cell.changed()) {
                    continue;
                }
                Calibration calibration = calibration(cells, source, cell.layout(), cell.type());
                Calibration nominal = calibration(cells, source, cell.layout(), cell.type(), true);
                out.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %s | %s | %s | %s | %s | %s | %s |%n",
                        cell.label(), cell.layout(), cell.type().id(), cell.cases().size(), cell.judgeFail(),
                        cell.judgeInconclusive().brief(), hasTarget(cell) ? cell.judgeCulprit().brief() : "–", cell.culpritsNamed(3),
                        cell.oracleFail(calibration).brief(),
                        hasTarget(cell) ? cell.oracleCulprit(calibration).brief() : "–",
                        cell.oracleFail(nominal).brief()));
            }
            out.append("\n").append(targets(cells, source));
        }
        return out.toString();
    }

    private static boolean hasTarget(Cell cell) {
        return cell.cases().stream().anyMatch(c -> c.target() != null);
    }

    /** The targets, met or not, for one source. */
    static String targets(List<Cell> cells, String source) {
        List<String> lines = new ArrayList<>();
        List<Cell> ofSource = cells.stream().filter(c -> c.source().equals(source)).toList();
        for (Cell cell : ofSource) {
            if (!cell.changed() && cell.label().startsWith("A/A")) {
                lines.add(check("A/A " + cell.layout() + " false FAIL on CPU ≤ 1 %", cell.judgeFailOnCpu(),
                        p -> p.rate() <= 0.01));
                lines.add(check("A/A " + cell.layout() + " false FAIL on allocation ≤ 1 %", cell.judgeFailOnAllocation(),
                        p -> p.rate() <= 0.01));
            }
        }
        if (source.equals("recorded")) {
            int fails = 0;
            int cases = 0;
            for (Cell cell : ofSource) {
                if (!cell.changed()) {
                    fails += cell.judgeFail().count();
                    cases += cell.cases().size();
                }
            }
            lines.add(check("recorded A/A FAILs = 0 (pool splits and the JIT-skewed canaries)",
                    new Proportion(fails, cases), p -> p.count() == 0));
        }
        String rise = source.equals("simulated") ? "CPU +20 % in an app method at 5 %" : "rerank-20";
        String newPath = source.equals("simulated") ? "new hot path" : "row-audit";
        String different = source.equals("simulated") ? "different program" : "reindex-program";
        for (Cell cell : ofSource) {
            if (cell.label().equals(rise) && cell.layout().equals("2v2")) {
                lines.add(check("+20 % at ≥ 5 % of CPU, 2v2 × 8 slices, with history: detected ≥ 95 %", cell.judgeFail(),
                        p -> p.rate() >= 0.95));
            }
            if (cell.label().startsWith(newPath)) {
                lines.add(check("new hot path ≥ 1 % of the canary, " + cell.layout() + ": detected ≥ 95 %",
                        cell.judgeFail(), p -> p.rate() >= 0.95));
            }
            if (cell.label().equals(different)) {
                lines.add(check("different program, " + cell.layout() + ": FAILs", cell.judgeFail(),
                        p -> p.count() == p.cases()));
            }
        }
        int caught = 0;
        int named = 0;
        for (Cell cell : ofSource) {
            if (cell.changed() && hasTarget(cell)) {
                caught += cell.judgeCulprit().cases();
                named += cell.judgeCulprit().count();
            }
        }
        lines.add(check("culprit named at the injected application method, all changed cells: ≥ 95 % of caught cases",
                new Proportion(named, caught), p -> p.cases() > 0 && p.rate() >= 0.95));
        StringBuilder out = new StringBuilder("Targets (" + source + "):\n\n");
        lines.forEach(l -> out.append("- ").append(l).append('\n'));
        return out.toString();
    }

    private static String check(String target, Proportion measured, Predicate<Proportion> met) {
        return target + ": " + measured + " — " + (measured.cases() > 0 && met.test(measured) ? "**met**" : "**not met**");
    }
}
