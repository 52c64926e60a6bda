package io.canaryjudge.config.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canaryjudge.config.AnalysisConfig;
import io.canaryjudge.config.AnalysisConfigs;
import io.canaryjudge.config.AnalysisProperties;
import io.canaryjudge.config.CanaryJudgeProperties;
import io.canaryjudge.config.ConfiguredAnalysisConfigs;
import io.canaryjudge.config.FlaggerProperties;
import io.canaryjudge.config.InvalidConfigException;
import io.canaryjudge.config.JudgeConfigProperties;
import io.canaryjudge.config.PrometheusProperties;
import io.canaryjudge.profile.ProfileType;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.MutablePropertySources;

/**
 * Re-binding the named configs from a changed environment: the whole new set or nothing, every refusal naming the
 * property, the service-wide settings of start-up kept.
 */
class ReloadableAnalysisConfigsTest {
    final Map<String, Object> properties = new HashMap<>();
    final StandardEnvironment environment = new StandardEnvironment();

    ReloadableAnalysisConfigsTest() {
        MutablePropertySources sources = environment.getPropertySources();
        sources.addFirst(new MapPropertySource("configmap", properties));
        properties.put("canary-judge.local.directory", "..");
        properties.put("canary-judge.configs.checkout.profile-types", "cpu");
        properties.put("canary-judge.judge-config.inline", "services: {checkout: {thresholds: {minRelativeChange: 0.1}}}");
    }

    ReloadableAnalysisConfigs startUp() {
        Binder binder = Binder.get(environment);
        AnalysisProperties analysis = binder.bindOrCreate("canary-judge.analysis", AnalysisProperties.class);
        FlaggerProperties flagger = binder.bindOrCreate("canary-judge.flagger", FlaggerProperties.class);
        PrometheusProperties prometheus = binder.bindOrCreate("canary-judge.prometheus", PrometheusProperties.class);
        ConfiguredAnalysisConfigs initial = new ConfiguredAnalysisConfigs(analysis, flagger, prometheus,
                binder.bindOrCreate("canary-judge", CanaryJudgeProperties.class),
                binder.bindOrCreate("canary-judge.judge-config", JudgeConfigProperties.class));
        return new ReloadableAnalysisConfigs(initial, environment, analysis, flagger, prometheus, Clock.systemUTC());
    }

    @Test
    void aValidChangeIsUsedWholeFromTheNextResolve() throws Exception {
        ReloadableAnalysisConfigs configs = startUp();
        AnalysisConfig before = configs.resolve("checkout", null);

        properties.put("canary-judge.configs.checkout.lookback", "25m");
        properties.put("canary-judge.configs.search.profile-types", "alloc_bytes");
        properties.put("canary-judge.judge-config.inline",
                "services: {checkout: {thresholds: {minRelativeChange: 0.3}, ignore: ['com\\.shop\\.metrics\\..*']}}");
        configs.refresh();

        AnalysisConfig after = configs.resolve("checkout", null);
        assertThat(after.lookback()).isEqualTo(Duration.ofMinutes(25));
        assertThat(after.profileTypes()).containsExactly(ProfileType.CPU);
        assertThat(after.judge().thresholds().minRelativeChange()).isEqualTo(0.3);
        assertThat(after.judge().ignore()).hasSize(1);
        assertThat(before.judge().thresholds().minRelativeChange()).isEqualTo(0.1);
        assertThat(configs.names()).containsExactly("checkout", "search");
        assertThat(configs.status().generation()).isEqualTo(2);
        assertThat(configs.status().rejection()).isNull();
    }

    @Test
    void anInvalidChangeLeavesEveryConfigAsItWasAndSaysWhy() throws Exception {
        ReloadableAnalysisConfigs configs = startUp();
        // A valid part and an invalid part in one change: neither is applied.
        properties.put("canary-judge.configs.search.profile-types", "cpu");
        properties.put("canary-judge.judge-config.inline",
                "services: {checkout: {thresholds: {minRelativeChange: 0.3, maxQValue: 7}}}");

        assertThatThrownBy(configs::refresh).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("canary-judge.judge-config.inline")
                .hasMessageContaining("services.checkout.thresholds").hasMessageContaining("maxQValue");

        assertThat(configs.names()).containsExactly("checkout");
        assertThat(configs.resolve("checkout", null).judge().thresholds().minRelativeChange()).isEqualTo(0.1);
        assertThat(configs.status().generation()).isEqualTo(1);
        assertThat(configs.status().rejection().reason()).contains("maxQValue");
        assertThatThrownBy(() -> configs.resolve("search", null))
                .isInstanceOf(AnalysisConfigs.UnknownConfigException.class);
    }

    /**
     * A ConfigMap change is checked as start-up is: a duration without its unit (15 would be 15 ms) and a profile type
     * that is none of the types are refused, each naming what it should be.
     */
    @Test
    void aDurationWithoutItsUnitOrATypeThatIsNoneIsRefusedSayingWhatIsMeant() {
        Map<String, String> bad = Map.of(
                "canary-judge.configs.checkout.lookback", "canary-judge.configs.checkout.lookback is \"15\" without a unit,"
                        + " which would be 15 ms; write the unit, e.g. 15s, 15m or 15ms",
                "canary-judge.configs.checkout.profile-types", "\"heap\" is not one of cpu, wall, alloc_bytes");
        Map<String, String> values = Map.of("canary-judge.configs.checkout.lookback", "15",
                "canary-judge.configs.checkout.profile-types", "cpu,heap");
        for (Map.Entry<String, String> setting : values.entrySet()) {
            ReloadableAnalysisConfigs configs = startUp();
            Object before = properties.put(setting.getKey(), setting.getValue());

            assertThatThrownBy(configs::refresh).as(setting.toString())
                    .isInstanceOf(InvalidConfigException.class)
                    .satisfies(e -> assertThat(e.getMessage()).as(setting.toString()).contains(bad.get(setting.getKey())));
            assertThat(configs.status().generation()).isEqualTo(1);

            if (before == null) {
                properties.remove(setting.getKey());
            } else {
                properties.put(setting.getKey(), before);
            }
        }
    }

    @Test
    void eachKindOfBadValueIsRefusedNamingTheProperty() {
        List<Map.Entry<String, String>> bad = List.of(
                Map.entry("canary-judge.configs.checkout.lookback", "soon"),
                Map.entry("canary-judge.configs.checkout.lookback", "-5m"),
                Map.entry("canary-judge.configs.checkout.profile-types", "cpu,heap"),
                Map.entry("canary-judge.configs.checkout.history-windows", "-1"),
                Map.entry("canary-judge.configs.checkout.baseline-labels.app", "{service}-primary"),
                Map.entry("canary-judge.configs.checkout.queries.error-ratio", "sum(rate(x[5m]))"),
                Map.entry("canary-judge.configs.checkout.gates.error-ratio.relative-tolerance", "-0.5"),
                Map.entry("canary-judge.judge-config.inline", "services: [checkout"),
                Map.entry("canary-judge.judge-config.file", "/no/such/judge-config.yaml"),
                // A key no setting has: accepted now, it would stop the next pod from starting.
                Map.entry("canary-judge.configs.checkout.lookbak", "5m"),
                Map.entry("canary-judge.judge-config.inlin", "services: {}"));
        for (Map.Entry<String, String> setting : bad) {
            ReloadableAnalysisConfigs configs = startUp();
            Object before = properties.put(setting.getKey(), setting.getValue());

            String key = setting.getKey();
            assertThatThrownBy(configs::refresh).as(setting.toString())
                    .isInstanceOf(InvalidConfigException.class)
                    .satisfies(e -> assertThat(e.getMessage()).as(setting.toString())
                            .contains(key.substring(0, key.lastIndexOf('.'))));
            assertThat(configs.status().generation()).isEqualTo(1);

            if (before == null) {
                properties.remove(setting.getKey());
            } else {
                properties.put(setting.getKey(), before);
            }
        }
    }

    @Test
    void changedKeysAreSortedIntoReloadedAndNeedingARestart() {
        Set<String> reloaded = new TreeSet<>();
        Set<String> restart = new TreeSet<>();

        ConfigChangeListener.classify(Set.of("canary-judge.configs.checkout.profile-types[0]",
                "canary-judge.judge-config.inline", "canaryJudge.configs.search.lookback",
                "canary-judge.analysis.deadline", "canary-judge.pyroscope.url", "logging.level.root",
                "canary-judge.configsx"), reloaded, restart);

        assertThat(reloaded).containsExactly("canary-judge.configs.checkout.profile-types[0]",
                "canary-judge.judge-config.inline", "canaryJudge.configs.search.lookback");
        assertThat(restart).containsExactly("canary-judge.analysis.deadline", "canary-judge.configsx",
                "canary-judge.pyroscope.url");
    }
}
