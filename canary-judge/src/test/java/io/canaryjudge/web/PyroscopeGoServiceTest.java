package io.canaryjudge.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.ServiceOnPyroscopeStandIn;
import io.canaryjudge.SharedFixtures;
import io.canaryjudge.profile.source.pyroscope.PyroscopeProfileTypes;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Call;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Route;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A Go service through the service's Pyroscope path with {@code canary-judge.pyroscope.producer=go}: the recorded Go
 * pods (src/test/resources/go-pprof: four 15 s CPU profiles and Go's heap profile each; `b*` the unchanged build, `s*`
 * a 1.5× slower `main.priceOrder`). Before, the service asked Pyroscope only for the Java agent's IDs: a Go service's
 * allocations ({@code memory:alloc_space:…}) were never fetched, and `alloc_bytes` had no profiles.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.deadline=60s", "canary-judge.analysis.slice=15s",
                "canary-judge.analysis.warmup=0s", "canary-judge.pyroscope.producer=go"})
class PyroscopeGoServiceTest extends ServiceOnPyroscopeStandIn {
    static final Instant T0 = Instant.parse("2026-12-06T13:00:00Z");
    static final Duration SLICE = Duration.ofSeconds(15);
    static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/go-pprof");

    @Override
    protected Duration responseTimeout() {
        return Duration.ofSeconds(90);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        startPyroscope(registry);
        for (String pod : List.of("b1", "b2", "b3", "s1", "s2")) {
            String hash = pod.startsWith("b") ? "base" : "slow";
            Map<String, String> labels = Map.of("service_name", "pricing", "pod", "pricing-" + hash + "-" + pod,
                    "rollouts_pod_template_hash", hash);
            for (int i = 0; i < 4; i++) {
                Instant at = T0.plus(SLICE.multipliedBy(i));
                pyroscope.addProfile(labels, at, at.plus(SLICE), RECORDINGS.resolve(pod).resolve("cpu-0" + i + ".pb.gz"));
            }
            pyroscope.addProfile(labels, T0, T0.plus(SLICE.multipliedBy(4)), RECORDINGS.resolve(pod).resolve("heap.pb.gz"));
        }
    }

    @Test
    void aGoServicesCpuAndAllocationsAreFetchedByGosProfileTypeIds() {
        String body = """
                {"application": "pricing", "profileTypes": ["cpu", "alloc_bytes"],
                 "baseline": {"labels": {"rollouts_pod_template_hash": "base"}},
                 "canary": {"labels": {"rollouts_pod_template_hash": "slow"}},
                 "start": "%s", "end": "%s"}""".formatted(T0, T0.plus(SLICE.multipliedBy(4)));
        String id = JSON.readTree(client.post().uri("/api/v1/analyses")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody()).path("id").asString();
        // the stored verdict in full (a POST's answer is kept small: no hottest rows)
        JsonNode verdict = JSON.readTree(client.get().uri("/api/v1/analyses/" + id).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());

        assertThat(pyroscope.calls(Route.SELECT_MERGE_PROFILE)).extracting(Call::profileTypeId)
                .contains(PyroscopeProfileTypes.CPU, PyroscopeProfileTypes.GO_ALLOC_SPACE)
                .doesNotContain(PyroscopeProfileTypes.ALLOC_NEW_TLAB_BYTES);
        JsonNode alloc = null;
        for (JsonNode type : verdict.path("dataQuality").path("types")) {
            if (type.path("profileType").asString().equals("alloc_bytes")) {
                alloc = type;
            }
        }
        assertThat(alloc).as(verdict.toString()).isNotNull();
        assertThat(alloc.path("baseline").path("instances").asInt()).as(alloc.toString()).isEqualTo(3);
        assertThat(alloc.path("canary").path("instances").asInt()).as(alloc.toString()).isEqualTo(2);
        // Without the pods' request counts (no Prometheus here) two slow pods beside three are not always enough to FAIL
        // (compare with requests.csv does: CompareGoPprofTest); never a PASS, and the slower method is the hottest.
        assertThat(verdict.path("result").asString()).as(verdict.path("summary").asString()).isNotEqualTo("PASS");
        assertThat(verdict.path("hottest").get(0).path("function").asString()).isEqualTo("main.priceOrder");
    }
}
