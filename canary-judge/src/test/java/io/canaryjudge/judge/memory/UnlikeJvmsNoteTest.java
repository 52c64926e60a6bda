package io.canaryjudge.judge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.profile.heap.HeapSettings;
import io.canaryjudge.profile.heap.HeapSettings.Collector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When {@link UnlikeJvms} says the groups run unlike JVMs: a collector or heap maximum one group has and the other
 * lacks, not a different count of pods on the same mix (review of qa63: the counted words were compared, so a baseline
 * of two G1 pods and a Parallel pod against a G1 and a Parallel canary pod was said to differ).
 */
class UnlikeJvmsNoteTest {
    private static final long MIB = 1024 * 1024;

    private static List<PodHeap> pods(String group, Collector collector, long maxHeapMib, int count) {
        List<PodHeap> pods = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HeapSeries heap = new HeapSeries("jfr", 0, new long[] {60_000, 120_000}, new long[] {50 * MIB, 51 * MIB},
                    new boolean[2], -1, new HeapSettings(collector, maxHeapMib * MIB));
            pods.add(new PodHeap(group + "-" + collector + "-" + i, heap, null, false, 0));
        }
        return pods;
    }

    private static List<PodHeap> join(List<PodHeap> a, List<PodHeap> b) {
        List<PodHeap> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void theSameMixOfCollectorsInOtherCountsIsNotUnlike() {
        List<PodHeap> baseline = join(pods("b", Collector.G1, 256, 2), pods("b", Collector.PARALLEL, 256, 1));
        List<PodHeap> canary = join(pods("c", Collector.PARALLEL, 256, 1), pods("c", Collector.G1, 256, 1));

        assertThat(UnlikeJvms.note(baseline, canary)).isNull();
    }

    @Test
    void aCollectorOnlyTheCanaryRunsIsSaidWithTheBaselinesMixCounted() {
        List<PodHeap> baseline = join(pods("b", Collector.G1, 256, 2), pods("b", Collector.PARALLEL, 256, 1));
        List<PodHeap> canary = pods("c", Collector.GENERATIONAL_ZGC, 256, 1);

        assertThat(UnlikeJvms.note(baseline, canary))
                .startsWith("the canary pods run generational ZGC with a heap of at most 256 MiB, the baseline pods"
                        + " G1 (2 pods), Parallel (1 pod) with a heap of at most 256 MiB");
    }

    @Test
    void anotherHeapMaximumAloneIsSaid() {
        assertThat(UnlikeJvms.note(pods("b", Collector.G1, 256, 3), pods("c", Collector.G1, 512, 1)))
                .startsWith("the canary pods run G1 with a heap of at most 512 MiB, the baseline pods G1 with a heap of"
                        + " at most 256 MiB");
    }
}
