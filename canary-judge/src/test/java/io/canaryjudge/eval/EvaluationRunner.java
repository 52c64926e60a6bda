package io.canaryjudge.eval;

import io.canaryjudge.judge.Judge;
import io.canaryjudge.judge.JudgeConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs grid cells: simulates cases, asks the judge and the reference tests, and keeps the A/A
 * outcomes of each design so cells that share a design share one A/A measurement.
 *
 * <p>Case {@code i} of a cell uses seed {@code hash(cell label) × golden ratio + i}: any single
 * case can be re-run and inspected.
 */
final class EvaluationRunner {
    private final JudgeConfig config;
    private final List<ReferenceTest> references;
    private final int threads;
    private final Map<SimulationSetting, List<CaseOutcome>> aaCache = new HashMap<>();

    /**
     * A runner that asks the judge and all reference tests: the oracle first, then the naive tests,
     * then the oracle that also knows the true levels ({@link CellResult#ORACLE_TRUE_LEVEL}).
     */
    EvaluationRunner(JudgeConfig config, int threads) {
        this(config, threads, List.of(new OracleTest(), NaiveSliceTests.welch(), NaiveSliceTests.mannWhitney(),
                OracleTest.trueLevel()));
    }

    /** A runner with the given reference tests; the oracle, when present, must come first. */
    EvaluationRunner(JudgeConfig config, int threads, List<ReferenceTest> references) {
        this.config = config;
        this.references = List.copyOf(references);
        this.threads = threads;
    }

    List<String> referenceNames() {
        return references.stream().map(ReferenceTest::name).toList();
    }

    /**
     * Runs {@code changedCases} A/B cases of {@code cell} and at least {@code unchangedCases} A/A
     * cases of its design (all A/A cases already run for that design are used).
     */
    CellResult run(SimulationSetting cell, int changedCases, int unchangedCases) {
        List<CaseOutcome> changed = cell.aa() ? List.of() : outcomes(cell, changedCases);
        SimulationSetting aa = cell.withChange(0);
        List<CaseOutcome> unchanged = aaCache.get(aa);
        if (unchanged == null || unchanged.size() < unchangedCases) {
            unchanged = outcomes(aa, unchangedCases);
            aaCache.put(aa, unchanged);
        }
        return new CellResult(cell, cell.aa() ? SimulationSetting.Materiality.NO : cell.materiality(config.thresholds()),
                changed, unchanged,
                referenceNames(), config.thresholds().maxQValue());
    }

    static long seed(SimulationSetting cell, int index) {
        return cell.label().hashCode() * 0x9E3779B97F4A7C15L + index;
    }

    /** Judge and reference outcomes of case {@code index} of {@code cell}. */
    CaseOutcome outcome(SimulationSetting cell, int index, Judge judge) {
        SimulatedCase simulated = new ProfileSimulator().simulate(cell, seed(cell, index));
        List<ReferenceTest.Call> calls = new ArrayList<>();
        for (ReferenceTest reference : references) {
            calls.add(reference.call(simulated, config.thresholds()));
        }
        try {
            return CaseOutcome.of(judge.judge(simulated.baseline(), simulated.canary(), config),
                    simulated.targetName(), calls);
        } catch (RuntimeException e) {
            return CaseOutcome.failed(e, simulated.targetName(), calls);
        }
    }

    private List<CaseOutcome> outcomes(SimulationSetting cell, int cases) {
        if (threads <= 1) {
            Judge judge = new Judge();
            List<CaseOutcome> out = new ArrayList<>(cases);
            for (int i = 0; i < cases; i++) {
                out.add(outcome(cell, i, judge));
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<CaseOutcome>> futures = new ArrayList<>(cases);
            for (int i = 0; i < cases; i++) {
                int index = i;
                futures.add(pool.submit(() -> outcome(cell, index, new Judge())));
            }
            List<CaseOutcome> out = new ArrayList<>(cases);
            for (Future<CaseOutcome> future : futures) {
                out.add(future.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("evaluation interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("simulating a case failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
