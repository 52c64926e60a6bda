package io.canaryjudge.memory.app;

/**
 * The last N responses, for retries: bounded, each response lives N requests (8 s at 25 per
 * second). With young collections minutes apart they die young: the first recording's G1 heaps never
 * marked their old generation ({@link RecentReceipts} makes the saw-tooth recording's promoted garbage).
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
