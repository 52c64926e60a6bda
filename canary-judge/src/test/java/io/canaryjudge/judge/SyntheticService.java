package io.canaryjudge.judge;

import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileBuilder;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.SampleType;
import io.canaryjudge.profile.InvalidProfileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.random.RandomDataGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * A small generative model of a service's CPU profile for judge tests: functions with Zipf-like
 * shares under a shallow call tree, pod-level lognormal noise (CV kappa) and slice-level
 * gamma–Poisson counts (variance = dispersion × Poisson).
 */
final class SyntheticService {
    final String[] functions;
    final String[] parents;
    final double[] shares;
    private final RandomDataGenerator random;

    SyntheticService(int functionCount, long seed) {
        random = new RandomDataGenerator(new Well19937c(seed));
        functions = new String[functionCount];
        parents = new String[functionCount];
        shares = new double[functionCount];
        double sum = 0;
        for (int f = 0; f < functionCount; f++) {
            functions[f] = "com.shop.Module" + (f % 7) + ".function" + f;
            parents[f] = "com.shop.Handler.route" + (f % 5);
            shares[f] = 1.0 / Math.pow(f + 2, 1.1);
            sum += shares[f];
        }
        for (int f = 0; f < functionCount; f++) {
            shares[f] /= sum;
        }
    }

    /** Multiplies one function's true rate (then renormalises): an injected change. */
    double[] withChange(int function, double relative) {
        double[] changed = shares.clone();
        changed[function] *= 1 + relative;
        double sum = 0;
        for (double s : changed) {
            sum += s;
        }
        for (int f = 0; f < changed.length; f++) {
            changed[f] /= sum;
        }
        return changed;
    }

    List<Observation> group(String prefix, double[] trueShares, int pods, int slices, int samplesPerSlice,
                            double kappa, double dispersion, Map<String, Double> extraShares) {
        List<Observation> observations = new ArrayList<>();
        for (int p = 0; p < pods; p++) {
            observations.addAll(pod(prefix + "-pod-" + p, trueShares, java.util.Collections.nCopies(slices, extraShares),
                    samplesPerSlice, kappa, dispersion));
        }
        return observations;
    }

    /** As {@link #group}, each function with its own between-pod CV. */
    List<Observation> group(String prefix, double[] trueShares, int pods, int slices, int samplesPerSlice,
                            double[] kappas, double dispersion) {
        List<Observation> observations = new ArrayList<>();
        for (int p = 0; p < pods; p++) {
            observations.addAll(pod(prefix + "-pod-" + p, trueShares, java.util.Collections.nCopies(slices, none()),
                    samplesPerSlice, kappas, dispersion));
        }
        return observations;
    }

    /** One pod's slices, each with its own extra stacks (a burst in some slices only). */
    List<Observation> pod(String instance, double[] trueShares, List<Map<String, Double>> extraBySlice,
                          int samplesPerSlice, double kappa, double dispersion) {
        double[] kappas = new double[trueShares.length];
        java.util.Arrays.fill(kappas, kappa);
        return pod(instance, trueShares, extraBySlice, samplesPerSlice, kappas, dispersion);
    }

    private List<Observation> pod(String instance, double[] trueShares, List<Map<String, Double>> extraBySlice,
                                  int samplesPerSlice, double[] kappas, double dispersion) {
        double[] podRates = new double[trueShares.length];
        for (int f = 0; f < trueShares.length; f++) {
            double kappa = kappas[f];
            double factor = kappa > 0 ? Math.exp(random.nextGaussian(-kappa * kappa / 2, kappa)) : 1.0;
            podRates[f] = trueShares[f] * factor;
        }
        List<Observation> observations = new ArrayList<>();
        for (Map<String, Double> extra : extraBySlice) {
            observations.add(new Observation(instance, slice(podRates, samplesPerSlice, dispersion, extra)));
        }
        return observations;
    }

    private Profile slice(double[] rates, int samples, double dispersion, Map<String, Double> extraShares) {
        ProfileBuilder builder = new ProfileBuilder("synthetic", ProfileFormat.PPROF,
                List.of(SampleType.of(ProfileType.CPU)), 256); // recorded Reactor stacks run 80 deep
        long total = 0;
        try {
            for (int f = 0; f < rates.length; f++) {
                long count = draw(rates[f] * samples, dispersion);
                total += add(builder, functions[f], parents[f], count);
            }
            for (Map.Entry<String, Double> extra : extraShares.entrySet()) {
                long count = draw(extra.getValue() * samples, dispersion);
                String[] frames = extra.getKey().split(";");
                int[] stack = new int[frames.length];
                for (int i = 0; i < frames.length; i++) {
                    stack[frames.length - 1 - i] = builder.function(frames[i]);
                }
                if (count > 0) {
                    builder.add(builder.stack(stack, stack.length, 0), 0, count * 10_000_000L);
                    total += count;
                }
            }
        } catch (InvalidProfileException e) {
            throw new IllegalStateException(e);
        }
        builder.addSampleCount(0, total);
        return builder.build();
    }

    private long add(ProfileBuilder builder, String function, String parent, long count) throws InvalidProfileException {
        if (count <= 0) {
            return 0;
        }
        int[] stack = {builder.function(function), builder.function(parent), builder.function("java.lang.Thread.run")};
        builder.add(builder.stack(stack, 3, 0), 0, count * 10_000_000L);
        return count;
    }

    private long draw(double mean, double dispersion) {
        if (mean <= 0) {
            return 0;
        }
        double lambda = mean;
        if (dispersion > 1) {
            double shape = mean / (dispersion - 1);
            lambda = random.nextGamma(shape, 1.0 / shape) * mean;
        }
        return lambda <= 0 ? 0 : random.nextPoisson(lambda);
    }

    static Map<String, Double> none() {
        return new HashMap<>();
    }
}
