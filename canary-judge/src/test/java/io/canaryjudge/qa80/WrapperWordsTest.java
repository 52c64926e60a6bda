package io.canaryjudge.qa80;

import static io.canaryjudge.cli.CompareJson.finding;
import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CliRun;
import io.canaryjudge.cli.CompareJson;
import io.canaryjudge.qa55.CollapsedSlices;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;


/**
 * The words of a caller's row beside a costless wrapper of a callee that itself got dearer (issue 10, qa71's "Not
 * fixed" 4), on CPU: qa34's committed {@code CrossCuttingPod} JFRs (src/test/resources/qa34, README there), each slice
 * collapsed as {@code canary-judge collapse … --profile-type cpu} does, {@code a1} with every stack through
 * {@code RecommendationService.recommend} ×1.8 and a fifth of them under a new {@code Router.traced}, against
 * {@code b1 b2 b3} ({@code bench/qa67-cpu.sh}'s "dear + traced 0.2"). The verdict and the incidents name
 * {@code recommend} (qa71); at 797cacf3 the caller {@code Router.dispatch}'s failing row said its rise "is part of the
 * same change as `…Router.traced`" ({@code FindingBuilder.markExplainedAncestors} paired it with the wrapper's row).
 */
class WrapperWordsTest {
    private static final Path QA34 = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa34");
    private static final String POD = "io.canaryjudge.qa34.CrossCuttingPod";
    private static final String TRACED = POD + "$Router.traced";
    private static final String RECOMMEND = POD + "$RecommendationService.recommend";
    private static final String DISPATCH = POD + "$Router.dispatch";

    @TempDir
    static Path pods;

    @BeforeAll
    static void collapse() throws IOException {
        for (String pod : List.of("a1", "b1", "b2", "b3")) {
            Path dir = Files.createDirectories(pods.resolve(pod));
            for (int slice = 1; slice <= 4; slice++) {
                Path jfr = pods.resolve("slice.jfr");
                try (InputStream in = new GZIPInputStream(Files.newInputStream(QA34.resolve(pod + "/slice-" + slice + ".jfr.gz")))) {
                    Files.copy(in, jfr, StandardCopyOption.REPLACE_EXISTING);
                }
                CliRun run = CliRun.of("collapse", jfr.toString(), "--profile-type", "cpu");
                assertThat(run.status()).as(run.err()).isZero();
                try (Writer out = new OutputStreamWriter(new GZIPOutputStream(
                        Files.newOutputStream(dir.resolve("slice-" + slice + ".collapsed.gz"))), StandardCharsets.UTF_8)) {
                    out.write(run.out());
                }
            }
            Files.writeString(dir.resolve("requests.csv"), Files.readString(QA34.resolve(pod + "/requests.csv"))
                    .replace(".jfr.gz", ".collapsed.gz"));
        }
    }

    @Test
    void theCallersRowNamesTheDearerCalleeNotTheWrapper(@TempDir Path dir) throws IOException {
        Path dear = CollapsedSlices.rewrite(pods.resolve("a1"), dir.resolve("a1-dear"), line -> {
            int space = line.lastIndexOf(' ');
            boolean through = List.of(line.substring(0, space).split(";")).contains(RECOMMEND);
            return through ? CollapsedSlices.scaled(line, 1.8) : line;
        });
        JsonNode verdict = judge(traced(dear, dir.resolve("a1-dear-traced"), 0.2));

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(summary).startsWith("FAIL: `" + RECOMMEND + "` +");
        JsonNode row = finding(verdict, DISPATCH);
        String explanation = row.path("explanation").asString();
        assertThat(explanation).as(row.toString()).doesNotContain("same change as `" + TRACED + "`")
                .contains("Its rise is part of the same change as `" + RECOMMEND + "`");
    }

    private static JsonNode judge(Path canary) {
        return CompareJson.of(pods, List.of("b1", "b2", "b3"), List.of(canary.toString()), List.of(),
                "--profile-type", "cpu");
    }

    /** {@code share} of every stack's value through {@link #RECOMMEND} moved under a new {@link #TRACED} above it. */
    private static Path traced(Path source, Path target, double share) throws IOException {
        return CollapsedSlices.rewrite(source, target, line -> {
            int at = line.indexOf(";" + RECOMMEND + ";");
            if (at < 0) {
                at = line.indexOf(";" + RECOMMEND + " ");
            }
            if (at < 0) {
                return line;
            }
            int space = line.lastIndexOf(' ');
            long value = Long.parseLong(line.substring(space + 1));
            long moved = Math.round(value * share);
            List<String> lines = new ArrayList<>();
            if (value - moved > 0) {
                lines.add(line.substring(0, space) + " " + (value - moved));
            }
            if (moved > 0) {
                lines.add(line.substring(0, at) + ";" + TRACED + line.substring(at, space) + " " + moved);
            }
            return String.join("\n", lines);
        });
    }
}
