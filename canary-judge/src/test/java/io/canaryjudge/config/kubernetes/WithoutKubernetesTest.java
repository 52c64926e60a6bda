package io.canaryjudge.config.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.commons.util.TaskSchedulerWrapper;
import tools.jackson.databind.JsonNode;

/**
 * Outside Kubernetes (no KUBERNETES_SERVICE_HOST, no spring.main.cloud-platform) Spring Cloud Kubernetes stays
 * off even with an API server configured and a ConfigMap waiting there: nothing asks for it, the service judges
 * with its own configs.
 */
class WithoutKubernetesTest {

    @Test
    void theServiceStartsWithoutAskingAnApiServer() throws Exception {
        assumeTrue(System.getenv("KUBERNETES_SERVICE_HOST") == null, "these tests run outside Kubernetes");
        try (KubernetesApiStandIn api = new KubernetesApiStandIn()) {
            api.configMap("shop", "canary-judge", Map.of("canary-judge.yaml", ConfigMapReloadTest.SPRING_PROPERTIES));
            try (RunningService service = RunningService.start(
                    "--spring.cloud.kubernetes.client.master-url=" + api.url(),
                    "--spring.cloud.kubernetes.client.namespace=shop")) {

                HttpResponse<String> unknown = service.post("/api/v1/analyses", RunningService.CHECKOUT_REQUEST);
                assertThat(unknown.statusCode()).isEqualTo(400);
                assertThat(unknown.body()).contains("urn:canary-judge:problem:unknown-config");
                HttpResponse<String> shop = service.post("/api/v1/analyses",
                        RunningService.CHECKOUT_REQUEST.replace("\"config\": \"checkout\",", ""));
                assertThat(shop.statusCode()).as(shop.body()).isEqualTo(200);

                JsonNode health = service.analysisConfigsHealth();
                assertThat(health.get("status").asString()).isEqualTo("UP");
                assertThat(health.get("details").get("generation").asLong()).isEqualTo(1);
                assertThat(health.get("details").has("configMapReadAt")).isFalse();
                assertThat(service.context().getBeanNamesForType(KubernetesClient.class)).isEmpty();
                assertThat(service.context().getBeanNamesForType(TaskSchedulerWrapper.class)).isEmpty();
                assertThat(service.context().getBeanNamesForType(ConfigMapReads.class)).isEmpty();
            }
            assertThat(api.requests()).isEmpty();
        }
    }
}
