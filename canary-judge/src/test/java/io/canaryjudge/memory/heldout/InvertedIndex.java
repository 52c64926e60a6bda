package io.canaryjudge.memory.heldout;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Term -> last {@code postingsPerTerm} document ids; at most {@code maxTerms} terms (least recently used dropped). */
final class InvertedIndex {
    private final int postingsPerTerm;
    private final Map<String, Postings> terms;

    InvertedIndex(int maxTerms, int postingsPerTerm) {
        this.postingsPerTerm = postingsPerTerm;
        this.terms = new LinkedHashMap<>(maxTerms * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Postings> eldest) {
                return size() > maxTerms;
            }
        };
    }

    void add(int docId, List<String> docTerms) {
        for (String t : docTerms) {
            terms.computeIfAbsent(t, k -> new Postings(postingsPerTerm)).add(docId);
        }
    }

    int[] query(List<String> queryTerms) {
        int[] result = null;
        for (String t : queryTerms) {
            Postings p = terms.get(t);
            int[] ids = p == null ? new int[0] : p.ids();
            if (result == null) {
                result = ids;
            } else {
                result = Arrays.stream(result).filter(id -> Arrays.binarySearch(ids, id) >= 0).toArray();
            }
        }
        return result == null ? new int[0] : result;
    }

    private static final class Postings {
        private final int[] ring;
        private int count;

        Postings(int size) {
            ring = new int[size];
        }

        void add(int docId) {
            if (count > 0 && ring[(count - 1) % ring.length] == docId) {
                return;
            }
            ring[count++ % ring.length] = docId;
        }

        int[] ids() {
            int[] out = Arrays.copyOf(ring, Math.min(count, ring.length));
            Arrays.sort(out);
            return out;
        }
    }
}
