package io.canaryjudge.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * The zero-setup store: the most recent analyses in this process's memory, oldest dropped first. Lost on
 * restart and not shared between replicas. Retention is its capacity, applied on every save.
 */
public final class InMemoryVerdictStore implements VerdictStore {
    private final int capacity;
    private final Map<String, StoredAnalysis> analyses = new LinkedHashMap<>();

    /** @param capacity analyses kept; the oldest goes when one more arrives */
    public InMemoryVerdictStore(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public Mono<Void> save(StoredAnalysis analysis) {
        return Mono.fromRunnable(() -> {
            synchronized (analyses) {
                analyses.put(analysis.id(), analysis);
                while (analyses.size() > capacity) {
                    analyses.remove(analyses.keySet().iterator().next());
                }
            }
        });
    }

    @Override
    public Mono<StoredAnalysis> find(String id) {
        return Mono.fromSupplier(() -> {
            synchronized (analyses) {
                return analyses.get(id);
            }
        });
    }

    @Override
    public Mono<String> check() {
        return Mono.fromSupplier(() -> {
            synchronized (analyses) {
                return "in memory: " + analyses.size() + " of at most " + capacity + " analyses kept";
            }
        });
    }

    /** Nothing to do: the capacity is enforced on every save. */
    @Override
    public Mono<Long> removeExpired(Instant now) {
        return Mono.just(0L);
    }
}
