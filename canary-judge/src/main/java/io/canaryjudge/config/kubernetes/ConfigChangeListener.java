package io.canaryjudge.config.kubernetes;

import io.canaryjudge.config.InvalidConfigException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationListener;

/**
 * Carries a change of the environment to the named configs. Spring Cloud publishes an
 * {@link EnvironmentChangeEvent} with the keys that changed after it re-read the environment (Spring Cloud
 * Kubernetes does so when a ConfigMap changed); the configs are immutable records bound at start-up, so they
 * are bound again here. A change the configs do not depend on leaves them alone; a change of a service-wide
 * setting is logged as needing a restart, because the sources and clients built from it are not rebuilt.
 *
 * <p>Metrics: {@code canary_judge_config_reloads_total{outcome="applied"|"rejected"}}, and
 * {@code canary_judge_config_rejected} 1 while the latest change is refused (the previous configs in use), else 0.
 */
public final class ConfigChangeListener implements ApplicationListener<EnvironmentChangeEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigChangeListener.class);
    static final ConfigurationPropertyName SERVICE = ConfigurationPropertyName.of("canary-judge");
    static final ConfigurationPropertyName CONFIGS = ConfigurationPropertyName.of("canary-judge.configs");
    static final ConfigurationPropertyName JUDGE_CONFIG = ConfigurationPropertyName.of("canary-judge.judge-config");

    private final ReloadableAnalysisConfigs configs;
    private final Counter applied;
    private final Counter rejected;

    public ConfigChangeListener(ReloadableAnalysisConfigs configs, MeterRegistry registry) {
        this.configs = configs;
        this.applied = reloads(registry, "applied");
        this.rejected = reloads(registry, "rejected");
        Gauge.builder("canary.judge.config.rejected", configs, c -> c.status().rejection() == null ? 0 : 1)
                .description("1 while the latest change of the named configs is refused and the previous ones are"
                        + " in use, else 0")
                .register(registry);
    }

    private static Counter reloads(MeterRegistry registry, String outcome) {
        return Counter.builder("canary.judge.config.reloads")
                .description("Changes of the named configs and judge configuration, applied or refused")
                .tag("outcome", outcome)
                .register(registry);
    }

    @Override
    public void onApplicationEvent(EnvironmentChangeEvent event) {
        SortedSet<String> reloaded = new TreeSet<>();
        SortedSet<String> restartNeeded = new TreeSet<>();
        classify(event.getKeys(), reloaded, restartNeeded);
        if (!restartNeeded.isEmpty()) {
            LOG.warn("changed settings take effect at the next start only: {}", String.join(", ", restartNeeded));
        }
        if (reloaded.isEmpty()) {
            return;
        }
        try {
            configs.refresh();
            applied.increment();
            ReloadableAnalysisConfigs.Status status = configs.status();
            LOG.info("named configs reloaded (generation {}): {}; changed: {}", status.generation(),
                    status.names().isEmpty() ? "none" : String.join(", ", status.names()), String.join(", ", reloaded));
        } catch (InvalidConfigException e) {
            rejected.increment();
            LOG.error("changed named configs refused, the previous ones (generation {}) stay in use: {}",
                    configs.status().generation(), e.getMessage());
        }
    }

    /** Splits changed keys into those the named configs depend on and other service settings. */
    static void classify(Set<String> keys, Set<String> reloaded, Set<String> restartNeeded) {
        for (String key : keys) {
            ConfigurationPropertyName name = ConfigurationPropertyName.adapt(key, '.');
            if (CONFIGS.isAncestorOf(name) || JUDGE_CONFIG.isAncestorOf(name)) {
                reloaded.add(key);
            } else if (SERVICE.isAncestorOf(name)) {
                restartNeeded.add(key);
            }
        }
    }
}
