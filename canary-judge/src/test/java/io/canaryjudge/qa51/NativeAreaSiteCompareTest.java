package io.canaryjudge.qa51;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.cli.CompareJson;
import io.canaryjudge.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The {@code native} area's MEMORY_GROWTH finding names where the native memory is malloc'ed when the pods' recordings
 * hold {@code malloc_leak_bytes} (qa51). The qa46 pods (14 minutes, areas.csv from Prometheus scrapes, the last minute's
 * unfreed malloc samples as jfr-converter 4.2 {@code --nativemem --leak --total} wrote them): a canary keeping a 4 KiB
 * {@code Unsafe.allocateMemory} block per 8 requests FAILs on {@code <native>}; before, the finding said only "malloc'ed by
 * native code", now it names {@code NonHeapLeaks.nativeBlock}, its share of the unfreed native bytes and the hottest path.
 */
class NativeAreaSiteCompareTest {
    static final Path QA46 = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa46/pods");
    static final List<String> BASELINE = List.of("b1", "b2", "b3");
    static final String SITE = "io.canaryjudge.memory.app.NonHeapLeaks.nativeBlock";

    @TempDir
    Path scratch;

    /** Each pod's heap.csv, areas.csv and unfreed malloc samples in an instance directory of its own. */
    private Path instances(List<String> pods) throws IOException {
        for (String pod : pods) {
            Path dir = Files.createDirectories(scratch.resolve(pod));
            for (String file : List.of("heap.csv", "areas.csv", "nativemem-leak.collapsed")) {
                Files.copy(QA46.resolve(pod).resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return scratch;
    }

    static JsonNode nativeFinding(JsonNode verdict) {
        for (JsonNode finding : verdict.get("findings")) {
            if ("<native>".equals(finding.get("function").asString())) {
                return finding;
            }
        }
        return null;
    }

    @Test
    void aGrowingNativeAreaNamesTheMethodThatMallocsIt() throws IOException {
        for (String canary : List.of("leak-native-1", "leak-native-2")) {
            List<String> pods = new ArrayList<>(BASELINE);
            pods.add(canary);
            JsonNode verdict = CompareJson.of(instances(pods), BASELINE, List.of(canary), List.of(), "--profile-type",
                    "malloc_leak_bytes");
            String summary = verdict.get("summary").asString();
            JsonNode finding = nativeFinding(verdict);

            assertThat(verdict.get("result").asString()).as(summary).isEqualTo("FAIL");
            assertThat(finding).as(summary).isNotNull();
            assertThat(finding.get("failing").asBoolean()).isTrue();
            assertThat(summary).as(canary).startsWith("FAIL: canary's native memory grows +")
                    .contains("native bytes malloc'ed under `" + SITE + "` and not freed within their recording rose from 0 % to ");
            assertThat(finding.get("explanation").asString()).contains("Hottest path: ").contains(SITE);
            JsonNode path = finding.get("callPath");
            assertThat(path.get(path.size() - 1).asString()).isEqualTo(SITE);
            for (JsonNode incident : verdict.get("incidents")) {
                if ("<native>".equals(incident.get("entryFrame").asString())) {
                    assertThat(incident.get("callPath").toString()).contains(SITE);
                }
            }
        }
    }
}
