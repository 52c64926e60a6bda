package io.canaryjudge.qa44;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.cli.CliRun;
import io.canaryjudge.cli.CompareJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Memory outside the heap judged by {@code compare} from the instances' own files, on real JVMs
 * (bench/qa44-nonheap-jfr.sh: the qa40 pods under the JDK's JFR, 13 minutes each from their start; extracted by
 * bench/qa44-extract.py into areas.csv, heap.csv and one collapsed allocation profile per pod). Before, compare read
 * nothing outside the heap: every leak below was a verdict without a memory finding.
 */
class RecordedNonHeapCompareTest {
    static final Path PODS = Path.of("src/test/resources/qa44");
    static final List<String> BASELINE = List.of("b1", "b2", "b3");

    @TempDir
    Path scratch;

    static JsonNode compare(Path folder, List<String> baseline, List<String> canary) {
        return CompareJson.of(folder, baseline, canary, List.of(), "--profile-type", "alloc_bytes");
    }

    /** The failing findings of memory outside the heap, by function ({@code <metaspace>}). */
    static List<String> failingAreas(JsonNode verdict) {
        List<String> areas = new ArrayList<>();
        for (JsonNode finding : verdict.get("findings")) {
            if ("MEMORY_AREA_GROWTH".equals(finding.get("measure").asString()) && finding.get("failing").asBoolean()) {
                areas.add(finding.get("function").asString());
            }
        }
        return areas;
    }

    @Test
    void everyRecordedLeakFailsNamingItsArea() {
        for (String[] leak : new String[][] {{"leak-classes-1", "<metaspace>", "metaspace grows"},
                {"leak-direct-1", "<direct-buffers>", "direct buffers grow"},
                {"leak-threads-1", "<threads>", "live threads grow"}}) {
            JsonNode verdict = compare(PODS, BASELINE, List.of(leak[0]));
            assertThat(verdict.get("result").asString()).as(leak[0] + ": " + verdict.get("summary")).isEqualTo("FAIL");
            assertThat(failingAreas(verdict)).as(leak[0]).containsExactly(leak[1]);
            assertThat(verdict.get("summary").asString()).as(leak[0]).startsWith("FAIL: canary's " + leak[2]);
        }
    }

    /**
     * The text report files a thread leak under memory, not under live_bytes: its incident read "FAIL live_bytes:"
     * and its row sat in a "live_bytes (bytes)" table with a count of threads, though no live-object profile was read.
     */
    @Test
    void theTextReportCallsAnAreaLeakMemoryNotALiveObjectProfile() {
        List<String> args = new ArrayList<>(List.of("compare", "--profile-type", "alloc_bytes"));
        BASELINE.forEach(b -> args.addAll(List.of("--baseline", PODS.resolve(b).toString())));
        args.addAll(List.of("--canary", PODS.resolve("leak-threads-1").toString()));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.status()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).contains("1. FAIL memory: Canary's live threads grow", "\nmemory growth\n",
                "1. memory <threads> (FAILS)").doesNotContain("live_bytes");
    }

    @Test
    void sameVersionAndLargerButFlatMemoryOutsideTheHeapNeverFail() {
        for (String canary : List.of("aa-1", "aa-2", "bigger-nonheap-1")) {
            JsonNode verdict = compare(PODS, BASELINE, List.of(canary));
            assertThat(failingAreas(verdict)).as(canary + ": " + verdict.get("summary")).isEmpty();
            List<String> notes = new ArrayList<>();
            verdict.get("dataQuality").get("memory").get("notes").forEach(n -> notes.add(n.asString()));
            // judged, not skipped: each area's note is there
            assertThat(notes).as(canary).anySatisfy(n -> assertThat(n).startsWith("outside the heap, metaspace: "))
                    .anySatisfy(n -> assertThat(n).startsWith("outside the heap, direct buffers: "))
                    .anySatisfy(n -> assertThat(n).startsWith("outside the heap, live threads: "));
        }
    }

    /**
     * A canary recorded without the events (async-profiler without jfrsync, an older JDK: here its areas.csv left out)
     * beside baselines that have them: the leak cannot be seen, and the verdict says why instead of passing as judged.
     */
    @Test
    void aCanaryWhoseFilesLackTheAreasIsSaidNotPassedAsJudged() throws Exception {
        for (String pod : List.of("b1", "b2", "b3", "leak-classes-1")) {
            Path dir = Files.createDirectories(scratch.resolve(pod));
            for (String file : List.of("heap.csv", "alloc.collapsed", "areas.csv")) {
                if (!(pod.startsWith("leak") && file.equals("areas.csv"))) {
                    Files.copy(PODS.resolve(pod).resolve(file), dir.resolve(file));
                }
            }
        }
        JsonNode verdict = compare(scratch, BASELINE, List.of("leak-classes-1"));
        assertThat(failingAreas(verdict)).isEmpty();
        List<String> warnings = new ArrayList<>();
        verdict.get("dataQuality").get("warnings").forEach(w -> warnings.add(w.asString()));
        assertThat(warnings).contains("memory outside the heap: metaspace not judged: the canary's instance ("
                + scratch.resolve("leak-classes-1") + ") recorded none where the baseline's did (JFR's"
                + " jdk.MetaspaceSummary); record both sides alike (the same JDK and JFR settings, async-profiler with"
                + " jfrsync, or an areas.csv beside each)");
    }

    /**
     * The leak pod as recorded: the JDK's JFR (the areas) beside async-profiler's recording (the profile) in one
     * directory. Both say the same JVM 0.29 s apart (the process's start against the VM's): it was refused as
     * "recordings of 2 JVMs in one directory" (exit 65). Now one JVM, its areas read from the JDK's recording.
     */
    @Test
    void theJdksRecordingBesideAsyncProfilersIsOneJvmWhoseAreasAreJudged() throws Exception {
        Path pod = PODS.resolve("jfr/leak-direct-1");
        Path copy = Files.createDirectories(scratch.resolve("leak-direct-1"));
        try (var files = Files.list(pod)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        for (String b : BASELINE) {
            Path dir = Files.createDirectories(scratch.resolve(b));
            for (String file : List.of("heap.csv", "alloc.collapsed", "areas.csv")) {
                Files.copy(PODS.resolve(b).resolve(file), dir.resolve(file));
            }
        }
        JsonNode verdict = compare(scratch, BASELINE, List.of("leak-direct-1"));
        assertThat(failingAreas(verdict)).as(verdict.get("summary").asString()).containsExactly("<direct-buffers>");
    }

    /** No instance's files hold any area: the memory notes say nothing outside the heap was judged. */
    @Test
    void withoutAnyAreaTheMemoryNotesSaySo() throws Exception {
        for (String pod : List.of("b1", "b2", "b3", "aa-1")) {
            Path dir = Files.createDirectories(scratch.resolve(pod));
            for (String file : List.of("heap.csv", "alloc.collapsed")) {
                Files.copy(PODS.resolve(pod).resolve(file), dir.resolve(file));
            }
        }
        JsonNode verdict = compare(scratch, BASELINE, List.of("aa-1"));
        List<String> notes = new ArrayList<>();
        verdict.get("dataQuality").get("memory").get("notes").forEach(n -> notes.add(n.asString()));
        assertThat(notes).contains("outside the heap, nothing judged: no instance's files hold jdk.MetaspaceSummary,"
                + " jdk.DirectBufferStatistics or jdk.JavaThreadStatistics events (the JDK's JFR, or async-profiler"
                + " with jfrsync), or an areas.csv");
    }
}
