package io.canaryjudge.heldout;

import io.canaryjudge.heldout.oracle.KnownNoise;
import io.canaryjudge.heldout.oracle.Oracle;
import io.canaryjudge.heldout.oracle.OracleCall;
import io.canaryjudge.heldout.oracle.PodShares;
import io.canaryjudge.heldout.recording.HeldOutScenario;
import io.canaryjudge.judge.LearnedNoise;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.judge.Thresholds;
import io.canaryjudge.profile.ProfileType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The recorded held-out scenarios judged in 1v3, 2v2 and 3v3 layouts. A layout is a choice of
 * canary pods and baseline pods: for A/A, disjoint sets of the baseline pool; for a scenario, its
 * canary pods and pods of the pool. Each baseline pod brings its earlier window as history. All
 * layouts of a cell are enumerated and, when there are more than {@code cap}, {@code cap} of them are
 * drawn without repetition (seeded). Layouts of one cell share JVMs, so they are not independent
 * cases: the intervals in the report treat them as if they were and overstate the precision.
 *
 * <p>The oracle knows each function's noise from all baseline JVMs: the variance of the pod shares of
 * the pool's current windows.
 */
public final class RecordedEvaluation {
    private final HeldOutRecordings recordings;
    private final Map<ProfileType, KnownNoise> noise = new EnumMap<>(ProfileType.class);

    public RecordedEvaluation(HeldOutRecordings recordings) {
        this.recordings = recordings;
        List<Observation> pool = new ArrayList<>();
        recordings.baselines().forEach(pod -> pool.addAll(pod.current()));
        for (ProfileType type : List.of(ProfileType.CPU, ProfileType.ALLOC_BYTES)) {
            noise.put(type, knownNoise(PodShares.of(pool, type)));
        }
    }

    static KnownNoise knownNoise(PodShares pool) {
        Map<String, double[]> variance = new HashMap<>();
        for (String function : pool.functions()) {
            double[] v = new double[2];
            for (int m = 0; m < 2; m++) {
                double[] shares = pool.perPod(function, m);
                double mean = java.util.Arrays.stream(shares).average().orElse(0);
                double sum = 0;
                for (double s : shares) {
                    sum += (s - mean) * (s - mean);
                }
                v[m] = shares.length > 1 ? sum / (shares.length - 1) : 0;
            }
            variance.put(function, v);
        }
        // Sampling floor for functions the pool never ran: binomial over the pod's samples (events).
        return new KnownNoise(variance, pool.meanSamples() > 0 ? 1.0 / pool.meanSamples() : 0);
    }

    static boolean application(String function) {
        return function.startsWith(HeldOutScenario.SEARCH);
    }

    /** A/A cells from the pool, then every scenario's cells, in 1v3, 2v2, 3v3. */
    public List<Cell> run(int cap, int threads) {
        return run(HeldOutScenario.all().stream().map(HeldOutScenario::name).toList(), List.of("1v3", "2v2", "3v3"),
                cap, threads);
    }

    /** The A/A cell and the named scenarios' cells of one layout: a quick end-to-end check. */
    public List<Cell> runSubset(List<String> scenarios, String layout, int cap) {
        return run(scenarios, List.of(layout), cap, 1);
    }

    private List<Cell> run(List<String> scenarioNames, List<String> layouts, int cap, int threads) {
        List<Cell> cells = new ArrayList<>();
        for (boolean learned : new boolean[] {false, true}) {
            cells.addAll(run(scenarioNames, layouts, cap, threads, learned));
        }
        return cells;
    }

    /**
     * @param learned also judge with learned noise: the pool pods a layout leaves out teach it, in lessons of two
     *                or three JVMs (each with its earlier window); layouts that leave fewer than two out are skipped
     */
    private List<Cell> run(List<String> scenarioNames, List<String> layouts, int cap, int threads, boolean learned) {
        List<Cell> cells = new ArrayList<>();
        List<HeldOutRecordings.Pod> pool = recordings.baselines();
        for (String layout : layouts) {
            int c = layout.charAt(0) - '0';
            int b = layout.charAt(2) - '0';
            List<int[][]> choices = sample(aaChoices(pool.size(), c, b), cap, layout.hashCode());
            if (!learned || pool.size() - b - c >= 2) {
                cells.add(cell("A/A (baseline pool)", layout, ProfileType.CPU, false, null, choices, pool, pool, threads,
                        learned));
            }
        }
        for (String name : scenarioNames) {
            HeldOutScenario scenario = HeldOutScenario.named(name);
            List<HeldOutRecordings.Pod> canaries = recordings.canaries().get(scenario.name());
            for (String layout : layouts) {
                int c = layout.charAt(0) - '0';
                int b = layout.charAt(2) - '0';
                if (canaries.size() < c || (learned && pool.size() - b < 2)) {
                    continue;
                }
                List<int[][]> choices = new ArrayList<>();
                for (int[] canarySet : subsets(canaries.size(), c)) {
                    for (int[] baselineSet : subsets(pool.size(), b)) {
                        choices.add(new int[][] {canarySet, baselineSet});
                    }
                }
                ProfileType type = scenario.profileType() == null ? ProfileType.CPU : ProfileType.fromId(scenario.profileType());
                cells.add(cell(scenario.name(), layout, type, scenario.expectedResult().equals("FAIL"),
                        scenario.function(), sample(choices, cap, (scenario.name() + layout).hashCode()), canaries,
                        pool, threads, learned));
            }
        }
        return cells;
    }

    private Cell cell(String label, String layout, ProfileType type, boolean changed, String target,
                      List<int[][]> choices, List<HeldOutRecordings.Pod> canaryPods, List<HeldOutRecordings.Pod> pool,
                      int threads, boolean learned) {
        List<CaseResult> results = Parallel.map(choices.size(), threads, i -> {
            int[][] choice = choices.get(i);
            List<Observation> canary = new ArrayList<>();
            List<Observation> baseline = new ArrayList<>();
            List<Observation> history = new ArrayList<>();
            for (int p : choice[0]) {
                HeldOutRecordings.Pod pod = canaryPods.get(p);
                // Pool pods on the canary side of an A/A are renamed so no name is on both sides.
                canary.addAll((canaryPods == pool ? pod.as("canary-" + pod.name()) : pod).current());
            }
            for (int p : choice[1]) {
                baseline.addAll(pool.get(p).current());
                history.addAll(pool.get(p).history());
            }
            JudgeOutcome outcome = JudgeAdapter.judge(baseline, canary, history,
                    learned ? lessons(choice, canaryPods == pool, pool) : LearnedNoise.empty());
            Map<ProfileType, OracleCall> oracle = new EnumMap<>(ProfileType.class);
            for (ProfileType t : List.of(ProfileType.CPU, ProfileType.ALLOC_BYTES)) {
                oracle.put(t, Oracle.call(baseline, canary, t, noise.get(t), RecordedEvaluation::application,
                        Thresholds.DEFAULTS));
            }
            return new CaseResult(outcome, oracle, target);
        });
        return new Cell("recorded", label, learned ? layout + " L" : layout, type, changed, results);
    }

    /**
     * Learned noise from the pool pods this layout leaves out: lessons of two JVMs (three when three are left),
     * each baseline pod with its earlier window as history; a lesson's judge run needs a canary, which teaches
     * nothing (the lesson pods' earlier windows, renamed).
     */
    private static LearnedNoise lessons(int[][] choice, boolean poolCanaries, List<HeldOutRecordings.Pod> pool) {
        List<Integer> left = new ArrayList<>();
        for (int p = 0; p < pool.size(); p++) {
            final int k = p;
            boolean used = java.util.Arrays.stream(choice[1]).anyMatch(x -> x == k)
                    || (poolCanaries && java.util.Arrays.stream(choice[0]).anyMatch(x -> x == k));
            if (!used) {
                left.add(p);
            }
        }
        LearnedNoise learned = LearnedNoise.empty();
        for (int start = 0; start + 1 < left.size(); start += 2) {
            List<Integer> lesson = left.size() - start == 3 ? left.subList(start, start + 3) : left.subList(start, start + 2);
            List<Observation> baseline = new ArrayList<>();
            List<Observation> history = new ArrayList<>();
            List<Observation> canary = new ArrayList<>();
            for (int p : lesson) {
                baseline.addAll(pool.get(p).current());
                history.addAll(pool.get(p).history());
                canary.addAll(pool.get(p).as("lesson-canary-" + pool.get(p).name()).history());
            }
            learned = JudgeAdapter.learn(baseline, canary, history, learned);
            if (lesson.size() == 3) {
                break;
            }
        }
        return learned;
    }

    /** Disjoint (canary set, baseline set) pairs from a pool of {@code n}. */
    static List<int[][]> aaChoices(int n, int canaries, int baselines) {
        List<int[][]> out = new ArrayList<>();
        for (int[] canarySet : subsets(n, canaries)) {
            List<Integer> rest = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                final int k = i;
                if (java.util.Arrays.stream(canarySet).noneMatch(x -> x == k)) {
                    rest.add(i);
                }
            }
            for (int[] chosen : subsets(rest.size(), baselines)) {
                int[] baselineSet = new int[chosen.length];
                for (int j = 0; j < chosen.length; j++) {
                    baselineSet[j] = rest.get(chosen[j]);
                }
                out.add(new int[][] {canarySet, baselineSet});
            }
        }
        return out;
    }

    /** All k-subsets of {0..n−1}, in lexicographic order. */
    static List<int[]> subsets(int n, int k) {
        List<int[]> out = new ArrayList<>();
        int[] current = new int[k];
        fill(out, current, 0, 0, n);
        return out;
    }

    private static void fill(List<int[]> out, int[] current, int position, int start, int n) {
        if (position == current.length) {
            out.add(current.clone());
            return;
        }
        for (int i = start; i < n; i++) {
            current[position] = i;
            fill(out, current, position + 1, i + 1, n);
        }
    }

    /** {@code cap} of {@code all} without repetition (seeded shuffle), or all of them. */
    static <T> List<T> sample(List<T> all, int cap, long seed) {
        if (all.size() <= cap) {
            return all;
        }
        List<T> shuffled = new ArrayList<>(all);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = shuffled.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T t = shuffled.get(i);
            shuffled.set(i, shuffled.get(j));
            shuffled.set(j, t);
        }
        return List.copyOf(shuffled.subList(0, cap));
    }
}
