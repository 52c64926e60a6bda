package io.canaryjudge.store;

import reactor.core.publisher.Mono;

/**
 * Where completed analyses are kept for {@code GET /api/v1/analyses/{id}} and {@code GET /reports/{id}}.
 * In memory by default ({@link InMemoryVerdictStore}); a durable, shared store (several replicas behind one
 * Service) implements the same two calls.
 */
public interface VerdictStore {

    /** Keeps the analysis; completes when it is stored. */
    Mono<Void> save(StoredAnalysis analysis);

    /** The analysis with this id; empty when there is none (unknown, or no longer kept). */
    Mono<StoredAnalysis> find(String id);
}
