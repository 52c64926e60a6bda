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
 * qa57: {@code POST /api/v1/analyses} on canaries whose JVM differs from their baseline pods' with the same code (the
 * recording of {@code bench/qa57-record.sh}, {@code src/test/resources/qa57}): baseline pods G1 with a 256 MiB heap,
 * canaries on Serial (1 CPU, by ergonomics), Parallel, ZGC, half or double the heap, and leaking canaries on Serial and
 * half the heap. A real Prometheus holds the pods' scrapes (heap pools, live data size, start time, request counter);
 * their live-object profiles are in a local directory. Analyses of 15 minutes; the memory check looks 30 minutes back.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.local.match-windows=true", "canary-judge.analysis.warmup=0s",
                "canary-judge.analysis.deadline=60s", "canary-judge.analysis.history-windows=0",
                "canary-judge.analysis.slice=5m",
                "canary-judge.prometheus.application-label=app", "canary-judge.prometheus.timeout=20s",
                "canary-judge.prometheus.gates.error-ratio.enabled=false",
                "canary-judge.prometheus.gates.latency-p99.enabled=false"})
class UnlikeJvmsServiceTest extends RecordedPodsService {
    static final Path ROOT = Path.of("target", "qa57-service-" + UUID.randomUUID()).toAbsolutePath();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        serveRecording(registry, ROOT, RecordedPod.folder().resolveSibling("qa57"));
    }

    @Test
    void unchangedCanariesOnAnotherCollectorOrHeapHaveNoGrowth() {
        // Serial by ergonomics (1 CPU), Parallel, ZGC (one pool, ZHeap), half and double the G1 heap; memory over the
        // 30 minutes before the analysis's end (ages 5-35), compared with the baseline pods at the same ages
        for (String canary : new String[] {"aa-serial", "aa-parallel", "aa-zgc", "aa-half", "aa-double"}) {
            JsonNode verdict = analyse("baseline", canary, 35);

            assertThat(verdict.get("findings").toString()).as(canary + ": " + memory(verdict))
                    .doesNotContain("MEMORY_GROWTH");
            assertThat(memory(verdict).get("judged").asBoolean()).as(canary + ": " + memory(verdict)).isTrue();
            assertThat(verdict.get("summary").asString()).contains("no abnormal heap growth after GC");
        }
    }

    @Test
    void aLeakFailsOnSerialAndOnHalfTheHeapNamingItsSite() {
        for (String leak : new String[] {"leak-serial", "leak-half"}) {
            JsonNode verdict = analyse("baseline", leak, 35);

            assertThat(verdict.get("result").asString()).as(leak + ": " + memory(verdict)).isEqualTo("FAIL");
            JsonNode first = verdict.get("findings").get(0);
            assertThat(first.get("kind").asString()).isEqualTo("MEMORY_GROWTH");
            assertThat(first.get("function").asString()).isEqualTo(SITE);
        }
    }

    @Test
    void withTheRolesSwappedSerialBaselinePodsPassAnUnchangedG1CanaryAndFailTheLeak() {
        JsonNode unchanged = analyse("aa-serial", "baseline", 35);
        assertThat(unchanged.get("findings").toString()).as(memory(unchanged).toString()).doesNotContain("MEMORY_GROWTH");
        assertThat(memory(unchanged).get("judged").asBoolean()).isTrue();

        JsonNode leak = analyse("aa-serial", "leak-half", 35);
        assertThat(leak.get("result").asString()).as(memory(leak).toString()).isEqualTo("FAIL");
        assertThat(leak.get("findings").get(0).get("function").asString()).isEqualTo(SITE);
    }
}
