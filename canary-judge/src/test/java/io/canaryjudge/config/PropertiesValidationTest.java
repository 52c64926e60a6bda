package io.canaryjudge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.profile.ProfileType;
import java.time.Duration;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A bad setting stops start-up with a message naming the property (and the value), never a silent default.
 * Bound the way the service binds them ({@link PropertiesConfiguration}).
 */
class PropertiesValidationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(PropertiesConfiguration.class);

    static Stream<Arguments> badSettings() {
        return Stream.of(
                Arguments.of("canary-judge.analysis.deadline=0s", "canary-judge.analysis.deadline"),
                Arguments.of("canary-judge.analysis.judge-time=9s", "canary-judge.analysis.judge-time"),
                Arguments.of("canary-judge.analysis.deadline=90s", "canary-judge.analysis.max-deadline"),
                Arguments.of("canary-judge.analysis.instance-label=pod-name", "canary-judge.analysis.instance-label"),
                Arguments.of("canary-judge.analysis.max-concurrent=0", "canary-judge.analysis.max-concurrent"),
                Arguments.of("canary-judge.analysis.profile-types=cpu,heap", "canary-judge.analysis.profile-types"),
                Arguments.of("canary-judge.analysis.lookback=2h", "canary-judge.analysis.max-window"),
                Arguments.of("canary-judge.pyroscope.url=ftp://pyroscope:4040", "canary-judge.pyroscope.url"),
                Arguments.of("canary-judge.pyroscope.password=secret", "canary-judge.pyroscope.password"),
                Arguments.of("canary-judge.pyroscope.timeout=-1s", "canary-judge.pyroscope.timeout"),
                Arguments.of("canary-judge.pyroscope.producer=python", "canary-judge.pyroscope.producer"),
                Arguments.of("canary-judge.pyroscope.profile-type-ids.heap=memory:inuse_space:bytes:space:bytes",
                        "canary-judge.pyroscope.profile-type-ids: \"heap\" is not a profile type"),
                Arguments.of("canary-judge.pyroscope.profile-type-ids.alloc_bytes=process_cpu:cpu:nanoseconds:cpu:nanoseconds",
                        "canary-judge.pyroscope.profile-type-ids.alloc_bytes"),
                Arguments.of("canary-judge.prometheus.url=prometheus:9090", "canary-judge.prometheus.url"),
                Arguments.of("canary-judge.local.directory=/no/such/directory", "canary-judge.local.directory"),
                Arguments.of("canary-judge.upload.max-file-size=0B", "canary-judge.upload.max-file-size"),
                Arguments.of("canary-judge.flagger.baseline-labels.app={nme}-primary",
                        "canary-judge.flagger.baseline-labels.app"),
                Arguments.of("canary-judge.flagger.canary-labels.app-name={name}",
                        "canary-judge.flagger.canary-labels.app-name"),
                Arguments.of("canary-judge.flagger.inconclusive=MAYBE", "canary-judge.flagger.inconclusive"),
                Arguments.of("canary-judge.resilience.failure-rate=0", "canary-judge.resilience.failure-rate"),
                Arguments.of("canary-judge.configs.checkout.lookback=0s", "canary-judge.configs.checkout.lookback"),
                Arguments.of("canary-judge.configs.checkout.baseline-labels.app={service}",
                        "canary-judge.configs.checkout.baseline-labels.app"),
                Arguments.of("canary-judge.judge-config.inline=thresholds: {maxQValu: 0.1}",
                        "canary-judge.judge-config.inline: thresholds.maxQValu"),
                Arguments.of("canary-judge.judge-config.file=/no/such/judge-config.yaml",
                        "canary-judge.judge-config.file"),
                Arguments.of("canary-judge.store.capacity=0", "canary-judge.store.capacity"),
                Arguments.of("canary-judge.prometheus.heap.after-gc=sum(jvm_memory_used_bytes)",
                        "canary-judge.prometheus.heap.after-gc"),
                Arguments.of("canary-judge.prometheus.heap.step=10m", "canary-judge.prometheus.heap.step"),
                // below 1 s every heap query would be refused by the Prometheus client, at every analysis
                Arguments.of("canary-judge.prometheus.heap.step=500ms", "canary-judge.prometheus.heap.step"),
                Arguments.of("canary-judge.prometheus.heap.exporter=jolokia", "canary-judge.prometheus.heap.exporter"),
                Arguments.of("canary-judge.configs.checkout.heap.jvm-start=max(process_start_time_seconds)",
                        "canary-judge.configs.checkout.heap.jvm-start"),
                // a named config has no heap step of its own: it was bound and then never used
                Arguments.of("canary-judge.configs.checkout.heap.step=30s", "canary-judge.configs.checkout.heap.step"));
    }

    @ParameterizedTest
    @MethodSource("badSettings")
    void aBadSettingFailsStartUpNamingTheProperty(String setting, String named) {
        runner.withPropertyValues(setting).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains(named);
        });
    }

    @Test
    void theServiceItselfRefusesToStartWithABadSetting() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(CanaryJudgeApplication.class)
                .web(WebApplicationType.NONE)
                .run("--canary-judge.analysis.deadline=12s", "--canary-judge.analysis.judge-time=15s"))
                .satisfies(e -> assertThat(messages(e)).contains("canary-judge.analysis.judge-time (PT15S) must be"
                        + " shorter than canary-judge.analysis.deadline (PT12S)"));
    }

    @Test
    void defaultsBindAndNamedConfigsResolve() {
        runner.withPropertyValues("canary-judge.local.directory=..",
                        "canary-judge.configs.checkout.profile-types=cpu",
                        "canary-judge.configs.checkout.lookback=15m",
                        "canary-judge.configs.checkout.heap.exporter=jmx-exporter",
                        "canary-judge.judge-config.inline=services: {search: {failOnTypes: [cpu]}, checkout: {warmup: 5m,"
                                + " memoryGrowth: {fail: false}}}")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    AnalysisProperties analysis = context.getBean(AnalysisProperties.class);
                    assertThat(analysis.deadline()).isEqualTo(Duration.ofSeconds(8));
                    assertThat(analysis.slice()).isEqualTo(Duration.ofSeconds(60));
                    assertThat(analysis.profileTypes()).containsExactly(ProfileType.CPU, ProfileType.ALLOC_BYTES);
                    AnalysisConfigs configs = context.getBean(AnalysisConfigs.class);
                    assertThat(configs.names()).containsExactly("checkout", "search");

                    AnalysisConfig checkout = configs.resolve(null, "checkout");
                    assertThat(checkout.name()).isEqualTo("checkout");
                    assertThat(checkout.profileTypes()).containsExactly(ProfileType.CPU);
                    assertThat(checkout.lookback()).isEqualTo(Duration.ofMinutes(15));
                    assertThat(checkout.warmup()).as("the judge file asks for more warm-up").isEqualTo(Duration.ofMinutes(5));
                    assertThat(configs.resolve("search", "checkout").judge().failOnTypes()).containsExactly(ProfileType.CPU);
                    // the memory-growth check: the judge file's memoryGrowth per service, heap queries per config
                    assertThat(checkout.memoryGrowth().fail()).isFalse();
                    assertThat(configs.resolve("search", "checkout").memoryGrowth().fail()).isTrue();
                    assertThat(checkout.heapQueries().heapAfterGc().text()).contains("jvm_memory_pool_collection_used_bytes");
                    assertThat(configs.resolve("search", "checkout").heapQueries().heapAfterGc().text())
                            .contains("jvm_memory_used_bytes");
                    assertThat(configs.resolve(null, "unknown-app").name()).isNull();
                    assertThatThrownBy(() -> configs.resolve("nope", "checkout"))
                            .isInstanceOf(AnalysisConfigs.UnknownConfigException.class)
                            .hasMessage("unknown config \"nope\"; known configs: checkout, search");
                    assertThat(context.getBean(FlaggerProperties.class).baselineLabels())
                            .isEqualTo(java.util.Map.of("app", "{name}-primary"));
                    assertThat(context.getBean(PyroscopeProperties.class).enabled()).isFalse();
                });
    }

    @Test
    void credentialsNeverAppearInTheSettingsText() {
        runner.withPropertyValues("canary-judge.pyroscope.url=http://pyroscope:4040",
                "canary-judge.pyroscope.username=judge", "canary-judge.pyroscope.password=hunter2").run(context ->
                assertThat(context.getBean(PyroscopeProperties.class).toString()).doesNotContain("hunter2"));
    }

    private static String messages(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
        }
        return text.toString();
    }

}
