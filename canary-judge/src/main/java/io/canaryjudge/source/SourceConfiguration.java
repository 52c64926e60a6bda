package io.canaryjudge.source;

import io.canaryjudge.config.AnalysisProperties;
import io.canaryjudge.config.LocalSourceProperties;
import io.canaryjudge.config.PrometheusProperties;
import io.canaryjudge.config.PyroscopeProperties;
import io.canaryjudge.metrics.PrometheusConnection;
import io.canaryjudge.metrics.PrometheusHttpClient;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import io.canaryjudge.config.ResilienceProperties;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.source.ProfileSource;
import io.canaryjudge.profile.source.local.LocalDirectorySource;
import io.canaryjudge.profile.source.pyroscope.PyroscopeSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

/**
 * The profile source the service fetches from, guarded ({@link SourceGuard}): Grafana Pyroscope when
 * {@code canary-judge.pyroscope.url} is set, else the local directory ({@code canary-judge.local.directory},
 * by default the shipped examples). Its readiness is part of the service's readiness ({@code profileSource}).
 */
@Configuration(proxyBeanMethods = false)
public class SourceConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(SourceConfiguration.class);
    /** Time a readiness probe waits for a source. */
    static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);

    @Bean
    GuardedProfileSource profileSource(PyroscopeProperties pyroscope, LocalSourceProperties local,
                                       AnalysisProperties analysis, ResilienceProperties resilience,
                                       MeterRegistry registry) {
        if (pyroscope.enabled()) {
            PyroscopeSource source = new PyroscopeSource(pyroscope.connection(analysis.instanceLabel()),
                    pyroscope.concurrency());
            LOG.info("profile source: Pyroscope at {}", pyroscope.url());
            SourceGuard guard = new SourceGuard(source.name(), pyroscope.timeout(), resilience,
                    GuardedProfileSource.failures(source.name()), registry);
            return new GuardedProfileSource(source, guard, HEALTH_TIMEOUT);
        }
        LocalDirectorySource source = new LocalDirectorySource(local.effectiveDirectory(), local.matchWindows(),
                analysis.instanceLabel(), ReadOptions.defaults(), Schedulers.boundedElastic());
        LOG.info("profile source: local directory {}{}", local.effectiveDirectory().toAbsolutePath(),
                local.matchWindows() ? " (windows matched by file timestamps)" : " (every file, windows not applied)");
        SourceGuard guard = new SourceGuard(source.name(), local.timeout(), resilience,
                GuardedProfileSource.failures(source.name()), registry);
        return new GuardedProfileSource(source, guard, HEALTH_TIMEOUT);
    }

    /** Prometheus, guarded, when {@code canary-judge.prometheus.url} is set. */
    @Bean
    @ConditionalOnProperty("canary-judge.prometheus.url")
    GuardedPrometheus prometheus(PrometheusProperties properties, ResilienceProperties resilience,
                                 MeterRegistry registry) {
        PrometheusConnection connection = PrometheusConnection.of(properties.url()).withTimeout(properties.timeout());
        if (!properties.username().isEmpty()) {
            connection = connection.withAuth(new PrometheusConnection.Basic(properties.username(), properties.password()));
        } else if (!properties.bearerToken().isEmpty()) {
            connection = connection.withAuth(new PrometheusConnection.Bearer(properties.bearerToken()));
        }
        if (!properties.tenant().isEmpty()) {
            connection = connection.withHeaders(Map.of("X-Scope-OrgID", properties.tenant()));
        }
        LOG.info("request metrics: Prometheus at {}", properties.url());
        SourceGuard guard = new SourceGuard(GuardedPrometheus.NAME, properties.timeout(), resilience,
                GuardedPrometheus.failures(), registry);
        return new GuardedPrometheus(new PrometheusHttpClient(connection), guard, HEALTH_TIMEOUT);
    }

    /** Readiness of Prometheus: whether it answers {@code /-/ready} (and its circuit is not open). */
    @Bean
    @ConditionalOnProperty("canary-judge.prometheus.url")
    ReactiveHealthIndicator prometheusHealthIndicator(GuardedPrometheus prometheus, PrometheusProperties properties) {
        return () -> prometheus.readiness().map(readiness -> (readiness.ready() ? Health.up() : Health.down())
                .withDetail("url", String.valueOf(properties.url()))
                .withDetail("detail", readiness.detail())
                .withDetail("circuit", prometheus.circuitState().name())
                .build());
    }

    /** Readiness of the profile source: whether it answers (and its circuit is not open). */
    @Bean
    ReactiveHealthIndicator profileSourceHealthIndicator(GuardedProfileSource source) {
        return () -> source.health().map(health -> (health.up() ? Health.up() : Health.down())
                .withDetail("source", source.name())
                .withDetail("detail", health.detail())
                .withDetail("circuit", source.circuitState().name())
                .build());
    }
}
