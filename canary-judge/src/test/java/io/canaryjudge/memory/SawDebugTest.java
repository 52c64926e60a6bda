package io.canaryjudge.memory;

import io.canaryjudge.judge.memory.*;
import java.util.*;
import org.junit.jupiter.api.Test;

class SawDebugTest {
    @Test
    void debug() {
        HeapSimulator.Fit fit = HeapSimulator.fit(RecordedPod.loadAll(RecordedPod.folder()));
        HeapSimulator.Regime regime = new HeapSimulator.Regime("saw", 1, 1, 8, 10);
        for (int seed = 0; seed < 4; seed++) {
            HeapSimulator sim = new HeapSimulator(fit, regime, seed, 45);
            List<PodHeap> b = new ArrayList<>();
            List<PodHeap> c = new ArrayList<>();
            for (int i = 0; i < 3; i++) { b.add(sim.pod("b" + i, 0, 1).get(0)); c.add(sim.pod("c" + i, 0.7, 1).get(0)); }
            if (seed == 0) { var h = c.get(1).heap(); StringBuilder sb = new StringBuilder(); for (int k = 0; k < h.size(); k++) sb.append(String.format("%.1f:%.1f ", h.timestampMillis(k) / 60000.0, h.heapAfterGcBytes(k) / 1048576.0)); System.out.println(sb); }
            MemoryGrowthResult r = MemoryGrowthAnalysis.analyse(new HeapWindows(b, c, List.of()), MemoryGrowthConfig.DEFAULTS, MemoryGrowthAnalysis.SiteFinder.NONE);
            System.out.println(r.outcome() + " " + r.quality().notes());
            for (var p : r.quality().pods()) System.out.println("  " + p.instance() + " slope MiB/h " + (p.slopeBytesPerHour() == null ? null : p.slopeBytesPerHour() / 1048576) + " troughs " + p.points().size());
            System.out.println("  spread " + (r.quality().slopeSpread() == null ? null : r.quality().slopeSpread() / 1048576) + " mdg " + (r.quality().minimumDetectableGrowth() == null ? null : r.quality().minimumDetectableGrowth() / 1048576));
        }
    }
}
