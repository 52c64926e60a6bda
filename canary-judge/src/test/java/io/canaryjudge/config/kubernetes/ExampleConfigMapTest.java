package io.canaryjudge.config.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;

/**
 * The shipped {@code examples/kubernetes/configmap.yaml}, served by the stand-in API server in the namespace it
 * names, read by the service the way it reads it in a cluster: its named config judges an analysis.
 */
class ExampleConfigMapTest {

    @Test
    void theShippedConfigMapIsReadAndItsConfigJudges() throws Exception {
        Map<String, Object> configMap = shippedConfigMap("canary-judge");
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) configMap.get("metadata");
        String namespace = (String) metadata.get("namespace");
        Map<String, String> data = new LinkedHashMap<>();
        ((Map<?, ?>) configMap.get("data")).forEach((key, value) -> data.put((String) key, (String) value));

        try (KubernetesApiStandIn api = new KubernetesApiStandIn()) {
            api.configMap(namespace, "canary-judge", data);
            String[] args = RunningService.inKubernetes(api);
            for (int i = 0; i < args.length; i++) {
                args[i] = args[i].replace("client.namespace=shop", "client.namespace=" + namespace);
            }
            try (RunningService service = RunningService.start(args)) {
                JsonNode verdict = service.checkoutVerdict();

                assertThat(verdict.get("analysis").get("config").asString()).isEqualTo("checkout");
                assertThat(verdict.get("analysis").get("profileTypes").toString())
                        .isEqualTo("[\"cpu\",\"alloc_bytes\"]");
                assertThat(verdict.get("result").asString()).isEqualTo("FAIL");
                assertThat(ConfigMapReloadTest.functions(verdict).get(0))
                        .isEqualTo(ConfigMapReloadTest.PRICES + "applyDiscounts");
                assertThat(api.requests()).isNotEmpty()
                        .allMatch(r -> r.equals("GET /api/v1/namespaces/" + namespace + "/configmaps/canary-judge"));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> shippedConfigMap(String name) throws Exception {
        String text = Files.readString(SharedFixtures.projectRoot().resolve("examples/kubernetes/configmap.yaml"));
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
            Map<String, Object> object = (Map<String, Object>) document;
            if (object != null && "ConfigMap".equals(object.get("kind"))
                    && name.equals(((Map<String, Object>) object.get("metadata")).get("name"))) {
                return object;
            }
        }
        throw new AssertionError("no ConfigMap " + name + " in examples/kubernetes/configmap.yaml");
    }
}
