package io.canaryjudge.heldout.oracle;

import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.FunctionTotals;
import io.canaryjudge.profile.ProfileType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each pod's share of one profile type per function, self and inclusive, pooled over the pod's
 * slices (the pod is the unit of replication: its slices share one JVM's JIT decisions).
 *
 * @param pods    per pod (instance name, in first-seen order): function → {self share, inclusive share}
 * @param samples per pod: profiler samples (events) behind the type, summed over its slices
 */
public record PodShares(Map<String, Map<String, double[]>> pods, Map<String, Long> samples) {

    public static PodShares of(List<Observation> observations, ProfileType type) {
        Map<String, Map<String, double[]>> values = new LinkedHashMap<>();
        Map<String, double[]> totals = new HashMap<>();
        Map<String, Long> samples = new LinkedHashMap<>();
        for (Observation observation : observations) {
            if (!observation.profile().profileTypes().contains(type)) {
                continue;
            }
            FunctionTotals t = observation.profile().functionTotals(type);
            Map<String, double[]> pod = values.computeIfAbsent(observation.instance(), k -> new HashMap<>());
            totals.computeIfAbsent(observation.instance(), k -> new double[1])[0] += t.total();
            long count = observation.profile().sampleCount(observation.profile().sampleTypeIndex(type));
            if (count < 0 && type == ProfileType.ALLOC_BYTES
                    && observation.profile().profileTypes().contains(ProfileType.ALLOC_OBJECTS)) {
                // Pyroscope-style slices give allocation events in the objects columns, not beside the bytes.
                count = observation.profile().functionTotals(ProfileType.ALLOC_OBJECTS).total();
            }
            samples.merge(observation.instance(), Math.max(count, 0), Long::sum);
            for (int f = 0; f < t.functionCount(); f++) {
                if (t.inclusive(f) == 0) {
                    continue;
                }
                double[] v = pod.computeIfAbsent(t.functionName(f), k -> new double[2]);
                v[0] += t.self(f);
                v[1] += t.inclusive(f);
            }
        }
        for (Map.Entry<String, Map<String, double[]>> pod : values.entrySet()) {
            double total = totals.get(pod.getKey())[0];
            for (double[] v : pod.getValue().values()) {
                v[0] /= total;
                v[1] /= total;
            }
        }
        return new PodShares(values, samples);
    }

    /** Mean over pods of {@code function}'s share ({@code measure} 0 = self, 1 = inclusive); 0 where absent. */
    public double mean(String function, int measure) {
        double sum = 0;
        for (Map<String, double[]> pod : pods.values()) {
            double[] v = pod.get(function);
            sum += v == null ? 0 : v[measure];
        }
        return sum / pods.size();
    }

    /** Per-pod shares of {@code function}, in pod order. */
    public double[] perPod(String function, int measure) {
        double[] out = new double[pods.size()];
        int i = 0;
        for (Map<String, double[]> pod : pods.values()) {
            double[] v = pod.get(function);
            out[i++] = v == null ? 0 : v[measure];
        }
        return out;
    }

    /** Mean samples per pod. */
    public double meanSamples() {
        return samples.values().stream().mapToLong(Long::longValue).average().orElse(0);
    }

    /** Every function present in some pod. */
    public List<String> functions() {
        Map<String, Boolean> all = new LinkedHashMap<>();
        for (Map<String, double[]> pod : pods.values()) {
            pod.keySet().forEach(f -> all.put(f, true));
        }
        return new ArrayList<>(all.keySet());
    }

    public int podCount() {
        return pods.size();
    }
}
