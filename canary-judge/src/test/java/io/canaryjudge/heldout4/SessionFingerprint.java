package io.canaryjudge.heldout4;

/**
 * A stable per-session fingerprint for de-duplication across shippers: a mixing hash over the user, session and
 * route, {@code rounds} passes. The {@code slow20} / {@code slow50} builds raise the passes (a "stronger" hash).
 */
final class SessionFingerprint {
    private final int rounds;

    SessionFingerprint(int rounds) {
        this.rounds = rounds;
    }

    long compute(LogEvent e) {
        long h = 0x9E3779B97F4A7C15L;
        for (int r = 0; r < rounds; r++) {
            h = mix(h, e.userId);
            h = mix(h, e.sessionId);
            h = mix(h, e.path);
            h ^= h >>> 29;
            h *= 0xBF58476D1CE4E5B9L;
        }
        return h;
    }

    private static long mix(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001B3L;
            h = Long.rotateLeft(h, 23);
        }
        return h;
    }
}
