package io.canaryjudge.qa69;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A Go pod's heap.csv from {@code GODEBUG=gctrace=1} (bench/qa69-gctrace-heapcsv.py: the live heap each cycle marked,
 * whole MiB, every cycle a whole-heap one) beside its last two heap profiles (src/test/resources/qa69/memory).
 */
class GoHeapCsvTest {
    static final Path PODS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa69/memory/pods");

    /** The instance folders compare reads: heap.csv and the heap profiles, not the scrapes the service test backfills. */
    private static Path pods(Path temp) throws IOException {
        for (String pod : List.of("b1", "b2", "b3", "b4", "l1")) {
            Path to = Files.createDirectories(temp.resolve(pod));
            for (String file : List.of("heap.csv", "heap-20.pb.gz", "heap-21.pb.gz")) {
                Files.copy(PODS.resolve(pod).resolve(file), to.resolve(file));
            }
        }
        return temp;
    }

    @Test
    void aLeakingGoCanaryFailsOnItsGctraceHeapAndAnUnchangedOneDoesNot(@TempDir Path temp) throws IOException {
        Path pods = pods(temp);
        JsonNode leak = CompareJson.of(pods, List.of("b1", "b2", "b3"), List.of("l1"), List.of(), "--profile-type",
                "live_bytes");
        assertThat(leak.path("result").asString()).as(leak.path("summary").asString()).isEqualTo("FAIL");
        assertThat(leak.path("summary").asString()).startsWith("FAIL: canary retains +").contains("`main.handle`");

        JsonNode same = CompareJson.of(pods, List.of("b1", "b2", "b3"), List.of("b4"), List.of(), "--profile-type",
                "live_bytes");
        assertThat(same.path("result").asString()).isNotEqualTo("FAIL");
        assertThat(same.path("summary").asString()).doesNotContain("retains");
    }
}
