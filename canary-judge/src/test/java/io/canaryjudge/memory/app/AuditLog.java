package io.canaryjudge.memory.app;

import java.util.HashMap;
import java.util.Map;

/**
 * The injected leak of {@code leak-audit}: a static map of audit lines keyed by request id, meant
 * for debugging and never trimmed. About 980 bytes per request: 1.4 MiB per minute at 25 requests
 * per second.
 */
final class AuditLog {
    private static final Map<Long, String> LINES = new HashMap<>();

    private AuditLog() {
    }

    static void remember(long id, Order order) {
        StringBuilder line = new StringBuilder(920);
        while (line.length() < 880) {
            line.append("order ").append(order.id()).append(" by ").append(order.customer()).append(" total ")
                    .append(order.total()).append("; ");
        }
        synchronized (LINES) {
            LINES.put(id, line.toString());
        }
    }
}
