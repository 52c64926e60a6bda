package io.canaryjudge.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where verdicts are kept ({@code canary-judge.store.*}). The database itself is Spring's
 * {@code spring.datasource.url}, {@code .username}, {@code .password} (pool: {@code spring.datasource.hikari.*}).
 *
 * @param type      {@code memory} (this process only, lost on restart) or {@code postgres} (shared by every
 *                  replica, kept across restarts; needs {@code spring.datasource.url}); null (unset): postgres when
 *                  {@code spring.datasource.url} is set, else memory — so a database configured is a database used
 * @param capacity  verdicts kept in memory (the memory store); the oldest go first
 * @param timeout   the longest a request waits for the database (a save before answering, a read for GET); a save
 *                  still running then goes on in the background and the verdict is answered anyway
 * @param retention how long the database keeps verdicts
 */
@ConfigurationProperties("canary-judge.store")
public record StoreProperties(StoreType type,
                              @DefaultValue("1000") int capacity,
                              @DefaultValue("1s") Duration timeout,
                              @DefaultValue Retention retention) {
    private static final String P = "canary-judge.store.";

    public StoreProperties {
        PropertyCheck.atLeast(capacity, 1, P + "capacity");
        PropertyCheck.positive(timeout, P + "timeout");
        if (retention == null) {
            retention = new Retention(Duration.ofDays(30), 10_000, Duration.ofMinutes(10));
        }
    }

    public enum StoreType {
        /** This process's memory: the last {@code capacity} verdicts. */
        MEMORY,
        /** A PostgreSQL database shared by replicas, migrated with Flyway at start-up. */
        POSTGRES
    }

    /**
     * Bounded retention in the database, enforced every {@code interval} by each replica (the deletes are
     * idempotent, so replicas doing it at the same time delete each row once).
     *
     * @param maxAge   verdicts completed longer ago than this are deleted
     * @param maxRows  at most this many verdicts are kept; the oldest beyond it are deleted
     * @param interval time between two clean-ups (the first runs one interval after start-up)
     */
    public record Retention(@DefaultValue("30d") Duration maxAge,
                            @DefaultValue("10000") int maxRows,
                            @DefaultValue("10m") Duration interval) {
        public Retention {
            PropertyCheck.positive(maxAge, P + "retention.max-age");
            PropertyCheck.atLeast(maxRows, 1, P + "retention.max-rows");
            PropertyCheck.positive(interval, P + "retention.interval");
        }
    }
}
