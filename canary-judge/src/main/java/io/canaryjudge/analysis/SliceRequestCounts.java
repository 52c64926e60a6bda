package io.canaryjudge.analysis;

import io.canaryjudge.profile.source.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The requests a pod served while one of its profiles recorded, from the pod's request counts per slice of the
 * analysed window (Prometheus' {@code increase} over each slice). Profiles need not line up with slices: a local
 * directory's 5-minute files in 60 s slices, files that began at any second, the last file running past the window's
 * end, or several 10 s files in one slice.
 */
final class SliceRequestCounts {
    private SliceRequestCounts() {
    }

    /**
     * Each slice's count shared by the time the profile overlaps it (a pod's rate taken as even within one slice),
     * then scaled from the time so counted to the profile's own length, at the counted slices' rate: a file running
     * past the window's last slice (a 5-minute file begun 61 s before the window's end: one minute counted), or over a
     * slice with no count, is charged for its whole length at the rate of the time counted. Null when no counted slice
     * meets the profile.
     *
     * @param recorded the profile's own time
     * @param slices   the window's slices
     * @param counts   slice start → the pod's requests in that slice; absent = unknown
     */
    static Long requestsDuring(TimeWindow recorded, List<TimeWindow> slices, Map<Instant, Long> counts) {
        long recordedNanos = recorded.length().toNanos();
        double requests = 0;
        long countedNanos = 0;
        for (TimeWindow slice : slices) {
            Long count = counts.get(slice.start());
            if (count == null) {
                continue;
            }
            long overlap = overlapNanos(recorded, slice);
            if (overlap > 0) {
                requests += count * (double) overlap / slice.length().toNanos();
                countedNanos += overlap;
            }
        }
        if (countedNanos == 0) {
            return null;
        }
        return Math.round(requests * recordedNanos / countedNanos);
    }

    /**
     * {@link #requestsDuring} for each endpoint: a slice with counts for some endpoints served none of the others (a
     * route that had no requests in it has no increase, or no series yet). Null when no slice with counts meets the
     * profile.
     *
     * @param counts slice start → endpoint → the pod's requests in that slice; absent slice = unknown
     */
    static Map<String, Long> endpointRequestsDuring(TimeWindow recorded, List<TimeWindow> slices,
                                                   Map<Instant, Map<String, Long>> counts) {
        Set<String> endpoints = new TreeSet<>();
        counts.values().forEach(byEndpoint -> endpoints.addAll(byEndpoint.keySet()));
        Map<String, Long> mix = new LinkedHashMap<>();
        for (String endpoint : endpoints) {
            Map<Instant, Long> perSlice = new HashMap<>();
            counts.forEach((start, byEndpoint) -> perSlice.put(start, byEndpoint.getOrDefault(endpoint, 0L)));
            Long requests = requestsDuring(recorded, slices, perSlice);
            if (requests == null) {
                return null; // the same slices for every endpoint: none of them counted
            }
            mix.put(endpoint, requests);
        }
        return mix.isEmpty() ? null : mix;
    }

    /** Nanoseconds both windows share; 0 when they do not meet. */
    static long overlapNanos(TimeWindow a, TimeWindow b) {
        Instant from = a.start().isAfter(b.start()) ? a.start() : b.start();
        Instant to = a.end().isBefore(b.end()) ? a.end() : b.end();
        return to.isAfter(from) ? Duration.between(from, to).toNanos() : 0;
    }
}
