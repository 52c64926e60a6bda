package io.canaryjudge.memory.app;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The change of {@code slow-cache}: recommendations cached per key, bounded by the key space
 * ({@link #KEYS}), about 1.6 KB each: 38 MiB once full, filled as 1 − exp(−t/τ) with τ = 16 minutes
 * at 25 requests per second — a cache that is still warming long after the pod started.
 */
final class RecommendationCache {
    static final int KEYS = 24_000;
    private static final ConcurrentHashMap<Integer, long[]> CACHE = new ConcurrentHashMap<>();

    private RecommendationCache() {
    }

    static long[] recommendations(int key) {
        return CACHE.computeIfAbsent(key, RecommendationCache::compute);
    }

    private static long[] compute(int key) {
        long[] scores = new long[196];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = key * 131L + i;
        }
        return scores;
    }
}
