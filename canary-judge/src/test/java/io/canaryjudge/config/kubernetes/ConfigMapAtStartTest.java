package io.canaryjudge.config.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What start-up does with the ConfigMap: a missing one is no error (the service starts with its built-in configs
 * and takes the ConfigMap once it is created); one that exists but cannot be read stops start-up, naming why,
 * instead of judging with other thresholds than the ConfigMap says.
 */
class ConfigMapAtStartTest {

    @Test
    void aMissingConfigMapIsNoErrorAndIsUsedOnceCreated() throws Exception {
        try (KubernetesApiStandIn api = new KubernetesApiStandIn();
             RunningService service = startWith(api)) {
            HttpResponse<String> unknown = service.post("/api/v1/analyses", RunningService.CHECKOUT_REQUEST);
            assertThat(unknown.statusCode()).isEqualTo(400);
            assertThat(unknown.body()).contains("urn:canary-judge:problem:unknown-config").contains("checkout");
            assertThat(service.analysisConfigsHealth().get("details").get("configs").toString()).isEqualTo("[]");

            api.configMap("shop", "canary-judge", Map.of("canary-judge.yaml", ConfigMapReloadTest.SPRING_PROPERTIES,
                    "canary-judge.judge-config.inline", ConfigMapReloadTest.JUDGE_CONFIG));

            Instant until = Instant.now().plus(ConfigMapReloadTest.BOUND);
            HttpResponse<String> answer = service.post("/api/v1/analyses", RunningService.CHECKOUT_REQUEST);
            while (answer.statusCode() != 200 && Instant.now().isBefore(until)) {
                Thread.sleep(100);
                answer = service.post("/api/v1/analyses", RunningService.CHECKOUT_REQUEST);
            }
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode verdict = RunningService.JSON.readTree(answer.body());
            assertThat(verdict.get("analysis").get("config").asString()).isEqualTo("checkout");
            assertThat(verdict.get("analysis").get("profileTypes").toString()).isEqualTo("[\"cpu\"]");
            assertThat(api.unmatched()).isEmpty();
        }
    }

    /**
     * With two keys, Spring Cloud Kubernetes reads a file key only when it is named after the application: an
     * operator's {@code config.yaml} key was skipped with a debug line and the service ran on its defaults.
     */
    @Test
    void aFileKeyThatIsNotReadIsNamedInReadiness() throws Exception {
        try (KubernetesApiStandIn api = new KubernetesApiStandIn()) {
            api.configMap("shop", "canary-judge", Map.of("config.yaml", ConfigMapReloadTest.SPRING_PROPERTIES,
                    "canary-judge.judge-config.inline", ConfigMapReloadTest.JUDGE_CONFIG));
            try (RunningService service = startWith(api)) {
                JsonNode verdict = service.checkoutVerdict();
                assertThat(verdict.get("analysis").get("profileTypes").toString())
                        .as("config.yaml's profile-types [cpu] not read: the default types").isEqualTo("[\"cpu\",\"alloc_bytes\"]");
                JsonNode health = service.analysisConfigsHealth().get("details");
                assertThat(health.get("configMapKeysNotRead").toString()).isEqualTo("[\"config.yaml\"]");
            }
        }
    }

    @Test
    void aConfigMapTheServiceMayNotReadStopsStartUpSayingWhy() {
        try (KubernetesApiStandIn api = new KubernetesApiStandIn()) {
            api.forbidden("shop", "canary-judge");

            assertThatThrownBy(() -> startWith(api).close())
                    .satisfies(e -> assertThat(messages(e)).contains("configmaps \"canary-judge\" is forbidden"));
        }
    }

    @Test
    void aConfigMapThatIsNotYamlStopsStartUpSayingWhy() {
        try (KubernetesApiStandIn api = new KubernetesApiStandIn()) {
            api.configMap("shop", "canary-judge", Map.of("canary-judge.yaml", "canary-judge:\n  configs: [checkout\n",
                    "canary-judge.judge-config.inline", ConfigMapReloadTest.JUDGE_CONFIG));

            assertThatThrownBy(() -> startWith(api).close())
                    .satisfies(e -> assertThat(messages(e)).contains("while parsing a flow sequence"));
        }
    }

    @Test
    void anInvalidConfigInTheConfigMapStopsStartUpNamingTheProperty() {
        try (KubernetesApiStandIn api = new KubernetesApiStandIn()) {
            api.configMap("shop", "canary-judge", Map.of("canary-judge.yaml", ConfigMapReloadTest.SPRING_PROPERTIES,
                    "canary-judge.judge-config.inline", "services: {checkout: {thresholds: {maxQValu: 0.1}}}"));

            assertThatThrownBy(() -> startWith(api).close()).satisfies(e -> assertThat(messages(e))
                    .contains("canary-judge.judge-config.inline: services.checkout.thresholds.maxQValu"));
        }
    }

    /** A ConfigMap's duration without its unit would be milliseconds (a 15 ms lookback): start-up stops naming it. */
    @Test
    void aDurationWithoutItsUnitInTheConfigMapStopsStartUpNamingIt() {
        try (KubernetesApiStandIn api = new KubernetesApiStandIn()) {
            api.configMap("shop", "canary-judge", Map.of("canary-judge.yaml",
                    "canary-judge:\n  configs:\n    checkout:\n      lookback: 15\n"));

            assertThatThrownBy(() -> startWith(api).close()).satisfies(e -> assertThat(messages(e))
                    .contains("canary-judge.configs.checkout.lookback is \"15\" without a unit, which would be 15 ms"));
        }
    }

    @Test
    void anApiServerThatDoesNotAnswerStopsStartUp() {
        KubernetesApiStandIn api = new KubernetesApiStandIn();
        String[] args = RunningService.inKubernetes(api);
        String address = api.url().replace("http://", "");
        api.close();

        assertThatThrownBy(() -> RunningService.start(args).close()).satisfies(e -> assertThat(messages(e))
                .contains("with name: [canary-judge]  in namespace: [shop]  failed")
                .contains("Connection refused: /" + address));
    }

    private static RunningService startWith(KubernetesApiStandIn api) {
        return RunningService.start(RunningService.inKubernetes(api));
    }

    static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

}
