package io.canaryjudge.heldout5;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The fifth held-out set (docs/heldout5.md: a Go and a Node.js service, bench/heldout5; {@code go2} the same Go pods
 * re-recorded with more CPU a minute, bench/qa99-heldout5-go2-record.sh) stays readable: every pod folder, given to
 * {@code compare} as the canary beside two unchanged pods of its folder, gives a verdict (exit 0-2, never 65 bad data
 * or 70) with none of its files skipped. No verdict is asserted: the set is only measured
 * (bench/heldout5-evaluate.sh), never tuned on.
 */
class Heldout5DataTest {
    static final Path DATA = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/heldout5");
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Path> pods() throws IOException {
        try (Stream<Path> languages = Files.list(DATA)) {
            List<Path> dirs = languages.filter(Files::isDirectory).sorted().toList();
            assertThat(dirs).extracting(d -> d.getFileName().toString()).containsExactly("go", "go2", "node");
            return dirs.stream().flatMap(Heldout5DataTest::podsOf);
        }
    }

    private static Stream<Path> podsOf(Path language) {
        try (Stream<Path> pods = Files.list(language)) {
            return pods.filter(Files::isDirectory).sorted().toList().stream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pods")
    void everyPodIsReadAsAnInstance(Path pod) throws IOException {
        Path language = pod.getParent();
        List<String> baseline = pod.getFileName().toString().matches("b[12]") ? List.of("b3", "b4") : List.of("b1", "b2");
        CliRun run = CliRun.of("compare", "--format", "json",
                "--baseline", language.resolve(baseline.get(0)).toString(),
                "--baseline", language.resolve(baseline.get(1)).toString(),
                "--canary", pod.toString());

        assertThat(run.status()).as(run.err()).isBetween(0, 2);
        JsonNode verdict = JSON.readTree(run.out());
        assertThat(verdict.path("result").asString()).isIn("PASS", "FAIL", "INCONCLUSIVE");
        assertThat(verdict.path("dataQuality").path("skipped").toString())
                .as("files compare left out").doesNotContain(pod.getFileName() + "/");
        try (Stream<Path> files = Files.list(pod)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .as("CPU or wall profiles and their request counts").contains("requests.csv")
                    .anyMatch(f -> f.startsWith("cpu-") || f.startsWith("wall-"));
        }
    }
}
