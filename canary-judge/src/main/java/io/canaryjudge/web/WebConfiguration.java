package io.canaryjudge.web;

import io.canaryjudge.config.AnalysisConfigs;
import io.canaryjudge.config.AnalysisProperties;
import io.canaryjudge.config.CanaryJudgeProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The web layer's helpers: request checking, verdict answers, report links. */
@Configuration(proxyBeanMethods = false)
public class WebConfiguration {

    @Bean
    AnalysisRequests analysisRequests(AnalysisConfigs configs, AnalysisProperties settings, Clock clock) {
        return new AnalysisRequests(configs, settings, clock);
    }

    @Bean
    VerdictResponses verdictResponses(AnalysisProperties settings) {
        return new VerdictResponses(settings.responseFindings());
    }

    @Bean
    ReportLinks reportLinks(CanaryJudgeProperties service) {
        return new ReportLinks(service.publicUrl());
    }
}
