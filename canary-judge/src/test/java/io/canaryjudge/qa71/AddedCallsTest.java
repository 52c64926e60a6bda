package io.canaryjudge.qa71;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A new method that adds calls to an old callee, told from a wrapper around some of the callee's calls (issue 10, qa67's
 * "Not fixed" 7 and 8): real allocation slices of qa55's {@code PricingPod} pods (src/test/resources/qa55, README there)
 * with a new {@code Quotes.recompute} calling the callee on a share of the requests, on top of the old calls
 * ({@link NewMethodCallingOldCodeTest#added}), {@code compare --profile-type alloc_bytes}. At 20794fe6 each PASSed as "a
 * wrapper around some of its calls": the new frame was paired with the callee by structure, and the call site's net
 * (the callee's direct calls and the new frame) was not credible at the callee's noise. The direct calls did not fall
 * against the rest of the profile, as a wrapper's would: new work calling old code, judged as it is.
 */
class AddedCallsTest {
    private static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa55");
    private static final String POD = "io.canaryjudge.qa53.PricingPod";
    private static final String RECOMPUTE = POD + "$Quotes.recompute";
    private static final String STOCK_CALL = POD + "$$Lambda.handle;" + POD + "$Quotes.stock";
    private static final String AUDIT_CALL = POD + "$Quotes$$Lambda.accept;" + POD + "$AuditLog.record";

    /**
     * {@code Quotes.stock} asked once more on half the requests of {@code b2} (0.41 % of allocated bytes under the new
     * method; {@code stock}'s direct calls 0.7 % of bytes), against {@code b6 b5 b1} with {@code b3 b4} as history.
     * FAILed at 92e20eea (q = 0.002), PASSed at 20794fe6.
     */
    @Test
    void addedCallsToASmallCalleeFail(@TempDir Path dir) throws IOException {
        Path canary = NewMethodCallingOldCodeTest.added(RECORDINGS.resolve("alloc_bytes/b2"), dir.resolve("b2"),
                Map.of(STOCK_CALL, 0.5));
        assertFailsNamingRecompute(judge(canary, List.of("b6", "b5", "b1"), List.of("b3", "b4")));
    }

    /** The same on 70 % of {@code b5}'s requests (0.48 %), against {@code b6 b1 b2} with {@code b3 b4} as history. */
    @Test
    void addedCallsToASmallCalleeFailOnAnotherPod(@TempDir Path dir) throws IOException {
        Path canary = NewMethodCallingOldCodeTest.added(RECORDINGS.resolve("alloc_bytes/b5"), dir.resolve("b5"),
                Map.of(STOCK_CALL, 0.7));
        assertFailsNamingRecompute(judge(canary, List.of("b6", "b1", "b2"), List.of("b3", "b4")));
    }

    /**
     * {@code AuditLog.record} (48 % of bytes) called once more on 30 % and 50 % of {@code b2}'s requests (12.5 % and
     * 19.2 % of bytes under the new method): the normalised direct share of the audit log falls (48.4 → 35.8 % at 0.5) as
     * a wrapper's would, so it PASSed as one, here and at 92e20eea; its ratio to the rest of the profile did not fall.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.3, 0.5})
    void addedCallsToALargeCalleeFailAsANewHotPath(double share, @TempDir Path dir) throws IOException {
        Path canary = NewMethodCallingOldCodeTest.added(RECORDINGS.resolve("alloc_bytes/b2"), dir.resolve("b2"),
                Map.of(AUDIT_CALL, share));
        JsonNode verdict = judge(canary, List.of("b6", "b5", "b1"), List.of("b3", "b4"));

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(summary).startsWith("FAIL: new hot path under `" + RECOMPUTE + "`");
        assertFailsNamingRecompute(verdict);
    }

    private static void assertFailsNamingRecompute(JsonNode verdict) {
        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(summary).contains("`" + RECOMPUTE + "`");
        JsonNode row = finding(verdict, RECOMPUTE);
        assertThat(row.path("failing").asBoolean()).as(row.toString()).isTrue();
        assertThat(row.path("explanation").asString()).doesNotContain("a wrapper around some of its calls");
    }

    private static JsonNode judge(Path canary, List<String> baselines, List<String> history) {
        return CompareJson.of(RECORDINGS, baselines.stream().map(b -> "alloc_bytes/" + b).toList(),
                List.of(canary.toString()), history.stream().map(h -> "alloc_bytes/" + h).toList(),
                "--profile-type", "alloc_bytes");
    }
}
