package io.canaryjudge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * What Argo Rollouts is told about a saw-tooth heap ({@link SawToothService}: G1 JVMs marking their old generation every
 * few minutes, a real Prometheus holding their scrapes, {@code POST /api/v1/analyses} over loopback), with the service's
 * default heap query (Micrometer's heap used) and with {@code exporter: micrometer-live-data}. 15-minute analyses at
 * several canary ages; the heap is judged over the default 30 minutes (docs/EVALUATION.md "Saw-tooth heaps: what the
 * user is told (qa52)").
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.local.match-windows=true", "canary-judge.analysis.warmup=0s",
                "canary-judge.analysis.deadline=60s", "canary-judge.prometheus.application-label=app",
                "canary-judge.prometheus.timeout=20s", "canary-judge.prometheus.gates.error-ratio.enabled=false",
                "canary-judge.prometheus.gates.latency-p99.enabled=false",
                "canary-judge.configs.live.heap.exporter=micrometer-live-data"})
class SawToothServiceTest extends SawToothService {
    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        register(registry, url -> url);
    }


    private static JsonNode memory(JsonNode verdict) {
        return verdict.get("dataQuality").get("memory");
    }

    @Test
    void aCanaryTooYoungToJudgeIsToldWhenItCanBeNotToLengthenTheHeapWindow() {
        // Canary minutes 1–16: the warm-up (20 min) leaves no heap to judge, whatever memoryGrowth.window says; the
        // saw-tooth's own advice ("judge a window of at least 60 min; memoryGrowth.window: 60m") could not help.
        JsonNode verdict = analyse("aa", null, Duration.ofMinutes(1));

        assertThat(verdict.get("result").asString()).as(verdict.toString()).isNotEqualTo("FAIL");
        String summary = verdict.get("summary").asString();
        assertThat(summary).as(summary).contains("the canary pods are 1 to 16 min old")
                .contains("a JVM's first 20 min are left out as warm-up")
                .contains("the canary can be judged in a window ending 30 min or more after its pods started")
                .doesNotContain("memoryGrowth.window: 60m");
        assertThat(memory(verdict).get("judged").asBoolean()).isFalse();
    }

    @Test
    void theLiveDataSizeJudgesWhatTheSawToothHeapCannotResolve() {
        // Canary minutes 30–45 (heap over minutes 16–45, 20–45 past warm-up): the default heap query's troughs are too
        // few per canary pod ("judge a window of at least 55 min"); the pods' live data size, asked beside it, resolves it.
        JsonNode leak = analyse("leak-sessions", null, Duration.ofMinutes(30));
        JsonNode aa = analyse("aa", null, Duration.ofMinutes(30));

        assertThat(leak.get("result").asString()).as(leak.toString()).isEqualTo("FAIL");
        JsonNode first = leak.get("findings").get(0);
        assertThat(first.get("kind").asString()).isEqualTo("MEMORY_GROWTH");
        assertThat(first.get("function").asString()).isEqualTo("io.canaryjudge.memory.app.SessionRegistry.register");
        assertThat(memory(leak).get("notes").get(0).asString())
                .startsWith("judged from the pods' live data size (jvm_gc_live_data_size_bytes")
                .contains("heap after GC could not resolve growth");

        assertThat(aa.get("findings").toString()).as(aa.toString()).doesNotContain("MEMORY_GROWTH");
        assertThat(aa.get("summary").asString()).contains("no abnormal growth of the live data size");
        assertThat(memory(aa).get("judged").asBoolean()).isTrue();
    }

    @Test
    void aYoungLeakIsNotHiddenByTheZerosOfLiveDataBeforeTheFirstMarking() {
        // exporter: micrometer-live-data, canary minutes 20–35 (heap over their minutes 5–35). Micrometer's live data size
        // reads 0 until a JVM's first marking cycle: taken as a point, every young pod's live set leapt by its whole size
        // (the baseline pods at the canary's age +62 MiB/h) and the leak passed beside them ("no abnormal heap growth").
        JsonNode verdict = analyse("leak-sessions", "live", Duration.ofMinutes(20));

        assertThat(verdict.get("result").asString()).as(verdict.toString()).isEqualTo("FAIL");
        JsonNode first = verdict.get("findings").get(0);
        assertThat(first.get("kind").asString()).isEqualTo("MEMORY_GROWTH");
        assertThat(first.get("function").asString()).isEqualTo("io.canaryjudge.memory.app.SessionRegistry.register");
    }

    @Test
    void healthyCanariesAreNeverFailedWhateverTheirAge() {
        for (String scenario : new String[] {"aa", "bigger-flat"}) {
            for (int age = 0; age <= 40; age += 5) {
                JsonNode verdict = analyse(scenario, null, Duration.ofMinutes(age));
                assertThat(verdict.get("findings").toString()).as(scenario + " at minute " + age + ": " + verdict)
                        .doesNotContain("MEMORY_GROWTH");
            }
        }
    }
}
