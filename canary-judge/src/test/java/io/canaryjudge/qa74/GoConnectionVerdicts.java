package io.canaryjudge.qa74;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.cli.CompareJson;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What the tests over recorded Go servers whose connections grow (qa77 HTTP/1.1, qa83 HTTP/2, qa88 gRPC) ask of a
 * verdict, through {@code compare} and through the service alike: an unchanged canary's goroutine rise read as its
 * open connections, and a leak or hung handlers beside the same growth still FAILed, named where they wait.
 */
public final class GoConnectionVerdicts {
    /** The note a verdict carries when its goroutine rise is read as open connections. */
    public static final String READ_AS_CONNECTIONS = "Reported only: the rise is open connections, not a leak";

    private GoConnectionVerdicts() {
    }

    /**
     * {@code compare} of {@code canary} against {@code baseline} over the instance folders under {@code pods}; prints
     * the summary and warnings on stderr, the figures docs/EVALUATION.md's section of {@code recording} quotes.
     */
    public static JsonNode compare(String recording, Path pods, List<String> baseline, String canary) {
        JsonNode verdict = CompareJson.of(pods, baseline, List.of(canary), List.of());
        System.err.println(recording + " compare " + baseline + " -> " + canary + ": "
                + verdict.path("summary").asString() + " | " + verdict.path("dataQuality").path("warnings"));
        return verdict;
    }

    /** An unchanged canary whose connections grew: not FAIL, the rise reported as connections, no failing finding. */
    public static void assertReadAsConnections(JsonNode verdict) {
        assertThat(verdict.path("result").asString()).as(verdict.toString()).isNotEqualTo("FAIL");
        assertThat(verdict.toString()).contains(READ_AS_CONNECTIONS);
        assertThat(verdict.path("findings").toString()).doesNotContain("\"failing\":true");
    }

    /**
     * Each group's last pod against the pods before it (A/A): neither FAIL nor a failing finding. Compared in the
     * order given, so the printed lines keep their order.
     */
    public static void assertNoneFails(String recording, Path pods, List<List<String>> groups) {
        for (List<String> aa : groups) {
            JsonNode verdict = compare(recording, pods, aa.subList(0, aa.size() - 1), aa.get(aa.size() - 1));

            assertThat(verdict.path("result").asString()).as(aa + ": " + verdict).isNotEqualTo("FAIL");
            assertThat(verdict.path("findings").toString()).as(aa.toString()).doesNotContain("\"failing\":true");
        }
    }

    /** A leak (or hung handlers) beside the growth: FAIL on the goroutines, the summary naming main.awaitAck. */
    public static void assertLeakNamedAtAwaitAck(String canary, JsonNode verdict) {
        assertThat(verdict.path("result").asString()).as(canary + ": " + verdict).isEqualTo("FAIL");
        assertThat(verdict.path("findings").get(0).path("function").asString()).as(canary).isEqualTo("<goroutines>");
        assertThat(verdict.path("summary").asString()).as(canary).contains("goroutines grow")
                .contains("`main.awaitAck`");
    }

    /** Hung handlers whose frames were renamed to library ones: still FAIL, not excused as connections. */
    public static void assertHungHandlersNotExcused(JsonNode verdict) {
        assertThat(verdict.path("result").asString()).as(verdict.toString()).isEqualTo("FAIL");
        assertThat(verdict.path("summary").asString()).contains("goroutines grow");
        assertThat(verdict.toString()).doesNotContain("the rise is open connections");
    }
}
