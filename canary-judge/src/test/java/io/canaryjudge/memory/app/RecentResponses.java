package io.canaryjudge.memory.app;

import java.util.ArrayList;
import java.util.List;

/**
 * The last N responses, for retries: bounded, each response lives N requests (8 s at 25 per
 * second). With young collections minutes apart they die young: the first recording's G1 heaps never
 * marked their old generation ({@link RecentReceipts} makes the saw-tooth recording's promoted garbage).
 */
final class RecentResponses {
    /** qa78's {@code responses-pinned}: one response in this many is pinned for good. */
    static final int PIN_EVERY = 16;
    /** Responses pinned for retries and never released (qa78's leak in an existing cache); static, as a service's would be. */
    private static final List<String> PINNED = new ArrayList<>();
    private final String[] ring;
    private int next;

    RecentResponses(int capacity) {
        this.ring = new String[capacity];
    }

    void remember(String response) {
        remember(response, false);
    }

    void remember(String response, boolean pin) {
        if (pin) {
            synchronized (PINNED) {
                PINNED.add(response);
            }
        }
        ring[next] = response;
        next = (next + 1) % ring.length;
    }
}
