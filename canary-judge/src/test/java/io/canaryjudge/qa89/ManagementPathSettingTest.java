package io.canaryjudge.qa89;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.config.AnalysisConfigs;
import io.canaryjudge.config.PropertiesConfiguration;
import io.canaryjudge.metrics.MetricQueries;
import io.canaryjudge.metrics.QueryTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code canary-judge.prometheus.management-path} (qa89): the pods' management base path, which every default request
 * query of Micrometer and the OpenTelemetry agent leaves out (totals, the mix, the gates' error ratio and p99), bound
 * as the service binds it. That the queries leave out what a real Spring Boot pod records is shown on a live scrape
 * ({@link LiveScrapeRequestMixTest}).
 */
class ManagementPathSettingTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(PropertiesConfiguration.class)
            .withPropertyValues("canary-judge.local.directory=..");

    private static List<String> texts(MetricQueries queries) {
        List<String> texts = new ArrayList<>();
        for (QueryTemplate template : List.of(queries.requests(), queries.requestsPerInstance(), queries.errorRatio(),
                queries.latencyP99(), queries.requestsPerEndpoint())) {
            texts.add(Objects.requireNonNull(template).text());
        }
        return texts;
    }

    /** Every message of the context's start-up failure and its causes, one a line. */
    private static String startupFailure(AssertableApplicationContext context) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
        }
        return text.toString();
    }

    /**
     * By default every Micrometer request query, the totals for cost per request and load included, leaves out
     * {@code /actuator} and the routes under it. Fails before qa89: only the per-endpoint query did; the totals, the
     * error ratio and the p99 counted Prometheus' scrapes and the kubelet's probes.
     */
    @Test
    void byDefaultEveryRequestQueryLeavesOutActuator() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            MetricQueries queries = context.getBean(AnalysisConfigs.class).resolve(null, "checkout").queries();
            assertThat(texts(queries)).allSatisfy(text -> assertThat(text).contains("uri!~\"/actuator(/.*)?"));
            // the error ratio's numerator and denominator alike
            assertThat(queries.errorRatio().text().split("/actuator", -1)).hasSize(3);
        });
    }

    /**
     * A base path of one's own replaces {@code /actuator} in every default query of the service's exporter and of a
     * named config's (Micrometer's {@code uri}, the OpenTelemetry agent's {@code http_route}); a dot is matched as a
     * dot. Istio's series name no route and are asked as before. Fails before qa89: the key did not exist (start-up
     * refused it as unknown), and a base path of one's own needed every query set by hand.
     */
    @Test
    void aBasePathOfOnesOwnIsLeftOutOfEveryDefaultQuery() {
        runner.withPropertyValues("canary-judge.prometheus.management-path=/internal/manage.v2",
                "canary-judge.configs.otel.exporter=opentelemetry", "canary-judge.configs.mesh.exporter=istio",
                "canary-judge.configs.own.queries.requests-per-instance="
                        + "sum by ({{instance_label}}) (increase(my_requests_total{{{selector}}}[{{range}}]))")
                .run(context -> {
            assertThat(context).hasNotFailed();
            AnalysisConfigs configs = context.getBean(AnalysisConfigs.class);
            assertThat(texts(configs.resolve(null, "checkout").queries())).allSatisfy(text -> assertThat(text)
                    .contains("uri!~\"/internal/manage\\\\.v2(/.*)?").doesNotContain("/actuator"));
            assertThat(texts(configs.resolve("otel", "checkout").queries())).allSatisfy(text -> assertThat(text)
                    .contains("http_route!~\"/internal/manage\\\\.v2(/.*)?\"").doesNotContain("/actuator"));
            assertThat(configs.resolve("mesh", "checkout").queries().requestsPerInstance().text())
                    .isEqualTo(MetricQueries.ISTIO_REQUESTS_PER_INSTANCE);
            // a query set by hand is taken as written
            assertThat(configs.resolve("own", "checkout").queries().requestsPerInstance().text())
                    .doesNotContain("manage");
        });
    }

    /**
     * A named config's own base path replaces the service's in that config's default queries (its exporter's, else the
     * service's exporter's), and in no other config's. Fails before qa94: the key was unknown and stopped start-up.
     */
    @Test
    void aNamedConfigsOwnBasePathReplacesTheServicesInItsQueries() {
        runner.withPropertyValues("canary-judge.prometheus.management-path=/internal/manage.v2",
                "canary-judge.configs.own.management-path=/admin", "canary-judge.configs.otel.exporter=opentelemetry",
                "canary-judge.configs.otel.management-path=/admin", "canary-judge.configs.plain.lookback=5m")
                .run(context -> {
            assertThat(context).hasNotFailed();
            AnalysisConfigs configs = context.getBean(AnalysisConfigs.class);
            assertThat(texts(configs.resolve("own", "checkout").queries())).allSatisfy(text -> assertThat(text)
                    .contains("uri!~\"/admin(/.*)?").doesNotContain("manage").doesNotContain("/actuator"));
            assertThat(texts(configs.resolve("otel", "checkout").queries())).allSatisfy(text -> assertThat(text)
                    .contains("http_route!~\"/admin(/.*)?\"").doesNotContain("manage"));
            for (String service : new String[] {null, "plain"}) {
                assertThat(texts(configs.resolve(service, "checkout").queries())).allSatisfy(text -> assertThat(text)
                        .contains("uri!~\"/internal/manage\\\\.v2(/.*)?").doesNotContain("/admin"));
            }
        });
    }

    /** A named config's base path no filter can use stops start-up naming its key and the value, as the service's. */
    @ParameterizedTest
    @ValueSource(strings = {"/", "manage", "/manage/", "/a/../b"})
    void aNamedConfigsBasePathNoFilterCanUseStopsStartUp(String path) {
        runner.withPropertyValues("canary-judge.configs.own.management-path=" + path).run(context -> {
            assertThat(context).hasFailed();
            String text = startupFailure(context);
            assertThat(text).contains("canary-judge.configs.own.management-path: \"" + path + "\"");
        });
    }

    /** A base path no path filter can use stops start-up naming the key and the problem, never a stack trace alone. */
    @ParameterizedTest
    @ValueSource(strings = {"/", "manage", "/manage/", "/ma*nage", "/a//b", "/a b", "/a/../b", "/ma\"nage"})
    void aBasePathNoFilterCanUseStopsStartUp(String path) {
        runner.withPropertyValues("canary-judge.prometheus.management-path=" + path).run(context -> {
            assertThat(context).hasFailed();
            String text = startupFailure(context);
            assertThat(text).contains("canary-judge.prometheus.management-path: ");
            if (path.equals("/")) {
                assertThat(text).contains("share the application's routes");
            } else if (path.contains("..")) {
                assertThat(text).contains("\"" + path + "\" has a \"..\" segment");
            } else {
                assertThat(text).contains("is not a base path such as /actuator").contains(path);
            }
        });
    }
}
