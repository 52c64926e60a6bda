package io.canaryjudge.config.kubernetes;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Kubernetes API server stand-in on loopback (WireMock on a dynamic port) that serves ConfigMaps the way the
 * real one does: {@code GET /api/v1/namespaces/NS/configmaps/NAME} answers the ConfigMap with a new
 * {@code resourceVersion} after each change, a {@code Status} NotFound (404) or Forbidden (403) otherwise.
 * Anything else a client asks for is not stubbed (WireMock's 404) and shows in {@link #requests()}, so a test
 * sees exactly what fabric8 requested.
 */
final class KubernetesApiStandIn implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WireMockServer server;
    private int resourceVersion = 100;

    KubernetesApiStandIn() {
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        // Lowest priority: any other ConfigMap of any namespace does not exist.
        server.stubFor(get(urlPathMatching("/api/v1/namespaces/([^/]+)/configmaps/([^/]+)")).atPriority(10)
                .willReturn(status(404, "NotFound", "configmaps not found")));
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Serves (or replaces) the ConfigMap {@code namespace/name} with {@code data}. */
    void configMap(String namespace, String name, Map<String, String> data) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        metadata.put("namespace", namespace);
        metadata.put("resourceVersion", String.valueOf(++resourceVersion));
        metadata.put("uid", "0b6c3f5e-9a4e-4d0c-8c4e-" + String.format("%012d", resourceVersion));
        Map<String, Object> configMap = new LinkedHashMap<>();
        configMap.put("apiVersion", "v1");
        configMap.put("kind", "ConfigMap");
        configMap.put("metadata", metadata);
        configMap.put("data", data);
        server.stubFor(get(urlPathEqualTo(path(namespace, name))).atPriority(1)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(JSON.writeValueAsString(configMap))));
    }

    /** The ConfigMap {@code namespace/name} is gone. */
    void noConfigMap(String namespace, String name) {
        server.stubFor(get(urlPathEqualTo(path(namespace, name))).atPriority(1)
                .willReturn(status(404, "NotFound", "configmaps \"" + name + "\" not found")));
    }

    /** The service account may not read ConfigMaps in {@code namespace} (no RBAC). */
    void forbidden(String namespace, String name) {
        server.stubFor(get(urlPathEqualTo(path(namespace, name))).atPriority(1)
                .willReturn(status(403, "Forbidden", "configmaps \"" + name + "\" is forbidden: User"
                        + " \"system:serviceaccount:" + namespace + ":canary-judge\" cannot get resource"
                        + " \"configmaps\" in API group \"\" in the namespace \"" + namespace + "\"")));
    }

    /** Every request received, oldest first, as {@code METHOD path?query}. */
    List<String> requests() {
        return server.getAllServeEvents().stream()
                .sorted((a, b) -> a.getRequest().getLoggedDate().compareTo(b.getRequest().getLoggedDate()))
                .map(ServeEvent::getRequest)
                .map(request -> request.getMethod() + " " + request.getUrl())
                .toList();
    }

    /** Requests no stub answered. */
    List<String> unmatched() {
        return server.findAllUnmatchedRequests().stream()
                .map(request -> request.getMethod() + " " + request.getUrl())
                .toList();
    }

    void resetRequests() {
        server.resetRequests();
    }

    /** Makes every request fail with a 500 (a stand-in that must never be called). */
    void refuseEverything() {
        server.stubFor(any(urlPathMatching(".*")).atPriority(1).willReturn(aResponse().withStatus(500)));
    }

    private static String path(String namespace, String name) {
        return "/api/v1/namespaces/" + namespace + "/configmaps/" + name;
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder status(int code, String reason,
                                                                                          String message) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.put("metadata", Map.of());
        status.put("status", "Failure");
        status.put("message", message);
        status.put("reason", reason);
        status.put("code", code);
        return aResponse().withStatus(code).withHeader("Content-Type", "application/json")
                .withBody(JSON.writeValueAsString(status));
    }

    @Override
    public void close() {
        server.stop();
    }
}
