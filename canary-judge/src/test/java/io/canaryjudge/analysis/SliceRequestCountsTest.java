package io.canaryjudge.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.canaryjudge.profile.source.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A pod's request rate read from its profiles' request counts must not depend on when its files began: baseline pods
 * are old and canary pods new, so their files cross the window's slices at different offsets, and a rate read low for
 * one group reads as a lighter canary (the memory check counts its warm-up in requests) or a costlier request.
 */
class SliceRequestCountsTest {
    static final Instant WINDOW_START = Instant.parse("2026-12-07T00:40:00Z");
    static final double RATE = 25.0; // requests per second, even

    /** Requests per second over the files that start inside a 15-minute window, as a time-matched local source keeps. */
    static double rateRead(Duration fileLength, Duration slice, long offsetSeconds) {
        TimeWindow window = new TimeWindow(WINDOW_START, WINDOW_START.plus(Duration.ofMinutes(15)));
        List<TimeWindow> slices = window.split(slice);
        Map<Instant, Long> counts = new HashMap<>();
        for (TimeWindow s : slices) {
            counts.put(s.start(), Math.round(RATE * s.length().toSeconds()));
        }
        List<TimeWindow> files = new ArrayList<>();
        // the pod's files run back to back from long before the window, the first at the given offset
        Instant at = WINDOW_START.minus(fileLength.multipliedBy(10)).plusSeconds(offsetSeconds);
        while (at.isBefore(window.end())) {
            if (window.contains(at)) {
                files.add(new TimeWindow(at, at.plus(fileLength)));
            }
            at = at.plus(fileLength);
        }
        long requests = 0;
        long nanos = 0;
        for (TimeWindow file : files) {
            Long served = SliceRequestCounts.requestsDuring(file, slices, counts);
            assertThat(served).as("file %s of offset %d s", file, offsetSeconds).isNotNull();
            requests += served;
            nanos += file.length().toNanos();
        }
        return requests / (nanos / 1e9);
    }

    @Test
    void fiveMinuteFilesInMinuteSlicesReadTheRateWhateverSecondTheyBegan() {
        for (long offset = 0; offset < 300; offset += 10) {
            assertThat(rateRead(Duration.ofMinutes(5), Duration.ofMinutes(1), offset)).as("offset %d s", offset)
                    .isCloseTo(RATE, within(0.02 * RATE));
        }
    }

    @Test
    void slicesThatDoNotDivideTheFilesStillCountThem() {
        for (Duration slice : List.of(Duration.ofMinutes(2), Duration.ofMinutes(3), Duration.ofSeconds(45))) {
            for (long offset = 0; offset < 300; offset += 25) {
                assertThat(rateRead(Duration.ofMinutes(5), slice, offset)).as("slice %s, offset %d s", slice, offset)
                        .isCloseTo(RATE, within(0.02 * RATE));
            }
        }
    }

    @Test
    void filesShorterThanASliceShareItsCount() {
        for (long offset = 0; offset < 60; offset += 7) {
            assertThat(rateRead(Duration.ofSeconds(10), Duration.ofMinutes(1), offset)).as("offset %d s", offset)
                    .isCloseTo(RATE, within(0.02 * RATE));
        }
    }

    @Test
    void aFileRunningPastTheCountedSlicesIsChargedAtTheirRateAndOneOutsideThemHasNoCount() {
        List<TimeWindow> slices = new TimeWindow(WINDOW_START, WINDOW_START.plus(Duration.ofMinutes(2)))
                .split(Duration.ofMinutes(1));
        Map<Instant, Long> counts = Map.of(slices.get(0).start(), 1500L, slices.get(1).start(), 3000L);
        TimeWindow runsPast = new TimeWindow(WINDOW_START.plusSeconds(90), WINDOW_START.plusSeconds(390));
        TimeWindow after = new TimeWindow(WINDOW_START.plusSeconds(120), WINDOW_START.plusSeconds(420));

        // 30 s of the second slice counted (1,500 requests), charged over the file's 300 s at 50 per second
        assertThat(SliceRequestCounts.requestsDuring(runsPast, slices, counts)).isEqualTo(15_000L);
        assertThat(SliceRequestCounts.requestsDuring(after, slices, counts)).isNull();
        assertThat(SliceRequestCounts.requestsDuring(runsPast, slices, Map.of())).isNull();
    }

    /**
     * qa81: a 2-minute profile over two 60 s slices takes each endpoint's requests of both; an endpoint a slice has no
     * count for served none in it (no increase, or no series yet), and a profile no counted slice meets has no mix.
     */
    @Test
    void eachEndpointIsCountedOverTheSlicesAProfileCovers() {
        TimeWindow window = new TimeWindow(WINDOW_START, WINDOW_START.plus(Duration.ofMinutes(3)));
        List<TimeWindow> slices = window.split(Duration.ofSeconds(60));
        Map<Instant, Map<String, Long>> counts = Map.of(
                slices.get(0).start(), Map.of("/search", 100L, "/quote", 300L),
                slices.get(1).start(), Map.of("/search", 50L));
        TimeWindow profile = new TimeWindow(WINDOW_START, WINDOW_START.plus(Duration.ofMinutes(2)));

        assertThat(SliceRequestCounts.endpointRequestsDuring(profile, slices, counts))
                .isEqualTo(Map.of("/search", 150L, "/quote", 300L));
        assertThat(SliceRequestCounts.endpointRequestsDuring(new TimeWindow(slices.get(2).start(), window.end()),
                slices, counts)).isNull();
    }
}
