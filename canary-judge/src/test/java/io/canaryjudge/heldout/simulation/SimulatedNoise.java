package io.canaryjudge.heldout.simulation;

import io.canaryjudge.heldout.oracle.KnownNoise;
import io.canaryjudge.profile.ProfileType;
import java.util.HashMap;
import java.util.Map;

/**
 * The oracle's knowledge of a simulated service: each function's true pod-level share variance,
 * computed from the generative model itself (Monte Carlo over {@value #PODS} JVMs of the baseline
 * build, with their per-stack factors and JIT flips, then the slice sampling of a window added in
 * closed form).
 */
final class SimulatedNoise {
    static final int PODS = 300;

    private SimulatedNoise() {
    }

    static KnownNoise of(SimulatedService service, ProfileType type, long seed) {
        RandomDraws random = new RandomDraws(seed ^ 0x5DEECE66DL);
        int functions = service.functionCount();
        double[][] sum = new double[functions][2];
        double[][] sumSquares = new double[functions][2];
        double[] self = new double[functions];
        double[] inclusive = new double[functions];
        int[] seen = new int[functions];
        for (int p = 0; p < PODS; p++) {
            PodState pod = PodState.draw(random, service);
            double[] rates = type == ProfileType.CPU ? pod.cpu() : pod.alloc();
            java.util.Arrays.fill(self, 0);
            java.util.Arrays.fill(inclusive, 0);
            for (int s = 0; s < rates.length; s++) {
                if (rates[s] == 0) {
                    continue;
                }
                int[] stack = service.stacks()[s];
                self[stack[0]] += rates[s];
                for (int d = 0; d < stack.length; d++) {
                    // A frame that recurs in one stack counts once toward its inclusive share.
                    if (seen[stack[d]] != s + 1 + p * rates.length) {
                        seen[stack[d]] = s + 1 + p * rates.length;
                        inclusive[stack[d]] += rates[s];
                    }
                }
            }
            for (int f = 0; f < functions; f++) {
                sum[f][0] += self[f];
                sum[f][1] += inclusive[f];
                sumSquares[f][0] += self[f] * self[f];
                sumSquares[f][1] += inclusive[f] * inclusive[f];
            }
        }
        double scale = samplingScale(type);
        Map<String, double[]> variance = new HashMap<>();
        for (int f = 0; f < functions; f++) {
            double[] v = new double[2];
            for (int m = 0; m < 2; m++) {
                double mean = sum[f][m] / PODS;
                double between = Math.max(0, (sumSquares[f][m] - PODS * mean * mean) / (PODS - 1));
                v[m] = between + scale * mean * (1 - mean);
            }
            variance.put(service.names().get(f), v);
        }
        return new KnownNoise(variance, scale);
    }

    /** Sampling variance of a pod share p over one window is {@code scale × p (1 − p)}. */
    static double samplingScale(ProfileType type) {
        int slices = HeldOutSimulator.SLICES_PER_WINDOW;
        if (type == ProfileType.CPU) {
            double n = HeldOutSimulator.SAMPLES_PER_SLICE;
            double dispersion = (n + HeldOutSimulator.CPU_CONCENTRATION) / (1 + HeldOutSimulator.CPU_CONCENTRATION);
            return dispersion / (slices * n);
        }
        double events = HeldOutSimulator.ALLOC_EVENTS_PER_SLICE;
        double dispersion = (events + HeldOutSimulator.ALLOC_CONCENTRATION) / (1 + HeldOutSimulator.ALLOC_CONCENTRATION);
        double sizes = type == ProfileType.ALLOC_BYTES ? 1 + 1 / HeldOutSimulator.ALLOC_SIZE_SHAPE : 1;
        return sizes * dispersion / (slices * events);
    }
}
