package io.canaryjudge.store;

import io.canaryjudge.config.StoreProperties;
import io.canaryjudge.noise.NoiseLessons;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import reactor.core.publisher.Mono;

/**
 * Analyses in a PostgreSQL database that every replica shares: a verdict written through one instance is served
 * by all, and report links outlive restarts. The verdict and report documents are stored gzip-compressed beside
 * queryable columns ({@link AnalysisTable}); the schema is migrated at start-up ({@link SchemaMigration}).
 *
 * <p>JDBC blocks, so every call runs on a thread pool of its own with as many threads as the connection pool has
 * connections and a bounded queue: never on an event-loop thread, never unbounded. A caller waits at most
 * {@code canary-judge.store.timeout}; a call it stops waiting for runs to its end (bounded by the driver's socket
 * timeout) without being interrupted, so a connection is never abandoned half-way. A save that fails (or is still running then) is logged and counted, and the
 * caller's verdict goes out anyway — losing the record is bad, losing the answer the rollout waits for is worse.
 * A read that fails is a {@link VerdictStoreUnavailableException}: the caller learns the store is down, not that
 * the verdict does not exist.
 *
 * <p>Metrics: {@code canary_judge_store_requests_seconds{operation, outcome}} (operation {@code save}, {@code find},
 * {@code check}, {@code remove_expired}, {@code find_learned_noise}, {@code learn_noise}; outcome {@code success}, {@code failure}, {@code timeout}, {@code busy}) and
 * {@code canary_judge_store_removed_total} (rows deleted by retention).
 */
public final class PostgresVerdictStore implements VerdictStore, AutoCloseable {
    /** Longest id looked up: ids are UUIDs; anything much longer cannot be one of ours. */
    static final int MAX_ID_LENGTH = 200;
    /** Calls waiting per thread when every connection is busy; beyond it a call fails at once as busy. */
    static final int QUEUE_PER_THREAD = 64;
    private static final Logger LOG = LoggerFactory.getLogger(PostgresVerdictStore.class);

    private final AnalysisTable table;
    private final LearnedNoiseTable learnedNoise;
    private final String where;
    private final Duration timeout;
    private final StoreProperties.Retention retention;
    private final ThreadPoolExecutor executor;
    private final MeterRegistry registry;
    private final Counter removed;

    /**
     * @param where   the database as messages name it ({@code jdbc:postgresql://host:5432/db}, no credentials)
     * @param threads calls to the database at once: the connection pool's size
     */
    PostgresVerdictStore(DataSource dataSource, String where, int threads, StoreProperties properties,
                         MeterRegistry registry) {
        this.table = new AnalysisTable(dataSource);
        this.learnedNoise = new LearnedNoiseTable(dataSource);
        this.where = where;
        this.timeout = properties.timeout();
        this.retention = properties.retention();
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(threads * QUEUE_PER_THREAD), task -> {
                    Thread thread = new Thread(task, "verdict-store-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        this.executor.allowCoreThreadTimeOut(true);
        this.registry = registry;
        this.removed = Counter.builder("canary.judge.store.removed")
                .description("Stored analyses deleted by retention (age or row count)").register(registry);
    }

    /**
     * Migrates the schema and opens the store.
     *
     * @throws StoreStartupException naming {@code spring.datasource.*} when the database cannot be reached or migrated
     */
    public static PostgresVerdictStore open(DataSource dataSource, String url, int threads, StoreProperties properties,
                                            MeterRegistry registry) {
        String where = withoutCredentials(url);
        SchemaMigration.migrate(dataSource, where);
        return new PostgresVerdictStore(dataSource, where, threads, properties, registry);
    }

    @Override
    public Mono<SaveOutcome> save(StoredAnalysis analysis) {
        return Mono.defer(() -> {
            long started = System.nanoTime();
            CompletableFuture<Void> saved;
            try {
                saved = CompletableFuture.runAsync(() -> table.insert(analysis), executor);
            } catch (RejectedExecutionException e) {
                saved = CompletableFuture.failedFuture(e);
            }
            // Whatever the caller does, the outcome is counted and a lost verdict logged once, when it is known;
            // the caller waits for it at most the timeout.
            CompletableFuture<SaveOutcome> ended = saved.handle((ok, error) -> {
                if (error == null) {
                    record("save", "success", started);
                    return SaveOutcome.SAVED;
                }
                Throwable cause = unwrap(error);
                record("save", outcome(cause), started);
                LOG.warn("verdict store: analysis {} ({}) was NOT saved in {}: {}; its verdict was answered, but"
                                + " GET /api/v1/analyses/{} will not find it", analysis.id(),
                        analysis.verdict().result(), where, reason(cause), analysis.id());
                return SaveOutcome.FAILED;
            });
            // A copy, so that the timeout completing it cannot pre-empt the logging and counting above.
            CompletableFuture<SaveOutcome> waited = ended.copy()
                    .completeOnTimeout(SaveOutcome.STILL_SAVING, timeout.toNanos(), TimeUnit.NANOSECONDS);
            return Mono.fromFuture(waited, true).doOnNext(outcome -> {
                if (outcome == SaveOutcome.STILL_SAVING) {
                    LOG.warn("verdict store: saving analysis {} in {} takes longer than {} (canary-judge.store.timeout);"
                            + " answering without waiting, the save goes on", analysis.id(), where, timeout);
                }
            });
        });
    }

    @Override
    public Mono<StoredAnalysis> find(String id) {
        return storable(id) ? call("find", () -> table.find(id), timeout) : Mono.empty();
    }

    @Override
    public Mono<StoredAnalysis> findVerdict(String id) {
        return storable(id) ? call("find", () -> table.findVerdict(id), timeout) : Mono.empty();
    }

    /** An id PostgreSQL text cannot hold (U+0000) was never stored: not found, not a failing database. */
    private static boolean storable(String id) {
        return id != null && !id.isBlank() && id.length() <= MAX_ID_LENGTH && id.indexOf('\0') < 0;
    }

    @Override
    public Mono<String> check() {
        return call("check", () -> "PostgreSQL " + table.ping() + " at " + where, timeout);
    }

    /** Runs as long as it needs (no caller waits for it), bounded by the driver's socket timeout per statement. */
    @Override
    public Mono<Long> removeExpired(Instant now) {
        Instant cutoff = now.minus(retention.maxAge());
        return call("remove_expired", () -> {
            long byAge = table.removeCompletedBefore(cutoff);
            long byCount = table.removeBeyond(retention.maxRows());
            if (byAge + byCount > 0) {
                LOG.info("verdict store: retention deleted {} analyses completed before {} and {} beyond the newest {}",
                        byAge, cutoff, byCount, retention.maxRows());
            }
            removed.increment(byAge + byCount);
            return byAge + byCount;
        }, null);
    }

    @Override
    public Mono<NoiseLessons> noiseLessons(String service) {
        return call("find_learned_noise", () -> learnedNoise.find(service), timeout);
    }

    /** Waited for at most the store's timeout; a lesson that takes longer is stored (and counted) without a caller. */
    @Override
    public Mono<Void> learn(String service, NoiseLessons.Lesson lesson) {
        return call("learn_noise", () -> {
            learnedNoise.learn(service, lesson, Instant.now());
            return Boolean.TRUE;
        }, timeout).then();
    }

    /** The database as messages name it. */
    public String where() {
        return where;
    }

    @Override
    public void close() {
        executor.shutdown();
    }

    /**
     * A call on the store's threads, waited for at most {@code wait} (null: as long as it takes). Its outcome is
     * counted ({@code timeout} when the wait ended first); a failure to reach the database, a wait that ended, or a
     * full queue is a {@link VerdictStoreUnavailableException}. The wait ends by completing the future, not by
     * cancelling: nothing is interrupted, and a late error has nobody to be dropped on.
     */
    private <T> Mono<T> call(String operation, Supplier<T> call, Duration wait) {
        return Mono.defer(() -> {
            long started = System.nanoTime();
            CompletableFuture<Attempt<T>> attempt;
            try {
                attempt = CompletableFuture.supplyAsync(call, executor)
                        .handle((value, error) -> new Attempt<>(value, unwrap(error)));
            } catch (RejectedExecutionException e) {
                attempt = CompletableFuture.completedFuture(new Attempt<>(null, e));
            }
            if (wait != null) {
                attempt = attempt.completeOnTimeout(new Attempt<>(null, new TimeoutException()), wait.toNanos(),
                        TimeUnit.NANOSECONDS);
            }
            return Mono.fromFuture(attempt, true).flatMap(done -> {
                record(operation, done.error() == null ? "success" : outcome(done.error()), started);
                if (done.error() == null) {
                    return Mono.justOrEmpty(done.value());
                }
                return Mono.error(isUnavailable(done.error()) ? unavailable(done.error()) : done.error());
            });
        });
    }

    /** A call's result or its failure. */
    private record Attempt<T>(T value, Throwable error) {
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
    }

    private VerdictStoreUnavailableException unavailable(Throwable e) {
        return new VerdictStoreUnavailableException("the verdict store (PostgreSQL at " + where + ") " + reason(e), e);
    }

    private String reason(Throwable e) {
        return switch (outcome(e)) {
            case "timeout" -> "did not answer within " + timeout + " (canary-judge.store.timeout)";
            case "busy" -> "is busy: every connection is in use and " + QUEUE_PER_THREAD
                    + " calls per connection are waiting";
            default -> "failed: " + databaseMessage(e);
        };
    }

    private static boolean isUnavailable(Throwable e) {
        return e instanceof DataAccessException || e instanceof RejectedExecutionException
                || e instanceof TimeoutException;
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

    /** What the driver said: the innermost SQL exception's message (else the innermost message), on one line. */
    static String databaseMessage(Throwable e) {
        String sql = null;
        String any = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null) {
                any = t.getMessage();
                if (t instanceof SQLException) {
                    sql = t.getMessage();
                }
            }
        }
        String message = sql != null ? sql : any != null ? any : e.getClass().getSimpleName();
        return message.replaceAll("[\\r\\n]+", " ").strip();
    }

    private void record(String operation, String outcome, long startedNanos) {
        Timer.builder("canary.judge.store.requests")
                .description("Calls to the verdict store's database, by operation and outcome")
                .tag("operation", operation).tag("outcome", outcome)
                .register(registry).record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    /** A JDBC URL without its parameters or user part (either may carry a password). */
    static String withoutCredentials(String url) {
        int query = url.indexOf('?');
        String bare = query < 0 ? url : url.substring(0, query);
        int hosts = bare.indexOf("//");
        int at = bare.indexOf('@', hosts < 0 ? 0 : hosts);
        return hosts < 0 || at < 0 ? bare : bare.substring(0, hosts + 2) + bare.substring(at + 1);
    }
}
