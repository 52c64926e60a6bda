package io.canaryjudge.config.kubernetes;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.commons.util.TaskSchedulerWrapper;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Reload of the named configs when Spring Cloud changes the environment, and its health component
 * {@code analysisConfigs} (part of readiness). Without a change event (outside Kubernetes, nothing publishes
 * one) the configs of start-up stay.
 */
@Configuration(proxyBeanMethods = false)
public class ConfigReloadConfiguration {

    @Bean
    ConfigChangeListener configChangeListener(ReloadableAnalysisConfigs configs, MeterRegistry registry) {
        return new ConfigChangeListener(configs, registry);
    }

    @Bean
    static ConfigPollingStop configPollingStop(ObjectProvider<TaskSchedulerWrapper<?>> schedulers) {
        return new ConfigPollingStop(schedulers);
    }

    /**
     * Always UP: a refused change leaves the previous configs answering, and every replica reads the same
     * ConfigMap, so taking them out of the Service would stop all of them at once. The details say which configs
     * are in use and, while a change is refused, why.
     */
    @Bean
    HealthIndicator analysisConfigsHealthIndicator(ReloadableAnalysisConfigs configs) {
        return () -> {
            ReloadableAnalysisConfigs.Status status = configs.status();
            Health.Builder health = Health.up()
                    .withDetail("configs", status.names())
                    .withDetail("generation", status.generation())
                    .withDetail("appliedAt", status.appliedAt().toString());
            if (status.rejection() != null) {
                health.withDetail("rejected", status.rejection().reason())
                        .withDetail("rejectedAt", status.rejection().at().toString());
            }
            return health.build();
        };
    }
}
