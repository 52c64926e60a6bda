package io.canaryjudge.store;

import io.canaryjudge.config.StoreProperties;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Enforces the store's retention every {@code canary-judge.store.retention.interval}, from one interval after
 * start-up, in every replica: the deletes are idempotent, so replicas need not agree on who cleans up. A failed
 * clean-up is logged and tried again at the next interval; it never stops the service.
 */
public final class VerdictRetention implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(VerdictRetention.class);

    private final VerdictStore store;
    private final StoreProperties.Retention retention;
    private final Clock clock;
    private volatile Disposable running;

    public VerdictRetention(VerdictStore store, StoreProperties.Retention retention, Clock clock) {
        this.store = store;
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public void start() {
        running = Flux.interval(retention.interval(), retention.interval(), Schedulers.parallel())
                .onBackpressureDrop()
                .concatMap(tick -> store.removeExpired(clock.instant())
                        .onErrorResume(e -> {
                            LOG.warn("verdict store: retention clean-up failed, trying again in {}: {}",
                                    retention.interval(), e.getMessage());
                            return Mono.empty();
                        }), 1)
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable current = running;
        if (current != null) {
            current.dispose();
        }
        running = null;
    }

    @Override
    public boolean isRunning() {
        return running != null && !running.isDisposed();
    }
}
