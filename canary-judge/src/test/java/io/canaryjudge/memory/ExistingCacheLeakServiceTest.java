package io.canaryjudge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.ServiceOnPrometheus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
 * qa66: {@code POST /api/v1/analyses} on a leak in a cache the baseline already has ({@code src/test/resources/qa66}): a
 * real Prometheus holding the pods' scrapes and request counter, their live-object profiles in a local directory. The
 * memory check judges the analysis window itself (a named config with {@code memoryGrowth.window: 0s}): the canaries'
 * minutes 15-30, where {@code broken-100}'s FAIL was named at the metrics scrape before qa66.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.local.match-windows=true", "canary-judge.analysis.warmup=0s",
                "canary-judge.analysis.deadline=60s", "canary-judge.analysis.history-windows=0",
                "canary-judge.prometheus.application-label=app", "canary-judge.prometheus.timeout=20s",
                "canary-judge.prometheus.gates.error-ratio.enabled=false",
                "canary-judge.prometheus.gates.latency-p99.enabled=false"})
class ExistingCacheLeakServiceTest extends ServiceOnPrometheus {
    static final Path ROOT = Path.of("target", "qa66-service-" + UUID.randomUUID()).toAbsolutePath();
    static Map<String, RecordedPod> pods;

    static Path folder() {
        return RecordedPod.folder().resolveSibling("qa66");
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        serve(registry, ROOT.resolve("profiles"), () -> {
            pods = RecordedPod.loadAll(folder());
            return RecordedPrometheus.startWithLiveProfiles(folder(), pods, ROOT);
        }, RecordedPrometheus::baseUrl);
        Path judgeConfig = ROOT.resolve("judge.yaml");
        try {
            Files.createDirectories(ROOT);
            Files.writeString(judgeConfig, "services:\n  narrow:\n    memoryGrowth: {window: 0s}\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("canary-judge.judge-config.file", judgeConfig::toString);
    }

    /** The canary pods' minutes 15-30 (the pods started together), the memory check over the same minutes. */
    JsonNode analyse(String scenario) {
        Instant end = Instant.ofEpochMilli(pods.values().stream().mapToLong(RecordedPod::jvmStartMillis).max()
                .orElseThrow()).plus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.MINUTES);
        String body = """
                {"application": "orders",
                 "baseline": {"labels": {"track": "baseline"}},
                 "canary": {"labels": {"track": "canary", "scenario": "%s"}},
                 "start": "%s", "end": "%s", "profileTypes": ["live_bytes"], "config": "narrow"}"""
                .formatted(scenario, end.minus(Duration.ofMinutes(15)), end);
        return analyses(body);
    }

    @Test
    void aCacheThatNoLongerExpiresFailsNamingNoSiteAndSayingWhy() {
        JsonNode verdict = analyse("broken-100");

        assertThat(verdict.get("result").asString()).as(verdict.toString()).isEqualTo("FAIL");
        JsonNode first = verdict.get("findings").get(0);
        assertThat(first.get("kind").asString()).isEqualTo("MEMORY_GROWTH");
        assertThat(first.get("function").asString()).as(first.toString()).isEqualTo("<heap>");
        assertThat(verdict.get("summary").asString()).contains("the live-object profiles name no allocation site")
                .contains("a cache or registry the baseline has too");
    }

    @Test
    void theUnchangedCanariesAtFullAndAQuarterOfTheLoadDoNotFail() {
        for (String scenario : new String[] {"aa-100", "aa-25"}) {
            JsonNode verdict = analyse(scenario);
            assertThat(verdict.get("findings").toString()).as(verdict.toString()).doesNotContain("MEMORY_GROWTH");
            assertThat(verdict.get("result").asString()).isNotEqualTo("FAIL");
        }
    }
}
