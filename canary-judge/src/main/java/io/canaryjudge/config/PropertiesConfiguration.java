package io.canaryjudge.config;

import io.canaryjudge.config.kubernetes.ReloadableAnalysisConfigs;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Binds the {@code canary-judge.*} properties and resolves named analysis configs from them. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({CanaryJudgeProperties.class, AnalysisProperties.class, PyroscopeProperties.class,
        PrometheusProperties.class, LocalSourceProperties.class, UploadProperties.class, FlaggerProperties.class,
        ResilienceProperties.class, JudgeConfigProperties.class, StoreProperties.class, WarmUpProperties.class,
        HttpProperties.class})
public class PropertiesConfiguration {
    /** The prefix of each class above: {@code canary-judge} and the groups under it. */
    public static final List<String> PREFIXES = Arrays.stream(
                    PropertiesConfiguration.class.getAnnotation(EnableConfigurationProperties.class).value())
            .map(type -> type.getAnnotation(ConfigurationProperties.class).value())
            .toList();

    /**
     * A {@code canary-judge.*} property that none of the classes above binds stops start-up, naming it: a typo must
     * not silently leave a default in force ({@link UnknownPropertiesBindHandler}).
     */
    @Bean
    static ConfigurationPropertiesBindHandlerAdvisor unknownPropertiesAdvisor() {
        return handler -> new UnknownPropertiesBindHandler(handler, PREFIXES);
    }

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
