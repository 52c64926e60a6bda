package io.canaryjudge.analysis;

import io.canaryjudge.config.AnalysisProperties;
import io.canaryjudge.judge.Judge;
import io.canaryjudge.store.VerdictStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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
    AnalysisGate analysisGate(AnalysisProperties settings, MeterRegistry registry) {
        return new AnalysisGate(settings.maxConcurrent(), settings.queue(), registry);
    }

    @Bean
    AnalysisRunner analysisRunner(VerdictStore store, AnalysisProperties settings,
                                  ObjectProvider<RequestCounter> requestCounter, JudgeMetrics metrics, Clock clock) {
        return new AnalysisRunner(new Judge(), store, settings, requestCounter.getIfAvailable(),
                Schedulers.boundedElastic(), metrics, clock);
    }
}
