package io.canaryjudge;

import io.canaryjudge.profile.testing.PyroscopeStandIn;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} tests of the service over a Pyroscope stand-in share
 * ({@link PyroscopeStandIn}: WireMock answering Pyroscope's query API from recorded profiles): the stand-in started
 * from the subclass's {@code @DynamicPropertySource} by {@link #startPyroscope}, given to the service, and stopped
 * after the class's tests; a client on the service's port, built before each test; analyses asked as Argo Rollouts
 * asks them ({@code POST /api/v1/analyses} over loopback). {@link ServiceOnPrometheus} is the same over a real
 * Prometheus.
 */
public abstract class ServiceOnPyroscopeStandIn {
    protected static final JsonMapper JSON = JsonMapper.builder().build();
    /** The class's stand-in; the test classes run one after another, each with its own. */
    protected static PyroscopeStandIn pyroscope;

    @LocalServerPort
    protected int port;

    protected WebTestClient client;

    /** Starts the class's stand-in (set in {@link #pyroscope}, to add profiles to) and gives the service its URL. */
    protected static PyroscopeStandIn startPyroscope(DynamicPropertyRegistry registry) {
        pyroscope = PyroscopeStandIn.start();
        registry.add("canary-judge.pyroscope.url", pyroscope::url);
        return pyroscope;
    }

    @AfterAll
    static void stopPyroscope() {
        if (pyroscope != null) {
            pyroscope.close();
            pyroscope = null;
        }
    }

    /** How long the client waits for the service's answer (an analysis on the loaded build machine). */
    protected Duration responseTimeout() {
        return Duration.ofSeconds(60);
    }

    @BeforeEach
    void serviceClient() {
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(responseTimeout())
                .build();
    }

    /** The verdict the service answers {@code body} with (200 expected). */
    protected JsonNode analyses(String body) {
        return JSON.readTree(client.post().uri("/api/v1/analyses").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody());
    }
}
