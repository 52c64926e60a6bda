package io.canaryjudge.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.judge.Judge;
import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.judge.JudgeTestAccess;
import io.canaryjudge.judge.JudgeTestAccess.TestRow;
import io.canaryjudge.judge.LearnedNoise;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.Measure;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Calibration diagnosis of the judge's function tests on tuning-simulator A/A cases (docs/EVALUATION.md,
 * "Calibration under A/A"): every false FAIL with the failing test's share, noise estimate against the
 * simulator's true κ_f, degrees of freedom, p and q; and, per share band, how often self-test p-values fall
 * below 0.05 / 0.01 / 0.001 (uniform: 5 / 1 / 0.1 %) with the Kolmogorov–Smirnov distance from uniform.
 * Skipped unless {@code -Deval.calibration=true}:
 * <pre>
 * nice mvn -B -q -pl canary-judge -am test -Dtest=CalibrationDiagnosis -Deval.calibration=true \
 *   -Deval.aaCases=600 -Deval.threads=2 -Dsurefire.failIfNoSpecifiedTests=false
 * # report: canary-judge/target/evaluation/calibration.md
 * </pre>
 */
@EnabledIfSystemProperty(named = "eval.calibration", matches = "true")
class CalibrationDiagnosis {
    private static final double[] BANDS = {0.001, 0.005, 0.02, 0.05, 1.01};

    static List<TuningSetting> cells() {
        TuningSetting base = TuningSetting.base();
        TuningSetting kafka = base.with(TuningSetting.Service.KAFKA);
        List<TuningSetting> cells = new ArrayList<>();
        for (TuningSetting s : List.of(base, kafka)) {
            cells.add(s.pods(3, 3));
            cells.add(s.pods(2, 2));
            cells.add(s.pods(3, 1));
            cells.add(s.history(6));
            cells.add(s.pods(3, 1).history(6));
            // Each function's noise learned from 12 earlier analyses (LearnedNoise).
            cells.add(s.pods(3, 3).learned(12));
            cells.add(s.pods(2, 2).learned(12));
            cells.add(s.pods(3, 1).learned(12));
        }
        return cells;
    }

    /** One case's rows: the judge's result, its failing tests, and p-values of self tests with their true p. */
    record CaseResult(boolean fail, List<String> failures, List<double[]> self, List<double[]> inclusive, double priorDf,
                      double priorCv) {
    }

    static CaseResult one(TuningSetting setting, long seed, JudgeConfig config) {
        TuningSimulator.Case simulated = new TuningSimulator().simulate(setting, seed);
        LearnedNoise learned = TuningSimulator.learnedNoise(simulated, config);
        Verdict verdict = new Judge().judge(simulated.baseline(), simulated.canary(), simulated.history(), learned, config)
                .verdict();
        List<TestRow> rows = JudgeTestAccess.tests(setting.type(), simulated.baseline(), simulated.canary(),
                simulated.history(), learned, config);
        List<double[]> self = new ArrayList<>();
        List<double[]> inclusive = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (TestRow r : rows) {
            if (Double.isNaN(r.p())) {
                continue;
            }
            double pooled = 0.5 * (r.baseline() + r.canary());
            double trueSd = Double.NaN;
            double trueP = Double.NaN;
            if (r.self() && r.baseline() > 0 && r.canary() > 0) {
                double kappa = simulated.podCv().getOrDefault(r.function(), setting.medianPodCv());
                trueSd = Math.sqrt(TuningOracle.trueLogVariance(setting, kappa, pooled));
                trueP = Erf.erfc(Math.abs(Math.log(r.canary() / r.baseline())) / trueSd / Math.sqrt(2));
            }
            (r.self() ? self : inclusive).add(new double[] {pooled, r.p(), trueP, r.logSd() / trueSd, r.ownVariance() ? 1 : 0});
            if (verdict.result() == Result.FAIL) {
                Measure measure = r.self() ? Measure.SELF : Measure.INCLUSIVE;
                for (Finding f : verdict.findings()) {
                    if (f.failing() && f.function().equals(r.function()) && f.measure() == measure) {
                        double kappa = simulated.podCv().getOrDefault(r.function(), Double.NaN);
                        failures.add(String.format(Locale.ROOT, "%s | %s | %.2f %% → %.2f %% | %s | %s | %s | %s | %.1e | %.1e | %s | %.3f | %.1f",
                                r.function().replaceAll("^.*\\.(?=[^.]+\\.[^.]+$)", ""), r.self() ? "self" : "inclusive",
                                r.baseline() * 100, r.canary() * 100,
                                r.self() ? String.format(Locale.ROOT, "%.3f", Math.sqrt(Math.max(r.podVariance(), 0))) : "–",
                                Double.isNaN(kappa) ? "–" : String.format(Locale.ROOT, "%.3f", kappa),
                                Double.isNaN(trueSd) ? "–" : String.format(Locale.ROOT, "%.2f", r.logSd() / trueSd),
                                r.self() ? String.format(Locale.ROOT, "%.1f%s", r.podDf(), r.ownVariance() ? " own" : "") : "–",
                                r.p(), r.q(), Double.isNaN(trueP) ? "–" : String.format(Locale.ROOT, "%.1e", trueP),
                                r.priorCv(), r.priorDf()));
                    }
                }
            }
        }
        return new CaseResult(verdict.result() == Result.FAIL, failures, self, inclusive,
                rows.isEmpty() ? Double.NaN : rows.get(0).priorDf(), rows.isEmpty() ? Double.NaN : rows.get(0).priorCv());
    }

    @Test
    void writesCalibrationReport() throws Exception {
        int cases = Integer.getInteger("eval.aaCases", 600);
        int threads = Integer.getInteger("eval.threads", 2);
        Pattern filter = Pattern.compile(System.getProperty("eval.cells", ".*"));
        JudgeConfig config = JudgeConfig.defaults();
        StringBuilder out = new StringBuilder("# Calibration under A/A\n\n" + cases + " cases per cell.\n\n");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (TuningSetting cell : cells()) {
                if (!filter.matcher(cell.label()).find()) {
                    continue;
                }
                List<Future<CaseResult>> futures = new ArrayList<>();
                for (int i = 0; i < cases; i++) {
                    long seed = cell.label().hashCode() * 0x9E3779B97F4A7C15L + i;
                    futures.add(pool.submit(() -> one(cell, seed, config)));
                }
                List<CaseResult> results = new ArrayList<>();
                for (Future<CaseResult> f : futures) {
                    results.add(f.get());
                }
                out.append(report(cell, results));
                System.err.println(report(cell, results));
            }
        } finally {
            pool.shutdownNow();
        }
        Path file = Path.of("target", "evaluation", "calibration.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, out.toString());
        assertThat(out.toString()).contains("|");
    }

    private static String report(TuningSetting cell, List<CaseResult> results) {
        long fails = results.stream().filter(CaseResult::fail).count();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "## %s: FAIL %d/%d (%.1f %%)%n%n",
                cell.label(), fails, results.size(), 100.0 * fails / results.size()));
        double[] d0 = results.stream().mapToDouble(CaseResult::priorDf).sorted().toArray();
        double[] cv = results.stream().mapToDouble(CaseResult::priorCv).sorted().toArray();
        s.append(String.format(Locale.ROOT, "prior d₀ per case: 10th / 50th / 90th percentile %.1f / %.1f / %.1f; "
                + "prior CV τ₀ %.3f / %.3f / %.3f%n%n", d0[d0.length / 10], d0[d0.length / 2], d0[d0.length * 9 / 10],
                cv[cv.length / 10], cv[cv.length / 2], cv[cv.length * 9 / 10]));
        s.append("function | measure | baseline → canary | judge τ | true κ | sd used / true | df | p | q | true p | prior τ₀ | d₀\n"
                + "---|---|---|---|---|---|---|---|---|---|---|---\n");
        for (CaseResult r : results) {
            for (String f : r.failures()) {
                s.append(f).append('\n');
            }
        }
        s.append("\nmeasure | pooled share | tests | p<0.05 | p<0.01 | p<0.001 | KS D | true p<0.01 | sd used/true (median) | own var\n"
                + "---|---|---:|---:|---:|---:|---:|---:|---:|---:\n");
        for (int k = 0; k < 2; k++) {
            for (int b = 0; b + 1 < BANDS.length; b++) {
                List<double[]> rows = new ArrayList<>();
                for (CaseResult r : results) {
                    for (double[] row : k == 0 ? r.self() : r.inclusive()) {
                        if (row[0] >= BANDS[b] && row[0] < BANDS[b + 1]) {
                            rows.add(row);
                        }
                    }
                }
                if (rows.isEmpty()) {
                    continue;
                }
                double[] p = rows.stream().mapToDouble(x -> x[1]).sorted().toArray();
                double[] truth = rows.stream().mapToDouble(x -> x[2]).filter(Double::isFinite).toArray();
                double[] ratio = rows.stream().mapToDouble(x -> x[3]).filter(Double::isFinite).sorted().toArray();
                double own = rows.stream().mapToDouble(x -> x[4]).sum() / rows.size();
                s.append(String.format(Locale.ROOT, "%s | %.1f–%.1f %% | %d | %.2f %% | %.2f %% | %.3f %% | %.3f | %s | %s | %.1f %%%n",
                        k == 0 ? "self" : "inclusive", BANDS[b] * 100, Math.min(BANDS[b + 1], 1) * 100, p.length,
                        below(p, 0.05), below(p, 0.01), below(p, 0.001), ks(p),
                        truth.length == 0 ? "–" : String.format(Locale.ROOT, "%.2f %%", below(truth, 0.01)),
                        ratio.length == 0 ? "–" : String.format(Locale.ROOT, "%.2f", ratio[ratio.length / 2]), own * 100));
            }
        }
        return s.append('\n').toString();
    }

    private static double below(double[] p, double level) {
        return 100.0 * Arrays.stream(p).filter(x -> x < level).count() / p.length;
    }

    /** Kolmogorov–Smirnov distance of sorted p-values from the uniform. */
    private static double ks(double[] sorted) {
        double d = 0;
        for (int i = 0; i < sorted.length; i++) {
            d = Math.max(d, Math.max((i + 1.0) / sorted.length - sorted[i], sorted[i] - (double) i / sorted.length));
        }
        return d;
    }
}
