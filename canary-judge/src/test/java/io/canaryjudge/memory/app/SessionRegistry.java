package io.canaryjudge.memory.app;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The injected leak of {@code leak-sessions}: a per-request "session" cached in a static map that
 * nothing ever evicts. About 490 bytes retained per request (a 360-byte payload, the session, its
 * key and the map's node): 0.7 MiB per minute at 25 requests per second.
 */
final class SessionRegistry {
    private static final Map<Long, Session> SESSIONS = new ConcurrentHashMap<>();

    private SessionRegistry() {
    }

    record Session(long id, String customer, byte[] state) {
    }

    static void register(long id, Order order) {
        byte[] state = new byte[360];
        state[0] = (byte) order.total();
        SESSIONS.put(id, new Session(id, order.customer(), state));
    }
}
