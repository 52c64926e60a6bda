package io.canaryjudge.judge;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * A request count that covers a whole recording which {@code compare --slice} cut into slices (a
 * {@code requests.csv} row counts per file). How the requests fell across the slices is not known, and
 * apportioning the count by time would assume a steady rate that a benchmark's warm-up or a pod's load
 * need not have; so no slice gets a share. The count is used only where every slice of the recording is
 * summed: a pod's total cost per request (Σ value over its slices / Σ requests) is then exact, as it is
 * with a count per slice. A sum over only some of its slices (warm-up left some out, a history window cut
 * through it) has no count.
 *
 * @param recording the recording the slices were cut from (their profiles' source)
 * @param requests  requests served over the whole recording, ≥ 0
 * @param slices    how many slices it was cut into, ≥ 2
 */
public record RecordingRequests(String recording, long requests, int slices) {
    public RecordingRequests {
        Objects.requireNonNull(recording, "recording");
        if (requests < 0) {
            throw new IllegalArgumentException("requests must be >= 0, was " + requests);
        }
        if (slices < 2) {
            throw new IllegalArgumentException("a recording shared by slices has at least 2, was " + slices);
        }
    }

    /**
     * The recordings whose every slice is among {@code observations}: only their counts can be used. Warm-up
     * leaves out a recording's first slices, and their requests are not known apart from the others'.
     */
    public static Set<RecordingRequests> complete(Collection<Observation> observations) {
        Map<RecordingRequests, Integer> seen = new HashMap<>();
        for (Observation o : observations) {
            if (o.recordingRequests() != null) {
                seen.merge(o.recordingRequests(), 1, Integer::sum);
            }
        }
        Set<RecordingRequests> complete = new HashSet<>();
        seen.forEach((recording, count) -> {
            if (count == recording.slices()) {
                complete.add(recording);
            }
        });
        return complete;
    }

    /**
     * Requests per unit (a pod, or a window of a history instance): each slice's own count, plus each
     * recording's count once in the unit that holds its slices. NaN for a unit that holds a slice without any
     * count, or a slice of a recording whose slices lie in more than one unit: there, its
     * requests cannot be told apart. Callers pass only the recordings that are {@link #complete}; a slice of a
     * recording that holds no value of a type may be missing from {@code slices} (its value is 0).
     *
     * @param slices    the observations, each in one unit
     * @param units     number of units
     * @param unit      an observation's unit, {@code 0 … units − 1}; negative to leave it out
     * @param requests  an observation's own request count, or null
     * @param recording an observation's recording count, or null
     */
    public static <T> double[] perUnit(Collection<T> slices, int units, ToIntFunction<T> unit,
                                       Function<T, Long> requests, Function<T, RecordingRequests> recording) {
        double[] sum = new double[units];
        Map<RecordingRequests, Integer> home = new HashMap<>(); // unit; -1 = several
        for (T slice : slices) {
            int u = unit.applyAsInt(slice);
            if (u < 0) {
                continue;
            }
            Long own = requests.apply(slice);
            RecordingRequests shared = recording.apply(slice);
            if (own != null) {
                sum[u] += own;
            } else if (shared != null) {
                home.merge(shared, u, (a, b) -> a.equals(b) ? a : -1);
            } else {
                sum[u] = Double.NaN;
            }
        }
        boolean[] unknown = new boolean[units];
        for (Map.Entry<RecordingRequests, Integer> entry : home.entrySet()) {
            if (entry.getValue() >= 0) {
                sum[entry.getValue()] += entry.getKey().requests();
            } else {
                // A history window cut through it: every unit that holds one of its slices lacks a count.
                for (T slice : slices) {
                    int u = unit.applyAsInt(slice);
                    if (u >= 0 && entry.getKey().equals(recording.apply(slice))) {
                        unknown[u] = true;
                    }
                }
            }
        }
        for (int u = 0; u < units; u++) {
            if (unknown[u]) {
                sum[u] = Double.NaN;
            }
        }
        return sum;
    }

    /** As {@link #perUnit} for one unit holding all {@code slices}: their requests, or NaN when unknown. */
    public static <T> double total(Collection<T> slices, Function<T, Long> requests,
                                   Function<T, RecordingRequests> recording) {
        return slices.isEmpty() ? Double.NaN : perUnit(slices, 1, s -> 0, requests, recording)[0];
    }
}
