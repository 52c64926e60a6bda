package io.canaryjudge.qa46;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.cli.CompareJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Native memory judged by {@code compare} from the instances' own {@code areas.csv} ({@code native}: resident size minus
 * the JVM's committed pools and direct buffers, written by bench/qa46-assemble.py from the recorded pods' scrapes), with
 * the service's code and rules. Before, {@code native} was not an area an {@code areas.csv} could hold (exit 65, "is not
 * one of metaspace, direct-buffers, threads").
 */
class NativeCompareTest {
    static final Path PODS = NativePods.FOLDER.resolve("pods");
    static final List<String> BASELINE = List.of("b1", "b2", "b3");

    @TempDir
    Path scratch;

    /** Each pod's heap.csv, areas.csv and alloc.collapsed in an instance directory of its own. */
    private Path instances(List<String> pods) throws IOException {
        for (String pod : pods) {
            Path dir = Files.createDirectories(scratch.resolve(pod));
            for (String file : List.of("heap.csv", "areas.csv", "alloc.collapsed")) {
                Files.copy(PODS.resolve(pod).resolve(file), dir.resolve(file));
            }
        }
        return scratch;
    }

    private static List<String> failingAreas(JsonNode verdict) {
        List<String> areas = new ArrayList<>();
        for (JsonNode finding : verdict.get("findings")) {
            if ("MEMORY_AREA_GROWTH".equals(finding.get("measure").asString()) && finding.get("failing").asBoolean()) {
                areas.add(finding.get("function").asString());
            }
        }
        return areas;
    }

    @Test
    void aCanaryKeepingNativeMemoryFailsOnNativeMemory() throws IOException {
        Path folder = instances(List.of("b1", "b2", "b3", "leak-native-1"));
        JsonNode verdict = CompareJson.of(folder, BASELINE, List.of("leak-native-1"), List.of(), "--profile-type",
                "alloc_bytes");

        assertThat(verdict.get("result").asString()).as(verdict.toString()).isEqualTo("FAIL");
        assertThat(failingAreas(verdict)).containsExactly("<native>");
        assertThat(verdict.get("summary").asString()).startsWith("FAIL: canary's native memory grows +");
    }

    @Test
    void aHeapWarmingIntoAGrowingCommittedSizeALargerFlatNonHeapAndAaAreNotNativeGrowth() throws IOException {
        Path folder = instances(List.of("b1", "b2", "b3", "aa-1", "heap-fill-1", "bigger-nonheap-1"));
        for (String canary : List.of("aa-1", "heap-fill-1", "bigger-nonheap-1")) {
            JsonNode verdict = CompareJson.of(folder, BASELINE, List.of(canary), List.of(), "--profile-type", "alloc_bytes");

            assertThat(failingAreas(verdict)).as(canary + ": " + verdict.get("summary")).doesNotContain("<native>");
            assertThat(verdict.get("dataQuality").get("memory").get("notes").toString()).as(canary)
                    .contains("outside the heap, native memory: ");
        }
    }
}
