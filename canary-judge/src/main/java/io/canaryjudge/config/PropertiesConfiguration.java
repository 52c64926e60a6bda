package io.canaryjudge.config;

import io.canaryjudge.config.kubernetes.ReloadableAnalysisConfigs;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.GenericConverter;
import org.springframework.core.env.Environment;

/** Binds the {@code canary-judge.*} properties and resolves named analysis configs from them. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({CanaryJudgeProperties.class, AnalysisProperties.class, PyroscopeProperties.class,
        PrometheusProperties.class, LocalSourceProperties.class, UploadProperties.class, FlaggerProperties.class,
        ResilienceProperties.class, JudgeConfigProperties.class, StoreProperties.class, WarmUpProperties.class,
        HttpProperties.class})
public class PropertiesConfiguration {
    /** A text holding a secret: a URL's {@code user:password@}, a connection string's {@code password=}. */
    private static final Pattern SECRET_IN_TEXT = Pattern.compile("(?is).*(://[^/@\\s]*@|password=).*");

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
    static ConfigurationPropertiesBindHandlerAdvisor unknownPropertiesAdvisor(Environment environment) {
        return parent -> checks(parent, environment);
    }

    /**
     * The checks every binding of {@code canary-judge.*} goes through, at start-up and at a ConfigMap change: no
     * property nothing reads ({@link UnknownPropertiesBindHandler}), no duration or size without its unit
     * ({@link UnitRequiredBindHandler}).
     */
    public static BindHandler checks(BindHandler parent, Environment environment) {
        return new UnknownPropertiesBindHandler(new UnitRequiredBindHandler(parent,
                new PropertySourcesPlaceholdersResolver(environment)), PREFIXES);
    }

    /** A setting's enum value that is none of the accepted ones names them ({@link SettingEnumConverter}). */
    @Bean
    @ConfigurationPropertiesBinding
    static GenericConverter settingEnumConverter() {
        return new SettingEnumConverter();
    }

    /**
     * A binder of {@code environment} with the conversions of the properties' binding (Spring's and the one above),
     * for code that binds a setting itself: a condition before the beans exist, a ConfigMap change.
     */
    public static Binder binder(Environment environment) {
        ApplicationConversionService conversions = new ApplicationConversionService();
        conversions.addConverter(new SettingEnumConverter()); // added last, asked first
        return new Binder(ConfigurationPropertySources.get(environment),
                new PropertySourcesPlaceholdersResolver(environment), conversions);
    }

    /**
     * {@code /actuator/configprops} shows every setting in effect, defaults included, and where each set one came from
     * (command line, environment variable, file, ConfigMap), so an operator can see what the judge runs with. Secrets
     * show as {@code ******}: values of keys that name a credential (password, token, secret, key), and URLs or
     * connection strings holding one. An empty secret stays empty, so "not set" is told apart from "set".
     */
    @Bean
    static SanitizingFunction secretsHidden() {
        // Spring's ifLikelyUri would hide every URL, which the operator needs to see; only those holding a secret go
        return SanitizingFunction.of(data -> "".equals(data.getValue()) ? data : data.withSanitizedValue())
                .ifLikelyCredential().ifLikelySensitiveProperty().ifVcapServices()
                .ifValueStringMatches(SECRET_IN_TEXT);
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
