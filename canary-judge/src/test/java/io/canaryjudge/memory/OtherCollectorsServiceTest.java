package io.canaryjudge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * qa63: {@code POST /api/v1/analyses} on the recording of {@code bench/qa63-record.sh} ({@code src/test/resources/qa63},
 * README there): baseline pods G1 with a 256 MiB heap (JDK 17); canaries leaking on Parallel, on ZGC without generations
 * (JDK 17) and on generational ZGC (JDK 25), the same code on generational ZGC, and on G1 running System.gc() every 4
 * minutes (a full collection the baseline pods never have). A real Prometheus holds the pods' scrapes (Micrometer's
 * heap pools, live data size, start time, request counter); their live-object profiles are in a local directory.
 * Analyses of 15 minutes ending at the pods' 25th minute; the memory check looks 30 minutes back (ages 0-25).
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.local.match-windows=true", "canary-judge.analysis.warmup=0s",
                "canary-judge.analysis.deadline=60s", "canary-judge.analysis.history-windows=0",
                "canary-judge.analysis.slice=5m",
                "canary-judge.prometheus.application-label=app", "canary-judge.prometheus.timeout=20s",
                "canary-judge.prometheus.gates.error-ratio.enabled=false",
                "canary-judge.prometheus.gates.latency-p99.enabled=false"})
class OtherCollectorsServiceTest extends RecordedPodsService {
    static final Path ROOT = Path.of("target", "qa63-service-" + UUID.randomUUID()).toAbsolutePath();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        serveRecording(registry, ROOT, RecordedPod.folder().resolveSibling("qa63"));
    }

    @Test
    void leaksOnParallelZgcAndGenerationalZgcFailNamingTheirSite() {
        for (String leak : new String[] {"leak-parallel", "leak-zgc", "leak-genzgc"}) {
            JsonNode verdict = analyse("baseline", leak, 25);

            assertThat(verdict.get("result").asString()).as(leak + ": " + memory(verdict)).isEqualTo("FAIL");
            JsonNode first = verdict.get("findings").get(0);
            assertThat(first.get("kind").asString()).as(leak).isEqualTo("MEMORY_GROWTH");
            assertThat(first.get("function").asString()).as(leak).isEqualTo(SITE);
        }
    }

    @Test
    void unchangedCanariesOnGenerationalZgcOrWithFullCollectionsHaveNoGrowth() {
        for (String canary : new String[] {"aa-genzgc", "aa-fullgc"}) {
            JsonNode verdict = analyse("baseline", canary, 25);

            assertThat(verdict.get("findings").toString()).as(canary + ": " + memory(verdict))
                    .doesNotContain("MEMORY_GROWTH");
            // judged, not merely unfailed: a check that stopped judging would pass the line above
            assertThat(memory(verdict).get("judged").asBoolean()).as(canary + ": " + memory(verdict)).isTrue();
        }
    }
}
