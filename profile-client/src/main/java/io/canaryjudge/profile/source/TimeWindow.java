package io.canaryjudge.profile.source;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A half-open interval of time {@code [start, end)}.
 *
 * @param start inclusive
 * @param end   exclusive, after {@code start}
 */
public record TimeWindow(Instant start, Instant end) {
    public TimeWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("window end " + end + " must be after its start " + start);
        }
    }

    public Duration length() {
        return Duration.between(start, end);
    }

    public boolean contains(Instant instant) {
        return !instant.isBefore(start) && instant.isBefore(end);
    }

    /**
     * Consecutive slices of {@code slice} length from the start; a last piece shorter than half a
     * slice is dropped (too few samples to be an observation), a longer one is kept.
     */
    public List<TimeWindow> split(Duration slice) {
        if (slice.isZero() || slice.isNegative()) {
            throw new IllegalArgumentException("slice must be positive, was " + slice);
        }
        List<TimeWindow> slices = new ArrayList<>();
        Instant at = start;
        while (at.isBefore(end)) {
            Instant next = at.plus(slice);
            if (next.isAfter(end)) {
                if (Duration.between(at, end).compareTo(slice.dividedBy(2)) >= 0 || slices.isEmpty()) {
                    slices.add(new TimeWindow(at, end));
                }
                break;
            }
            slices.add(new TimeWindow(at, next));
            at = next;
        }
        return slices;
    }
}
