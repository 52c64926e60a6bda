package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Measure;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.TypeQuality;
import io.canaryjudge.verdict.Verdict;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each function's noise learned from earlier verdicts' baselines: what a verdict teaches, that it comes from
 * the baseline only, how verdicts pool, and what it does to a function far noisier than the rest.
 */
class LearnedNoiseTest {
    private static final int FUNCTIONS = 60;
    /** The noisy function: second largest, ~8 % of CPU. */
    private static final int NOISY = 1;
    private static final double NOISY_CV = 0.30;
    private static final double TYPICAL_CV = 0.05;

    private static double[] kappas() {
        double[] kappas = new double[FUNCTIONS];
        Arrays.fill(kappas, TYPICAL_CV);
        kappas[NOISY] = NOISY_CV;
        return kappas;
    }

    private static LearnedNoise learn(SyntheticService service, int verdicts, int pods) {
        LearnedNoise learned = LearnedNoise.empty();
        for (int k = 0; k < verdicts; k++) {
            List<Observation> baseline = service.group("earlier-" + k + "-baseline", service.shares, pods, 5, 20_000,
                    kappas(), 1.5);
            List<Observation> canary = service.group("earlier-" + k + "-canary", service.shares, pods, 5, 20_000,
                    kappas(), 1.5);
            learned = learned.plus(new Judge().judge(baseline, canary, List.of(), learned, JudgeConfig.defaults())
                    .taught());
        }
        return learned;
    }

    private static double cv(LearnedNoise learned, SyntheticService service, int function) {
        LearnedNoise.Entry entry = learned.entry(ProfileType.CPU, Measure.SELF, service.functions[function]);
        assertThat(entry).as(service.functions[function]).isNotNull();
        return Math.sqrt(Math.max(entry.podVariance(), 0));
    }

    @Test
    void earlierBaselinesTeachEachFunctionItsOwnPodNoise() {
        SyntheticService service = new SyntheticService(FUNCTIONS, 11);
        LearnedNoise learned = learn(service, 12, 3);
        assertThat(learned.verdicts()).isEqualTo(12);
        // 12 verdicts × 3 baseline JVMs: 24 degrees of freedom between JVMs per function
        assertThat(learned.entry(ProfileType.CPU, Measure.SELF, service.functions[NOISY]).df()).isBetween(20.0, 28.0);
        assertThat(cv(learned, service, NOISY)).isBetween(0.2, 0.42);
        for (int f : new int[] {0, 2, 3, 4}) {
            assertThat(cv(learned, service, f)).as(service.functions[f]).isLessThan(0.1);
        }
        // inclusive values are learned too (the noisy function's caller carries its noise)
        assertThat(learned.entry(ProfileType.CPU, Measure.INCLUSIVE, service.parents[NOISY])).isNotNull();
    }

    @Test
    void aVerdictTeachesFromItsBaselineNeverItsCanary() {
        SyntheticService service = new SyntheticService(FUNCTIONS, 12);
        double[] typical = new double[FUNCTIONS];
        Arrays.fill(typical, TYPICAL_CV);
        List<Observation> baseline = service.group("baseline", service.shares, 3, 5, 20_000, typical, 1.5);
        // canary pods disagree wildly about function 2 (×1, ×3, ×6): none of that may be learned as noise
        List<Observation> canary = new java.util.ArrayList<>();
        double[] factors = {1, 3, 6};
        for (int p = 0; p < 3; p++) {
            canary.addAll(service.group("canary-" + p, service.withChange(2, factors[p] - 1), 1, 5, 20_000, typical, 1.5));
        }
        Judge.Judgement judged = new Judge().judge(baseline, canary, List.of(), LearnedNoise.empty(),
                JudgeConfig.defaults());
        assertThat(judged.taught().verdicts()).isEqualTo(1);
        assertThat(cv(judged.taught(), service, 2)).isLessThan(0.15);
    }

    /**
     * The same baseline teaches the same lesson whatever canary it was judged against: on the recorded shop, one
     * session's three baseline JVMs beside its A/A canary and beside canaries where `applyDiscounts` rose 10 %, 30 % and
     * 100 %. (When the size factors came from baseline and canary pods together, that baseline taught
     * `applyDiscounts` a pod variance of 0.0029 beside the A/A canary and 0.0086 beside the +100 % one.)
     */
    @Test
    void aBaselineTeachesTheSameLessonWhateverTheCanary() throws java.io.IOException {
        java.nio.file.Path scenarios = java.nio.file.Path.of("src/test/resources/scenarios");
        List<Observation> baseline = recorded(scenarios.resolve("baselines/session-2"), "stable-");
        Map<LearnedNoise.Key, LearnedNoise.Entry> besideAa = null;
        for (String canary : List.of("aa", "cpu-regression-10", "cpu-regression-30", "cpu-regression-100")) {
            Map<LearnedNoise.Key, LearnedNoise.Entry> lesson = new Judge().judge(baseline,
                    recorded(scenarios.resolve(canary).resolve("canary"), "canary-"), List.of(), LearnedNoise.empty(),
                    JudgeConfig.defaults()).taught().entries();
            if (besideAa == null) {
                besideAa = lesson;
                continue;
            }
            int compared = 0;
            for (Map.Entry<LearnedNoise.Key, LearnedNoise.Entry> entry : lesson.entrySet()) {
                LearnedNoise.Entry same = besideAa.get(entry.getKey());
                if (same == null) {
                    continue; // a function only one of the analyses tested
                }
                compared++;
                assertThat(entry.getValue().podVariance()).as(canary + " " + entry.getKey())
                        .isCloseTo(same.podVariance(), org.assertj.core.data.Offset.offset(
                                1e-9 + 1e-6 * Math.abs(same.podVariance())));
                assertThat(entry.getValue().df()).as(canary + " " + entry.getKey()).isEqualTo(same.df());
            }
            assertThat(compared).as(canary).isGreaterThan(200);
        }
        assertThat(besideAa.get(new LearnedNoise.Key(ProfileType.CPU, Measure.SELF,
                "io.canaryjudge.scenario.shop.PriceCalculator.applyDiscounts"))).isNotNull();
    }

    /** Each slice file of the group's three pods one observation of its pod. */
    private static List<Observation> recorded(java.nio.file.Path group, String prefix) throws java.io.IOException {
        List<Observation> observations = new java.util.ArrayList<>();
        for (String pod : List.of("pod-1", "pod-2", "pod-3")) {
            List<java.nio.file.Path> slices;
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(group.resolve(pod))) {
                slices = files.filter(f -> f.getFileName().toString().startsWith("slice-")).sorted().toList();
            }
            for (java.nio.file.Path slice : slices) {
                try {
                    for (io.canaryjudge.profile.Profile profile : io.canaryjudge.profile.ProfileFiles.read(slice,
                            io.canaryjudge.profile.ReadOptions.defaults())) {
                        observations.add(new Observation(prefix + pod, profile, null));
                    }
                } catch (io.canaryjudge.profile.InvalidProfileException | io.canaryjudge.profile.NotAProfileException e) {
                    throw new IllegalStateException(slice + ": " + e.getMessage(), e);
                }
            }
        }
        return observations;
    }

    /**
     * A function six times as noisy as the rest, in 2 + 2 A/A cases: judged on the cross-function prior its
     * chance differences fail canaries; once twelve earlier baselines showed its noise, none does.
     */
    @Test
    void aNoisyFunctionsChanceDifferencesStopFailingOnceItsNoiseIsLearned() {
        int withoutFails = 0;
        int learnedFails = 0;
        for (int seed = 0; seed < 12; seed++) {
            SyntheticService service = new SyntheticService(FUNCTIONS, 100 + seed);
            LearnedNoise learned = learn(service, 12, 2);
            List<Observation> baseline = service.group("baseline", service.shares, 2, 5, 20_000, kappas(), 1.5);
            List<Observation> canary = service.group("canary", service.shares, 2, 5, 20_000, kappas(), 1.5);
            Verdict without = new Judge().judge(baseline, canary, JudgeConfig.defaults());
            Verdict with = new Judge().judge(baseline, canary, List.of(), learned, JudgeConfig.defaults()).verdict();
            withoutFails += without.result() == Result.FAIL ? 1 : 0;
            learnedFails += with.result() == Result.FAIL ? 1 : 0;
            TypeQuality cpu = with.dataQuality().types().get(0);
            assertThat(cpu.noiseSource()).contains("also learned from the baselines of 12 earlier verdict(s)");
        }
        assertThat(withoutFails).as("A/A FAILs without learned noise (the case for learning)").isGreaterThan(0);
        assertThat(learnedFails).as("A/A FAILs with learned noise").isZero();
    }

    /** Learned noise is not a licence to miss: a +60 % rise in a quiet 5 % function still FAILs, named first. */
    @Test
    void aRiseInAQuietFunctionStillFailsWithLearnedNoise() {
        SyntheticService service = new SyntheticService(FUNCTIONS, 21);
        LearnedNoise learned = learn(service, 12, 3);
        int quiet = 4; // ≈ 5 % of CPU
        List<Observation> baseline = service.group("baseline", service.shares, 3, 5, 20_000, kappas(), 1.5);
        List<Observation> canary = service.group("canary", service.withChange(quiet, 0.6), 3, 5, 20_000, kappas(), 1.5);
        Verdict verdict = new Judge().judge(baseline, canary, List.of(), learned, JudgeConfig.defaults()).verdict();
        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.FAIL);
        assertThat(verdict.incidents().get(0).entryFrame()).isEqualTo(service.functions[quiet]);
    }

    @Test
    void verdictsPoolByDegreesOfFreedomUpToTheCap() {
        LearnedNoise.Key key = new LearnedNoise.Key(ProfileType.CPU, Measure.SELF, "f");
        LearnedNoise a = new LearnedNoise(Map.of(key, new LearnedNoise.Entry(0.01, 2)), 1);
        LearnedNoise b = new LearnedNoise(Map.of(key, new LearnedNoise.Entry(0.04, 6)), 1);
        LearnedNoise pooled = a.plus(b);
        assertThat(pooled.verdicts()).isEqualTo(2);
        assertThat(pooled.entries().get(key).df()).isEqualTo(8);
        assertThat(pooled.entries().get(key).podVariance()).isCloseTo((2 * 0.01 + 6 * 0.04) / 8, org.assertj.core.data.Offset.offset(1e-12));
        // beyond the cap the older estimate weighs what is left
        LearnedNoise full = new LearnedNoise(Map.of(key, new LearnedNoise.Entry(0.01, LearnedNoise.MAX_DF)), 30);
        LearnedNoise.Entry next = full.plus(b).entries().get(key);
        assertThat(next.df()).isEqualTo(LearnedNoise.MAX_DF);
        assertThat(next.podVariance()).isCloseTo(((LearnedNoise.MAX_DF - 6) * 0.01 + 6 * 0.04) / LearnedNoise.MAX_DF,
                org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void anEntryNeedsFiniteVarianceAndPositiveDegreesOfFreedom() {
        assertThatThrownBy(() -> new LearnedNoise.Entry(Double.NaN, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LearnedNoise.Entry(0.01, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
