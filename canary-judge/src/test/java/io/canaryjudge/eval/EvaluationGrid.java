package io.canaryjudge.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * The pruned evaluation grid: one factor at a time around a centre, plus the key example of the
 * brief (+10 % in a 2 % function, 10 + 10 slices of 50,000 samples, d = 1 and d = 2).
 *
 * <p>The full factorial (6 changes × 4 shares × 4 pod counts × 3 slice counts × 2 sample sizes ×
 * 3 dispersions × 2 κ = 3,456 cells) would take hours; varying one factor at a time shows each
 * factor's effect at a centre where the oracle's power is neither 0 nor 100 %.
 */
final class EvaluationGrid {
    /**
     * Realistic between-pod CV κ of a function's rate: 0.059 fitted on the recorded A/A scenario's
     * six JVMs (docs/EVALUATION.md "Recorded shop scenarios"; per-session fits on 3 pods: 0.05–0.09).
     */
    static final double REALISTIC_POD_CV = 0.06;
    /** The high end: what the judge itself estimates on the recorded scenarios (0.10–0.22). */
    static final double HIGH_POD_CV = 0.12;
    /** Realistic slice dispersion d at 50,000 samples per slice (docs/EVALUATION.md). */
    static final double REALISTIC_DISPERSION = 2;
    static final int FUNCTIONS = 200;
    /** Slice-to-slice rate CV c: 0.08 fitted on the Kafka slices, 0.078 on the recorded A/A scenario. */
    static final double KAFKA_SLICE_CV = 0.08;
    /**
     * Share of functions whose inlining differs between JVMs: in the recorded A/A, 3 of the 51
     * functions ≥ 0.2 % (HashMap.hash, LinkedHashMap.afterNodeInsertion, HashMap.putVal) moved
     * between a function and its caller from JVM to JVM; 5 % of the simulated service's functions.
     */
    static final double JIT_FLIP_SHARE = 0.05;

    /** +20 % in a 2 % function, 3 pods × 10 slices × 50,000 samples per side, d = 2, realistic κ (0.06). */
    static SimulationSetting centre() {
        return new SimulationSetting(FUNCTIONS, 0.02, 0.20, 3, 10, 50_000, REALISTIC_DISPERSION, REALISTIC_POD_CV, 0);
    }

    /** The brief's key example, one pod per side with ten slices each, identical JVMs. */
    static SimulationSetting keyExample(double dispersion) {
        return new SimulationSetting(FUNCTIONS, 0.02, 0.10, 1, 10, 50_000, dispersion, 0, 0);
    }

    /**
     * A cell of the grid.
     *
     * @param factor   which factor this cell varies ("centre" for the centre itself)
     * @param setting the cell
     */
    record Cell(String factor, SimulationSetting setting) {
    }

    static List<Cell> cells() {
        SimulationSetting c = centre();
        List<Cell> cells = new ArrayList<>();
        cells.add(new Cell("centre", c));
        for (double change : new double[] {0.02, 0.05, 0.10, 0.50, 1.00}) {
            cells.add(new Cell("change δ", c.withChange(change)));
        }
        for (double share : new double[] {0.005, 0.05, 0.20}) {
            cells.add(new Cell("target share", c.withTargetShare(share)));
        }
        for (int pods : new int[] {1, 2, 5}) {
            cells.add(new Cell("pods per side", c.withPods(pods)));
        }
        for (int slices : new int[] {3, 30}) {
            cells.add(new Cell("slices per pod", c.withSlices(slices)));
        }
        cells.add(new Cell("samples per slice", c.withSamples(5_000)));
        for (double d : new double[] {1, 4}) {
            cells.add(new Cell("dispersion d", c.withDispersion(d)));
        }
        cells.add(new Cell("pod CV κ", c.withPodCv(0)));
        cells.add(new Cell("pod CV κ", c.withPodCv(HIGH_POD_CV)));
        cells.add(new Cell("slice rate CV c", c.withDispersion(1).withSliceCv(KAFKA_SLICE_CV)));
        cells.add(new Cell("one canary pod", c.withCanaryPods(1)));
        cells.add(new Cell("one canary pod", c.withPods(5).withCanaryPods(1)));
        cells.add(new Cell("JIT flips", c.withJitShare(JIT_FLIP_SHARE)));
        cells.add(new Cell("JIT flips", c.withPods(1).withJitShare(JIT_FLIP_SHARE)));
        cells.add(new Cell("JIT flips", c.withCanaryPods(1).withJitShare(JIT_FLIP_SHARE)));
        cells.add(new Cell("key example", keyExample(1)));
        cells.add(new Cell("key example", keyExample(2)));
        cells.add(new Cell("key example (10 pods × 1 slice)", keyExample(1).withPods(10).withSlices(1)));
        cells.add(new Cell("key example (10 pods × 1 slice)", keyExample(2).withPods(10).withSlices(1)));
        return cells;
    }

    private EvaluationGrid() {
    }
}
