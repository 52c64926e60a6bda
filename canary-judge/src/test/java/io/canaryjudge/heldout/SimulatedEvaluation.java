package io.canaryjudge.heldout;

import io.canaryjudge.heldout.oracle.Oracle;
import io.canaryjudge.heldout.oracle.OracleCall;
import io.canaryjudge.heldout.simulation.Change;
import io.canaryjudge.heldout.simulation.HeldOutSimulator;
import io.canaryjudge.heldout.simulation.Layout;
import io.canaryjudge.heldout.simulation.SimulatedCase;
import io.canaryjudge.judge.LearnedNoise;
import io.canaryjudge.judge.Thresholds;
import io.canaryjudge.profile.ProfileType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The held-out simulator's cells: A/A in every layout (CPU and allocation false FAILs from the
 * same cases), CPU rises of +10/+20/+50 % in an application method at 5 % of CPU, a new hot path at
 * 1 % of the canary, an allocation-only rise and a different program; every case with history
 * (one earlier window per baseline pod). Case {@code i} of a cell uses seed
 * {@code hash(cell) × golden ratio + i}, so any case can be re-run alone.
 */
public final class SimulatedEvaluation {
    /**
     * One cell to run.
     *
     * @param change what the canary changes
     * @param layout pods per side
     * @param cases  cases
     */
    public record Spec(Change change, Layout layout, int cases, int earlierAnalyses, int historyWindows) {
        public Spec(Change change, Layout layout, int cases) {
            this(change, layout, cases, 0, 1);
        }

        public Spec(Change change, Layout layout, int cases, int earlierAnalyses) {
            this(change, layout, cases, earlierAnalyses, 1);
        }

        /** Also the seed's basis: a cell with learned noise judges the same cases as the cell without. */
        String label() {
            return change.label() + " " + layout;
        }

        String layoutLabel() {
            return layout + (historyWindows > 1 ? " h" + historyWindows : "") + (earlierAnalyses > 0 ? " L" + earlierAnalyses : "");
        }

        ProfileType type() {
            return change.kind() == Change.Kind.ALLOC_RISE ? ProfileType.ALLOC_BYTES : ProfileType.CPU;
        }
    }

    /** The cells of the published figures, sized by {@code size}. */
    public static List<Spec> plan(HeldOutSize size) {
        int aa = size.aaCases();
        int n = size.changedCases();
        List<Spec> specs = new ArrayList<>();
        for (Layout layout : List.of(Layout.ONE_V_THREE, Layout.TWO_V_TWO, Layout.THREE_V_THREE)) {
            specs.add(new Spec(Change.none(), layout, aa));
        }
        specs.add(new Spec(Change.cpuRise(0.10, 0.05), Layout.TWO_V_TWO, n));
        specs.add(new Spec(Change.cpuRise(0.20, 0.05), Layout.TWO_V_TWO, n));
        specs.add(new Spec(Change.cpuRise(0.50, 0.05), Layout.TWO_V_TWO, n));
        specs.add(new Spec(Change.cpuRise(0.20, 0.10), Layout.TWO_V_TWO, n));
        specs.add(new Spec(Change.cpuRise(0.20, 0.05), Layout.ONE_V_THREE, n));
        specs.add(new Spec(Change.cpuRise(0.20, 0.05), Layout.THREE_V_THREE, n));
        specs.add(new Spec(Change.newHotPath(0.01), Layout.TWO_V_TWO, n));
        specs.add(new Spec(Change.newHotPath(0.01), Layout.ONE_V_THREE, n));
        specs.add(new Spec(Change.allocRise(0.30, 0.08), Layout.TWO_V_TWO, n));
        specs.add(new Spec(Change.differentProgram(), Layout.TWO_V_TWO, Math.max(1, n / 3)));
        specs.add(new Spec(Change.differentProgram(), Layout.ONE_V_THREE, Math.max(1, n / 3)));
        // Each function's noise also learned from the baselines of 12 earlier A/A analyses of the same service.
        for (Layout layout : List.of(Layout.ONE_V_THREE, Layout.TWO_V_TWO, Layout.THREE_V_THREE)) {
            specs.add(new Spec(Change.none(), layout, aa, LEARNED_FROM));
        }
        specs.add(new Spec(Change.cpuRise(0.20, 0.05), Layout.TWO_V_TWO, n, LEARNED_FROM));
        specs.add(new Spec(Change.cpuRise(0.50, 0.05), Layout.TWO_V_TWO, n, LEARNED_FROM));
        specs.add(new Spec(Change.cpuRise(0.20, 0.10), Layout.TWO_V_TWO, n, LEARNED_FROM));
        specs.add(new Spec(Change.cpuRise(0.20, 0.05), Layout.ONE_V_THREE, n, LEARNED_FROM));
        specs.add(new Spec(Change.cpuRise(0.20, 0.05), Layout.THREE_V_THREE, n, LEARNED_FROM));
        specs.add(new Spec(Change.newHotPath(0.01), Layout.TWO_V_TWO, n, LEARNED_FROM));
        specs.add(new Spec(Change.allocRise(0.30, 0.08), Layout.TWO_V_TWO, n, LEARNED_FROM));
        // Three earlier windows of every baseline pod (history-windows 3) instead of one: the same cases, more history.
        for (Layout layout : List.of(Layout.ONE_V_THREE, Layout.TWO_V_TWO, Layout.THREE_V_THREE)) {
            specs.add(new Spec(Change.none(), layout, aa, 0, MORE_HISTORY));
        }
        specs.add(new Spec(Change.cpuRise(0.20, 0.05), Layout.TWO_V_TWO, n, 0, MORE_HISTORY));
        specs.add(new Spec(Change.cpuRise(0.50, 0.05), Layout.TWO_V_TWO, n, 0, MORE_HISTORY));
        specs.add(new Spec(Change.cpuRise(0.20, 0.05), Layout.ONE_V_THREE, n, 0, MORE_HISTORY));
        // Canaries behind a weighted router: each canary pod serves a quarter or a tenth of a baseline pod's traffic.
        for (double traffic : new double[] {0.25, 0.1}) {
            for (Layout layout : List.of(Layout.ONE_V_THREE, Layout.TWO_V_TWO)) {
                specs.add(new Spec(Change.none(), layout.lightCanary(traffic), aa));
            }
            specs.add(new Spec(Change.newHotPath(0.01), Layout.ONE_V_THREE.lightCanary(traffic), n));
            specs.add(new Spec(Change.cpuRise(0.50, 0.05), Layout.TWO_V_TWO.lightCanary(traffic), n));
        }
        // Other pod counts (canary v baseline): one pod a side, many pods a side, a few canaries beside many baselines.
        for (Layout layout : List.of(new Layout(1, 1), new Layout(6, 6), new Layout(2, 10), new Layout(1, 2))) {
            specs.add(new Spec(Change.none(), layout, aa));
        }
        specs.add(new Spec(Change.cpuRise(0.50, 0.05), new Layout(6, 6), n));
        specs.add(new Spec(Change.cpuRise(0.20, 0.05), new Layout(6, 6), n));
        // One profile per pod and window (a file per JVM), the history windows too.
        for (Layout layout : List.of(Layout.ONE_V_THREE, Layout.TWO_V_TWO, Layout.THREE_V_THREE, new Layout(1, 1))) {
            specs.add(new Spec(Change.none(), layout.oneFilePerPod(), aa));
        }
        specs.add(new Spec(Change.newHotPath(0.01), Layout.ONE_V_THREE.oneFilePerPod(), n));
        specs.add(new Spec(Change.newHotPath(0.01), new Layout(1, 1).oneFilePerPod(), n));
        specs.add(new Spec(Change.cpuRise(0.50, 0.05), Layout.THREE_V_THREE.oneFilePerPod(), n));
        return specs;
    }

    /** Earlier analyses the "learned" cells learn each function's noise from. */
    static final int LEARNED_FROM = 12;

    /** Earlier windows of every baseline pod in the "more history" cells (the others have one). */
    static final int MORE_HISTORY = 3;

    static long seed(Spec spec, int index) {
        return spec.label().hashCode() * 0x9E3779B97F4A7C15L + index;
    }

    /** Runs every cell on {@code threads} threads. */
    public static List<Cell> run(List<Spec> specs, int threads) {
        List<Cell> cells = new ArrayList<>();
        for (Spec spec : specs) {
            List<CaseResult> results = Parallel.map(spec.cases(), threads, i -> runCase(spec, i));
            cells.add(new Cell("simulated", spec.change().label(), spec.layoutLabel(), spec.type(),
                    spec.change().kind() != Change.Kind.NONE, results));
        }
        return cells;
    }

    static CaseResult runCase(Spec spec, int index) {
        long seed = seed(spec, index);
        SimulatedCase simulated = new HeldOutSimulator().simulate(spec.layout(), spec.change(), true, seed,
                spec.earlierAnalyses(), spec.historyWindows());
        LearnedNoise learned = LearnedNoise.empty();
        for (SimulatedCase.Earlier earlier : simulated.earlier()) {
            learned = JudgeAdapter.learn(earlier.baseline(), earlier.canary(), earlier.history(), learned);
        }
        JudgeOutcome outcome = JudgeAdapter.judge(simulated.baseline(), simulated.canary(), simulated.history(), learned);
        Map<ProfileType, OracleCall> oracle = new EnumMap<>(ProfileType.class);
        for (ProfileType type : List.of(ProfileType.CPU, ProfileType.ALLOC_BYTES)) {
            oracle.put(type, Oracle.call(simulated.baseline(), simulated.canary(), type,
                    simulated.knownNoise(type, seed), simulated::application, Thresholds.DEFAULTS));
        }
        return new CaseResult(outcome, oracle, simulated.target());
    }
}
