package io.canaryjudge.judge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.heap.HeapSeries;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The open-connections check ({@link ConnectionGoroutines}) holds a canary's goroutines outside connection serving to
 * the baseline pods' rise of theirs: the baseline pods' warm-up must be left out of that as the canary pods' is (qa77
 * review), or a young baseline pod's start-up rise raises the reference and excuses more of the canary's rest.
 */
class BaselineWarmUpConnectionsTest {
    private static final long MINUTE = 60_000;
    private static final long START = 1_700_000_000_000L;

    @Test
    void theBaselinePodsWarmUpIsLeftOutWhereTheCanarysIs() {
        // baseline pods 15 minutes old at the window's start: their first 5 minutes in it are inside the 20-minute
        // warm-up; the canary an hour old, past its own
        long baselineStart = START - 15 * MINUTE;
        long canaryStart = START - 60 * MINUTE;
        List<PodHeap> baseline = List.of(pod("b1", baselineStart, m -> 40), pod("b2", baselineStart, m -> 41),
                pod("b3", baselineStart, m -> 39));
        List<PodHeap> canary = List.of(pod("c1", canaryStart, m -> 40 + 12 * m));
        AreaWindows goroutines = new AreaWindows(MemoryAreas.GOROUTINES, true, new HeapWindows(baseline, canary, List.of()));
        List<Map<String, Long>> asked = new ArrayList<>();

        MemoryAreas.analyse(List.of(goroutines), MemoryGrowthConfig.DEFAULTS, MemoryGrowthAnalysis.SiteFinder.NONE,
                MemoryGrowthAnalysis.SiteFinder.NONE, keepAfter -> {
                    asked.add(keepAfter);
                    return null;
                });

        long warmUp = MemoryGrowthConfig.DEFAULTS.warmup().toMillis();
        assertThat(asked).hasSize(1);
        assertThat(asked.get(0)).containsEntry("c1", canaryStart + warmUp).containsEntry("b1", baselineStart + warmUp)
                .containsEntry("b2", baselineStart + warmUp).containsEntry("b3", baselineStart + warmUp);
    }

    /** A pod started at {@code start}, {@code goroutinesAt} each minute of a 15-minute window. */
    private static PodHeap pod(String name, long start, IntToDoubleFunction goroutinesAt) {
        long[] t = new long[16];
        long[] values = new long[16];
        for (int m = 0; m < t.length; m++) {
            t[m] = START + m * MINUTE;
            values[m] = Math.round(goroutinesAt.applyAsDouble(m)) * MemoryAreas.THREAD_STACK_BYTES;
        }
        return new PodHeap(name, new HeapSeries("prometheus", start, t, values), null, true);
    }
}
