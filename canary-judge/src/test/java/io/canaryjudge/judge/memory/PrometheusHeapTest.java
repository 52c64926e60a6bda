package io.canaryjudge.judge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.metrics.TimeSeries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The heap query's answers as the memory check's pods, and what it says of points that are no heap size. */
class PrometheusHeapTest {
    static final long MINUTE = 60_000;
    static final double MIB = 1024 * 1024;

    /** One pod's series, a point a minute for 20 minutes from an hour into the JVM's life. */
    static TimeSeries series(String pod, double... values) {
        long[] times = new long[values.length];
        for (int i = 0; i < times.length; i++) {
            times[i] = 60 * MINUTE + i * MINUTE;
        }
        return new TimeSeries(Map.of("pod", pod), times, values);
    }

    static double[] growing(double mibPerHour) {
        double[] values = new double[20];
        for (int i = 0; i < values.length; i++) {
            values[i] = 100 * MIB + mibPerHour * MIB * i / 60.0;
        }
        return values;
    }

    /**
     * A canary pod whose exporter answers only NaN or +Inf (a broken gauge, a division by zero in a recording
     * rule) is not "given no heap": the note says what Prometheus gave for it, so the operator looks at the
     * exporter or query rather than at the pod's labels.
     */
    @Test
    void aPodWhosePointsAreAllNaNOrInfiniteSaysSo() {
        double[] broken = new double[20];
        Arrays.fill(broken, Double.NaN);
        broken[3] = Double.POSITIVE_INFINITY;
        List<TimeSeries> heap = new ArrayList<>(List.of(series("base-1", growing(1)), series("base-2", growing(2)),
                series("base-3", growing(1.5)), series("canary-1", growing(1)), series("canary-2", broken)));
        List<PodHeap> pods = PrometheusHeap.pods(heap, List.of(), "pod", Map.of());
        assertThat(pods).hasSize(5);
        assertThat(pods.get(4).heap().isEmpty()).isTrue();
        assertThat(pods.get(4).unusablePoints()).isEqualTo(20);
        assertThat(pods.get(3).unusablePoints()).isZero();

        MemoryGrowthResult result = MemoryGrowthAnalysis.analyse(
                new HeapWindows(pods.subList(0, 3), pods.subList(3, 5), List.of()), MemoryGrowthConfig.DEFAULTS,
                MemoryGrowthAnalysis.SiteFinder.NONE);
        assertThat(String.join("\n", result.quality().notes()))
                .contains("canary pod canary-2: no heap data (prometheus pod=canary-2 gave 20 point(s), none a heap"
                        + " size: NaN, infinite or negative)")
                .doesNotContain("no heap after GC was given");
    }
}
