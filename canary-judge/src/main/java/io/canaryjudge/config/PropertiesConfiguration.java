package io.canaryjudge.config;

import io.canaryjudge.config.kubernetes.ReloadableAnalysisConfigs;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Binds the {@code canary-judge.*} properties and resolves named analysis configs from them. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({CanaryJudgeProperties.class, AnalysisProperties.class, PyroscopeProperties.class,
        PrometheusProperties.class, LocalSourceProperties.class, UploadProperties.class, FlaggerProperties.class,
        ResilienceProperties.class, JudgeConfigProperties.class, StoreProperties.class, WarmUpProperties.class})
public class PropertiesConfiguration {

    /** Bound at start-up; bound again when Spring Cloud changes the environment (a ConfigMap in Kubernetes). */
    @Bean
    ReloadableAnalysisConfigs analysisConfigs(AnalysisProperties analysis, FlaggerProperties flagger,
                                              PrometheusProperties prometheus, CanaryJudgeProperties service,
                                              JudgeConfigProperties judgeConfig, Environment environment) {
        return new ReloadableAnalysisConfigs(
                new ConfiguredAnalysisConfigs(analysis, flagger, prometheus, service, judgeConfig),
                environment, analysis, flagger, prometheus, Clock.systemUTC());
    }
}
