package io.canaryjudge.memory.heldout;

import java.util.LinkedHashMap;
import java.util.Map;

/** Query -> matching document ids, LRU-bounded. */
final class ResultCache {
    private final Map<String, int[]> map;

    ResultCache(int maxEntries) {
        map = new LinkedHashMap<>(maxEntries * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, int[]> eldest) {
                return size() > maxEntries;
            }
        };
    }

    int[] get(String query) {
        return map.get(query);
    }

    void put(String query, int[] ids) {
        map.put(query, ids);
    }
}
