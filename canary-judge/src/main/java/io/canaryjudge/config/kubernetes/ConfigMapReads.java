package io.canaryjudge.config.kubernetes;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Spring Cloud Kubernetes could read the ConfigMaps at its latest poll. A poll that fails (API server
 * unreachable, RBAC refused, a {@code canary-judge.yaml} that is not YAML) changes nothing: the configs in use
 * stay. Without this record that would be one stack trace per poll in the log and nothing else; here it is one
 * log line per distinct reason, a readiness detail, and {@code canary_judge_config_unreadable} 1 until a poll
 * succeeds again.
 */
public final class ConfigMapReads {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigMapReads.class);

    private final Clock clock;
    private volatile Instant lastRead;
    private volatile Failure failure;

    public ConfigMapReads(Clock clock, MeterRegistry registry) {
        this.clock = clock;
        Gauge.builder("canary.judge.config.unreadable", this, reads -> reads.failure == null ? 0 : 1)
                .description("1 while the latest poll could not read the configuration's ConfigMaps (the configs in"
                        + " use stay), else 0")
                .register(registry);
    }

    void succeeded() {
        lastRead = clock.instant();
        if (failure != null) {
            LOG.info("ConfigMaps read again after failing since {}", failure.since());
            failure = null;
        }
    }

    void failed(RuntimeException e) {
        String reason = reason(e);
        Failure before = failure;
        if (before == null || !before.reason().equals(reason)) {
            LOG.error("ConfigMap poll failed, the configs in use stay: {}", reason);
        }
        failure = new Failure(before == null ? clock.instant() : before.since(), reason);
    }

    /** When a poll last read the ConfigMaps, or null before the first poll. */
    public Instant lastRead() {
        return lastRead;
    }

    /** Why the latest poll failed, or null when it succeeded. */
    public Failure failure() {
        return failure;
    }

    /** The innermost message, without the client's dump of the API server's status object. */
    static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getName();
        int status = message.indexOf(" Received status: ");
        // SnakeYAML's messages span lines (problem, position, snippet): one line for a log or a health detail.
        return (status > 0 ? message.substring(0, status) : message).strip().replaceAll("\\s+", " ");
    }

    /**
     * @param since  when polls began to fail
     * @param reason why the latest one failed
     */
    public record Failure(Instant since, String reason) {
    }
}
