package io.canaryjudge.store;

import io.canaryjudge.config.StoreProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Analyses in a PostgreSQL database that every replica shares: a verdict written through one instance is served
 * by all, and report links outlive restarts. The verdict and report documents are stored gzip-compressed beside
 * queryable columns ({@link AnalysisTable}); the schema is migrated at start-up ({@link SchemaMigration}).
 *
 * <p>JDBC blocks, so every call runs on a scheduler of its own with as many threads as the connection pool has
 * connections and a bounded queue: never on an event-loop thread, never unbounded. A caller waits at most
 * {@code canary-judge.store.timeout}. A save that fails (or is still running then) is logged and counted, and the
 * caller's verdict goes out anyway — losing the record is bad, losing the answer the rollout waits for is worse.
 * A read that fails is a {@link VerdictStoreUnavailableException}: the caller learns the store is down, not that
 * the verdict does not exist.
 *
 * <p>Metrics: {@code canary_judge_store_requests_seconds{operation, outcome}} (operation {@code save}, {@code find},
 * {@code check}, {@code remove_expired}; outcome {@code success}, {@code failure}, {@code timeout}, {@code busy}) and
 * {@code canary_judge_store_removed_total} (rows deleted by retention).
 */
public final class PostgresVerdictStore implements VerdictStore, AutoCloseable {
    /** Longest id looked up: ids are UUIDs; anything much longer cannot be one of ours. */
    static final int MAX_ID_LENGTH = 200;
    /** Calls waiting per thread when every connection is busy; beyond it a call fails at once as busy. */
    static final int QUEUE_PER_THREAD = 64;
    private static final Logger LOG = LoggerFactory.getLogger(PostgresVerdictStore.class);

    private final AnalysisTable table;
    private final String where;
    private final Duration timeout;
    private final StoreProperties.Retention retention;
    private final Scheduler scheduler;
    private final MeterRegistry registry;
    private final Counter removed;

    /**
     * @param where   the database as messages name it ({@code jdbc:postgresql://host:5432/db}, no credentials)
     * @param threads calls to the database at once: the connection pool's size
     */
    PostgresVerdictStore(DataSource dataSource, String where, int threads, StoreProperties properties,
                         MeterRegistry registry) {
        this.table = new AnalysisTable(dataSource);
        this.where = where;
        this.timeout = properties.timeout();
        this.retention = properties.retention();
        this.scheduler = Schedulers.newBoundedElastic(threads, QUEUE_PER_THREAD, "verdict-store", 60, true);
        this.registry = registry;
        this.removed = Counter.builder("canary.judge.store.removed")
                .description("Stored analyses deleted by retention (age or row count)").register(registry);
    }

    /**
     * Migrates the schema and opens the store.
     *
     * @throws IllegalStateException naming {@code spring.datasource.*} when the database cannot be reached or migrated
     */
    public static PostgresVerdictStore open(DataSource dataSource, String url, int threads, StoreProperties properties,
                                            MeterRegistry registry) {
        String where = withoutParameters(url);
        SchemaMigration.migrate(dataSource, where);
        return new PostgresVerdictStore(dataSource, where, threads, properties, registry);
    }

    @Override
    public Mono<Void> save(StoredAnalysis analysis) {
        return Mono.defer(() -> {
            // The insert runs to its end on its own even when the caller stops waiting for it.
            Sinks.Empty<Void> done = Sinks.empty();
            long started = System.nanoTime();
            Mono.fromRunnable(() -> table.insert(analysis)).subscribeOn(scheduler).subscribe(
                    null,
                    error -> {
                        String outcome = outcome(error);
                        record("save", outcome, started);
                        LOG.warn("verdict store: analysis {} ({}) was NOT saved in {}: {}; its verdict was answered,"
                                        + " but GET /api/v1/analyses/{} will not find it", analysis.id(),
                                analysis.verdict().result(), where, reason(error, outcome), analysis.id());
                        done.tryEmitEmpty();
                    },
                    () -> {
                        record("save", "success", started);
                        done.tryEmitEmpty();
                    });
            return done.asMono().timeout(timeout, Mono.fromRunnable(() -> LOG.warn("verdict store: saving analysis {}"
                    + " in {} takes longer than {} (canary-judge.store.timeout); answering without waiting, the save"
                    + " goes on", analysis.id(), where, timeout)));
        });
    }

    @Override
    public Mono<StoredAnalysis> find(String id) {
        if (id == null || id.isBlank() || id.length() > MAX_ID_LENGTH) {
            return Mono.empty();
        }
        return call("find", () -> table.find(id));
    }

    @Override
    public Mono<String> check() {
        return call("check", () -> "PostgreSQL " + table.ping() + " at " + where);
    }

    @Override
    public Mono<Long> removeExpired(Instant now) {
        return Mono.defer(() -> {
            long started = System.nanoTime();
            return Mono.fromCallable(() -> {
                        long byAge = table.removeCompletedBefore(now.minus(retention.maxAge()));
                        long byCount = table.removeBeyond(retention.maxRows());
                        if (byAge + byCount > 0) {
                            LOG.info("verdict store: retention deleted {} analyses completed before {} and {} beyond"
                                    + " the newest {}", byAge, now.minus(retention.maxAge()), byCount, retention.maxRows());
                        }
                        removed.increment(byAge + byCount);
                        return byAge + byCount;
                    })
                    .subscribeOn(scheduler)
                    .doOnSuccess(n -> record("remove_expired", "success", started))
                    .doOnError(e -> record("remove_expired", outcome(e), started))
                    .onErrorMap(PostgresVerdictStore::isUnavailable, e -> unavailable(e, outcome(e)));
        });
    }

    /** The database as messages name it. */
    public String where() {
        return where;
    }

    @Override
    public void close() {
        scheduler.dispose();
    }

    /** A read the caller waits for at most {@link #timeout}; failures to reach the database become unavailable. */
    private <T> Mono<T> call(String operation, java.util.concurrent.Callable<T> call) {
        return Mono.defer(() -> {
            long started = System.nanoTime();
            return Mono.fromCallable(call)
                    .subscribeOn(scheduler)
                    .timeout(timeout)
                    .doOnSuccess(value -> record(operation, "success", started))
                    .doOnError(e -> record(operation, outcome(e), started))
                    .onErrorMap(PostgresVerdictStore::isUnavailable, e -> unavailable(e, outcome(e)));
        });
    }

    private VerdictStoreUnavailableException unavailable(Throwable e, String outcome) {
        return new VerdictStoreUnavailableException("the verdict store (PostgreSQL at " + where + ") "
                + reason(e, outcome), e);
    }

    private String reason(Throwable e, String outcome) {
        return switch (outcome) {
            case "timeout" -> "did not answer within " + timeout + " (canary-judge.store.timeout)";
            case "busy" -> "is busy: every connection is in use and " + QUEUE_PER_THREAD
                    + " calls per connection are waiting";
            default -> "failed: " + SchemaMigration.rootMessage(e);
        };
    }

    private static boolean isUnavailable(Throwable e) {
        return e instanceof DataAccessException || e instanceof TimeoutException
                || e instanceof RejectedExecutionException;
    }

    private static String outcome(Throwable e) {
        if (e instanceof TimeoutException) {
            return "timeout";
        }
        if (e instanceof RejectedExecutionException) {
            return "busy";
        }
        return "failure";
    }

    private void record(String operation, String outcome, long startedNanos) {
        Timer.builder("canary.judge.store.requests")
                .description("Calls to the verdict store's database, by operation and outcome")
                .tag("operation", operation).tag("outcome", outcome)
                .register(registry).record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    /** A JDBC URL without its parameters or user part (either may carry a password). */
    static String withoutParameters(String url) {
        int query = url.indexOf('?');
        String bare = query < 0 ? url : url.substring(0, query);
        int hosts = bare.indexOf("//");
        int at = bare.indexOf('@', hosts < 0 ? 0 : hosts);
        return hosts < 0 || at < 0 ? bare : bare.substring(0, hosts + 2) + bare.substring(at + 1);
    }
}
