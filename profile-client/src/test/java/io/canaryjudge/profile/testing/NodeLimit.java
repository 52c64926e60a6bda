package io.canaryjudge.profile.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/** Pyroscope's node limit on a {@link PprofMessage}, for the stand-in's {@code maxNodes}. */
final class NodeLimit {
    private NodeLimit() {
    }

    /**
     * What Pyroscope answers when asked for at most {@code maxNodes} nodes ({@code pkg/phlaredb/symdb}
     * {@code resolver_pprof_tree.go}): over the call tree of function names (root first, one value
     * column), every node whose total is below the {@code maxNodes}-th largest total is cut, and a
     * sample's cut part becomes one leaf named {@code other}. A tree of at most {@code maxNodes} nodes
     * is returned as it is.
     */
    static PprofMessage truncate(PprofMessage in, long maxNodes) {
        Map<String, Integer> nodeIds = new HashMap<>();
        List<Long> totals = new ArrayList<>();
        List<int[]> paths = new ArrayList<>();
        for (PprofMessage.Sample sample : in.samples) {
            List<String> frames = in.framesRootFirst(sample);
            int[] path = new int[frames.size()];
            int parent = -1;
            for (int i = 0; i < frames.size(); i++) {
                int p = parent;
                int node = nodeIds.computeIfAbsent(p + "\u0000" + frames.get(i), k -> {
                    totals.add(0L);
                    return totals.size() - 1;
                });
                totals.set(node, totals.get(node) + sample.values()[0]);
                path[i] = node;
                parent = node;
            }
            paths.add(path);
        }
        if (maxNodes <= 0 || totals.size() <= maxNodes) {
            return in;
        }
        PriorityQueue<Long> largest = new PriorityQueue<>();
        for (long total : totals) {
            largest.add(total);
            if (largest.size() > maxNodes) {
                largest.poll();
            }
        }
        long minValue = largest.peek();
        PprofMessage out = new PprofMessage();
        out.sampleTypes.addAll(in.sampleTypes);
        out.periodType = in.periodType;
        out.period = in.period;
        out.timeNanos = in.timeNanos;
        out.durationNanos = in.durationNanos;
        out.mappings.putAll(in.mappings);
        out.functions.putAll(in.functions);
        out.locations.putAll(in.locations);
        long otherId = 1 + Math.max(in.functions.keySet().stream().mapToLong(Long::longValue).max().orElse(0),
                in.locations.keySet().stream().mapToLong(Long::longValue).max().orElse(0));
        out.functions.put(otherId, new PprofMessage.Function(otherId, "other", "other", "", 0));
        out.locations.put(otherId, new PprofMessage.Location(otherId, 0, 0, List.of(new PprofMessage.Line(otherId, 0)), false));
        for (int s = 0; s < in.samples.size(); s++) {
            PprofMessage.Sample sample = in.samples.get(s);
            int[] path = paths.get(s);
            int kept = 0;
            while (kept < path.length && totals.get(path[kept]) >= minValue) {
                kept++;
            }
            if (kept == path.length) {
                out.samples.add(sample);
                continue;
            }
            // Keep whole root-side locations whose frames are all kept; the rest becomes "other".
            List<Long> rootFirst = new ArrayList<>();
            int frames = 0;
            long[] ids = sample.locationIds();
            for (int i = ids.length - 1; i >= 0; i--) {
                PprofMessage.Location location = in.locations.get(ids[i]);
                int lines = location == null ? 1 : Math.max(1, location.lines().size());
                if (frames + lines > kept) {
                    break;
                }
                frames += lines;
                rootFirst.add(ids[i]);
            }
            long[] truncated = new long[rootFirst.size() + 1];
            truncated[0] = otherId;
            for (int i = 0; i < rootFirst.size(); i++) {
                truncated[truncated.length - 1 - i] = rootFirst.get(i);
            }
            out.samples.add(new PprofMessage.Sample(truncated, sample.values(), sample.labels()));
        }
        out.functions.keySet().retainAll(usedFunctions(out));
        return out;
    }

    private static Set<Long> usedFunctions(PprofMessage m) {
        Set<Long> used = new HashSet<>();
        m.locations.values().forEach(l -> l.lines().forEach(line -> used.add(line.functionId())));
        return used;
    }

}
