package io.canaryjudge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.ServiceOnPrometheus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * qa56: {@code POST /api/v1/analyses} on canaries at another load than their baseline pods (the recording of
 * {@code bench/qa56-record.sh}, {@code src/test/resources/qa56}): a real Prometheus holding the pods' scrapes with
 * their request counter ({@code http_server_requests_seconds_count}, so the memory check compares bytes per 1,000
 * requests), and their live-object profiles in a local directory without {@code requests.csv} (the request counts come
 * from Prometheus, as in a cluster). Analyses of 15 minutes; the memory check looks 30 minutes back (its default window).
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.local.match-windows=true", "canary-judge.analysis.warmup=0s",
                "canary-judge.analysis.deadline=60s", "canary-judge.analysis.history-windows=0",
                // the recorded live-object profiles are 5-minute blocks judged in the default 60 s slices: each block
                // must get the request counts of the five slices it covers (one slice's gave rates a fifth of the truth)
                "canary-judge.prometheus.application-label=app", "canary-judge.prometheus.timeout=20s",
                "canary-judge.prometheus.gates.error-ratio.enabled=false",
                "canary-judge.prometheus.gates.latency-p99.enabled=false"})
class LoadShiftServiceTest extends ServiceOnPrometheus {
    static final Path ROOT = Path.of("target", "qa56-service-" + UUID.randomUUID()).toAbsolutePath();
    static Map<String, RecordedPod> pods;

    static Path folder() {
        return RecordedPod.folder().resolveSibling("qa56");
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        serve(registry, ROOT.resolve("profiles"), () -> {
            pods = RecordedPod.loadAll(folder());
            return RecordedPrometheus.startWithLiveProfiles(folder(), pods, ROOT);
        }, RecordedPrometheus::baseUrl);
    }

    /** 15 minutes of the pods' life ending {@code endMinute} minutes after the canary pods' JVMs started. */
    JsonNode analyse(String scenario, int endMinute) {
        Instant end = Instant.ofEpochMilli(pods.values().stream().filter(p -> p.scenario().equals(scenario))
                .mapToLong(RecordedPod::jvmStartMillis).max().orElseThrow()).plus(Duration.ofMinutes(endMinute))
                .truncatedTo(ChronoUnit.MINUTES);
        String body = """
                {"application": "orders",
                 "baseline": {"labels": {"track": "baseline"}},
                 "canary": {"labels": {"track": "canary", "scenario": "%s"}},
                 "start": "%s", "end": "%s", "profileTypes": ["live_bytes"]}"""
                .formatted(scenario, end.minus(Duration.ofMinutes(15)), end);
        return analyses(body);
    }

    @Test
    void aLeakAtATenthOfTheLoadIsNotJudgedSayingTheLoadNotFailedOnItsWarmingCache() {
        JsonNode verdict = analyse("leak-10", 40);

        JsonNode memory = verdict.get("dataQuality").get("memory");
        assertThat(verdict.get("findings").toString()).as(verdict.toString()).doesNotContain("MEMORY_GROWTH");
        assertThat(memory.get("judged").asBoolean()).isFalse();
        assertThat(memory.get("notes").get(0).asString()).startsWith("memory growth not judged: the canary pods served"
                + " 10 % of a baseline pod's requests (2.5 vs 25.0 per second)")
                .contains("judge the canary at a larger weight");
    }

    @Test
    void anAaCanaryAtATenthOfTheLoadIsNotFailed() {
        JsonNode verdict = analyse("aa-10", 40);

        assertThat(verdict.get("result").asString()).as(verdict.toString()).isNotEqualTo("FAIL");
        assertThat(verdict.get("dataQuality").get("memory").get("notes").get(0).asString())
                .contains("served 10 % of a baseline pod's requests");
    }

    @Test
    void aLeakAtTwiceTheLoadFailsPerThousandRequestsAtItsSite() {
        JsonNode verdict = analyse("leak-200", 40);

        assertThat(verdict.get("result").asString()).as(verdict.toString()).isEqualTo("FAIL");
        JsonNode first = verdict.get("findings").get(0);
        assertThat(first.get("kind").asString()).isEqualTo("MEMORY_GROWTH");
        assertThat(first.get("function").asString()).isEqualTo("io.canaryjudge.memory.app.SessionRegistry.register");
        assertThat(verdict.get("dataQuality").get("memory").get("unit").asString()).isEqualTo("bytes per 1000 requests");
        assertThat(verdict.get("summary").asString()).contains("per 1,000 requests")
                .contains("the canary pods served 200 % of a baseline pod's requests");
    }

    @Test
    void anAaCanaryAtTwiceTheLoadHasNoGrowth() {
        JsonNode verdict = analyse("aa-200", 40);

        assertThat(verdict.get("findings").toString()).as(verdict.toString()).doesNotContain("MEMORY_GROWTH");
        assertThat(verdict.get("summary").asString()).contains("no abnormal heap growth after GC");
        // every pod recorded through the whole window: its 5-minute blocks cover the window's 60 s slices but the first,
        // which only a block begun before the window holds (for every pod alike: not one pod's pause or restart)
        assertThat(verdict.get("dataQuality").get("warnings").toString()).as(verdict.toString())
                .doesNotContain("had profiles in");
    }
}
