package io.canaryjudge.qa80;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import io.canaryjudge.qa55.CollapsedSlices;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A harmless tracing wrapper (qa80b, review of e2baecef): qa55's committed {@code PricingPod} allocation slices
 * (src/test/resources/qa55, README there), {@code b2} and {@code b5} with every stack through {@code Quotes.quote} moved
 * under a new {@code Quotes.traced} and then a share of {@code Quotes.stock}'s stacks too ({@code
 * bench/qa65-partial-wrapper.py} run twice), nothing added. 797cacf3 PASSed these; e2baecef's ratio test counted the
 * whole gone {@code quote} the new frame wraps as added work and FAILed all four ("new hot path under
 * `…Quotes.traced`").
 */
class WrapperOfAGoneCalleeTest {
    private static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa55");
    private static final String POD = "io.canaryjudge.qa53.PricingPod";
    private static final String TRACED = POD + "$Quotes.traced";
    private static final String QUOTE = POD + "$Quotes.quote";
    private static final String STOCK = POD + "$Quotes.stock";

    @Test
    void wrapperOfAGoneCalleeAndSomeStockCallsPassesAtTwoPlusTwo(@TempDir Path dir) throws IOException {
        for (double share : new double[] {0.05, 0.2}) {
            Path d = dir.resolve("s" + share);
            JsonNode verdict = CompareJson.of(RECORDINGS, List.of("alloc_bytes/b6", "alloc_bytes/b1"),
                    List.of(canary("b2", share, d).toString(), canary("b5", share, d).toString()), List.of(),
                    "--profile-type", "alloc_bytes");
            assertThat(verdict.path("result").asString()).as(share + ": " + verdict.path("summary").asString())
                    .isEqualTo("PASS");
        }
    }

    @Test
    void wrapperOfAGoneCalleeAndSomeStockCallsPassesAtThreePlusOne(@TempDir Path dir) throws IOException {
        for (double share : new double[] {0.05, 0.2}) {
            Path d = dir.resolve("s" + share);
            JsonNode verdict = CompareJson.of(RECORDINGS,
                    List.of("alloc_bytes/b6", "alloc_bytes/b5", "alloc_bytes/b1"),
                    List.of(canary("b2", share, d).toString()), List.of("alloc_bytes/b3", "alloc_bytes/b4"),
                    "--profile-type", "alloc_bytes");
            assertThat(verdict.path("result").asString()).as(share + ": " + verdict.path("summary").asString())
                    .isEqualTo("PASS");
        }
    }

    private static Path canary(String pod, double stockShare, Path dir) throws IOException {
        Path quote = wrapped(RECORDINGS.resolve("alloc_bytes/" + pod), dir.resolve(pod + "-quote"), QUOTE, 1.0);
        return wrapped(quote, dir.resolve(pod), STOCK, stockShare);
    }

    /** {@code share} of every stack's value through {@code below} moved under {@link #TRACED} put above it. */
    private static Path wrapped(Path source, Path target, String below, double share) throws IOException {
        return CollapsedSlices.wrapped(source, target, below, TRACED, share, 0);
    }
}
