package io.canaryjudge.judge.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The between-pod spread of slopes: moderated towards the prior, never below the baseline's own.
 * Heaps are straight lines (one point a minute), so each pod's Theil–Sen slope is exact and the
 * outcome depends on the spread rule alone.
 */
class MemoryGrowthSpreadTest {
    static final long MINUTE = 60_000;
    static final long MIB = 1024 * 1024;
    /** Windows start an hour after the JVMs did: past the 20-minute warm-up. */
    static final long WINDOW_START = 60 * MINUTE;

    /** A pod whose heap after GC grows {@code mibPerHour}, 15 points a minute apart. */
    static PodHeap pod(String name, double mibPerHour) {
        long[] times = new long[15];
        long[] bytes = new long[15];
        for (int i = 0; i < times.length; i++) {
            times[i] = WINDOW_START + i * MINUTE;
            bytes[i] = 100 * MIB + Math.round(mibPerHour * MIB * i / 60.0);
        }
        return new PodHeap(name, new HeapSeries(name, 0, times, bytes));
    }

    /** The spread rule alone: without the detectability check (maxDetectableGrowthMiBPerHour 0). */
    static MemoryOutcome judge(List<Double> baselineSlopes, List<Double> canarySlopes) {
        return judge(baselineSlopes, canarySlopes, MemoryGrowthConfig.DEFAULTS.withMaxDetectableGrowthMiBPerHour(0));
    }

    static MemoryOutcome judge(List<Double> baselineSlopes, List<Double> canarySlopes, MemoryGrowthConfig config) {
        List<PodHeap> baseline = baselineSlopes.stream().map(s -> pod("baseline-" + s, s)).toList();
        List<PodHeap> canary = canarySlopes.stream().map(s -> pod("canary-" + s, s)).toList();
        return MemoryGrowthAnalysis.analyse(new HeapWindows(baseline, canary, List.of()), config,
                MemoryGrowthAnalysis.SiteFinder.NONE).outcome();
    }

    @Test
    void aBaselineTooNoisyToSeeTheConfiguredGrowthIsUnresolvedNotAPass() {
        // Own SD 60 MiB/h on 2 degrees of freedom: the minimum detectable growth is ~390 MiB/h, far above
        // the default 42: no growth seen, but none of that size could have been.
        assertThat(judge(List.of(0.0, 60.0, 120.0), List.of(200.0, 200.0, 200.0), MemoryGrowthConfig.DEFAULTS))
                .isEqualTo(MemoryOutcome.UNRESOLVED);
        // Agreeing pods resolve it: a pass is a pass.
        assertThat(judge(List.of(10.0, 10.3, 10.1), List.of(12.0, 12.0, 12.0), MemoryGrowthConfig.DEFAULTS))
                .isEqualTo(MemoryOutcome.NO_GROWTH);
    }

    @Test
    void aBaselineFlatWithinItsNoiseGivesNoRelativeChange() {
        MemoryGrowthConfig config = MemoryGrowthConfig.DEFAULTS.withMaxDetectableGrowthMiBPerHour(0);
        // Baseline +0.03 MiB/h on average, a canary at +300: "+900000 %" says nothing; the change is from 0.
        Finding fromFlat = analyse(List.of(-0.5, 0.0, 0.6), List.of(300.0, 300.0, 300.0), config).finding();
        assertThat(fromFlat.kind()).isEqualTo(FindingKind.MEMORY_GROWTH);
        assertThat(fromFlat.relativeChange()).isNull();
        // A baseline credibly growing keeps its ratio: +300 against +10 MiB/h is +2,900 %. (One surely growing by
        // minSlope is not compared at all: without old collections its heap after GC is promoted garbage.)
        Finding fromGrowing = analyse(List.of(9.0, 10.0, 11.0), List.of(300.0, 300.0, 300.0), config).finding();
        assertThat(fromGrowing.relativeChange()).isCloseTo(29.0, within(0.01));
    }

    static MemoryGrowthResult analyse(List<Double> baselineSlopes, List<Double> canarySlopes, MemoryGrowthConfig config) {
        List<PodHeap> baseline = baselineSlopes.stream().map(s -> pod("baseline-" + s, s)).toList();
        List<PodHeap> canary = canarySlopes.stream().map(s -> pod("canary-" + s, s)).toList();
        return MemoryGrowthAnalysis.analyse(new HeapWindows(baseline, canary, List.of()), config,
                MemoryGrowthAnalysis.SiteFinder.NONE);
    }

    @Test
    void aNoisyBaselineIsNotHiddenByThePrior() {
        // Baseline slopes 0, 60, 120 MiB/h (own SD 60). Moderated with the 4 MiB/h prior worth 2 pods the SD
        // would be ~43 on 4 degrees of freedom and a canary at +140 MiB/h would fail (t ≈ 4.0, p ≈ 0.008);
        // with the baseline's own spread (t ≈ 2.9 on 2 degrees of freedom, p ≈ 0.05) it is not credible.
        assertThat(judge(List.of(0.0, 60.0, 120.0), List.of(200.0, 200.0, 200.0))).isEqualTo(MemoryOutcome.NO_GROWTH);
    }

    @Test
    void aLeakFarBeyondTheNoisyBaselineStillFails() {
        assertThat(judge(List.of(0.0, 60.0, 120.0), List.of(900.0, 900.0, 900.0))).isEqualTo(MemoryOutcome.GROWTH);
    }

    @Test
    void agreeingBaselinePodsDoNotMakeASmallDifferenceCredible() {
        // Three baseline pods within 0.3 MiB/h: the prior (4 MiB/h) keeps the spread, and the 20 MiB/h
        // materiality keeps a +15 MiB/h canary from failing however certain it is.
        assertThat(judge(List.of(10.0, 10.3, 10.1), List.of(25.0, 25.0, 25.0))).isEqualTo(MemoryOutcome.NO_GROWTH);
        assertThat(judge(List.of(10.0, 10.3, 10.1), List.of(40.0, 40.0, 40.0))).isEqualTo(MemoryOutcome.GROWTH);
    }

    /**
     * A pod whose heap after GC grows {@code mibPerHour} with points zig-zagging ±{@code scatterMiB} around the
     * line, one a minute for {@code minutes} + 1 points from the window's start, its JVM started {@code ageMinutes}
     * before it.
     */
    static PodHeap zigzag(String name, double mibPerHour, double scatterMiB, int minutes, long ageMinutes) {
        long[] times = new long[minutes + 1];
        long[] bytes = new long[minutes + 1];
        for (int i = 0; i < times.length; i++) {
            times[i] = WINDOW_START + i * MINUTE;
            bytes[i] = 100 * MIB + Math.round((mibPerHour * i / 60.0 + (i % 2 == 0 ? scatterMiB : -scatterMiB)) * MIB);
        }
        return new PodHeap(name, new HeapSeries(name, WINDOW_START - ageMinutes * MINUTE, times, bytes));
    }

    @Test
    void aYoungCanarysShorterSpanWidensItsSlopesNoise() {
        // Baseline pods over 30 minutes, +4…+6 MiB/h, points ±1.5 MiB around their lines. A canary that started
        // one minute before the window keeps only its last 11 minutes past the 20-minute warm-up: a line through
        // 12 points ±1.5 MiB apart is known to about ±9 MiB/h, not to the ±5 the baseline pods' slopes (and the
        // prior) show, so +35 MiB/h is not credible growth — it was, before the canary's span was accounted for.
        MemoryGrowthConfig config = MemoryGrowthConfig.DEFAULTS.withMaxDetectableGrowthMiBPerHour(0);
        List<PodHeap> baseline = List.of(zigzag("b1", 4, 1.5, 30, 60), zigzag("b2", 5, 1.5, 30, 60),
                zigzag("b3", 6, 1.5, 30, 60));
        MemoryGrowthResult young = MemoryGrowthAnalysis.analyse(new HeapWindows(baseline,
                List.of(zigzag("young", 35, 1.5, 30, 1)), List.of()), config, MemoryGrowthAnalysis.SiteFinder.NONE);
        assertThat(young.outcome()).isEqualTo(MemoryOutcome.NO_GROWTH);
        assertThat(young.quality().notes()).anyMatch(note -> note.contains("warm-up"));
        // The same growth over the baseline pods' full span is credible: their spans are alike, nothing is added.
        assertThat(MemoryGrowthAnalysis.analyse(new HeapWindows(baseline, List.of(zigzag("old", 35, 1.5, 30, 60)),
                List.of()), config, MemoryGrowthAnalysis.SiteFinder.NONE).outcome()).isEqualTo(MemoryOutcome.GROWTH);
        // And a young canary growing far faster still fails.
        assertThat(MemoryGrowthAnalysis.analyse(new HeapWindows(baseline, List.of(zigzag("young", 90, 1.5, 30, 1)),
                List.of()), config, MemoryGrowthAnalysis.SiteFinder.NONE).outcome()).isEqualTo(MemoryOutcome.GROWTH);
    }

    @Test
    void aShrinkingBaselineDoesNotMakeAFlatCanaryGrow() {
        // Baseline pods in lockstep through a collection of old garbage: −25 MiB/h. A canary at +9 MiB/h is
        // 34 MiB/h above them, credibly, but its heap does not itself grow by the 20 MiB/h that is material.
        assertThat(judge(List.of(-25.0, -24.5, -25.3), List.of(9.0, 9.0, 9.0))).isEqualTo(MemoryOutcome.NO_GROWTH);
        // A canary that does grow 30 MiB/h beside the same baseline fails.
        assertThat(judge(List.of(-25.0, -24.5, -25.3), List.of(30.0, 30.0, 30.0))).isEqualTo(MemoryOutcome.GROWTH);
    }
}
