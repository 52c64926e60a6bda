package io.canaryjudge.qa26;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The service's clock in these runs: "now" is the instant last {@link #set}, moving on with real time from then —
 * Flagger's window ends at now, and the analysis deadlines run on the same clock.
 */
final class MovingClock extends Clock {
    private static final AtomicReference<Instant> SET = new AtomicReference<>(Instant.now());
    private static final AtomicLong SET_AT = new AtomicLong(System.nanoTime());

    static void set(Instant now) {
        SET_AT.set(System.nanoTime());
        SET.set(now);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return SET.get().plusNanos(System.nanoTime() - SET_AT.get());
    }
}
