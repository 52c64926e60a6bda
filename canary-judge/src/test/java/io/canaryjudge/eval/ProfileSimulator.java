package io.canaryjudge.eval;

import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileBuilder;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.SampleType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws baseline and canary CPU profiles from the nested noise model of docs/EVALUATION.md
 * ("Original simulator and grid"):
 * <ol>
 *   <li>a service with heavy-tailed true self shares ({@link ServiceModel}); one random function
 *       (not the root) gets the setting's target share;</li>
 *   <li>the canary multiplies the target's rate by {@code 1 + δ}; rates are renormalised, so every
 *       other share shrinks a little (shares are compositional);</li>
 *   <li>each pod (JVM) multiplies every function's rate by its own lognormal factor with mean 1
 *       and coefficient of variation κ, then renormalises (JIT/inlining/placement differences);</li>
 *   <li>each slice draws each function's self count from a gamma–Poisson distribution with mean
 *       {@code N × rate} and variance {@code d × mean + c² × mean²} (bursty sampling, d = 1 is Poisson;
 *       c is a slice-to-slice rate CV, 0 unless the setting sets it).</li>
 * </ol>
 * Profiles carry one CPU column in nanoseconds (10 ms per sample, async-profiler's default
 * interval) and the sample count. Everything is drawn from one {@link SplittableRandom} seeded
 * per case, so a case is reproducible from {@code (setting, seed)}.
 */
final class ProfileSimulator {
    static final long NANOS_PER_SAMPLE = 10_000_000L;
    /** Share of its self time a function keeps when a pod's JIT inlines it (recorded A/A: 0.03 % of 1.93 %, ~2 %). */
    static final double JIT_RESIDUAL = 0.02;
    private static final long START_EPOCH_NANOS = 1_795_000_000_000_000_000L; // 2026-11-19, any fixed instant
    private static final long SLICE_NANOS = 10_000_000_000L;
    private static final List<SampleType> CPU = List.of(SampleType.of(ProfileType.CPU));

    SimulatedCase simulate(SimulationSetting setting, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        CountSampler sampler = new CountSampler(random);
        ServiceModel generated = ServiceModel.generate(random, setting.functions(), ServiceModel.KAFKA_ZIPF_EXPONENT);
        int target = 1 + random.nextInt(setting.functions() - 1);
        ServiceModel service = generated.withShare(target, setting.targetShare());

        double[] canaryRates = service.selfShare().clone();
        canaryRates[target] *= 1 + setting.relativeChange();
        canaryRates = ServiceModel.normalise(canaryRates);

        int[][] stacks = new int[service.functionCount()][];
        for (int f = 0; f < stacks.length; f++) {
            stacks[f] = service.stackLeafFirst(f);
        }
        // Drawn only when asked for, so settings without JIT flips keep their random streams (and numbers).
        boolean[] flips = setting.jitShare() > 0 ? jitFlips(random, service, target, setting.jitShare())
                : new boolean[service.functionCount()];
        List<Observation> baseline = new ArrayList<>();
        List<Observation> canary = new ArrayList<>();
        SimulatedCase.GroupCounts baselineCounts =
                group("baseline", service.selfShare(), setting.podsPerSide(), setting, sampler, service, stacks, flips, baseline);
        SimulatedCase.GroupCounts canaryCounts =
                group("canary", canaryRates, setting.canaryPodCount(), setting, sampler, service, stacks, flips, canary);
        return new SimulatedCase(setting, service, target, baseline, canary, baselineCounts, canaryCounts);
    }

    private static SimulatedCase.GroupCounts group(String side, double[] rates, int podCount, SimulationSetting setting,
                                                   CountSampler sampler,
                                                   ServiceModel service, int[][] stacks, boolean[] flips,
                                                   List<Observation> out) {
        int slices = podCount * setting.slicesPerPod();
        long[][] counts = new long[slices][];
        int[] pods = new int[slices];
        int slice = 0;
        for (int pod = 0; pod < podCount; pod++) {
            double[] podRates = new double[rates.length];
            for (int f = 0; f < rates.length; f++) {
                podRates[f] = rates[f] * sampler.lognormalFactor(setting.podCv());
            }
            for (int f = 0; f < rates.length; f++) {
                if (flips[f] && sampler.uniform() < 0.5) {
                    double moved = podRates[f] * (1 - JIT_RESIDUAL); // inlined: the caller runs the code
                    podRates[f] -= moved;
                    podRates[service.parent()[f]] += moved;
                }
            }
            podRates = ServiceModel.normalise(podRates);
            String instance = side + "-pod-" + pod;
            for (int s = 0; s < setting.slicesPerPod(); s++) {
                long[] sliceCounts = new long[rates.length];
                for (int f = 0; f < rates.length; f++) {
                    sliceCounts[f] = sampler.overdispersed(setting.samplesPerSlice() * podRates[f], setting.dispersion(),
                            setting.sliceCv());
                }
                counts[slice] = sliceCounts;
                pods[slice] = pod;
                slice++;
                out.add(new Observation(instance, profile(instance + "-slice-" + s, s, service, stacks, sliceCounts)));
            }
        }
        return SimulatedCase.GroupCounts.of(counts, pods);
    }

    /** {@code round(share × F)} functions, never the root or the target, chosen at random. */
    private static boolean[] jitFlips(SplittableRandom random, ServiceModel service, int target, double share) {
        int functions = service.functionCount();
        List<Integer> eligible = new ArrayList<>();
        for (int f = 0; f < functions; f++) {
            if (f != target && service.parent()[f] >= 0) {
                eligible.add(f);
            }
        }
        boolean[] flips = new boolean[functions];
        int count = (int) Math.round(share * functions);
        for (int i = 0; i < count && !eligible.isEmpty(); i++) {
            flips[eligible.remove(random.nextInt(eligible.size()))] = true;
        }
        return flips;
    }

    private static Profile profile(String source, int slice, ServiceModel service, int[][] stacks, long[] counts) {
        ProfileBuilder builder = new ProfileBuilder(source, ProfileFormat.COLLAPSED, CPU, 64);
        for (String name : service.names()) {
            builder.function(name); // ids 0..F-1 in model order
        }
        long total = 0;
        try {
            for (int f = 0; f < counts.length; f++) {
                if (counts[f] > 0) {
                    int stack = builder.stack(stacks[f], stacks[f].length, 0);
                    builder.add(stack, 0, counts[f] * NANOS_PER_SAMPLE);
                    total += counts[f];
                }
            }
        } catch (InvalidProfileException e) {
            throw new IllegalStateException("simulated stacks are at most 15 frames deep", e);
        }
        builder.addSampleCount(0, total);
        builder.interval(START_EPOCH_NANOS + slice * SLICE_NANOS, SLICE_NANOS);
        return builder.build();
    }
}
