package io.canaryjudge.qa65;

import static io.canaryjudge.cli.CompareJson.incident;
import static io.canaryjudge.cli.CompareJson.finding;
import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import io.canaryjudge.qa55.CollapsedSlices;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * A tracing wrapper around only some calls — {@code if (sampled) traced(() -> x()) else x()} — in real allocation slices
 * of qa55's {@code PricingPod} pods (src/test/resources/qa55, README there): a share of every stack through
 * {@code Quotes$$Lambda.accept} moved under a new {@code Quotes.traced}, nothing else changed; the canary against
 * {@code b3 b4 b5} with {@code b6 b1} as history, {@code compare --profile-type alloc_bytes}. Before, every share but
 * the whole FAILed: "new hot path under `Quotes.traced`, 0.0 % of allocated bytes beside `Quotes$$Lambda.accept`, which
 * it wraps (9.5 % with it); 0 B of allocated bytes per request", q = 1.5e-149 (issue 10).
 */
public class PartialWrapperTest {
    private static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa55");
    private static final String POD = "io.canaryjudge.qa53.PricingPod";
    private static final String TRACED = POD + "$Quotes.traced";
    private static final String ACCEPT = POD + "$Quotes$$Lambda.accept";
    private static final String AUDIT = POD + "$AuditLog.record";

    @ParameterizedTest
    @ValueSource(doubles = {0.2, 0.5, 0.8})
    void aWrapperAroundSomeCallsIsNoHotPath(double share, @TempDir Path dir) throws IOException {
        JsonNode verdict = judge(traced(RECORDINGS.resolve("alloc_bytes/b2"), dir.resolve("b2-traced"), share, 0));

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("PASS");
        JsonNode wrapper = incident(verdict, TRACED);
        assertThat(wrapper.path("failing").asBoolean()).isFalse();
        assertThat(wrapper.path("summary").asString())
                .startsWith("new frame `" + TRACED + "` wrapping `" + ACCEPT + "` (")
                .endsWith("of allocated bytes with it), no cost of its own");
        JsonNode finding = finding(verdict, TRACED);
        assertThat(finding.path("kind").asString()).isEqualTo("NEW_HOT_PATH");
        assertThat(finding.path("failing").asBoolean()).isFalse();
        assertThat(finding.path("explanation").asString()).contains("a wrapper around some of its calls");
    }

    /**
     * The same wrapper around a fifth of the calls in {@code codec180c}, whose audit log allocates 1.8 times as much: the
     * canary still FAILs for the audit log's rise per request.
     */
    @Test
    void aWrapperAroundSomeCallsOfADearerCalleeStillFails(@TempDir Path dir) throws IOException {
        JsonNode verdict = judge(traced(RECORDINGS.resolve("alloc_bytes/codec180c"), dir.resolve("codec-traced"), 0.2, 0));

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(summary).contains("allocated bytes per request").contains("is under `" + AUDIT + "`");
    }

    /**
     * A new frame that allocates of its own beside what it wraps is a new hot path: around half of the calls, a third of
     * what it wraps (7.3 % of the canary's bytes; INCONCLUSIVE by the call site's net alone); around all of them, a tenth
     * (4.5 %; PASSed at 12aff036 as "renamed at the same cost").
     */
    @ParameterizedTest
    @CsvSource({"0.5, 0.3333", "1.0, 0.1"})
    void aWrapperWithCostOfItsOwnStillFails(double share, double own, @TempDir Path dir) throws IOException {
        JsonNode verdict = judge(traced(RECORDINGS.resolve("alloc_bytes/b2"), dir.resolve("b2-dear-traced"), share, own));

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(summary).startsWith("FAIL: new hot path under `" + TRACED + "`");
        assertThat(finding(verdict, TRACED).path("failing").asBoolean()).isTrue();
    }

    private static JsonNode judge(Path canary) {
        return CompareJson.of(RECORDINGS, List.of("alloc_bytes/b3", "alloc_bytes/b4", "alloc_bytes/b5"),
                List.of(canary.toString()), List.of("alloc_bytes/b6", "alloc_bytes/b1"), "--profile-type", "alloc_bytes");
    }

    /**
     * {@code source}'s slices with {@code share} of every stack's value through {@link #ACCEPT} moved under a new
     * {@link #TRACED} put above it (the reviewer's {@code partial.py}), and {@code own} × the moved value allocated in
     * {@code traced}'s own frame.
     */
    public static Path traced(Path source, Path target, double share, double own) throws IOException {
        return CollapsedSlices.wrapped(source, target, ACCEPT, TRACED, share, own);
    }
}
