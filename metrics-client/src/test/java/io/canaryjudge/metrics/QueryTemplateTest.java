package io.canaryjudge.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canaryjudge.metrics.QueryTemplate.Placeholder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryTemplateTest {

    private static Map<String, String> selector(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    void selectorIsRenderedInsideTheSelectorBracesWithValuesEscaped() {
        QueryTemplate template = new QueryTemplate("requests",
                "sum(increase(http_server_requests_seconds_count{{{selector}}}[{{range}}]))");

        String promql = template.render(QueryParameters.of(
                selector("service", "check\"out\\", "rollouts_pod_template_hash", "6d4f8c7b9"), Duration.ofMinutes(1)));

        assertThat(promql).isEqualTo("sum(increase(http_server_requests_seconds_count"
                + "{service=\"check\\\"out\\\\\",rollouts_pod_template_hash=\"6d4f8c7b9\"}[60s]))");
    }

    @Test
    void selectorCanBeFollowedByMoreMatchers() {
        String promql = new QueryTemplate("errors", "x{{{ selector }},status=~\"5..\"}[{{ range }}]")
                .render(QueryParameters.of(selector("pod", "a"), Duration.ofMillis(1500)));

        assertThat(promql).isEqualTo("x{pod=\"a\",status=~\"5..\"}[1500ms]");
    }

    @Test
    void applicationAndNamespaceAreQuotedLiteralsAndInstanceLabelIsAName() {
        QueryTemplate template = new QueryTemplate("t",
                "sum by ({{instance_label}}) (up{{{selector}},app={{application}},namespace={{namespace}}})");
        QueryParameters parameters = QueryParameters.of(selector("track", "canary"), Duration.ofSeconds(30))
                .withApplication("shop\"}) or vector(1) #").withNamespace("prod\nx").withInstanceLabel("pod");

        assertThat(template.render(parameters)).isEqualTo("sum by (pod) (up{track=\"canary\","
                + "app=\"shop\\\"}) or vector(1) #\",namespace=\"prod\\nx\"})");
        assertThat(template.placeholders()).containsExactlyInAnyOrder(Placeholder.SELECTOR, Placeholder.APPLICATION,
                Placeholder.NAMESPACE, Placeholder.INSTANCE_LABEL);
    }

    @Test
    void placeholderWithoutAValueFailsNamingTheTemplate() {
        QueryTemplate template = new QueryTemplate("latency_p99", "up{{{selector}},app={{application}}}");

        assertThatThrownBy(() -> template.render(QueryParameters.of(selector("pod", "a"), Duration.ofSeconds(60))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("query template \"latency_p99\" uses {{application}} but no application was given");
    }

    @Test
    void bracketsInsideStringLiteralsAndCommentsDoNotCount() {
        QueryTemplate template = new QueryTemplate("t",
                "sum(x{{{selector}},path=~\"/a/{id}(/.*)?\",q='\\'[',r=`\\`}) # unbalanced ( in a comment");

        assertThat(template.render(QueryParameters.of(selector("pod", "a"), Duration.ofSeconds(60))))
                .isEqualTo("sum(x{pod=\"a\",path=~\"/a/{id}(/.*)?\",q='\\'[',r=`\\`}) # unbalanced ( in a comment");
    }

    @Test
    void unknownPlaceholderNamesItTheTemplateAndTheKnownOnes() {
        assertThatThrownBy(() -> new QueryTemplate("error_ratio", "sum(x{{{selector}},svc={{service}}})"))
                .isInstanceOf(InvalidQueryTemplateException.class)
                .hasMessage("query template \"error_ratio\": unknown placeholder {{service}} at character 24"
                        + " (known: selector, range, application, namespace, instance_label)");
    }

    @Test
    void everyParseErrorIsNamed() {
        assertThatThrownBy(() -> new QueryTemplate("a", "sum(rate(x{{{selector}}}[1m])"))
                .hasMessage("query template \"a\": '(' at character 4 is not closed");
        assertThatThrownBy(() -> new QueryTemplate("b", "x{{{selector}}}}"))
                .hasMessage("query template \"b\": '}' at character 16 closes nothing");
        assertThatThrownBy(() -> new QueryTemplate("c", "sum(x{{{selector}}}[1m)]"))
                .hasMessage("query template \"c\": ')' at character 23 closes '[' from character 20");
        assertThatThrownBy(() -> new QueryTemplate("d", "x{{{selector}},a=\"b}"))
                .hasMessage("query template \"d\": string literal opened with \" at character 18 is not closed");
        assertThatThrownBy(() -> new QueryTemplate("e", "x{{{selector}},app=\"{{application}}\"}"))
                .hasMessage("query template \"e\": placeholder at character 21 is inside a string literal;"
                        + " placeholders render their own quotes");
        assertThatThrownBy(() -> new QueryTemplate("f", "x{{{selector}}}[{{ 1m }}]"))
                .hasMessage("query template \"f\": \"{{\" at character 17 does not start a placeholder {{name}}"
                        + " closed by \"}}\"");
        assertThatThrownBy(() -> new QueryTemplate("g", "x{{{selector}[1m]"))
                .hasMessage("query template \"g\": \"{{\" at character 3 does not start a placeholder {{name}}"
                        + " closed by \"}}\"");
        assertThatThrownBy(() -> new QueryTemplate("h", "sum(rate(x{job=\"a\"}[{{range}}]))"))
                .hasMessage("query template \"h\": has no {{selector}}; without it baseline and canary select"
                        + " the same series");
        assertThatThrownBy(() -> new QueryTemplate("i", "  "))
                .hasMessage("query template \"i\": is empty");
    }

    @Test
    void parametersAreValidated() {
        Duration minute = Duration.ofMinutes(1);
        assertThatThrownBy(() -> QueryParameters.of(Map.of(), minute))
                .hasMessageStartingWith("selector needs at least one label matcher");
        assertThatThrownBy(() -> QueryParameters.of(Map.of("bad-name", "x"), minute))
                .hasMessage("label name \"bad-name\" must match [a-zA-Z_][a-zA-Z0-9_]*");
        for (String range : new String[] {"1m30s", "5", "0s", "1w", "-1m", "1M", "1234567890s", " 1m"}) {
            assertThatThrownBy(() -> new QueryParameters(Map.of("pod", "a"), range, null, null, null))
                    .as(range).hasMessageStartingWith("range \"" + range + "\" must be a positive whole number");
        }
        assertThat(new QueryParameters(Map.of("pod", "a"), "2d", null, null, null).range()).isEqualTo("2d");
        assertThatThrownBy(() -> QueryParameters.of(Map.of("pod", "a"), minute).withInstanceLabel("pod name"))
                .hasMessageContaining("label name \"pod name\"");
        assertThatThrownBy(() -> QueryParameters.range(Duration.ZERO)).hasMessageContaining("must be a positive");
        assertThat(QueryParameters.range(Duration.ofMinutes(5))).isEqualTo("300s");
    }

    @Test
    void defaultsParseAndRenderPerGroup() {
        MetricQueries queries = MetricQueries.defaults();
        QueryParameters baseline = QueryParameters.of(selector("service", "checkout", "rollouts_pod_template_hash",
                "6d4f8c7b9"), Duration.ofMinutes(1)).withInstanceLabel("pod");

        assertThat(queries.errorRatio().render(baseline)).isEqualTo(
                "(sum(rate(http_server_requests_seconds_count{service=\"checkout\",rollouts_pod_template_hash=\"6d4f8c7b9\","
                        + "uri!~\"/actuator(/.*)?\",status=~\"5..\"}[60s])) or vector(0)) / sum(rate("
                        + "http_server_requests_seconds_count{service=\"checkout\",rollouts_pod_template_hash=\"6d4f8c7b9\","
                        + "uri!~\"/actuator(/.*)?\"}[60s]))");
        assertThat(queries.requestsPerInstance().render(baseline)).isEqualTo(
                "sum by (pod) (increase(http_server_requests_seconds_count{service=\"checkout\","
                        + "rollouts_pod_template_hash=\"6d4f8c7b9\",uri!~\"/actuator(/.*)?\"}[60s]))");
        assertThat(queries.latencyP99().render(baseline)).isEqualTo(
                "histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket{service=\"checkout\","
                        + "rollouts_pod_template_hash=\"6d4f8c7b9\",uri!~\"/actuator(/.*)?\"}[60s])))");
        assertThat(queries.requests().name()).isEqualTo("requests");
        // Actuator's scrapes and probes left out after the group's matchers (fix81; every request query: qa89)
        assertThat(queries.requestsPerEndpoint().render(baseline)).isEqualTo(
                "sum by (pod, uri) (increase(http_server_requests_seconds_count{service=\"checkout\","
                        + "rollouts_pod_template_hash=\"6d4f8c7b9\",uri!~\"/actuator(/.*)?|UNKNOWN\"}[60s]))");
        assertThat(MetricQueries.of(MetricsExporter.OPENTELEMETRY).requestsPerEndpoint().render(baseline)).isEqualTo(
                "sum by (pod, http_route) (increase(http_server_request_duration_seconds_count{service=\"checkout\","
                        + "rollouts_pod_template_hash=\"6d4f8c7b9\",http_route!~\"/actuator(/.*)?\"}[60s]))");
    }

    @Test
    void overridesReplaceOnlyWhatIsGivenAndAreChecked() {
        MetricQueries queries = MetricQueries.defaults().withOverrides(null, " ",
                "sum(rate(errors_total{{{selector}}}[{{range}}])) / sum(rate(requests_total{{{selector}}}[{{range}}]))",
                null);

        assertThat(queries.requests()).isEqualTo(MetricQueries.defaults().requests());
        assertThat(queries.requestsPerInstance()).isEqualTo(MetricQueries.defaults().requestsPerInstance());
        assertThat(queries.errorRatio().text()).startsWith("sum(rate(errors_total");
        assertThat(queries.errorRatio().name()).isEqualTo("error_ratio");
        assertThatThrownBy(() -> MetricQueries.defaults().withOverrides(null, null, null, "histogram_quantile(0.99,"))
                .isInstanceOf(InvalidQueryTemplateException.class)
                .hasMessageStartingWith("query template \"latency_p99\": ");
    }
}
