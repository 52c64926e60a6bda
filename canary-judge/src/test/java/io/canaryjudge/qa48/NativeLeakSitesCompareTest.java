package io.canaryjudge.qa48;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Native allocation sites judged by {@code compare} (qa48): the recorded memory pods' malloc_leak_bytes (async-profiler
 * 4.2 {@code nativemem=65536}: sampled native blocks not freed by the end of each one-minute recording), as collapsed
 * stacks (src/test/resources/qa48/README.md). A canary keeping a 4 KiB {@code Unsafe.allocateMemory} block per 8 requests,
 * or an {@code Inflater} per 8 requests never ended, FAILs naming its allocating application method first; one that
 * mallocs and frees zlib's state per request, and A/A, do not FAIL. Before, the type did not exist; with the type read,
 * the judge found a leak profile's 38 baseline samples too few to judge (1,000 needed), the leaking method's rise "JVM
 * work below it" (os::malloc), the Inflater's leak a canary that "does not resemble the baseline", and every A/A
 * INCONCLUSIVE (no 75 % change in a function at 5 % of a few JVM arenas detectable).
 */
class NativeLeakSitesCompareTest {
    static final Path PODS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa48/pods");
    static final List<String> STABLE = List.of("b1", "b2", "b3", "aa-1");
    static final String[] OPTIONS = {"--profile-type", "malloc_leak_bytes", "--value-per-sample", "65536"};

    private static JsonNode judge(List<String> baseline, String canary) {
        return CompareJson.of(PODS, baseline, List.of(canary), List.of(), OPTIONS);
    }

    /** Every 3 of the 4 stable pods without {@code canary}. */
    private static List<List<String>> baselines(String canary) {
        List<String> others = new ArrayList<>(STABLE);
        others.remove(canary);
        if (others.size() == 3) {
            return List.of(others);
        }
        List<List<String>> layouts = new ArrayList<>();
        for (String left : others) {
            List<String> three = new ArrayList<>(others);
            three.remove(left);
            layouts.add(three);
        }
        return layouts;
    }

    @Test
    void aNativeLeakFailsNamingItsAllocatingMethodFirst() {
        for (String canary : List.of("leak-native-1", "leak-native-2", "leak-inflater-1", "leak-inflater-2")) {
            String site = canary.startsWith("leak-native") ? "io.canaryjudge.memory.app.NonHeapLeaks.nativeBlock"
                    : "io.canaryjudge.memory.app.NonHeapLeaks.keptInflater";
            for (List<String> baseline : baselines(canary)) {
                JsonNode verdict = judge(baseline, canary);
                String summary = verdict.get("summary").asString();

                assertThat(verdict.get("result").asString()).as(canary + " " + baseline + ": " + summary).isEqualTo("FAIL");
                assertThat(verdict.get("incidents").get(0).get("entryFrame").asString()).as(summary).isEqualTo(site);
                assertThat(summary).as("a leak site is a new path, not another program")
                        .startsWith("FAIL: new hot path under `" + site + "`, ")
                        .contains("of native bytes not freed in the recording, mostly allocated in `")
                        .doesNotContain("does not resemble");
            }
        }
    }

    @Test
    void freeingAllItMallocsAndAaDoNotFail() {
        for (String canary : List.of("churn-native-1", "b1", "b2", "b3", "aa-1")) {
            for (List<String> baseline : baselines(canary)) {
                JsonNode verdict = judge(baseline, canary);

                assertThat(verdict.get("result").asString()).as(canary + " " + baseline + ": " + verdict.get("summary"))
                        .isEqualTo("PASS");
            }
        }
    }
}
