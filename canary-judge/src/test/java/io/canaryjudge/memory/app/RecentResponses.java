package io.canaryjudge.memory.app;

/**
 * The last N responses, for retries: bounded, but each response lives N requests (8 s at 25 per
 * second), long enough to be promoted to the old generation and die there — the promoted garbage
 * that makes a real service's after-GC heap rise between old-generation collections.
 */
final class RecentResponses {
    private final String[] ring;
    private int next;

    RecentResponses(int capacity) {
        this.ring = new String[capacity];
    }

    void remember(String response) {
        ring[next] = response;
        next = (next + 1) % ring.length;
    }
}
