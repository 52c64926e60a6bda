package io.canaryjudge.judge.memory;

import io.canaryjudge.profile.heap.HeapSettings;
import io.canaryjudge.profile.heap.HeapSettings.Collector;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Says when the canary pods ran another garbage collector or heap maximum than the baseline pods, from what their data
 * hold ({@link HeapSettings}: a JFR recording's collections and heap configuration). Their heap after GC then moves
 * differently for the same code: ZGC without generations reports the heap after each whole-heap cycle, a larger heap
 * collects less often, Parallel's and Serial's old generations hold promoted garbage longer (docs/EVALUATION.md "Memory
 * growth on unlike JVMs (qa57)", "(qa63)"), so a reader of the verdict should know the groups differ. Said only when
 * every pod of both groups tells it; nothing is said from partial data.
 */
final class UnlikeJvms {
    private UnlikeJvms() {
    }

    /** The note, or null when the groups' JVMs are alike or the data do not say. */
    static String note(List<PodHeap> baseline, List<PodHeap> canary) {
        if (baseline.isEmpty() || canary.isEmpty()) {
            return null;
        }
        boolean collectorsKnown = known(baseline, true) && known(canary, true);
        boolean sizesKnown = known(baseline, false) && known(canary, false);
        // The sets, not the words: groups running the same mix ("G1 (2 pods), Parallel (1 pod)" against "G1 (1 pod),
        // Parallel (1 pod)") run alike; only a value one group has and the other lacks is worth saying.
        boolean collectorsDiffer = collectorsKnown && !values(baseline, true).equals(values(canary, true));
        boolean sizesDiffer = sizesKnown && !values(baseline, false).equals(values(canary, false));
        if (!collectorsDiffer && !sizesDiffer) {
            return null;
        }
        return "the canary pods run " + group(canary, collectorsKnown, sizesKnown) + ", the baseline pods "
                + group(baseline, collectorsKnown, sizesKnown) + " (their recordings' collections and heap configuration):"
                + " a heap after GC moves differently under another collector or heap size, so compare their slopes with"
                + " that in mind";
    }

    private static boolean known(List<PodHeap> pods, boolean collector) {
        for (PodHeap pod : pods) {
            HeapSettings s = pod.heap().settings();
            if (collector ? s.collector() == Collector.UNKNOWN : s.maxHeapBytes() < 0) {
                return false;
            }
        }
        return true;
    }

    /** The distinct collectors (or heap maxima) of the pods, in words. */
    private static Set<String> values(List<PodHeap> pods, boolean collector) {
        Set<String> values = new HashSet<>();
        for (PodHeap pod : pods) {
            values.add(value(pod, collector));
        }
        return values;
    }

    private static String value(PodHeap pod, boolean collector) {
        HeapSettings s = pod.heap().settings();
        return collector ? s.collector().words() : HeapSettings.size(s.maxHeapBytes());
    }

    /** "G1", "G1 (2 pods), Parallel (1)", "256 MiB", ...: each distinct value in pod order, counted when several. */
    private static String describe(List<PodHeap> pods, boolean collector) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (PodHeap pod : pods) {
            counts.merge(value(pod, collector), 1, Integer::sum);
        }
        if (counts.size() == 1) {
            return counts.keySet().iterator().next();
        }
        return counts.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + (e.getValue() == 1 ? " pod)"
                : " pods)")).collect(Collectors.joining(", "));
    }

    private static String group(List<PodHeap> pods, boolean collectorsKnown, boolean sizesKnown) {
        String heap = sizesKnown ? describe(pods, false) : null;
        if (!collectorsKnown) {
            return "a heap of at most " + heap;
        }
        return describe(pods, true) + (heap == null ? "" : " with a heap of at most " + heap);
    }
}
