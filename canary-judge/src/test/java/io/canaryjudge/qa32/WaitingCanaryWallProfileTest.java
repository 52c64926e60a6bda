package io.canaryjudge.qa32;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Wall-clock profiles of real JVMs (src/test/resources/qa32/wall, async-profiler {@code wall=20ms}): three baseline
 * pods and a canary that sleeps 3 ms (a retry back-off) in every other request — no CPU — judged with wall in
 * {@code failOnTypes}. Before, the new path was "JVM work below it carries the rise": a sleeping method's stacks end
 * in {@code JVM_Sleep} and a futex, as every wait's do, and the check that keeps a busier JVM's frames from failing a
 * canary read the wait itself as the JVM's.
 */
class WaitingCanaryWallProfileTest {
    static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa32/wall");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void aNewBackOffFailsNamedAtTheMethodThatWaitsWithTheThreadsInIt() throws IOException {
        JsonNode verdict = compare(List.of("b1", "b2", "b3"), "z1");
        String summary = verdict.get("summary").asString();
        assertThat(verdict.get("result").asString()).as(summary).isEqualTo("FAIL");
        JsonNode lead = verdict.get("incidents").get(0);
        assertThat(lead.get("entryFrame").asString()).isEqualTo("io.canaryjudge.qa32.BlockingPod$RetryPolicy.backoff");
        assertThat(lead.get("summary").asString()).as(summary).containsPattern("0 → 0\\.[0-9]+ threads in it on average per pod");
    }

    @Test
    void unchangedCodeDoesNotFailOnWallTime() throws IOException {
        for (String canary : List.of("b1", "b2", "b3")) {
            List<String> baseline = new ArrayList<>(List.of("b1", "b2", "b3"));
            baseline.remove(canary);
            JsonNode verdict = compare(baseline, canary);
            assertThat(verdict.get("result").asString()).as(canary + ": " + verdict.get("summary")).isNotEqualTo("FAIL");
        }
    }

    private JsonNode compare(List<String> baseline, String canary) throws IOException {
        Path config = temp.resolve("judge.yaml");
        Files.writeString(config, "failOnTypes: [cpu, wall]\n");
        List<String> args = new ArrayList<>(List.of("compare", "--format", "json", "--profile-type", "wall",
                "--config", config.toString()));
        for (String b : baseline) {
            args.addAll(List.of("--baseline", RECORDINGS.resolve(b).toString()));
        }
        args.addAll(List.of("--canary", RECORDINGS.resolve(canary).toString()));
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
}
