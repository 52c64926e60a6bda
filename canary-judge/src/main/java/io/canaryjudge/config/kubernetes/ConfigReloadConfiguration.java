package io.canaryjudge.config.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnCloudPlatform;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.cloud.commons.util.TaskSchedulerWrapper;
import org.springframework.cloud.kubernetes.commons.config.ConfigMapPropertySourceLocator;
import org.springframework.cloud.kubernetes.commons.config.reload.ConfigurationUpdateStrategy;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.TaskScheduler;

/**
 * Reload of the named configs when Spring Cloud changes the environment, and its health component
 * {@code analysisConfigs} (part of readiness). Without a change event (outside Kubernetes nothing publishes one)
 * the configs of start-up stay.
 */
@Configuration(proxyBeanMethods = false)
public class ConfigReloadConfiguration {

    @Bean
    ConfigChangeListener configChangeListener(ReloadableAnalysisConfigs configs, MeterRegistry registry) {
        return new ConfigChangeListener(configs, registry);
    }

    /**
     * Always UP: a refused change or a failed poll leaves the previous configs answering, and every replica reads
     * the same ConfigMap, so taking them out of the Service would stop all of them at once. The details say which
     * configs are in use and, while a change is refused or the ConfigMap cannot be read, why.
     */
    @Bean
    HealthIndicator analysisConfigsHealthIndicator(ReloadableAnalysisConfigs configs,
                                                   ObjectProvider<ConfigMapReads> configMapReads,
                                                   ObjectProvider<ConfigMapKeys> configMapKeys) {
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
            ConfigMapReads reads = configMapReads.getIfAvailable();
            if (reads != null) {
                if (reads.lastRead() != null) {
                    health.withDetail("configMapReadAt", reads.lastRead().toString());
                }
                if (reads.failure() != null) {
                    health.withDetail("configMapUnreadable", reads.failure().reason())
                            .withDetail("configMapUnreadableSince", reads.failure().since().toString());
                }
            }
            ConfigMapKeys keys = configMapKeys.getIfAvailable();
            if (keys != null && !keys.notRead().isEmpty()) {
                health.withDetail("configMapKeysNotRead", keys.notRead());
            }
            return health.build();
        };
    }

    /** In Kubernetes: says which of the ConfigMap's keys are read as nothing ({@link ConfigMapKeys}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnCloudPlatform(CloudPlatform.KUBERNETES)
    static class Keys {
        @Bean
        ConfigMapKeys configMapKeys(ObjectProvider<KubernetesClient> client, Environment environment) {
            return new ConfigMapKeys(client, environment);
        }
    }

    /** Spring Cloud Kubernetes' polling (application.yaml: reload mode polling), observed. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnCloudPlatform(CloudPlatform.KUBERNETES)
    @ConditionalOnProperty("spring.cloud.kubernetes.reload.enabled")
    static class Polling {

        @Bean
        ConfigMapReads configMapReads(MeterRegistry registry) {
            return new ConfigMapReads(Clock.systemUTC(), registry);
        }

        /** Replaces Spring Cloud Kubernetes' own scheduler (same bean name and type, which it backs off for). */
        @Bean("springCloudKubernetesTaskScheduler")
        TaskSchedulerWrapper<TaskScheduler> springCloudKubernetesTaskScheduler(ConfigMapReads reads) {
            return new TaskSchedulerWrapper<>(new ConfigMapPollScheduler(reads));
        }

        /**
         * Replaces Spring Cloud Kubernetes' update strategy (it backs off for a bean of this type) when the strategy
         * is "refresh": the same outcome without a Kubernetes client left behind per reload.
         */
        @Bean
        @ConditionalOnProperty(name = "spring.cloud.kubernetes.reload.strategy", havingValue = "refresh",
                matchIfMissing = true)
        ConfigurationUpdateStrategy configMapSourceRefresh(ConfigurableApplicationContext context,
                                                          ObjectProvider<ConfigMapPropertySourceLocator> locator) {
            return new ConfigurationUpdateStrategy("refresh-configmap-sources",
                    new ConfigMapSourceRefresh(context, locator));
        }

        @Bean
        static ConfigPollingStop configPollingStop(ObjectProvider<TaskSchedulerWrapper<?>> schedulers) {
            return new ConfigPollingStop(schedulers);
        }
    }
}
