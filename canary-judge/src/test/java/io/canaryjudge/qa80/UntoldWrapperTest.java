package io.canaryjudge.qa80;

import static io.canaryjudge.cli.CompareJson.finding;
import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import io.canaryjudge.qa62.NewMethodCallingOldCodeTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A new frame paired by structure with an old callee that the data cannot tell a wrapper from added calls (issue 10,
 * qa71's "Not fixed" 1): qa55's committed {@code PricingPod} allocation slices (src/test/resources/qa55, README there)
 * with a new {@code Quotes.recompute} asking {@code AuditLog.record} once more on 10 % of the requests
 * ({@link NewMethodCallingOldCodeTest#added}, 4.5 % of allocated bytes under it), {@code compare --profile-type
 * alloc_bytes}. The audit log's direct calls against the rest of the profile stayed as they were — as added calls leave
 * them — but a wrapper around that share would lower them by less than two standard errors, so neither reading is
 * credible. At 797cacf3 each PASSed as "a wrapper around some of its calls": a PASS claims the canary fine on the reading
 * the data could not choose, while the other is a 4.5 % new hot path.
 */
class UntoldWrapperTest {
    private static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa55");
    private static final String POD = "io.canaryjudge.qa53.PricingPod";
    private static final String RECOMPUTE = POD + "$Quotes.recompute";
    private static final String AUDIT = POD + "$AuditLog.record";
    private static final String AUDIT_CALL = POD + "$Quotes$$Lambda.accept;" + AUDIT;

    /** 3+1: {@code b2} against {@code b6 b5 b1}, {@code b3 b4} as history. */
    @Test
    void addedCallsOnFewRequestsAreInconclusiveWithOneCanaryPod(@TempDir Path dir) throws IOException {
        Path canary = added("b2", dir);
        assertUntold(judge(List.of(canary), List.of("b6", "b5", "b1"), List.of("b3", "b4")));
    }

    /** 2+2: {@code b2} and {@code b5} alike, against {@code b6 b1}, without history (PASSed since qa71b). */
    @Test
    void addedCallsOnFewRequestsAreInconclusiveWithTwoCanaryPods(@TempDir Path dir) throws IOException {
        assertUntold(judge(List.of(added("b2", dir), added("b5", dir)), List.of("b6", "b1"), List.of()));
    }

    private static Path added(String pod, Path dir) throws IOException {
        return NewMethodCallingOldCodeTest.added(RECORDINGS.resolve("alloc_bytes/" + pod), dir.resolve(pod),
                Map.of(AUDIT_CALL, 0.1));
    }

    private static void assertUntold(JsonNode verdict) {
        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("INCONCLUSIVE");
        assertThat(summary).startsWith("INCONCLUSIVE: `" + RECOMPUTE + "` is a wrapper around ~")
                .contains("of `" + AUDIT + "`'s calls (no cost of its own) or adds calls to it costing ")
                .contains("the data cannot tell");
        JsonNode row = finding(verdict, RECOMPUTE);
        assertThat(row.path("failing").asBoolean()).isFalse();
        assertThat(row.path("explanation").asString()).contains("the data cannot tell");
    }

    private static JsonNode judge(List<Path> canaries, List<String> baselines, List<String> history) {
        return CompareJson.of(RECORDINGS, baselines.stream().map(b -> "alloc_bytes/" + b).toList(),
                canaries.stream().map(Path::toString).toList(), history.stream().map(h -> "alloc_bytes/" + h).toList(),
                "--profile-type", "alloc_bytes");
    }
}
