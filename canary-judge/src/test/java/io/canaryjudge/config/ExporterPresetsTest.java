package io.canaryjudge.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.metrics.HeapQueries;
import io.canaryjudge.metrics.MetricQueries;
import io.canaryjudge.metrics.MetricsExporter;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code canary-judge.prometheus.exporter} (and a named config's {@code exporter}) chooses the request, gate and heap
 * queries together; {@code queries.*} and {@code heap.*} set beside it still win. Bound as the service binds them
 * ({@link PropertiesConfiguration}). That the presets' queries fit each exporter's real series is shown on Prometheus
 * ({@code OpenTelemetryRequestSeriesTest}, {@code PrometheusExportersTest}).
 */
class ExporterPresetsTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(PropertiesConfiguration.class)
            .withPropertyValues("canary-judge.local.directory=..");

    @Test
    void theServiceWideExporterChoosesRequestAndHeapQueries() {
        runner.withPropertyValues("canary-judge.prometheus.exporter=opentelemetry").run(context -> {
            assertThat(context).hasNotFailed();
            AnalysisConfig config = context.getBean(AnalysisConfigs.class).resolve(null, "checkout");
            assertThat(config.queries()).isEqualTo(MetricQueries.of(MetricsExporter.OPENTELEMETRY));
            assertThat(config.queries().errorRatio().text()).contains("http_server_request_duration_seconds_count")
                    .contains("http_response_status_code=~\"5..\"");
            assertThat(config.heapQueries()).isEqualTo(HeapQueries.of(HeapQueries.Exporter.OPENTELEMETRY));
        });
    }

    @Test
    void theDefaultIsMicrometer() {
        runner.run(context -> {
            AnalysisConfig config = context.getBean(AnalysisConfigs.class).resolve(null, "checkout");
            assertThat(config.queries()).isEqualTo(MetricQueries.defaults());
            assertThat(config.queries().errorRatio().text()).isEqualTo(MetricQueries.DEFAULT_ERROR_RATIO);
            assertThat(config.heapQueries()).isEqualTo(HeapQueries.defaults());
        });
    }

    @Test
    void explicitQueriesAndHeapSettingsWinOverThePreset() {
        runner.withPropertyValues("canary-judge.prometheus.exporter=opentelemetry",
                "canary-judge.prometheus.queries.latency-p99=max(my_p99_seconds{{{selector}}})",
                "canary-judge.prometheus.heap.exporter=micrometer",
                "canary-judge.configs.mesh.exporter=istio",
                "canary-judge.configs.mesh.queries.error-ratio=max(my_errors{{{selector}}})").run(context -> {
            assertThat(context).hasNotFailed();
            AnalysisConfigs configs = context.getBean(AnalysisConfigs.class);
            AnalysisConfig service = configs.resolve(null, "checkout");
            assertThat(service.queries().latencyP99().text()).isEqualTo("max(my_p99_seconds{{{selector}}})");
            assertThat(service.queries().errorRatio().text()).isEqualTo(MetricQueries.OPENTELEMETRY_ERROR_RATIO);
            assertThat(service.heapQueries()).isEqualTo(HeapQueries.defaults());
            // The named config's exporter replaces the service's preset; its own query replaces one of Istio's.
            AnalysisConfig mesh = configs.resolve("mesh", "checkout");
            assertThat(mesh.queries().errorRatio().text()).isEqualTo("max(my_errors{{{selector}}})");
            assertThat(mesh.queries().latencyP99().text()).isEqualTo(MetricQueries.ISTIO_LATENCY_P99);
            assertThat(mesh.queries().requestsPerInstance().text())
                    .isEqualTo(MetricQueries.ISTIO_REQUESTS_PER_INSTANCE);
            // A sidecar exports no JVM metrics: the heap queries stay the service's.
            assertThat(mesh.heapQueries()).isEqualTo(service.heapQueries());
        });
    }

    @Test
    void theJmxExporterHasNoRequestQueriesUnlessSomeAreGiven() {
        runner.withPropertyValues("canary-judge.configs.jmx.exporter=jmx-exporter",
                "canary-judge.configs.tomcat.exporter=jmx-exporter",
                "canary-judge.configs.tomcat.queries.error-ratio=max(tomcat_errors{{{selector}}})",
                "canary-judge.configs.full.exporter=jmx-exporter",
                "canary-judge.configs.full.queries.error-ratio=max(tomcat_errors{{{selector}}})",
                "canary-judge.configs.full.queries.latency-p99=max(tomcat_p99{{{selector}}})",
                "canary-judge.configs.full.queries.requests-per-instance=sum by ({{instance_label}}) (tomcat_requests{{{selector}}})")
                .run(context -> {
            assertThat(context).hasNotFailed();
            AnalysisConfigs configs = context.getBean(AnalysisConfigs.class);
            AnalysisConfig jmx = configs.resolve("jmx", "checkout");
            assertThat(jmx.queries().errorRatio()).isNull();
            assertThat(jmx.queries().latencyP99()).isNull();
            assertThat(jmx.queries().requestsPerInstance()).isNull();
            assertThat(jmx.queries().absent()).isEqualTo(MetricQueries.JMX_EXPORTER_ABSENT);
            assertThat(jmx.heapQueries()).isEqualTo(HeapQueries.of(HeapQueries.Exporter.JMX_EXPORTER));
            AnalysisConfig tomcat = configs.resolve("tomcat", "checkout");
            assertThat(tomcat.queries().errorRatio().text()).isEqualTo("max(tomcat_errors{{{selector}}})");
            assertThat(tomcat.queries().latencyP99()).isNull();
            // every query the service asks given: nothing is missing, so no verdict says the exporter has none
            AnalysisConfig full = configs.resolve("full", "checkout");
            assertThat(full.queries().absent()).isNull();
        });
    }

    @Test
    void aNamedConfigsHeapReplacementKeepsTheServicesExportersOtherQueries() {
        // Before, a named config setting only heap.after-gc took Micrometer's JVM start whatever the service's
        // exporter: the OpenTelemetry agent exports no process_start_time_seconds, so every pod's age was unknown.
        runner.withPropertyValues("canary-judge.prometheus.exporter=opentelemetry",
                "canary-judge.configs.orders.heap.after-gc=max by ({{instance_label}}) (my_heap{{{selector}}})")
                .run(context -> {
                    AnalysisConfig orders = context.getBean(AnalysisConfigs.class).resolve("orders", "orders");
                    assertThat(orders.heapQueries().jvmStart().text()).isEqualTo(HeapQueries.OPENTELEMETRY_START);
                    assertThat(orders.heapQueries().heapAfterGc().text()).contains("my_heap");
                });
    }

    @Test
    void anUnknownExporterStopsStartUpListingTheKnownOnes() {
        for (String setting : new String[] {"canary-judge.prometheus.exporter=zipkin",
                "canary-judge.configs.checkout.exporter=zipkin"}) {
            runner.withPropertyValues(setting).run(context -> {
                assertThat(context).hasFailed();
                StringBuilder text = new StringBuilder();
                for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
                    text.append(t.getMessage()).append('\n');
                }
                assertThat(text.toString()).as(setting).contains(setting.substring(0, setting.indexOf('=')))
                        .contains("\"zipkin\" is not one of micrometer, opentelemetry, jmx-exporter, istio");
            });
        }
    }

    /**
     * qa81: each exporter's per-endpoint query groups by the label its series name the route with (Micrometer's
     * {@code uri}, the OpenTelemetry agent's {@code http_route}); Istio's and the JMX exporter's series name none, so
     * nothing is asked. A replacement is checked at start-up, named by its property.
     */
    @Test
    void eachExporterAsksRequestsPerEndpointByItsRouteLabel() {
        runner.withPropertyValues("canary-judge.configs.otel.exporter=opentelemetry",
                "canary-judge.configs.mesh.exporter=istio", "canary-judge.configs.jmx.exporter=jmx-exporter",
                "canary-judge.configs.own.queries.requests-per-endpoint="
                        + "sum by ({{instance_label}}, route) (increase(my_requests{{{selector}}}[{{range}}]))",
                "canary-judge.configs.own.queries.endpoint-label=route").run(context -> {
            assertThat(context).hasNotFailed();
            AnalysisConfigs configs = context.getBean(AnalysisConfigs.class);
            MetricQueries micrometer = configs.resolve(null, "checkout").queries();
            assertThat(micrometer.requestsPerEndpoint().text()).isEqualTo(MetricQueries.DEFAULT_REQUESTS_PER_ENDPOINT)
                    .contains("http_server_requests_seconds_count");
            assertThat(micrometer.endpointLabel()).isEqualTo("uri");
            assertThat(configs.resolve("otel", "checkout").queries().endpointLabel()).isEqualTo("http_route");
            assertThat(configs.resolve("mesh", "checkout").queries().requestsPerEndpoint()).isNull();
            assertThat(configs.resolve("jmx", "checkout").queries().requestsPerEndpoint()).isNull();
            MetricQueries own = configs.resolve("own", "checkout").queries();
            assertThat(own.endpointLabel()).isEqualTo("route");
            assertThat(own.requestsPerEndpoint().text()).contains("my_requests");
        });
        runner.withPropertyValues("canary-judge.prometheus.queries.requests-per-endpoint="
                + "sum by ({{instance_label}}) (increase(my_requests{{{selector}}}[{{range}}]))").run(context -> {
            assertThat(context).hasFailed();
            StringBuilder text = new StringBuilder();
            for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
                text.append(t.getMessage()).append('\n');
            }
            assertThat(text.toString()).contains("canary-judge.prometheus.queries.requests-per-endpoint")
                    .contains("does not name the endpoint label \"uri\"");
        });
    }
}
