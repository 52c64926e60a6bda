package io.canaryjudge.config.kubernetes;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.commons.util.TaskSchedulerWrapper;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.scheduling.concurrent.ExecutorConfigurationSupport;

/**
 * Stops Spring Cloud Kubernetes' ConfigMap polling as the service begins to shut down. Its Kubernetes client is
 * closed on the same {@link ContextClosedEvent}, while the scheduler would only stop once the beans are destroyed,
 * after the web server's graceful shutdown: every poll in between failed with "Client is closed" and a stack trace.
 * Runs before any other listener of the event.
 */
final class ConfigPollingStop implements ApplicationListener<ContextClosedEvent>, Ordered {
    private final ObjectProvider<TaskSchedulerWrapper<?>> schedulers;

    ConfigPollingStop(ObjectProvider<TaskSchedulerWrapper<?>> schedulers) {
        this.schedulers = schedulers;
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        schedulers.forEach(wrapper -> {
            if (wrapper.getTaskScheduler() instanceof ExecutorConfigurationSupport scheduler) {
                scheduler.shutdown();
            }
        });
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
