package io.canaryjudge.config.kubernetes;

import java.util.concurrent.ScheduledFuture;
import org.springframework.scheduling.Trigger;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The scheduler Spring Cloud Kubernetes runs its ConfigMap polls on (bean {@code springCloudKubernetesTaskScheduler}),
 * reporting each poll's outcome to {@link ConfigMapReads}. A failed poll is recorded, not rethrown: the next one
 * runs as scheduled either way.
 */
final class ConfigMapPollScheduler extends ThreadPoolTaskScheduler {
    private final transient ConfigMapReads reads;

    ConfigMapPollScheduler(ConfigMapReads reads) {
        this.reads = reads;
        setThreadNamePrefix("configmap-poll-");
        setDaemon(true);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, Trigger trigger) {
        return super.schedule(() -> {
            try {
                task.run();
                reads.succeeded();
            } catch (RuntimeException e) {
                reads.failed(e);
            }
        }, trigger);
    }
}
