package io.canaryjudge.memory.heldout;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The {@code slow-warm} variant: a new LRU cache of pre-rendered snippets, {@code maxEntries} entries of
 * ~1.46 KB (a 1,380-byte array, an Integer key, a map entry). One new entry per request fills 21,600
 * entries (~30 MiB) in 12 minutes at 30 requests/s; after that each insertion evicts the eldest entry.
 */
final class SnippetCache {
    private final Map<Integer, byte[]> map;
    private int nextKey;

    SnippetCache(int maxEntries) {
        map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, byte[]> eldest) {
                return size() > maxEntries;
            }
        };
    }

    void put(int docId, String body, SplittableRandom random) {
        byte[] snippet = new byte[1380];
        snippet[0] = (byte) docId;
        snippet[1] = (byte) body.length();
        snippet[1379] = (byte) random.nextInt();
        map.put(nextKey++, snippet);
    }
}
