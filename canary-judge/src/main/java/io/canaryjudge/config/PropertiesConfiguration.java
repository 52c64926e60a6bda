package io.canaryjudge.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Binds the {@code canary-judge.*} properties and resolves named analysis configs from them. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({CanaryJudgeProperties.class, AnalysisProperties.class, PyroscopeProperties.class,
        PrometheusProperties.class, LocalSourceProperties.class, UploadProperties.class, FlaggerProperties.class,
        ResilienceProperties.class, JudgeConfigProperties.class, StoreProperties.class})
public class PropertiesConfiguration {

    @Bean
    AnalysisConfigs analysisConfigs(AnalysisProperties analysis, FlaggerProperties flagger,
                                    PrometheusProperties prometheus, CanaryJudgeProperties service,
                                    JudgeConfigProperties judgeConfig) {
        return new ConfiguredAnalysisConfigs(analysis, flagger, prometheus, service, judgeConfig);
    }
}
