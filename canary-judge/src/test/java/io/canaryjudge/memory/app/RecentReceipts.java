package io.canaryjudge.memory.app;

/**
 * Receipts kept for refunds for a few minutes: each request's receipt (about 1 KiB) lives
 * {@code seconds} × {@value OrderService#REQUESTS_PER_SECOND} requests, long enough to outlive many
 * young collections, be promoted, and die in the old generation. The old generation then fills with
 * garbage until a marking cycle and mixed collections clear it: the saw-tooth after-GC heap of a
 * real service, which the recordings without receipts lack.
 */
final class RecentReceipts {
    /** Characters kept per receipt (Latin-1 strings: about that many bytes plus ~40 of headers). */
    static final int RECEIPT_CHARS = 1024;

    private final String[] ring;
    private int next;

    RecentReceipts(int seconds) {
        this.ring = new String[Math.max(1, seconds * OrderService.REQUESTS_PER_SECOND)];
    }

    void keep(String response) {
        // A copy, not a view: the receipt must not keep the whole response alive.
        ring[next] = new String(response.substring(0, Math.min(RECEIPT_CHARS, response.length())).toCharArray());
        next = (next + 1) % ring.length;
    }
}
