package io.canaryjudge.qa82;

import static io.canaryjudge.node.NodeUploads.T0;
import static io.canaryjudge.node.NodeUploads.UPLOAD;
import static io.canaryjudge.node.NodeUploads.UPLOADS;
import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.node.ServiceOnNodeUploads;
import io.canaryjudge.profile.source.pyroscope.PyroscopeProfileTypes;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Call;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Route;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A Node service through the service as Argo asks it (no profileTypes), from a Pyroscope holding what
 * {@code @pyroscope/nodejs} 0.6.4 uploaded at its defaults (qa76's recordings byte for byte: wall and heap profiles a
 * minute, no CPU column; src/test/resources/qa76/pods), one pod per series as Pyroscope labels them. Before qa82 the
 * service asked for its default types, cpu and alloc_bytes, found none (Pyroscope holds no cpu series for such a
 * service) and answered INCONCLUSIVE "no baseline or canary profiles" whatever the canary did. Now wall is fetched in
 * cpu's place and judged as compare judges Node's wall (qa76.NodeWallOnlyTest).
 */
class NodeThroughServiceTest extends ServiceOnNodeUploads {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        startWithNodeUploads(registry);
        // a JVM service beside it: Pyroscope's conversions of a Kafka broker's CPU (cpu series present)
        List<Path> kafka = SharedFixtures.kafkaPprofSlices();
        for (int i = 0; i < kafka.size(); i++) {
            String hash = i < 2 ? "base" : "canary";
            Instant at = T0.plus(UPLOAD.multipliedBy(i % 2));
            pyroscope.addProfile(Map.of("service_name", "kafka", "pod", "kafka-" + hash,
                    "rollouts_pod_template_hash", hash), at, at.plus(UPLOAD), kafka.get(i));
        }
    }

    /**
     * s1 (+50 % priceOrder) and d1 (+100 %) are judged on their wall time, wall judged as CPU is (NodeBusyWall):
     * INCONCLUSIVE with the change these data could detect, not for want of data. Not FAIL: through Pyroscope only wall
     * is fetched, and {@code compare --profile-type wall} on the same files is INCONCLUSIVE too (d1: "could only detect
     * a change of 91 %"); compare at its defaults, which also tests the live heap, FAILs both (likely cause, as read:
     * FdrWeights; docs/EVALUATION.md "Node.js services through the service (qa82)").
     */
    @ParameterizedTest
    @ValueSource(strings = {"s1", "d1"})
    void aDearerPriceOrderIsJudgedOnItsWallTimeNotLeftForWantOfData(String canary) {
        JsonNode verdict = analyse("shop", canary, UPLOADS);

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("INCONCLUSIVE");
        assertThat(summary).doesNotContain("no baseline or canary profiles")
                .contains("no material regression seen, but these data could only detect a change of")
                .contains("of wall time");
        assertThat(types(verdict)).as(verdict.toString()).contains("wall").doesNotContain("cpu");
        assertThat(warnings(verdict)).anyMatch(w -> w.startsWith("profile types: the request named none"))
                .anyMatch(w -> w.startsWith("wall judged as CPU is"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a1", "a2"})
    void anUnchangedCanaryDoesNotFail(String canary) {
        JsonNode verdict = analyse("shop", canary, UPLOADS);

        assertThat(verdict.path("result").asString()).as(verdict.path("summary").asString()).isNotEqualTo("FAIL");
        assertThat(types(verdict)).as(verdict.toString()).contains("wall").doesNotContain("cpu");
    }

    /** A JVM service holds cpu: the defaults stand, wall is not asked for. */
    @Test
    void aJvmServiceKeepsTheDefaultTypes() {
        JsonNode verdict = analyse("kafka", "canary", 2);

        List<String> asked = pyroscope.calls(Route.SELECT_MERGE_PROFILE).stream()
                .filter(c -> "kafka".equals(c.selector().get("service_name"))).map(Call::profileTypeId).toList();
        assertThat(asked).contains(PyroscopeProfileTypes.CPU).doesNotContain(PyroscopeProfileTypes.WALL);
        assertThat(warnings(verdict)).noneMatch(w -> w.startsWith("profile types:"));
    }

    /** Types the request names are never replaced: asked for cpu, a Node service has none, as before. */
    @Test
    void namedTypesAreNeverReplaced() {
        JsonNode verdict = analyse("shop", "d1", UPLOADS, "\"profileTypes\": [\"cpu\"],");

        assertThat(verdict.path("result").asString()).isEqualTo("INCONCLUSIVE");
        assertThat(warnings(verdict)).noneMatch(w -> w.startsWith("profile types:"));
    }

    private JsonNode analyse(String application, String canaryHash, int minutes) {
        return analyse(application, canaryHash, minutes, "");
    }

    private JsonNode analyse(String application, String canaryHash, int minutes, String extra) {
        String body = """
                {"application": "%s", %s
                 "baseline": {"labels": {"rollouts_pod_template_hash": "base"}},
                 "canary": {"labels": {"rollouts_pod_template_hash": "%s"}},
                 "start": "%s", "end": "%s"}""".formatted(application, extra, canaryHash, T0,
                T0.plus(UPLOAD.multipliedBy(minutes)));
        String id = JSON.readTree(client.post().uri("/api/v1/analyses")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody()).path("id").asString();
        return JSON.readTree(client.get().uri("/api/v1/analyses/" + id).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
    }

    private static List<String> warnings(JsonNode verdict) {
        List<String> out = new ArrayList<>();
        verdict.path("dataQuality").path("warnings").forEach(w -> out.add(w.asString()));
        return out;
    }

    private static List<String> types(JsonNode verdict) {
        List<String> out = new ArrayList<>();
        verdict.path("dataQuality").path("types").forEach(t -> out.add(t.path("profileType").asString()));
        return out;
    }
}
