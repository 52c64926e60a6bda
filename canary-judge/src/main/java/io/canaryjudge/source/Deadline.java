package io.canaryjudge.source;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import reactor.util.context.ContextView;

/**
 * The instant by which an analysis must answer, carried in the Reactor context of every source call it
 * makes, so that timeouts and retries never run past it.
 *
 * @param at      the instant
 * @param allowed the time the caller allowed, from receiving the request to {@code at} (for messages)
 * @param clock   the clock it is measured with
 */
public record Deadline(Instant at, Duration allowed, Clock clock) {
    public Deadline {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(allowed, "allowed");
        Objects.requireNonNull(clock, "clock");
    }

    /** A deadline {@code allowed} from now. */
    public static Deadline after(Duration allowed, Clock clock) {
        return new Deadline(clock.instant().plus(allowed), allowed, clock);
    }

    /** {@code 8 s}, {@code 750 ms}: the allowed time in words. */
    public String allowedText() {
        return allowed.toMillis() % 1000 == 0 ? allowed.toSeconds() + " s" : allowed.toMillis() + " ms";
    }

    /** Time left; zero or negative once it has passed. */
    public Duration remaining() {
        return Duration.between(clock.instant(), at);
    }

    public boolean passed() {
        Duration left = remaining();
        return left.isNegative() || left.isZero();
    }

    /** The deadline in {@code context}, or null when the call is not part of an analysis (readiness checks). */
    public static Deadline in(ContextView context) {
        return context.getOrDefault(Deadline.class, null);
    }
}
