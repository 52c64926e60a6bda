package io.canaryjudge.bench;

import io.canaryjudge.judge.Judge;
import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileBuilder;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.SampleType;
import io.canaryjudge.verdict.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Times one judgment of 20 + 20 observations whose profiles have 50,000 distinct stacks each
 * (issue target: under 1 s on the 2-core machine). Run by bench/judge-speed.sh; prints one line
 * per run and the median. Not a unit test: timings belong here, not in assertions.
 *
 * <p>Arguments: [observationsPerGroup=20] [stacksPerProfile=50000] [functions=8000] [runs=7]
 */
public final class JudgeSpeedBenchmark {
    private JudgeSpeedBenchmark() {
    }

    public static void main(String[] args) throws InvalidProfileException {
        int perGroup = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int stacks = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int functions = args.length > 2 ? Integer.parseInt(args[2]) : 8_000;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 7;

        SplittableRandom random = new SplittableRandom(1);
        String[] names = new String[functions];
        for (int f = 0; f < functions; f++) {
            names[f] = "com.example.pkg" + (f % 40) + ".Class" + (f % 900) + ".method" + f;
        }
        List<Observation> baseline = new ArrayList<>();
        List<Observation> canary = new ArrayList<>();
        long build = System.nanoTime();
        for (int i = 0; i < 2 * perGroup; i++) {
            Profile profile = profile(random.split(), names, stacks);
            String instance = (i < perGroup ? "b" : "c") + "-pod-" + (i % 4);
            (i < perGroup ? baseline : canary).add(new Observation(instance, profile));
        }
        long built = System.nanoTime();
        System.out.printf(Locale.ROOT, "built %d profiles x %d stacks in %.2f s%n", 2 * perGroup, stacks,
                (built - build) / 1e9);

        Judge judge = new Judge();
        JudgeConfig config = JudgeConfig.defaults();
        double[] seconds = new double[runs];
        for (int run = -2; run < runs; run++) { // two warm-up runs
            long start = System.nanoTime();
            Verdict verdict = judge.judge(baseline, canary, config);
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (run == -2) {
                System.out.printf(Locale.ROOT, "first (cold JVM) run: %.3f s%n", elapsed);
            }
            if (run >= 0) {
                seconds[run] = elapsed;
                System.out.printf(Locale.ROOT, "run %d: %.3f s (%s, %d findings)%n", run, elapsed, verdict.result(),
                        verdict.findings().size());
            }
        }
        java.util.Arrays.sort(seconds);
        System.out.printf(Locale.ROOT, "median judge time: %.3f s over %d runs (%d + %d observations, %d stacks each)%n",
                seconds[runs / 2], runs, perGroup, perGroup, stacks);
    }

    /** Random stacks of depth 8..40 over a Zipf-ish function pool, so function shares are skewed. */
    private static Profile profile(SplittableRandom random, String[] names, int stacks) throws InvalidProfileException {
        ProfileBuilder builder = new ProfileBuilder("bench", ProfileFormat.PPROF, List.of(SampleType.of(ProfileType.CPU)), 128);
        int[] ids = new int[names.length];
        for (int f = 0; f < names.length; f++) {
            ids[f] = builder.function(names[f]);
        }
        int[] frames = new int[64];
        long samples = 0;
        while (builder.stackCount() < stacks) {
            int depth = 8 + random.nextInt(33);
            for (int d = 0; d < depth; d++) {
                // Skew: low indexes are hot.
                double u = random.nextDouble();
                frames[d] = ids[(int) (names.length * u * u * u)];
            }
            int stack = builder.stack(frames, depth, 0);
            long count = 1 + random.nextInt(5);
            builder.add(stack, 0, count * 10_000_000L);
            samples += count;
        }
        builder.addSampleCount(0, samples);
        return builder.build();
    }
}
