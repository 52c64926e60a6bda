package io.canaryjudge.config.kubernetes;

import io.canaryjudge.CanaryJudgeApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service started as {@code java -jar canary-judge.jar serve ARGS} starts it: command-line arguments, which
 * (unlike test property sources) Spring Cloud keeps when it re-reads the environment on a change. Judges the
 * shipped example profiles; talks to it over real HTTP on loopback.
 */
final class RunningService implements AutoCloseable {
    static final JsonMapper JSON = JsonMapper.builder().build();
    /** The shipped example's canary (a CPU regression in PriceCalculator.applyDiscounts) under a named config. */
    static final String CHECKOUT_REQUEST = """
            {"application": "shop", "config": "checkout",
             "baseline": {"labels": {"rollouts_pod_template_hash": "6d4f8c7b9"}},
             "canary": {"labels": {"rollouts_pod_template_hash": "7f9b6c5d4"}},
             "deadline": "60s"}""";

    private final ConfigurableApplicationContext context;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    private RunningService(ConfigurableApplicationContext context) {
        this.context = context;
        this.base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    static RunningService start(String... args) {
        List<String> all = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--canary-judge.local.directory=../examples/profiles",
                "--canary-judge.analysis.max-deadline=60s"));
        all.addAll(List.of(args));
        return new RunningService(new SpringApplicationBuilder(CanaryJudgeApplication.class)
                .run(all.toArray(String[]::new)));
    }

    /** Spring Cloud Kubernetes switched on against {@code api}: polling every 200 ms, namespace {@code shop}. */
    static String[] inKubernetes(KubernetesApiStandIn api) {
        // fabric8 must not pick up a kubeconfig or a service account token of the machine running the tests.
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        return new String[] {"--spring.main.cloud-platform=kubernetes",
                "--spring.cloud.kubernetes.client.master-url=" + api.url(),
                "--spring.cloud.kubernetes.client.namespace=shop",
                "--spring.cloud.kubernetes.client.trust-certs=true",
                "--spring.cloud.kubernetes.reload.period=200ms"};
    }

    ConfigurableApplicationContext context() {
        return context;
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A verdict for {@link #CHECKOUT_REQUEST}; fails unless the answer is 200. */
    JsonNode checkoutVerdict() throws IOException, InterruptedException {
        HttpResponse<String> response = post("/api/v1/analyses", CHECKOUT_REQUEST);
        if (response.statusCode() != 200) {
            throw new AssertionError("analysis answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** The readiness group's {@code analysisConfigs} component. */
    JsonNode analysisConfigsHealth() throws IOException, InterruptedException {
        HttpResponse<String> response = get("/actuator/health/readiness");
        return JSON.readTree(response.body()).get("components").get("analysisConfigs");
    }

    String metrics() throws IOException, InterruptedException {
        return get("/actuator/prometheus").body();
    }

    @Override
    public void close() {
        context.close();
    }
}
