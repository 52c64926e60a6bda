package io.canaryjudge.eval;

import io.canaryjudge.profile.FunctionTotals;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fits the simulator's noise parameters to real profiles of one service: slice dispersion d and
 * slice rate CV c from slices of the same instance, between-pod CV κ from several instances.
 * Method-of-moments on self sample counts, pooled over functions (docs/EVALUATION.md "Recorded
 * shop scenarios", its A/A scenario noise).
 *
 * <p>Per instance and function with pooled share p, slice sample totals n_s and counts x_s, the
 * Pearson statistic {@code X² = Σ_s (x_s − n_s p)² / (n_s p (1 − p))} has expectation
 * {@code (S − 1)(d + c² n̄ p)} under the simulator's model (variance {@code d μ + c² μ²}):
 * <ul>
 *   <li>{@code dispersion} = Σ X² / Σ df over functions (the quasi-Poisson d when c = 0);</li>
 *   <li>{@code sliceCv2} = least squares of {@code X²/df − 1} on {@code n̄ p} through the origin (c² when d = 1).</li>
 * </ul>
 * Between instances, each function's pod shares vary by {@code κ² p² + (within-pod variance of a pod share)};
 * {@code podCv2} = Σ (observed − within) / Σ p², the within part estimated from the function's own slice
 * shares (variance / S), or binomial when an instance has one slice.
 *
 * @param functions  functions used (pooled share at least {@link #MIN_SHARE} in every instance's pool)
 * @param dispersion pooled Pearson dispersion of slice counts within instances (1 = binomial)
 * @param sliceCv2   c², the rate variance per slice that explains the dispersion if d = 1
 * @param podCv2     κ², between-instance variance of shares relative to p², NaN with one instance
 * @param meanSamplesPerSlice average samples per slice
 */
public record NoiseFit(int functions, double dispersion, double sliceCv2, double podCv2, double meanSamplesPerSlice) {

    /** Functions below this pooled self share are too sparse to say anything about noise. */
    public static final double MIN_SHARE = 0.002;

    /**
     * @param slicesByInstance profiles of each instance (≥ 2 slices each for slice noise)
     * @param type             profile type to fit
     * @param valuePerSample   value of one sample in the type's unit when profiles do not say (1e7 ns at 100 Hz)
     */
    public static NoiseFit of(Map<String, List<Profile>> slicesByInstance, ProfileType type, double valuePerSample) {
        // counts[instance][slice] : function name -> samples
        List<List<Map<String, Double>>> counts = new ArrayList<>();
        for (List<Profile> slices : slicesByInstance.values()) {
            List<Map<String, Double>> instance = new ArrayList<>();
            for (Profile profile : slices) {
                int column = profile.sampleTypeIndex(type);
                FunctionTotals totals = profile.functionTotals(column);
                long samples = profile.sampleCount(column);
                double perSample = samples > 0 ? (double) totals.total() / samples : valuePerSample;
                Map<String, Double> bySelf = new HashMap<>();
                for (int f = 0; f < totals.functionCount(); f++) {
                    if (totals.self(f) > 0) {
                        bySelf.merge(totals.functionName(f), totals.self(f) / perSample, Double::sum);
                    }
                }
                instance.add(bySelf);
            }
            counts.add(instance);
        }
        Map<String, Double> pooledAll = new LinkedHashMap<>();
        double grand = 0;
        double slicesTotal = 0;
        int sliceCount = 0;
        for (List<Map<String, Double>> instance : counts) {
            for (Map<String, Double> slice : instance) {
                for (Map.Entry<String, Double> e : slice.entrySet()) {
                    pooledAll.merge(e.getKey(), e.getValue(), Double::sum);
                    grand += e.getValue();
                }
                slicesTotal += slice.values().stream().mapToDouble(Double::doubleValue).sum();
                sliceCount++;
            }
        }
        double meanSamples = slicesTotal / sliceCount;
        final double grandTotal = grand;
        List<String> functions = pooledAll.entrySet().stream().filter(e -> e.getValue() / grandTotal >= MIN_SHARE)
                .map(Map.Entry::getKey).toList();

        double chiSum = 0;
        double dfSum = 0;
        double xy = 0;
        double xx = 0;
        double[][] podShare = new double[functions.size()][counts.size()];
        double[][] podSampling = new double[functions.size()][counts.size()];
        for (int i = 0; i < counts.size(); i++) {
            List<Map<String, Double>> instance = counts.get(i);
            double[] n = instance.stream().mapToDouble(s -> s.values().stream().mapToDouble(Double::doubleValue).sum())
                    .toArray();
            double instanceTotal = Arrays.stream(n).sum();
            int df = instance.size() - 1;
            for (int f = 0; f < functions.size(); f++) {
                String name = functions.get(f);
                double sum = 0;
                for (Map<String, Double> slice : instance) {
                    sum += slice.getOrDefault(name, 0.0);
                }
                double p = sum / instanceTotal;
                podShare[f][i] = p;
                podSampling[f][i] = p * (1 - p) / instanceTotal; // binomial; replaced below when slices say more
                if (df < 1 || p <= 0 || p >= 1) {
                    continue;
                }
                double[] sliceShares = new double[instance.size()];
                for (int s = 0; s < instance.size(); s++) {
                    sliceShares[s] = instance.get(s).getOrDefault(name, 0.0) / n[s];
                }
                double meanShare = Arrays.stream(sliceShares).average().orElse(0);
                podSampling[f][i] = Arrays.stream(sliceShares).map(v -> (v - meanShare) * (v - meanShare)).sum()
                        / df / instance.size();
                double chi = 0;
                for (int s = 0; s < instance.size(); s++) {
                    double x = instance.get(s).getOrDefault(name, 0.0);
                    chi += (x - n[s] * p) * (x - n[s] * p) / (n[s] * p * (1 - p));
                }
                chiSum += chi;
                dfSum += df;
                double np = instanceTotal / instance.size() * p;
                xy += (chi / df - 1) * np * df;
                xx += np * np * df;
            }
        }
        double dispersion = dfSum > 0 ? chiSum / dfSum : Double.NaN;
        double sliceCv2 = xx > 0 ? xy / xx : Double.NaN;

        double podCv2 = Double.NaN;
        int instances = counts.size();
        if (instances >= 2) {
            double excess = 0;
            double p2 = 0;
            for (int f = 0; f < functions.size(); f++) {
                double mean = Arrays.stream(podShare[f]).average().orElse(0);
                double variance = Arrays.stream(podShare[f]).map(v -> (v - mean) * (v - mean)).sum() / (instances - 1);
                double sampling = Arrays.stream(podSampling[f]).average().orElse(0);
                excess += variance - sampling;
                p2 += mean * mean;
            }
            podCv2 = excess / p2;
        }
        return new NoiseFit(functions.size(), dispersion, sliceCv2, podCv2, meanSamples);
    }
}
