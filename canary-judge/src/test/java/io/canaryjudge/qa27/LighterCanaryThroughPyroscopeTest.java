package io.canaryjudge.qa27;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.ServiceOnPyroscopeStandIn;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The service's path for {@link LighterCanaryWithoutRequestCountsTest}: the Pyroscope stand-in serving the recorded
 * pods (src/test/resources/qa27) as 10 s profiles, no Prometheus (so no request counts), an analysis over their minute.
 * Before, the A/A canary at a fifth of the baseline pods' arrival rate FAILed on its price cache's refresh.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.deadline=30s", "canary-judge.analysis.history-windows=0",
                "canary-judge.analysis.slice=10s", "canary-judge.analysis.warmup=0s",
                "canary-judge.pyroscope.timeout=20s"})
class LighterCanaryThroughPyroscopeTest extends ServiceOnPyroscopeStandIn {
    static final Instant T0 = Instant.parse("2026-12-05T22:00:00Z");
    static final Duration SLICE = Duration.ofSeconds(10);

    /** The recording's six slices (its files slice-4 … slice-9), stamped from T0 on. */
    static void pod(String hash, String recording) {
        for (int i = 0; i < 6; i++) {
            Instant start = T0.plus(SLICE.multipliedBy(i));
            pyroscope.addProfile(Map.of("service_name", "shop", "pod", "shop-" + hash + "-" + recording,
                    "rollouts_pod_template_hash", hash), start, start.plus(SLICE),
                    LighterCanaryWithoutRequestCountsTest.RECORDINGS.resolve(recording).resolve("slice-" + (4 + i) + ".pb.gz"));
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        startPyroscope(registry);
        for (String b : new String[] {"b1", "b2", "b3"}) {
            pod("base", b);
        }
        pod("light", "c5");
        pod("reg", "r1");
    }

    private JsonNode analyse(String canaryHash) {
        String body = """
                {"application": "shop",
                 "baseline": {"labels": {"rollouts_pod_template_hash": "base"}},
                 "canary": {"labels": {"rollouts_pod_template_hash": "%s"}},
                 "start": "%s", "end": "%s"}""".formatted(canaryHash, T0, T0.plus(SLICE.multipliedBy(6)));
        return analyses(body);
    }

    @Test
    void anAaCanaryAtAFifthOfTheLoadIsInconclusiveNamingTheCpuRatio() {
        JsonNode verdict = analyse("light");
        String summary = verdict.get("summary").asString();
        assertThat(verdict.get("result").asString()).as(summary).isEqualTo("INCONCLUSIVE");
        // the canary's 566 allocation samples (counted from Pyroscope's objects series, as a file's events are) are
        // under the floor, which the summary names first; the CPU ratio stays in the cpu notes
        assertThat(verdict.get("dataQuality").get("types").get(0).get("notes").toString())
                .contains("of the baseline pods' CPU per second");
        assertThat(verdict.get("dataQuality").get("types").get(0).get("canary").get("instances").asInt()).isEqualTo(1);
    }

    @Test
    void theRegressionAtEqualLoadStillFails() {
        JsonNode verdict = analyse("reg");
        assertThat(verdict.get("result").asString()).as(verdict.get("summary").asString()).isEqualTo("FAIL");
        assertThat(verdict.get("findings").get(0).get("function").asString())
                .isEqualTo("io.canaryjudge.scenario.shop.PriceCalculator.applyDiscounts");
    }
}
