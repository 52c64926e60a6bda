package io.canaryjudge.qa67;

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
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * What the CPU wrapper tests on qa34's committed {@code CrossCuttingPod} JFRs (src/test/resources/qa34, README there)
 * share ({@link CpuWrapperTest}, qa80's {@code WrapperWordsTest}; {@code bench/qa67-cpu.sh} does the same with the
 * built jar): pods {@code a1 b1 b2 b3} collapsed once per class into {@link #pods} as {@code canary-judge collapse …
 * --profile-type cpu} does, changes modelled on {@code a1}'s slices, judged against {@code b1 b2 b3} without history.
 */
public abstract class CollapsedCrossCuttingPods {
    public static final String POD = "io.canaryjudge.qa34.CrossCuttingPod";
    /** The new wrapper frame the tests put above {@link #RECOMMEND}. */
    public static final String TRACED = POD + "$Router.traced";
    public static final String RECOMMEND = POD + "$RecommendationService.recommend";
    private static final Path QA34 = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa34");

    /** The collapsed pods, one folder each. */
    @TempDir
    protected static Path pods;

    /**
     * Pods {@code a1 b1 b2 b3} under {@link #pods}, each slice collapsed by the CLI (its exit status checked), with
     * their {@code requests.csv} naming the collapsed slices.
     */
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

    /** The verdict of the pod directory {@code canary} against {@code b1 b2 b3}, on CPU. */
    protected static JsonNode judge(Path canary) {
        return CompareJson.of(pods, List.of("b1", "b2", "b3"), List.of(canary.toString()), List.of(),
                "--profile-type", "cpu");
    }

    /** {@code source} with every stack through {@link #RECOMMEND} ×{@code factor}: a dearer callee. */
    protected static Path dearer(Path source, Path target, double factor) throws IOException {
        return CollapsedSlices.rewrite(source, target, line -> {
            int space = line.lastIndexOf(' ');
            boolean through = List.of(line.substring(0, space).split(";")).contains(RECOMMEND);
            return through ? CollapsedSlices.scaled(line, factor) : line;
        });
    }

    /** {@code share} of every stack's value through {@link #RECOMMEND} moved under a new {@link #TRACED} above it. */
    protected static Path traced(Path source, Path target, double share) throws IOException {
        return CollapsedSlices.wrapped(source, target, RECOMMEND, TRACED, share, 0);
    }
}
