package io.canaryjudge.store;

import io.canaryjudge.noise.NoiseLessons;
import java.time.Instant;
import reactor.core.publisher.Mono;

/**
 * Where completed analyses are kept for {@code GET /api/v1/analyses/{id}} and {@code GET /reports/{id}}.
 * In memory by default ({@link InMemoryVerdictStore}); in PostgreSQL ({@link PostgresVerdictStore}) when
 * several replicas behind one Service must serve each other's verdicts and links must survive restarts.
 * It also keeps each service's {@link NoiseLessons}: what the baselines of its earlier analyses showed of each
 * function's noise.
 */
public interface VerdictStore {

    /**
     * Keeps the analysis; completes with how that ended — stored, failed, or still saving when the store stopped
     * waiting (failures are logged and counted by the store). It never errors, because the caller's verdict must go
     * out anyway; the caller tells its client when the verdict was not stored.
     */
    Mono<SaveOutcome> save(StoredAnalysis analysis);

    /**
     * The analysis with this id; empty when there is none (unknown, or no longer kept).
     *
     * @throws VerdictStoreUnavailableException (as the Mono's error) when the store cannot answer now
     */
    Mono<StoredAnalysis> find(String id);

    /**
     * The analysis with this id without its report, as {@code GET /api/v1/analyses/{id}} serves it: the report is
     * neither read nor decoded, so a report that cannot be read back keeps no caller from its verdict.
     *
     * @throws VerdictStoreUnavailableException (as the Mono's error) when the store cannot answer now
     */
    Mono<StoredAnalysis> findVerdict(String id);

    /** Whether the store answers now: a one-line description when it does, an error saying why when not. */
    Mono<String> check();

    /**
     * Deletes the analyses retention no longer keeps, as of {@code now}; the number deleted. Idempotent: several
     * replicas may run it at the same time.
     */
    Mono<Long> removeExpired(Instant now);

    /**
     * What earlier analyses of {@code service} taught of each function's noise, one lesson per analysis
     * ({@link NoiseLessons}); empty when nothing yet.
     *
     * @throws VerdictStoreUnavailableException (as the Mono's error) when the store cannot answer now
     */
    Mono<NoiseLessons> noiseLessons(String service);

    /** Adds one analysis's lesson to the service's ({@link NoiseLessons#with}). */
    Mono<Void> learn(String service, NoiseLessons.Lesson lesson);
}
