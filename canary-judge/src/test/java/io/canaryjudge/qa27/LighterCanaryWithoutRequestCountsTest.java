package io.canaryjudge.qa27;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real JVMs of one code at different arrival rates (src/test/resources/qa27: 3 baseline pods at 1,000 requests/s, canaries
 * at 400/s and 200/s, a regression at 1,000/s and 200/s), judged by {@code compare} at default settings without request
 * counts, as the service judges Pyroscope's profiles without Prometheus. A lighter canary's fixed-rate work (a cache
 * refreshed every 250 ms, a metrics scrape, a status log) takes a larger share of its smaller total: before, the A/A
 * canaries at 1:2.5 and 1:5 FAILed on {@code LoadPod$PriceCache.refresh} (+111 %, +156 % of allocated bytes), and the
 * regression at 1:5 FAILed on {@code LoadPod.pace} (its acceptor loop, left to the interpreter at a low rate), not on
 * the method that doubled.
 */
class LighterCanaryWithoutRequestCountsTest {
    static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa27");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void unchangedCodeAtAFifthOrTwoFifthsOfTheLoadIsNotAFailAndTheVerdictSaysTheLoadsDiffer() throws IOException {
        for (String canary : List.of("c5", "c25")) {
            JsonNode verdict = compare(canary, false);
            String summary = verdict.get("summary").asString();
            assertThat(verdict.get("result").asString()).as(canary + ": " + summary).isEqualTo("INCONCLUSIVE");
            assertThat(summary).as(canary).contains("of the baseline pods' CPU per second").contains("lighter load");
            for (JsonNode finding : verdict.get("findings")) {
                assertThat(finding.get("failing").asBoolean()).as(canary + ": " + finding).isFalse();
            }
            JsonNode cpu = type(verdict, "cpu");
            assertThat(cpu.get("notes").toString()).as(canary).contains("no request counts say why");
        }
    }

    /**
     * itimer at 4 ms (the Pyroscope agent's event) keeps the canary at 1:5 to 648 CPU samples, too few to compare its
     * functions; its CPU per second still says it was lighter. Before, only a judged CPU type could say so, and the
     * allocation profiles FAILed on the cache refresh (+210 % of allocated bytes); at 1:2.5 (CPU judged) the status
     * log's thread read 0.1 % → 33 % of CPU.
     */
    @Test
    void withTooFewCpuSamplesToJudgeTheCpuPerSecondStillSaysTheCanaryWasLighter() throws IOException {
        for (String canary : List.of("c5", "c25")) {
            JsonNode verdict = compare("itimer/", canary, false);
            String summary = verdict.get("summary").asString();
            assertThat(verdict.get("result").asString()).as(canary + ": " + summary).isEqualTo("INCONCLUSIVE");
            for (JsonNode finding : verdict.get("findings")) {
                assertThat(finding.get("failing").asBoolean()).as(canary + ": " + finding).isFalse();
            }
            assertThat(type(verdict, "alloc_bytes").get("notes").toString()).as(canary)
                    .contains("no request counts say why");
        }
        assertThat(type(compare("itimer/", "c5", false), "cpu").get("judged").asBoolean()).isFalse();
    }

    /**
     * With request counts at two thirds of the baseline's rate (a moderate shift, moderate/): every lighter canary's
     * request loop showed {@code LongAdder.add} (2-10 samples), no baseline pod did, and the A/A canary FAILed on it —
     * a rise from nothing under the new-hot-path share, which the traffic-shift rule let through — headlined as
     * "`LoadPod.serve` -8.7 %", its entry frame's fall.
     */
    @Test
    void atTwoThirdsOfTheRateAFrameTheJitShowsOnlyThereIsNotAFailButTheRegressionIs() throws IOException {
        JsonNode aa = compare("moderate/", "c15", true);
        assertThat(aa.get("result").asString()).as(aa.get("summary").asString()).isNotEqualTo("FAIL");
        assertThat(aa.get("summary").asString()).doesNotContain("LongAdder");
        JsonNode regression = compare("moderate/", "r15", true);
        assertThat(regression.get("result").asString()).as(regression.get("summary").asString()).isEqualTo("FAIL");
        assertThat(regression.get("findings").get(0).get("function").asString())
                .isEqualTo("io.canaryjudge.scenario.shop.PriceCalculator.applyDiscounts");
    }

    @Test
    void aRegressionAtAFifthOfTheLoadIsNotPinnedOnLoadDrivenWork() throws IOException {
        JsonNode verdict = compare("r5", false);
        String summary = verdict.get("summary").asString();
        // The doubled method's share is masked by the load (11.6 % of a baseline pod's CPU; a lighter pod's fixed work
        // grows as much): the verdict says it cannot tell, rather than naming the acceptor loop the JIT left cold.
        assertThat(verdict.get("result").asString()).as(summary).isEqualTo("INCONCLUSIVE");
        assertThat(summary).contains("CPU per second").doesNotContain("LoadPod.pace");
    }

    @Test
    void atEqualLoadWithoutCountsTheRegressionStillFailsNamedAtItsMethod() throws IOException {
        JsonNode verdict = compare("r1", false);
        String summary = verdict.get("summary").asString();
        assertThat(verdict.get("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(verdict.get("findings").get(0).get("function").asString())
                .isEqualTo("io.canaryjudge.scenario.shop.PriceCalculator.applyDiscounts");
        assertThat(type(verdict, "cpu").get("notes").toString()).doesNotContain("CPU per second");
    }

    @Test
    void withRequestCountsTheRequestRateDecidesAsBefore() throws IOException {
        JsonNode verdict = compare("c5", true);
        String summary = verdict.get("summary").asString();
        assertThat(verdict.get("result").asString()).as(summary).isEqualTo("INCONCLUSIVE");
        assertThat(summary).contains("served 20 % of the baseline pods' request rate").doesNotContain("CPU per second");
    }

    private JsonNode compare(String canary, boolean withRequests) throws IOException {
        return compare("", canary, withRequests);
    }

    /** Three baseline pods and one canary pod of the session under {@code session} ("" or "itimer/"). */
    private JsonNode compare(String session, String canary, boolean withRequests) throws IOException {
        List<String> args = new ArrayList<>(List.of("compare", "--format", "json"));
        for (String pod : List.of("b1", "b2", "b3")) {
            args.addAll(List.of("--baseline", copy(session + pod, withRequests).toString()));
        }
        args.addAll(List.of("--canary", copy(session + canary, withRequests).toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Cli.run(args.toArray(String[]::new), o, e);
        }
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isBetween(0, 2);
        return JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }

    /** The pod's slices, with or without its {@code requests.csv}, in a folder of its own. */
    private Path copy(String pod, boolean withRequests) throws IOException {
        Path target = Files.createDirectories(temp.resolve(withRequests ? "with" : "without").resolve(pod));
        try (Stream<Path> files = Files.list(RECORDINGS.resolve(pod))) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".pb.gz") || withRequests && name.equals("requests.csv")) {
                    Files.copy(file, target.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return target;
    }

    private static JsonNode type(JsonNode verdict, String type) {
        for (JsonNode t : verdict.get("dataQuality").get("types")) {
            if (t.get("profileType").asString().equals(type)) {
                return t;
            }
        }
        throw new AssertionError("no " + type + " in " + verdict.get("dataQuality"));
    }
}
