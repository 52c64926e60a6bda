package io.canaryjudge.profile.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * The stand-in's profile store and its queries, answered as Pyroscope answers them (see
 * {@link PyroscopeStandIn}): a profile is found by its timestamp within a query's inclusive
 * {@code [start, end]} (milliseconds), by equal labels, and by holding a non-empty column of the
 * profile type asked for.
 */
final class StoredProfiles {
    private record Stored(Map<String, String> labels, long timestampMs, long endMs, PprofMessage pprof) {
    }

    /** The label Pyroscope files a series' profile type ID under. */
    static final String PROFILE_TYPE_LABEL = "__profile_type__";

    private final List<Stored> stored = new CopyOnWriteArrayList<>();

    void add(Map<String, String> labels, long timestampMs, long endMs, PprofMessage pprof) {
        stored.add(new Stored(Map.copyOf(labels), timestampMs, endMs, pprof));
    }

    /**
     * SelectMergeProfile's answer (protobuf): the matching profiles' column merged, truncated to
     * {@code maxNodes} when asked; empty when nothing matches.
     *
     * @param enforcedDefaultNodes {@code maxNodes} when the request has none, 0 for no enforcement
     * @param enforcedMaxNodes     the most {@code maxNodes} a request may ask for, 0 for no enforcement
     */
    byte[] selectMergeProfile(QuerierRequest request, Map<String, String> selector, long enforcedDefaultNodes,
                              long enforcedMaxNodes) {
        String[] type = profileType(request.profileTypeId());
        long maxNodes = request.maxNodes() == null ? 0 : request.maxNodes();
        if (enforcedMaxNodes > 0) {
            if (maxNodes == 0) {
                maxNodes = enforcedDefaultNodes;
            } else if (maxNodes > enforcedMaxNodes) {
                throw new StandInError(400, "invalid_argument", "max flamegraph nodes limit " + maxNodes
                        + " is greater than allowed " + enforcedMaxNodes);
            } else if (maxNodes < 0) {
                throw new StandInError(400, "invalid_argument", "max flamegraph nodes limit must be set (max allowed "
                        + enforcedMaxNodes + ")");
            }
        }
        List<PprofMessage> parts = new ArrayList<>();
        for (Stored s : matching(selector, type, request.startMs(), request.endMs())) {
            parts.add(s.pprof().project(s.pprof().column(type[1], type[2])));
        }
        if (parts.isEmpty()) {
            return new byte[0];
        }
        return PprofMessage.merge(parts).truncate(maxNodes)
                .withProfileType(request.profileTypeId(), request.startMs(), request.endMs()).encode();
    }

    /** Stored profiles with the labels, a non-empty column of the type, stamped within [start, end]. */
    private List<Stored> matching(Map<String, String> selector, String[] type, long startMs, long endMs) {
        List<Stored> found = new ArrayList<>();
        for (Stored s : stored) {
            if (s.timestampMs() < startMs || s.timestampMs() > endMs || !labelsMatch(s.labels(), selector)) {
                continue;
            }
            int column = s.pprof().column(type[1], type[2]);
            if (column < 0 || s.pprof().total(column) == 0) {
                continue;
            }
            PprofMessage.ValueType period = s.pprof().periodType;
            boolean lock = period != null && (period.type().equals("mutex") || period.type().equals("block"));
            if (lock && !period.type().equals(type[0])) {
                continue;
            }
            // Pyroscope files a Node wall upload's CPU column under process_cpu with the wall period type
            // (PyroscopeStandInAnswers.profileTypeIds): the JVM's process_cpu:…:cpu:nanoseconds does not find it
            boolean nodeCpu = period != null && period.type().equals("wall");
            if (type[0].equals("process_cpu") && !type[3].equals(nodeCpu ? "wall" : "cpu")) {
                continue;
            }
            found.add(s);
        }
        return found;
    }

    static boolean labelsMatch(Map<String, String> labels, Map<String, String> selector) {
        for (Map.Entry<String, String> m : selector.entrySet()) {
            String value = labels.getOrDefault(m.getKey(), "");
            if (!value.equals(m.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static String[] profileType(String id) {
        String[] parts = id.split(":", -1);
        if (parts.length != 5 || Arrays.stream(parts).anyMatch(String::isEmpty)) {
            throw new StandInError(400, "invalid_argument", "profile-type selection must be of the form "
                    + "<name>:<sample-type>:<sample-unit>:<period-type>:<period-unit>(:delta), got(" + id + ")");
        }
        return parts;
    }

    /** SelectSeries: group → (bucket timestamp → summed value). */
    Map<Map<String, String>, Map<Long, Double>> series(QuerierRequest request, Map<String, String> selector) {
        String[] type = profileType(request.profileTypeId());
        if (request.stepSeconds() < 0.001) {
            throw new StandInError(400, "invalid_argument", "step must be >= 1ms");
        }
        long stepMs = (long) (request.stepSeconds() * 1000);
        Map<Map<String, String>, Map<Long, Double>> series = new TreeMap<>(Comparator.comparing(Object::toString));
        for (Stored s : matching(selector, type, request.startMs(), request.endMs())) {
            long t = request.startMs() + Math.floorDiv(s.timestampMs() - request.startMs() + stepMs - 1, stepMs) * stepMs;
            if (t > request.endMs()) {
                continue; // Pyroscope's RangeSeries stops at the last step within the range
            }
            Map<String, String> group = new TreeMap<>();
            for (String name : request.groupBy()) {
                String value = s.labels().get(name);
                if (value != null) {
                    group.put(name, value);
                }
            }
            double value = s.pprof().total(s.pprof().column(type[1], type[2]));
            series.computeIfAbsent(group, g -> new TreeMap<>()).merge(t, value, Double::sum);
        }
        return series;
    }

    /**
     * LabelValues: the values of the label among the matching profiles. Pyroscope files each column of an upload as a
     * series of its own, its profile type ID in the label {@code __profile_type__} (its querier's ProfileTypes is
     * LabelValues of that label over every series): asked for that label, the IDs of the matching profiles' columns
     * that hold samples.
     */
    List<String> labelValues(QuerierRequest request) {
        List<Map<String, String>> selectors = new ArrayList<>();
        request.matchers().forEach(m -> selectors.add(SelectorParser.parse(m)));
        boolean anyTime = request.startMs() == 0 && request.endMs() == 0;
        boolean profileType = request.labelName().equals(PROFILE_TYPE_LABEL);
        return stored.stream()
                .filter(s -> anyTime || s.timestampMs() >= request.startMs() && s.timestampMs() <= request.endMs())
                .filter(s -> selectors.isEmpty() || selectors.stream().anyMatch(sel -> labelsMatch(s.labels(), sel)))
                .flatMap(s -> profileType ? PyroscopeStandInAnswers.profileTypeIds(s.pprof(), true).stream()
                        : Stream.ofNullable(s.labels().get(request.labelName())))
                .filter(Objects::nonNull).distinct().sorted().toList();
    }

    List<String> profileTypes() {
        return stored.stream().flatMap(s -> PyroscopeStandInAnswers.profileTypeIds(s.pprof()).stream())
                .distinct().sorted().toList();
    }

}
