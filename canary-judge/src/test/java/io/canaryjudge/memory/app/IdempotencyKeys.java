package io.canaryjudge.memory.app;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A cache every version of the order service has (qa66): each request's idempotency record (~490 bytes: a 360-byte
 * state, the record, its key and the map's node, as {@link SessionRegistry}'s) kept {@value #TTL_MILLIS} ms for
 * retries, in two shards by the request's parity, each expired from its eldest entry on every insert. The baseline
 * holds this site live, flat: about 30 s of requests (367 KB at 25 requests per second, half of what the site allocates
 * in a minute). The broken canaries keep the same records at the same site and never expire all of them: {@code
 * ttl-broken} expires neither shard (~0.7 MiB per minute at 25 requests per second, 1 GiB in a day), {@code ttl-half}
 * the odd shard only (~0.35 MiB per minute): an LRU that no longer evicts.
 */
final class IdempotencyKeys {
    static final long TTL_MILLIS = 30_000;
    private static final Map<Long, Entry> EVEN = new LinkedHashMap<>();
    private static final Map<Long, Entry> ODD = new LinkedHashMap<>();
    /** qa78's {@code ttl-quarter}: one record in four (ids divisible by 4) kept here, never expired. */
    private static final Map<Long, Entry> KEPT = new LinkedHashMap<>();

    private IdempotencyKeys() {
    }

    record Entry(long id, String customer, byte[] state, long createdMillis) {
    }

    /** Keeps request {@code id}'s record; expires old ones unless the variant broke that shard's expiry. */
    static synchronized void remember(long id, Order order, MemoryVariant variant) {
        byte[] state = new byte[360];
        state[0] = (byte) order.total();
        long now = System.currentTimeMillis();
        boolean odd = (id & 1) == 1;
        if (variant == MemoryVariant.TTL_QUARTER && id % 4 == 0) {
            KEPT.put(id, new Entry(id, order.customer(), state, now));
            return;
        }
        Map<Long, Entry> shard = odd ? ODD : EVEN;
        shard.put(id, new Entry(id, order.customer(), state, now));
        boolean expires = switch (variant) {
            case TTL_BROKEN -> false;
            case TTL_HALF -> odd;
            default -> true;
        };
        if (expires) {
            expire(shard, now);
        }
    }

    private static void expire(Map<Long, Entry> shard, long now) {
        Iterator<Entry> eldest = shard.values().iterator();
        while (eldest.hasNext() && now - eldest.next().createdMillis() > TTL_MILLIS) {
            eldest.remove();
        }
    }
}
