package io.canaryjudge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} tests of the service over a real Prometheus share: the
 * Prometheus (backfilled or scraping, {@code io.canaryjudge.metrics.testing.PrometheusProcess} or a wrapper of it)
 * started from the subclass's {@code @DynamicPropertySource} by {@link #serve}, given to the service with the local
 * profile directory, and stopped after the class's tests; a client on the service's port; analyses asked as Argo
 * Rollouts asks them ({@code POST /api/v1/analyses} over loopback).
 */
public abstract class ServiceOnPrometheus {
    protected static final JsonMapper JSON = JsonMapper.builder().build();
    /** The longest an analysis may take over loopback on the loaded build machine. */
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(120);
    /** The class's Prometheus; the test classes run one after another, each with its own. */
    private static AutoCloseable running;

    @LocalServerPort
    protected int port;

    protected WebTestClient client;

    /** Sets up a class's data and starts its Prometheus on it. */
    @FunctionalInterface
    protected interface Start<P> {
        P start() throws IOException;
    }

    /**
     * Runs {@code start} (writing the class's profiles and starting its Prometheus), and gives the service that
     * Prometheus at {@code url} of it and the local profile directory {@code profiles}. The Prometheus is stopped after
     * the class's tests.
     *
     * @return what {@code start} returned, for the tests that ask it too
     */
    protected static <P extends AutoCloseable> P serve(DynamicPropertyRegistry registry, Path profiles, Start<P> start,
                                                       Function<P, URI> url) {
        P prometheus;
        try {
            prometheus = start.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        running = prometheus;
        String base = url.apply(prometheus).toString();
        registry.add("canary-judge.local.directory", profiles::toString);
        registry.add("canary-judge.prometheus.url", () -> base);
        return prometheus;
    }

    @AfterAll
    static void stopPrometheus() throws Exception {
        if (running != null) {
            running.close();
            running = null;
        }
    }

    /** How long the client waits for an analysis: above the service's deadline, so the service's answer is seen. */
    protected Duration responseTimeout() {
        return RESPONSE_TIMEOUT;
    }

    @BeforeEach
    void client() {
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(responseTimeout())
                .build();
    }

    /** The verdict's metric gate {@code name} ({@code metrics[]}); fails the test when it has none. */
    protected static JsonNode metric(JsonNode verdict, String name) {
        for (JsonNode metric : verdict.get("metrics")) {
            if (metric.get("name").asString().equals(name)) {
                return metric;
            }
        }
        throw new AssertionError("no metric " + name + " in " + verdict.get("metrics"));
    }

    /** The verdict the service answers {@code body} with (200 expected). */
    protected JsonNode analyses(String body) {
        return JSON.readTree(client.post().uri("/api/v1/analyses").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody());
    }
}
