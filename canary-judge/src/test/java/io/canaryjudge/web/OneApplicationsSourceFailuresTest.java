package io.canaryjudge.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.ServiceOnPyroscopeStandIn;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Fault;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Route;
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
 * One application whose Pyroscope queries never answer within the request timeout (a merge of a very large
 * application's profiles) fails every call its analyses make, each tried three times. With the shipped circuit
 * settings (over 20 calls, opening at 50 % after 10) those failures open a circuit of that application's own:
 * another application's analysis, asked right after, is judged from the same Pyroscope instead of answering
 * INCONCLUSIVE "circuit open", and the judge stays ready.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.warmup=0s", "canary-judge.analysis.deadline=30s",
                "canary-judge.analysis.max-window=2h", "canary-judge.resilience.backoff=20ms",
                "canary-judge.pyroscope.timeout=1s"})
class OneApplicationsSourceFailuresTest extends ServiceOnPyroscopeStandIn {
    static final Instant T0 = Instant.parse("2026-12-06T06:00:00Z");
    static final Duration SLICE = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        startPyroscope(registry);
        for (String service : List.of("shop", "catalog")) {
            for (String pod : List.of("shop-6d4f8c7b9-k2x7p", "shop-6d4f8c7b9-w5n3j", "shop-7f9b6c5d4-m4q8z",
                    "shop-7f9b6c5d4-r9t2w")) {
                String hash = pod.split("-")[1];
                pyroscope.addInstance(Map.of("service_name", service, "pod", pod.replace("shop", service),
                        "rollouts_pod_template_hash", hash, "namespace", "shop"), ProfileDirectories.EXAMPLE_SHOP.resolve(pod), T0, SLICE);
            }
        }
    }

    private JsonNode analyse(String application) {
        String body = """
                {"application": "%s", "namespace": "shop",
                 "baseline": {"labels": {"service_name": "%s", "rollouts_pod_template_hash": "6d4f8c7b9"}},
                 "canary": {"labels": {"service_name": "%s", "rollouts_pod_template_hash": "7f9b6c5d4"}},
                 "start": "%s", "end": "%s", "profileTypes": ["cpu"]}""".formatted(application, application,
                application, T0, T0.plus(Duration.ofMinutes(5)));
        return JSON.readTree(client.post().uri("/api/v1/analyses").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody());
    }

    @Test
    void anApplicationWhoseQueriesTimeOutDoesNotStopTheOthers() throws InterruptedException {
        pyroscope.fail(Route.SELECT_MERGE_PROFILE, Fault.delay(Duration.ofSeconds(3))
                .onlyFor(Map.of("service_name", "shop")));

        // Each pod's slices are one guarded read (timing out after 1 s a slice, three attempts); the listings
        // beside them succeed: a few analyses until the circuit has the calls it needs.
        String answer = "";
        for (int i = 0; i < 10 && !answer.contains("circuit open"); i++) {
            JsonNode broken = analyse("shop");
            assertThat(broken.get("result").asString()).isEqualTo("INCONCLUSIVE");
            answer = broken.toString();
        }
        assertThat(answer).as("its own calls opened its own circuit")
                .contains("for application shop/shop: circuit open after");

        // The stand-in holds each delayed answer's thread for its 3 s (a real Pyroscope's slow merge would hold its
        // querier too): let them end, so that what follows measures the judge's circuits, not the stand-in's threads.
        Thread.sleep(3_500);
        JsonNode other = analyse("catalog");
        assertThat(other.get("result").asString()).as(other.get("summary").asString()).isEqualTo("FAIL");
        assertThat(other.toString()).doesNotContain("circuit open").doesNotContain("no answer within");
        assertThat(other.get("findings").get(0).get("function").asString())
                .isEqualTo("io.canaryjudge.scenario.shop.PriceCalculator.applyDiscounts");
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }
}
