package io.canaryjudge.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The examples against the running app over real HTTP on loopback: what the manifests point at
 * answers the way they expect.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExampleRequestsTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @Test
    void deploymentProbePathsAnswerUp() throws Exception {
        JsonNode container = ExampleWiring.judgeDeployment().spec().path("template").path("spec").path("containers").get(0);
        for (String probe : new String[] {"startupProbe", "livenessProbe", "readinessProbe"}) {
            String path = container.path(probe).path("httpGet").path("path").asString();
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(probe + " " + path).isEqualTo(200);
            assertThat(ExampleManifests.JSON.readTree(response.body()).path("status").asString()).as(probe).isEqualTo("UP");
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
