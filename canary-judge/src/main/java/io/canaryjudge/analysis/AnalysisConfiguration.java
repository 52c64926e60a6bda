package io.canaryjudge.analysis;

import io.canaryjudge.config.AnalysisConfigs;
import io.canaryjudge.config.AnalysisProperties;
import io.canaryjudge.config.PrometheusProperties;
import io.canaryjudge.config.PyroscopeProperties;
import io.canaryjudge.config.WarmUpProperties;
import io.canaryjudge.source.GuardedPrometheus;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import io.canaryjudge.judge.Judge;
import io.canaryjudge.store.VerdictStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import reactor.core.scheduler.Schedulers;

/** Wires the orchestration: the runner, the gate that bounds analyses, the judge's metrics (the store: StoreConfiguration). */
@Configuration(proxyBeanMethods = false)
public class AnalysisConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    JudgeMetrics judgeMetrics(MeterRegistry registry) {
        return new JudgeMetrics(registry);
    }

    @Bean
    AnalysisGate analysisGate(AnalysisProperties settings, MeterRegistry registry, Clock clock) {
        return new AnalysisGate(settings.maxConcurrent(), settings.queue(), settings.judgeTime(), registry, clock);
    }

    /** Request counts and metric gates from Prometheus, when it is configured. */
    @Bean
    @ConditionalOnProperty("canary-judge.prometheus.url")
    RequestMetrics requestMetrics(GuardedPrometheus prometheus, PrometheusProperties properties,
                                  AnalysisProperties settings) {
        String absent = properties.metricQueries().absent();
        if (absent != null) {
            // Said once at start-up, and in each verdict's data quality: a setting, not a failure.
            LoggerFactory.getLogger(AnalysisConfiguration.class).warn("canary-judge.prometheus.exporter={}: {}; the"
                    + " metric gates and request counts without a query are not asked of Prometheus (set"
                    + " canary-judge.prometheus.queries.* to the server's request metrics: docs/METRICS.md)",
                    properties.exporter().name().toLowerCase(Locale.ROOT).replace('_', '-'), absent);
        }
        return new RequestMetrics(prometheus, properties.applicationLabel(), settings.instanceLabel());
    }

    @Bean
    AnalysisRunner analysisRunner(VerdictStore store, AnalysisProperties settings,
                                  ObjectProvider<RequestMetrics> requestMetrics, PrometheusProperties prometheus,
                                  PyroscopeProperties pyroscope, JudgeMetrics metrics, Clock clock) {
        ReportSettings reports = pyroscope.enabled()
                ? new ReportSettings(pyroscope.applicationLabel(), pyroscope.url().toString(),
                        pyroscope.fetchedTypeIds())
                : ReportSettings.NONE;
        return new AnalysisRunner(new Judge(), store, settings, requestMetrics.getIfAvailable(),
                prometheus.heapStep(), reports,
                Schedulers.boundedElastic(), metrics, clock, pyroscope.typesHeldWait());
    }

    /** One analysis of the packed example before the service reports ready: the first real request finds a warm JVM. */
    @Bean
    ServiceWarmUp serviceWarmUp(WarmUpProperties properties, AnalysisProperties settings, AnalysisConfigs configs,
                                ResourceLoader resources) {
        return new ServiceWarmUp(properties, settings, configs, resources);
    }
}
