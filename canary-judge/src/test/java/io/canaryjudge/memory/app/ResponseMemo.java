package io.canaryjudge.memory.app;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The leak of {@code memo-responses} (qa64): rendered responses memoised in a static map that nothing evicts. Nine in
 * ten requests ask for one of {@value #HOT} popular quotes, rendered once and then served from the map (so the pod
 * allocates far less per request than the stable version, whose {@link OrderSerializer} renders tens of KB of garbage
 * every time); the tenth is a one-off quote, rendered and kept forever (~7 KB of JSON each: ~60 MiB per hour at 25
 * requests per second). The commonest leak, a memoising cache, saves allocation: a canary running it at the baseline's
 * load allocates a fraction of the baseline's bytes per second.
 */
final class ResponseMemo {
    static final int HOT = 500;
    /** Share of requests asking for a popular quote (a hit once warm). */
    static final double HOT_SHARE = 0.9;
    private static final Map<Long, String> RESPONSES = new ConcurrentHashMap<>();

    private ResponseMemo() {
    }

    static String render(long id, Order order, SplittableRandom random) {
        long key = random.nextDouble() < HOT_SHARE ? -1 - random.nextInt(HOT) : id;
        String json = RESPONSES.get(key);
        if (json == null) {
            json = OrderSerializer.toJson(order);
            RESPONSES.put(key, json);
        }
        return json;
    }
}
