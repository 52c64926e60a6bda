package io.canaryjudge.qa39;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The same build whose canary is profiled differently ({@link SetupPod}, src/test/resources/qa39): three baseline pods
 * under async-profiler 4.2 {@code event=itimer,interval=500us}, canaries of the same code under
 * {@code interval=5ms} or {@code event=cpu} (perf_events).
 */
class ProfilerSetupTest {
    static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa39");

    /**
     * itimer fires at most once per kernel tick the process runs in, so its 500 µs interval counted 94.8 µs of CPU per
     * request where 5 ms counted 694 µs and perf_events 747 µs for the same code: "FAIL: CPU per request +632 %" (and
     * +687 % against event=cpu, headed by an unchanged function). Samples × interval is no common measure across
     * setups; shares still are compared.
     */
    @Test
    void cpuPerRequestIsNotComparedAcrossSamplingSetups() {
        for (String canary : List.of("iv5ms", "cpu")) {
            JsonNode verdict = compare(List.of("b1", "b2", "b3"), List.of(canary + "1", canary + "2", canary + "3"));
            String summary = verdict.get("summary").asString();
            assertThat(verdict.get("result").asString()).as(canary + ": " + summary).isNotEqualTo("FAIL");
            // not compared, but said: a uniform slowdown moves no share, and a PASS silent on it would read "nothing rose"
            assertThat(summary).as(canary).contains("CPU per request +")
                    .contains("not compared: the groups' CPU profiles were sampled differently");
            assertThat(cpuNotes(verdict)).as(canary).anySatisfy(note -> assertThat(note)
                    .startsWith("CPU per request: baseline ")
                    .contains("not compared: the groups' cpu profiles were sampled differently"));
            assertThat(verdict.get("dataQuality").get("warnings").toString()).contains("cpu profiles were sampled differently");
        }
    }

    /** With one setup on both sides the cost per request is still compared (the note says no reason it was not). */
    @Test
    void cpuPerRequestIsComparedWithTheSameSetup() {
        JsonNode verdict = compare(List.of("iv5ms1", "iv5ms2"), List.of("iv5ms3"));
        assertThat(cpuNotes(verdict)).anySatisfy(note -> assertThat(note).startsWith("CPU per request: baseline ")
                .doesNotContain("not compared"));
    }

    /**
     * A canary recorded with {@code event=wall} holds wall-clock samples and no cpu: the verdict said "not enough data —
     * cpu: the canary has no cpu data" and nothing of why. It says what each group's profiles hold and what to do.
     */
    @Test
    void aTypeMissingFromOneGroupNamesWhatItsProfilesHoldInstead() {
        JsonNode verdict = compare(List.of("b1", "b2", "b3"), List.of("wall1"));
        String summary = verdict.get("summary").asString();
        assertThat(verdict.get("result").asString()).as(summary).isEqualTo("INCONCLUSIVE");
        assertThat(summary).contains("the canary has no cpu data; the canary's profiles hold wall, alloc_bytes and no cpu, "
                + "the baseline's cpu, alloc_bytes: the groups were recorded with different profiler events (async-profiler's "
                + "event=wall gives wall-clock samples, not cpu), so cpu cannot be compared; record both groups with the "
                + "same events");
    }

    /**
     * Without request counts the judge reads a canary using under 80 % of the baseline's CPU per second as a lighter load
     * and fails no share rise. A baseline at {@code interval=5ms} against a canary at {@code 500us} (itimer's undercount:
     * "11 % of the baseline pods' CPU per second") turned the slow canary's {@code Pricing.quote} (4.3 → 14-23 % of CPU
     * with the same setup on both sides) into "INCONCLUSIVE: … a lighter load". CPU per second from different setups says
     * nothing of the load.
     */
    @Test
    void aRegressionIsNotExcusedAsALighterLoadWhenTheIntervalsDiffer(@TempDir Path dir) throws Exception {
        for (String pod : List.of("iv5ms1", "iv5ms2", "iv5ms3", "slow1", "slow2", "slow3")) {
            Path copy = Files.createDirectories(dir.resolve(pod));
            try (Stream<Path> slices = Files.list(RECORDINGS.resolve(pod))) {
                for (Path slice : slices.filter(f -> f.getFileName().toString().endsWith(".jfr.gz")).toList()) {
                    Files.copy(slice, copy.resolve(slice.getFileName()));
                }
            }
        }
        JsonNode verdict = compare(dir, List.of("iv5ms1", "iv5ms2", "iv5ms3"), List.of("slow1", "slow2", "slow3"));
        String summary = verdict.get("summary").asString();
        assertThat(verdict.get("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(summary).startsWith("FAIL: `io.canaryjudge.qa39.SetupPod$Pricing.quote` +");
        assertThat(verdict.get("dataQuality").toString()).doesNotContain("CPU per second");
    }

    /**
     * The same build recorded by the JDK's own JFR ({@code jdk.ExecutionSample} every 20 ms) against async-profiler's
     * itimer: the JDK's sampler walks only threads in Java code, and gave {@code Pricing.quote} 25-38 % of CPU where
     * async-profiler gave it 4 %: "FAIL: `Pricing.quote` +606 %". The rise is reported, not failed, and the verdict names
     * the samplers.
     */
    @Test
    void cpuSharesFromAnotherKindOfSamplerDoNotFail() {
        JsonNode verdict = compare(List.of("b1", "b2", "b3"), List.of("jdk1", "jdk2", "jdk3"));
        String summary = verdict.get("summary").asString();
        assertThat(verdict.get("result").asString()).as(summary).isEqualTo("INCONCLUSIVE");
        assertThat(summary).contains("CPU shares rose as the sampler alone moves them, the groups' CPU profiles taken by "
                + "different samplers (async-profiler event=itimer in the baseline, JDK method sampling in the canary)");
        boolean quote = false;
        for (JsonNode finding : verdict.get("findings")) {
            if (finding.get("profileType").asString().equals("cpu")
                    && finding.get("function").asString().endsWith("Pricing.quote")
                    && finding.get("kind").asString().equals("REGRESSION")) {
                quote = true;
                assertThat(finding.get("failing").asBoolean()).isFalse();
            }
        }
        assertThat(quote).as(summary).isTrue();
    }

    private static List<String> cpuNotes(JsonNode verdict) {
        List<String> notes = new ArrayList<>();
        for (JsonNode type : verdict.get("dataQuality").get("types")) {
            if (type.get("profileType").asString().equals("cpu")) {
                type.get("notes").forEach(n -> notes.add(n.asString()));
            }
        }
        return notes;
    }

    static JsonNode compare(List<String> baseline, List<String> canary) {
        return compare(RECORDINGS, baseline, canary);
    }

    static JsonNode compare(Path folder, List<String> baseline, List<String> canary) {
        return CompareJson.of(folder, baseline, canary);
    }
}
