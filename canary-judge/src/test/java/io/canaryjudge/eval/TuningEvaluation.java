package io.canaryjudge.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.judge.Judge;
import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.judge.LearnedNoise;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.TypeQuality;
import io.canaryjudge.verdict.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The tuning evaluation of docs/EVALUATION.md ("Tuning"): the judge at default settings on cells of the
 * {@link TuningSimulator} — layouts 3+3, 2+2, 1+3, 1+1, history, heterogeneous per-function noise, JIT
 * flips, CPU and allocation, new paths, a different program — with the {@link TuningOracle} beside each
 * figure. Skipped unless {@code -Deval.tuning=true}:
 * <pre>
 * nice mvn -B -q -pl canary-judge -am test -Dtest=TuningEvaluation -Deval.tuning=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * Options: {@code -Deval.aaCases=300}, {@code -Deval.cases=100}, {@code -Deval.threads=2},
 * {@code -Deval.cells=REGEX} (cells whose label matches), {@code -Deval.showFails=N} (print the first N FAIL summaries of each cell), {@code -Deval.newPathConsistency=POD,SLICE[,RATIO[,WINDOWS]]}
 * (the new-path consistency fractions, intermittent-work ratio and new-thread baseline windows; {@code 0,0,0,0} =
 * without the rules). Writes {@code target/evaluation/tuning.md}.
 */
@EnabledIfSystemProperty(named = "eval.tuning", matches = "true")
class TuningEvaluation {
    /** The product always runs qa55's moved-along-stacks walk: put it back for whatever runs next in this JVM. */
    @AfterEach
    void restoreTheProductsRules() {
        io.canaryjudge.judge.JudgeTestAccess.movedAlongStacks(true);
    }


    /** Chance per JVM window of a background burst in the "bursts" cells (a 2 + 2 split: 48 % of cases hold one). */
    static final double BURST_CHANCE = 0.15;

    /**
     * Chance per JVM window of a window-long merge in the "background" cells: a 2 + 2 split without history
     * holds one in 48 % of cases, in a canary pod and no baseline pod in 20 %.
     */
    static final double BACKGROUND_CHANCE = 0.15;

    /** One cell: what it checks and the setting. */
    record Cell(String group, TuningSetting setting) {
    }

    static List<Cell> cells() {
        TuningSetting base = TuningSetting.base();
        TuningSetting kafka = base.with(TuningSetting.Service.KAFKA);
        TuningSetting alloc = base.with(ProfileType.ALLOC_BYTES);
        List<Cell> cells = new ArrayList<>();
        for (TuningSetting service : List.of(base, kafka)) {
            for (int[] pods : new int[][] {{3, 3}, {2, 2}, {3, 1}, {1, 1}}) {
                cells.add(new Cell("A/A", service.pods(pods[0], pods[1])));
            }
            cells.add(new Cell("A/A", service.history(6)));
            cells.add(new Cell("A/A", service.historyPods(6)));
            cells.add(new Cell("A/A", service.pods(3, 1).history(6)));
        }
        cells.add(new Cell("A/A", kafka.pods(3, 1).slices(3, 60_000)));
        // Noise learned from earlier verdicts' baselines (LearnedNoise): the same cases with 12 earlier A/A analyses.
        for (TuningSetting layout : List.of(base, base.pods(3, 1), base.pods(1, 1), base.pods(3, 3), base.history(6), kafka,
                kafka.pods(3, 1), alloc, alloc.pods(3, 1))) {
            cells.add(new Cell("A/A learned", layout.learned(12)));
        }
        for (TuningSetting layout : List.of(base, base.pods(3, 3), base.pods(3, 1), base.history(6))) {
            cells.add(new Cell("+20 % learned", layout.change(TuningSetting.Change.REGRESSION, 0.20, 0.05).learned(12)));
            cells.add(new Cell("+50 % learned", layout.change(TuningSetting.Change.REGRESSION, 0.50, 0.05).learned(12)));
        }
        // Window-long background work no current baseline window ran, with lessons of earlier analyses.
        for (TuningSetting layout : List.of(base.pods(3, 3), base.pods(3, 1), base.pods(1, 1), alloc.pods(3, 1))) {
            cells.add(new Cell("A/A background learned", layout.background(BACKGROUND_CHANCE).learned(12)));
        }
        for (TuningSetting layout : List.of(base.background(BACKGROUND_CHANCE), base.pods(3, 1).background(BACKGROUND_CHANCE),
                base.jit(0.05), base.pods(3, 1).jit(0.05))) {
            cells.add(new Cell("new path learned", layout.change(TuningSetting.Change.NEW_PATH, 0, 0.01).learned(12)));
        }
        // Stale lessons: each function's noise in the earlier analyses differs from today's by e^{±0.5} (1 σ).
        for (TuningSetting layout : List.of(base, base.pods(3, 1), kafka, alloc.pods(3, 1))) {
            cells.add(new Cell("A/A stale lessons", layout.learned(12).drifted(0.5)));
        }
        cells.add(new Cell("+50 % stale lessons", base.change(TuningSetting.Change.REGRESSION, 0.50, 0.05).learned(12)
                .drifted(0.5)));
        // One weak lesson (one earlier analysis): must not make things worse than none, also where JIT decisions
        // or window-long background work make a function's current pods disagree far more than usual.
        for (TuningSetting layout : List.of(base.jit(0.05), base.pods(3, 1).jit(0.05), base.pods(3, 1), alloc.pods(3, 1),
                alloc.pods(3, 1).background(BACKGROUND_CHANCE), base.pods(3, 1).background(BACKGROUND_CHANCE))) {
            cells.add(new Cell("A/A one lesson", layout.learned(1)));
        }
        cells.add(new Cell("new path learned", base.change(TuningSetting.Change.NEW_PATH, 0, 0.01).learned(12)));
        cells.add(new Cell("new path learned", base.pods(3, 1).change(TuningSetting.Change.NEW_PATH, 0, 0.01).learned(12)));
        for (int[] pods : new int[][] {{2, 2}, {3, 1}, {1, 1}}) {
            cells.add(new Cell("A/A", alloc.pods(pods[0], pods[1])));
        }
        cells.add(new Cell("A/A", alloc.history(6)));
        cells.add(new Cell("A/A", base.jit(0.05)));
        cells.add(new Cell("A/A", base.pods(3, 1).jit(0.05)));
        cells.add(new Cell("A/A", base.pods(1, 1).jit(0.05)));
        cells.add(new Cell("A/A", base.withRequests()));
        for (TuningSetting service : List.of(base, kafka)) {
            TuningSetting rise = service.change(TuningSetting.Change.REGRESSION, 0.20, 0.05);
            cells.add(new Cell("+20 % at 5 %", rise.history(6)));
            cells.add(new Cell("+20 % at 5 %", rise.historyPods(6)));
            cells.add(new Cell("+20 % at 5 %", rise));
            cells.add(new Cell("+20 % at 5 %", rise.pods(3, 3)));
            for (int[] pods : new int[][] {{2, 2}, {3, 1}, {1, 1}}) {
                cells.add(new Cell("new path", service.pods(pods[0], pods[1])
                        .change(TuningSetting.Change.NEW_PATH, 0, 0.01)));
            }
        }
        cells.add(new Cell("+20 % at 5 %", alloc.change(TuningSetting.Change.REGRESSION, 0.20, 0.05).history(6)));
        // What calibration costs in power, where a rise is detectable at all at these sizes.
        TuningSetting rise50 = base.change(TuningSetting.Change.REGRESSION, 0.50, 0.05);
        for (TuningSetting layout : List.of(rise50.history(6), rise50, rise50.pods(3, 3), rise50.pods(3, 1))) {
            cells.add(new Cell("+50 % at 5 %", layout));
        }
        // How many earlier windows of the baseline pods the service should fetch (its history-windows).
        for (int windows : new int[] {1, 2, 3}) {
            for (TuningSetting layout : List.of(base, base.pods(3, 1))) {
                cells.add(new Cell("history windows", layout.history(windows)));
                cells.add(new Cell("history windows", layout.history(windows).change(TuningSetting.Change.REGRESSION, 0.50, 0.05)));
            }
        }
        // One canary pod with the baseline pods' earlier windows (Argo's usual layout with history): power and
        // whether failing frames are the changed one.
        for (TuningSetting service : List.of(base, kafka)) {
            cells.add(new Cell("+20 % at 5 %", service.pods(3, 1).history(6).change(TuningSetting.Change.REGRESSION, 0.20, 0.05)));
            cells.add(new Cell("+50 % at 5 %", service.pods(3, 1).history(6).change(TuningSetting.Change.REGRESSION, 0.50, 0.05)));
        }
        cells.add(new Cell("new path", base.change(TuningSetting.Change.NEW_PATH, 0, 0.005)));
        cells.add(new Cell("JVM rise", kafka.pods(3, 3).change(TuningSetting.Change.JVM_RISE, 2, 0.01)));
        // The same regression without the JVM rise beside it: what the JVM rise must not take away.
        cells.add(new Cell("+100 % at 1 %", kafka.pods(3, 3).change(TuningSetting.Change.REGRESSION, 1.0, 0.01)));
        // Per-pod traffic mix (sticky sessions, uneven balancing): each endpoint subtree × e^{σZ} per JVM, σ 10 % / 20 %.
        for (double sigma : new double[] {0.1, 0.2}) {
            for (TuningSetting layout : List.of(base, base.pods(3, 1), base.pods(3, 3), base.history(6), kafka, alloc)) {
                cells.add(new Cell("A/A mix", layout.mix(sigma)));
            }
        }
        // One rare, heavy endpoint (a report or an export: few requests, much CPU each) whose share of each JVM's
        // traffic skews, every other endpoint at the global mix: only its subtree varies more between JVMs.
        for (double sigma : new double[] {0.1, 0.2}) {
            for (TuningSetting layout : List.of(base, base.pods(3, 1), base.pods(3, 3), base.history(6), kafka, alloc)) {
                cells.add(new Cell("A/A heavy endpoint", layout.heavyEndpoint(0.2, sigma)));
            }
        }
        // The same with request counts: the JVM's doubled work also raises the CPU per request (young canaries).
        cells.add(new Cell("JVM rise", kafka.pods(3, 3).withRequests().change(TuningSetting.Change.JVM_RISE, 2, 0.01)));
        cells.add(new Cell("JVM rise", kafka.pods(3, 1).withRequests().change(TuningSetting.Change.JVM_RISE, 2, 0.01)));
        cells.add(new Cell("per request", base.withRequests().change(TuningSetting.Change.UNIFORM_SLOWDOWN, 1.0, 0)));
        cells.add(new Cell("other program", base.change(TuningSetting.Change.DIFFERENT_PROGRAM, 0, 0)));
        // A release that renames a method: the same cost under a new name must not FAIL; a renamed method that costs
        // more still must (the plain +50 % cells above are the comparison).
        for (TuningSetting layout : List.of(base, base.pods(3, 3), base.pods(3, 1), base.pods(1, 1), kafka, alloc)) {
            cells.add(new Cell("renamed", layout.change(TuningSetting.Change.RENAME, 0, 0.05)));
        }
        cells.add(new Cell("renamed", base.change(TuningSetting.Change.RENAME, 0, 0.01)));
        cells.add(new Cell("renamed", kafka.pods(3, 1).change(TuningSetting.Change.RENAME, 0, 0.01)));
        for (TuningSetting layout : List.of(base, base.pods(3, 3), base.pods(3, 1), kafka)) {
            cells.add(new Cell("renamed", layout.change(TuningSetting.Change.RENAME, 0.5, 0.05)));
        }
        // A rewrite under a new name that costs much less than what it replaced (a faster algorithm): no regression.
        for (TuningSetting layout : List.of(base, base.pods(3, 3), base.pods(3, 1), base.pods(1, 1), kafka, alloc)) {
            cells.add(new Cell("renamed", layout.change(TuningSetting.Change.RENAME, -0.6, 0.05)));
        }
        // Background bursts: each JVM window runs a background task (merge, compaction) with chance 15 %.
        for (TuningSetting service : List.of(base, alloc, kafka)) {
            TuningSetting bursts = service.bursts(BURST_CHANCE);
            for (int[] pods : new int[][] {{3, 3}, {2, 2}, {3, 1}, {1, 1}}) {
                cells.add(new Cell("A/A bursts", bursts.pods(pods[0], pods[1])));
            }
            cells.add(new Cell("A/A bursts", bursts.history(6)));
        }
        TuningSetting bursts = base.bursts(BURST_CHANCE);
        for (int[] pods : new int[][] {{2, 2}, {3, 1}, {1, 1}}) {
            cells.add(new Cell("new path", bursts.pods(pods[0], pods[1]).change(TuningSetting.Change.NEW_PATH, 0, 0.01)));
        }
        cells.add(new Cell("new path", bursts.change(TuningSetting.Change.NEW_PATH, 0, 0.005)));
        cells.add(new Cell("new path", base.pods(3, 3).change(TuningSetting.Change.NEW_PATH, 0, 0.005)));
        cells.add(new Cell("new path", base.pods(3, 1).change(TuningSetting.Change.NEW_PATH, 0, 0.005)));
        cells.add(new Cell("new path", base.pods(1, 1).change(TuningSetting.Change.NEW_PATH, 0, 0.005)));
        cells.add(new Cell("new path", alloc.change(TuningSetting.Change.NEW_PATH, 0, 0.01)));
        // Window-long background work: each JVM window runs a merge thread in 6–8 of its 8 slices with chance 15 %.
        for (TuningSetting service : List.of(base, alloc, kafka)) {
            TuningSetting background = service.background(BACKGROUND_CHANCE);
            for (int[] pods : new int[][] {{3, 3}, {2, 2}, {3, 1}, {1, 1}}) {
                cells.add(new Cell("A/A background", background.pods(pods[0], pods[1])));
            }
            cells.add(new Cell("A/A background", background.history(6)));
            cells.add(new Cell("A/A background", background.historyPods(6)));
            cells.add(new Cell("A/A background", background.pods(3, 1).history(6)));
        }
        for (TuningSetting service : List.of(base, kafka)) {
            TuningSetting background = service.background(BACKGROUND_CHANCE);
            for (int[] pods : new int[][] {{2, 2}, {3, 1}, {1, 1}}) {
                cells.add(new Cell("new path", background.pods(pods[0], pods[1])
                        .change(TuningSetting.Change.NEW_PATH, 0, 0.01)));
            }
            cells.add(new Cell("new path", background.history(6).change(TuningSetting.Change.NEW_PATH, 0, 0.01)));
            cells.add(new Cell("new path", background.pods(3, 1).history(6).change(TuningSetting.Change.NEW_PATH, 0, 0.01)));
        }
        TuningSetting background = base.background(BACKGROUND_CHANCE);
        cells.add(new Cell("new path", background.change(TuningSetting.Change.NEW_PATH, 0, 0.005)));
        cells.add(new Cell("new path", background.history(6).change(TuningSetting.Change.NEW_PATH, 0, 0.005)));
        cells.add(new Cell("new path", alloc.background(BACKGROUND_CHANCE).change(TuningSetting.Change.NEW_PATH, 0, 0.01)));
        // JIT flips remove a frame in some JVMs: a new path under such a caller must still FAIL.
        cells.add(new Cell("new path", base.jit(0.05).change(TuningSetting.Change.NEW_PATH, 0, 0.01)));
        cells.add(new Cell("new path", base.jit(0.05).history(6).change(TuningSetting.Change.NEW_PATH, 0, 0.01)));
        // A canary behind a weighted router serves a fraction of a baseline pod's traffic: fewer samples per canary
        // pod, so its sampling noise is larger than the baseline pods' (Argo's setWeight 10-25 with one canary pod).
        for (double traffic : new double[] {0.25, 0.1}) {
            for (TuningSetting layout : List.of(base.pods(3, 1), base.pods(2, 2), base.pods(3, 3), base.pods(3, 1).history(6),
                    kafka.pods(3, 1), alloc.pods(3, 1), base.pods(3, 1).withRequests())) {
                cells.add(new Cell("A/A light canary", layout.canaryTraffic(traffic)));
            }
            cells.add(new Cell("+50 % light canary", base.pods(3, 1).history(6).canaryTraffic(traffic)
                    .change(TuningSetting.Change.REGRESSION, 0.50, 0.05)));
            cells.add(new Cell("new path light canary", base.pods(3, 1).canaryTraffic(traffic)
                    .change(TuningSetting.Change.NEW_PATH, 0, 0.01)));
            // What a light canary's few samples do to the rules for background work and JIT decisions.
            for (TuningSetting layout : List.of(base.pods(3, 1).bursts(BURST_CHANCE), base.pods(3, 1).background(BACKGROUND_CHANCE),
                    base.pods(3, 1).history(6).background(BACKGROUND_CHANCE), base.pods(3, 1).jit(0.05),
                    alloc.pods(3, 1).background(BACKGROUND_CHANCE))) {
                cells.add(new Cell("A/A light canary", layout.canaryTraffic(traffic)));
            }
        }
        // Other pod counts: many pods a side, more canary pods than baseline pods, two against one.
        for (int[] pods : new int[][] {{6, 6}, {10, 2}, {2, 1}, {1, 3}}) {
            cells.add(new Cell("A/A pod counts", base.pods(pods[0], pods[1])));
            cells.add(new Cell("A/A pod counts", kafka.pods(pods[0], pods[1])));
        }
        cells.add(new Cell("+50 % pod counts", base.pods(6, 6).change(TuningSetting.Change.REGRESSION, 0.50, 0.05)));
        cells.add(new Cell("+20 % pod counts", base.pods(6, 6).change(TuningSetting.Change.REGRESSION, 0.20, 0.05)));
        // How profiles are cut: one profile per pod and window (a JFR file per JVM: no slices to show sampling
        // overdispersion), or Pyroscope's 10-second uploads over 10 minutes (60 slices of ~230 samples).
        for (int[] cut : new int[][] {{1, 14_000}, {2, 14_000}, {60, 14_000}}) {
            for (TuningSetting layout : List.of(base.pods(3, 1), base.pods(2, 2), base.pods(3, 3), base.pods(3, 1).history(6),
                    kafka.pods(3, 1), alloc.pods(3, 1), base.pods(1, 1), base.pods(5, 1), base.pods(1, 1).jit(0.05),
                    base.pods(3, 1).jit(0.05))) {
                cells.add(new Cell("A/A slicing", layout.slices(cut[0], cut[1])));
            }
            cells.add(new Cell("+50 % slicing", base.pods(3, 1).history(6).slices(cut[0], cut[1])
                    .change(TuningSetting.Change.REGRESSION, 0.50, 0.05)));
            cells.add(new Cell("new path slicing", base.pods(1, 1).slices(cut[0], cut[1])
                    .change(TuningSetting.Change.NEW_PATH, 0, 0.01)));
            cells.add(new Cell("+50 % slicing", base.pods(3, 3).slices(cut[0], cut[1])
                    .change(TuningSetting.Change.REGRESSION, 0.50, 0.05)));
            cells.add(new Cell("new path slicing", base.pods(3, 1).slices(cut[0], cut[1])
                    .change(TuningSetting.Change.NEW_PATH, 0, 0.01)));
        }
        return cells;
    }

    /** What the judge (and the oracle) said about the cases of one cell. */
    record Outcome(Cell cell, int cases, int fails, int culprits, int inconclusive, int oracleFails, int oracleCulprits,
                   double medianCv, double medianMdc5, String noiseSource, String firstFailure) {
    }

    static Outcome run(Cell cell, int cases, int threads) {
        JudgeConfig config = JudgeConfig.defaults();
        Integer observations = Integer.getInteger("eval.minObservations"); // 1: judge one profile per pod
        if (observations != null) {
            config = config.withMinimums(config.minInstancesPerGroup(), observations, config.minSamplesPerGroup());
        }
        String consistency = System.getProperty("eval.newPathConsistency");
        if (consistency != null) { // "0,0" = the judge without the rule, for before/after figures
            String[] fractions = consistency.split(",");
            config = config.withNewPathConsistency(new io.canaryjudge.judge.NewPathConsistency(
                    Double.parseDouble(fractions[0]), Double.parseDouble(fractions[1]), fractions.length > 2
                    ? Double.parseDouble(fractions[2]) : JudgeConfig.defaults().newPathConsistency().intermittentRatio(),
                    fractions.length > 3 ? Integer.parseInt(fractions[3])
                            : JudgeConfig.defaults().newPathConsistency().newThreadMinBaselineWindows()));
        }
        JudgeConfig judged = config;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Object[]>> futures = new ArrayList<>();
            for (int i = 0; i < cases; i++) {
                long seed = cell.setting().label().hashCode() * 0x9E3779B97F4A7C15L + i;
                futures.add(pool.submit(() -> one(cell.setting(), seed, judged)));
            }
            int fails = 0;
            int culprits = 0;
            int inconclusive = 0;
            int oracleFails = 0;
            int oracleCulprits = 0;
            double[] cv = new double[cases];
            double[] mdc = new double[cases];
            String source = null;
            String firstFailure = null;
            for (int i = 0; i < cases; i++) {
                Object[] r = futures.get(i).get();
                Verdict verdict = (Verdict) r[0];
                String target = (String) r[1];
                String oracle = (String) r[2];
                if (verdict.result() == Result.FAIL) {
                    fails++;
                    Finding first = verdict.findings().stream().filter(Finding::failing).findFirst().orElseThrow();
                    boolean named = culpritFirst(verdict, first, target);
                    boolean right = switch (cell.setting().change()) {
                        case DIFFERENT_PROGRAM -> first.kind() == io.canaryjudge.verdict.FindingKind.DIFFERENT_PROGRAM;
                        case UNIFORM_SLOWDOWN -> first.kind() == io.canaryjudge.verdict.FindingKind.COST_PER_REQUEST;
                        default -> named;
                    };
                    if (right) {
                        culprits++;
                    }
                    if (firstFailure == null) {
                        firstFailure = "case " + i + ": " + verdict.summary();
                    }
                    if (fails <= Integer.getInteger("eval.showFails", 0)) {
                        System.err.println(cell.setting().label() + " case " + i + " FAIL: " + verdict.summary());
                    }
                } else if (verdict.result() == Result.INCONCLUSIVE) {
                    inconclusive++;
                    if (inconclusive <= Integer.getInteger("eval.showInconclusive", 0)) {
                        System.err.println(cell.setting().label() + " case " + i + " INCONCLUSIVE: " + verdict.summary());
                    }
                }
                if (oracle != null) {
                    oracleFails++;
                    oracleCulprits += oracle.equals(target) ? 1 : 0;
                }
                TypeQuality quality = verdict.dataQuality().types().stream().filter(TypeQuality::judged).findFirst()
                        .orElse(null);
                cv[i] = quality == null || quality.betweenInstanceCv() == null ? Double.NaN : quality.betweenInstanceCv();
                mdc[i] = quality == null || quality.minimumDetectableChange5pct() == null ? Double.NaN
                        : quality.minimumDetectableChange5pct();
                source = source != null || quality == null ? source : quality.noiseSource();
            }
            return new Outcome(cell, cases, fails, culprits, inconclusive, oracleFails, oracleCulprits, median(cv),
                    median(mdc), source, firstFailure);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("case of " + cell.setting().label() + " failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Whether the lead incident names the changed function: its entry frame is the target or lies below it on the
     * target's call path (a new path under it), or — for a target that is not application code (a JDK method, a
     * library, a native library the application ships) — the lead incident explains the target's rise. The judge names
     * such a rise at the application frame where the cost enters, with the target among the incident's functions
     * ({@link io.canaryjudge.verdict.Incident}); the Kafka broker's targets are JDK frames ({@code java.util.regex},
     * {@code ThreadLocal}) and snappy-java's library, so requiring the target on the entry frame's own path counted every
     * correctly named Kafka FAIL as a miss (qa61).
     */
    static boolean culpritFirst(Verdict verdict, Finding first, String target) {
        if (target == null) {
            return false;
        }
        if (first.function().equals(target) || first.callPath().contains(target)) {
            return true;
        }
        if (io.canaryjudge.judge.JudgeTestAccess.applicationCode(target)) {
            return false; // application code is named at itself: a caller named for it is the wrong frame
        }
        return verdict.incidents().stream().filter(io.canaryjudge.verdict.Incident::failing).findFirst()
                .map(lead -> lead.functions().contains(target)).orElse(false);
    }

    private static double median(double[] values) {
        double[] finite = java.util.Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        return finite.length == 0 ? Double.NaN : finite[finite.length / 2];
    }

    private static Object[] one(TuningSetting setting, long seed, JudgeConfig config) {
        TuningSimulator.Case simulated = new TuningSimulator().simulate(setting, seed);
        LearnedNoise learned = TuningSimulator.learnedNoise(simulated, config);
        Verdict verdict = new Judge().judge(simulated.baseline(), simulated.canary(), simulated.history(), learned, config)
                .verdict();
        String oracle = setting.type() == ProfileType.CPU && setting.jitShare() == 0
                && setting.change() != TuningSetting.Change.UNIFORM_SLOWDOWN
                ? TuningOracle.failingCulprit(simulated, config.thresholds()) : null;
        return new Object[] {verdict, simulated.target(), oracle};
    }

    @Test
    void writesTuningTables() throws IOException {
        int aaCases = Integer.getInteger("eval.aaCases", 300);
        int cases = Integer.getInteger("eval.cases", 100);
        int threads = Integer.getInteger("eval.threads", 2);
        Pattern filter = Pattern.compile(System.getProperty("eval.cells", ".*"));
        // false: the judge without qa55's moved-along-stacks rule, for before/after figures (qa58)
        io.canaryjudge.judge.JudgeTestAccess.movedAlongStacks(
                Boolean.parseBoolean(System.getProperty("eval.movedAlongStacks", "true")));
        long start = System.nanoTime();
        StringBuilder table = new StringBuilder("| check | cell | cases | judge FAIL | culprit first | INCONCL. | "
                + "oracle FAIL | oracle culprit | judge CV (median) | MDC at 5 % (median) | noise learned from |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        List<Outcome> outcomes = new ArrayList<>();
        for (Cell cell : cells()) {
            if (!filter.matcher(cell.setting().label()).find()) {
                continue;
            }
            Outcome o = run(cell, cell.setting().aa() ? aaCases : cases, threads);
            outcomes.add(o);
            boolean oracleShown = cell.setting().type() == ProfileType.CPU && cell.setting().jitShare() == 0
                    && cell.setting().change() != TuningSetting.Change.UNIFORM_SLOWDOWN;
            String row = String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |%n", cell.group(),
                    cell.setting().label(), o.cases(), rate(o.fails(), o.cases()),
                    cell.setting().aa() ? "–" : rate(o.culprits(), o.fails()), rate(o.inconclusive(), o.cases()),
                    oracleShown ? rate(o.oracleFails(), o.cases()) : "–",
                    oracleShown && !cell.setting().aa() ? rate(o.oracleCulprits(), o.oracleFails()) : "–",
                    Double.isNaN(o.medianCv()) ? "–" : String.format(Locale.ROOT, "%.3f", o.medianCv()),
                    Double.isNaN(o.medianMdc5()) ? "–" : String.format(Locale.ROOT, "%.0f %%", o.medianMdc5() * 100),
                    o.noiseSource() == null ? "–" : o.noiseSource().replaceAll(":.*", ""));
            table.append(row);
            System.err.printf(Locale.ROOT, "%s after %.0f s; first FAIL: %s%n", row.trim(), (System.nanoTime() - start) / 1e9,
                    o.firstFailure());
        }
        String markdown = String.format(Locale.ROOT, "# Tuning evaluation%n%n%d A/A cases, %d A/B cases per cell; %d threads; "
                + "%.1f min.%n%n", aaCases, cases, threads, (System.nanoTime() - start) / 60e9) + table;
        Path out = Path.of("target", "evaluation", "tuning.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, markdown);
        System.out.println(markdown);
        assertThat(outcomes).isNotEmpty();
    }

    /** "1.3 % (4/300)". */
    static String rate(long hits, long n) {
        if (n == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.1f %% (%d/%d)", 100.0 * hits / n, hits, n);
    }
}
