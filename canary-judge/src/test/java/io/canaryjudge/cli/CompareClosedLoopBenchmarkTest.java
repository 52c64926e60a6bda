package io.canaryjudge.cli;

import static io.canaryjudge.cli.VerdictNodes.notes;
import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.ci.CiBenchRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A benchmark whose pull request made it much slower completes far fewer operations per run. Read as served traffic,
 * a canary at 40 % of the baseline's rate is a traffic shift, and its cost per operation (+150 % and more) was not
 * compared: a CI job got INCONCLUSIVE, "no material regression seen", for its largest regression when the JIT folded
 * the slowed method into its neighbour's frame. {@code --load closed} says the counts are a closed loop's, so the
 * lower rate is the canary's own slowness and cost per operation decides. Real runs: {@link io.canaryjudge.ci.CiBench}
 * A (main) and S ({@code checksum} 5 times the rounds), three JVMs each, under async-profiler 4.2.
 */
class CompareClosedLoopBenchmarkTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;
    private static final List<String> BASELINE = new ArrayList<>();
    private static final List<String> CANARY = new ArrayList<>();
    private static Path config;

    @BeforeAll
    static void record() throws Exception {
        // On a busy machine a 3 s itimer run can hold a few hundred samples; the test is about the rates, not the floor.
        config = java.nio.file.Files.writeString(dir.resolve("judge.yaml"), "minSamplesPerGroup: 300\n");
        // Two runs at a time: the machine has two cores, and each benchmark keeps one busy.
        for (int i = 1; i <= 3; i++) {
            Path main = dir.resolve("main-" + i + "/run.jfr");
            Path pr = dir.resolve("pr-" + i + "/run.jfr");
            CiBenchRun a = CiBenchRun.start("A", main, 3, 1000, "itimer", "jfr", "1ms");
            CiBenchRun s = CiBenchRun.start("S", pr, 3, 1000, "itimer", "jfr", "1ms");
            a.await();
            s.await();
            BASELINE.addAll(List.of("--baseline", main.getParent().toString()));
            CANARY.addAll(List.of("--canary", pr.getParent().toString()));
        }
    }

    private static JsonNode compare(String... extra) {
        List<String> args = new ArrayList<>(List.of("compare", "--format", "json", "--profile-type", "cpu",
                "--config", config.toString()));
        args.addAll(BASELINE);
        args.addAll(CANARY);
        args.addAll(List.of(extra));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.status()).as(run.err()).isIn(0, 1, 2);
        return JSON.readTree(run.out());
    }

    private static List<JsonNode> costPerRequest(JsonNode verdict) {
        List<JsonNode> found = new ArrayList<>();
        verdict.path("findings").forEach(f -> {
            if (f.path("kind").asString().equals("COST_PER_REQUEST")) {
                found.add(f);
            }
        });
        return found;
    }

    @Test
    void aClosedLoopsLowerRateIsTheCanarysSlownessAndFailsOnCostPerOperation() {
        JsonNode verdict = compare("--load", "closed");

        assertThat(verdict.path("result").asString()).as(verdict.toString()).isEqualTo("FAIL");
        assertThat(costPerRequest(verdict)).as(verdict.toString()).singleElement().satisfies(f -> {
            assertThat(f.path("failing").asBoolean()).isTrue();
            assertThat(f.path("relativeChange").asDouble()).isGreaterThan(0.5);
        });
        assertThat(notes(verdict)).anySatisfy(n -> assertThat(n)
                .containsPattern("canary pods completed [0-9]+ % of the baseline pods' operations per second")
                .contains("--load closed"));
    }

    /** Served traffic (the default, as the service's pods get it): the same rates are a shift, not compared per request. */
    @Test
    void readAsServedTrafficTheSameRatesAreATrafficShift() {
        JsonNode verdict = compare();

        assertThat(costPerRequest(verdict)).noneMatch(f -> f.path("failing").asBoolean());
        assertThat(notes(verdict)).anySatisfy(n -> assertThat(n)
                .contains("per-request costs are not comparable at such different loads"));
    }

    @Test
    void anUnknownLoadIsAUsageError() {
        CliRun run = CliRun.of(List.of("compare", "--load", "closed-loop", "--baseline", "a", "--canary", "b")
                .toArray(String[]::new));

        assertThat(run.status()).isEqualTo(64);
        assertThat(run.err()).contains("--load: must be open").contains("or closed").contains("\"closed-loop\"");
    }
}
