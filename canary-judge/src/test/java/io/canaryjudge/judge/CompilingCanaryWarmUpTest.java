package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileBuilder;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.SampleType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which canary slices are JVM warm-up ({@link CompilingCanaryWarmUp}): 10 s cpu slices of 2,000 samples, the baseline
 * pods' JIT compiler at 3 % of their CPU. The canary shapes are those recorded: a young JVM compiling its code for its
 * first slices (shop canaries: the JIT at 15–46 % for 1–4 slices), and a Groovy rule parsed per request that kept the
 * JIT at 28–47 % of its CPU through a 4 min recording (qa29, docs/EVALUATION.md "Scripts compiled at run time").
 */
class CompilingCanaryWarmUpTest {
    private static final long START = 1_796_500_000_000_000_000L;
    private static final long SLICE = 10_000_000_000L;
    private static final String[] JIT = {"libjvm.so.thread_native_entry", "libjvm.so.CompileBroker::compiler_thread_loop",
            "libjvm.so.C2Compiler::compile_method"};
    private static final String[] CODE = {"java.lang.Thread.run", "com.shop.Handler.route", "com.shop.Orders.price"};

    @Test
    void aYoungCanaryLeavesOutItsLeadingCompilingSlicesOnly() {
        List<Observation> canary = pod("canary-1", new double[] {0.40, 0.30, 0.20, 0.03, 0.03, 0.03});

        CompilingCanaryWarmUp.Result result = CompilingCanaryWarmUp.apply(baseline(), canary, JudgeConfig.defaults());

        assertThat(result.leftOut()).isEqualTo(3);
        assertThat(result.kept()).containsExactlyElementsOf(canary.subList(3, 6));
        assertThat(result.warnings()).singleElement().asString().contains("its first 3 of 6 slice(s) (30 s) left out");
    }

    @Test
    void aCanaryCompilingThroughAShortWindowIsWarmingUpForAllOfIt() {
        List<Observation> canary = pod("canary-1", new double[] {0.45, 0.40, 0.35, 0.30, 0.30, 0.30});

        CompilingCanaryWarmUp.Result result = CompilingCanaryWarmUp.apply(baseline(), canary, JudgeConfig.defaults());

        assertThat(result.kept()).isEmpty();
        assertThat(result.warnings()).singleElement().asString().contains("judge a later window");
    }

    /**
     * Before the bound, every slice of a pod compiling through a 4 min window was "warm-up", the verdict INCONCLUSIVE
     * with "judge a later window", and every later window the same: the pod was compiling what it made per request.
     */
    @Test
    void compilingLongerThanAWarmUpIsWhatThePodDoesAndIsJudged() {
        double[] jit = new double[24];
        Arrays.fill(jit, 0.35);
        List<Observation> canary = pod("canary-1", jit);

        CompilingCanaryWarmUp.Result result = CompilingCanaryWarmUp.apply(baseline(), canary, JudgeConfig.defaults());

        int leading = (int) (CompilingCanaryWarmUp.LONGEST_WARM_UP_NANOS / SLICE);
        assertThat(leading).isEqualTo(18);
        assertThat(result.leftOut()).isEqualTo(leading);
        assertThat(result.kept()).containsExactlyElementsOf(canary.subList(leading, 24));
        assertThat(String.join("\n", result.warnings()))
                .contains("canary pod canary-1: its JIT compiler was still credibly busier than the baseline pods' 180 s"
                        + " after its first slice (35.0 % of its CPU; the baseline pods: 3.0 %)")
                .contains("its slices from then on were judged")
                .doesNotContain("judge a later window");
    }

    /**
     * A warm baseline pod whose first slice caught a small burst of recompilation (4.2 % against its group's 1.9 %, a
     * young canary at 47 %, seen in a recorded session) is not a pod starting with the canary: it turned the rule off,
     * and the young canary's interpreted code was judged.
     */
    @Test
    void aWarmBaselinePodsSmallBurstDoesNotTurnTheRuleOff() {
        List<Observation> baseline = new ArrayList<>(pod("baseline-1", new double[] {0.042, 0.019, 0.019, 0.019, 0.019, 0.019}));
        baseline.addAll(pod("baseline-2", new double[] {0.019, 0.019, 0.019, 0.019, 0.019, 0.019}));
        baseline.addAll(pod("baseline-3", new double[] {0.019, 0.019, 0.019, 0.019, 0.019, 0.019}));
        List<Observation> canary = pod("canary-1", new double[] {0.47, 0.30, 0.10, 0.02, 0.02, 0.02});

        CompilingCanaryWarmUp.Result result = CompilingCanaryWarmUp.apply(baseline, canary, JudgeConfig.defaults());

        assertThat(result.leftOut()).isEqualTo(3);
        assertThat(result.kept()).containsExactlyElementsOf(canary.subList(3, 6));
    }

    /** Baseline pods started with the canary compile at their start too: the groups warm up alike, nothing is left out. */
    @Test
    void baselinePodsStartedWithTheCanaryWarmUpAlikeAndNothingIsLeftOut() {
        List<Observation> baseline = new ArrayList<>();
        for (int p = 1; p <= 3; p++) {
            baseline.addAll(pod("baseline-" + p, new double[] {0.12, 0.03, 0.03, 0.03, 0.03, 0.03}));
        }
        List<Observation> canary = pod("canary-1", new double[] {0.40, 0.20, 0.03, 0.03, 0.03, 0.03});

        CompilingCanaryWarmUp.Result result = CompilingCanaryWarmUp.apply(baseline, canary, JudgeConfig.defaults());

        assertThat(result.leftOut()).isZero();
        assertThat(result.kept()).containsExactlyElementsOf(canary);
    }

    private static List<Observation> baseline() {
        List<Observation> baseline = new ArrayList<>();
        for (int p = 1; p <= 3; p++) {
            baseline.addAll(pod("baseline-" + p, new double[] {0.03, 0.03, 0.03, 0.03, 0.03, 0.03}));
        }
        return baseline;
    }

    /** One pod's 10 s slices, each of 2,000 cpu samples with the given share in the JIT compiler. */
    private static List<Observation> pod(String name, double[] jitShares) {
        List<Observation> slices = new ArrayList<>();
        for (int s = 0; s < jitShares.length; s++) {
            long jit = Math.round(jitShares[s] * 2000);
            slices.add(new Observation(name, slice(START + s * SLICE, jit, 2000 - jit)));
        }
        return slices;
    }

    private static Profile slice(long start, long jitSamples, long codeSamples) {
        ProfileBuilder builder = new ProfileBuilder("synthetic", ProfileFormat.PPROF,
                List.of(SampleType.of(ProfileType.CPU)), 64);
        try {
            add(builder, JIT, jitSamples);
            add(builder, CODE, codeSamples);
        } catch (InvalidProfileException e) {
            throw new IllegalStateException(e);
        }
        builder.addSampleCount(0, jitSamples + codeSamples);
        builder.interval(start, SLICE);
        return builder.build();
    }

    /** A stack given root first, {@code samples} samples of 10 ms. */
    private static void add(ProfileBuilder builder, String[] rootFirst, long samples) throws InvalidProfileException {
        int[] leafFirst = new int[rootFirst.length];
        for (int i = 0; i < rootFirst.length; i++) {
            leafFirst[rootFirst.length - 1 - i] = builder.function(rootFirst[i]);
        }
        builder.add(builder.stack(leafFirst, leafFirst.length, 0), 0, samples * 10_000_000L);
    }
}
