package io.canaryjudge.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An operator can see what the judge runs with: {@code GET /actuator/configprops} over real HTTP lists every
 * {@code canary-judge.*} setting in effect (defaults included) and where a set one came from, while the credentials
 * of the sources never appear. Before, only health, info ({@code {}}) and metrics were served: the effective deadline
 * or the Prometheus a replica used could not be read off it; with the endpoint exposed as Spring serves it by
 * default, the Prometheus password and the Pyroscope token were printed as they were.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.deadline=6s",
                "canary-judge.prometheus.url=http://127.0.0.1:9/prom", "canary-judge.prometheus.username=judge",
                "canary-judge.prometheus.password=Pr0mS3cret", "canary-judge.pyroscope.url=http://127.0.0.1:9",
                "canary-judge.pyroscope.bearer-token=PyT0ken"})
class EffectiveSettingsTest {
    @LocalServerPort
    int port;

    @Test
    void configpropsShowsTheSettingsInEffectAndWhereTheyCameFromWithoutSecrets() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/configprops")).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).doesNotContain("Pr0mS3cret").doesNotContain("PyT0ken");
        JsonNode beans = JsonMapper.builder().build().readTree(response.body()).path("contexts").values().iterator()
                .next().path("beans");

        JsonNode analysis = bean(beans, "canary-judge.analysis");
        assertThat(analysis.path("properties").path("deadline").asString()).isEqualTo("PT6S");
        assertThat(analysis.path("inputs").path("deadline").path("origin").asString())
                .contains("canary-judge.analysis.deadline");
        // a default is shown too: the operator sees the whole setting, not only what was changed
        assertThat(analysis.path("properties").path("slice").asString()).isEqualTo("PT1M");

        JsonNode prometheus = bean(beans, "canary-judge.prometheus").path("properties");
        assertThat(prometheus.path("url").asString()).isEqualTo("http://127.0.0.1:9/prom");
        assertThat(prometheus.path("username").asString()).isEqualTo("judge");
        assertThat(prometheus.path("password").asString()).isEqualTo("******");
        assertThat(bean(beans, "canary-judge.prometheus").path("inputs").path("password").path("value").asString())
                .isEqualTo("******");
        // unset stays empty: "not set" is told apart from "set"
        assertThat(prometheus.path("bearerToken").asString()).isEmpty();
        assertThat(bean(beans, "canary-judge.pyroscope").path("properties").path("bearerToken").asString())
                .isEqualTo("******");
    }

    private static JsonNode bean(JsonNode beans, String prefix) {
        for (JsonNode bean : beans) {
            if (prefix.equals(bean.path("prefix").asString())) {
                return bean;
            }
        }
        throw new AssertionError("no bean with prefix " + prefix + " in " + beans.propertyNames());
    }
}
