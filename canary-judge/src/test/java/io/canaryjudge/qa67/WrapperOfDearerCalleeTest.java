package io.canaryjudge.qa67;

import static io.canaryjudge.cli.CompareJson.incident;
import static io.canaryjudge.cli.CompareJson.finding;
import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import io.canaryjudge.qa65.PartialWrapperTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * Wrappers the qa65 and qa62 fixes left (issue 10), on real allocation slices of qa55's {@code PricingPod} pods
 * (src/test/resources/qa55, README there) with a share of every stack through {@code Quotes$$Lambda.accept} moved under
 * a new, costless {@code Quotes.traced} ({@link PartialWrapperTest#traced}, {@code bench/qa65-partial-wrapper.py}),
 * {@code compare --profile-type alloc_bytes}.
 */
class WrapperOfDearerCalleeTest {
    private static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa55");
    private static final String POD = "io.canaryjudge.qa53.PricingPod";
    private static final String TRACED = POD + "$Quotes.traced";
    private static final String AUDIT = POD + "$AuditLog.record";

    /**
     * A fifth of the calls traced in {@code codec180c}, whose audit log allocates 1.8 times as much, against {@code b3
     * b4 b5} with {@code b6 b1} as history. Before: "FAIL: new hot path under `Quotes.traced`, 12.4 % of allocated
     * bytes, mostly Jackson; 19.1 KiB of allocated bytes per request; allocated bytes per request +39 % …; most of the
     * rise (100 %) is under `AuditLog.record` …" — two culprits where there is one. The wrapper is judged by its own
     * cost (none), the audit log's rise over both paths: the verdict is the unwrapped {@code codec180c}'s.
     */
    @Test
    void aWrapperAroundSomeCallsOfADearerCalleeIsNotASecondCulprit(@TempDir Path dir) throws IOException {
        Path canary = PartialWrapperTest.traced(RECORDINGS.resolve("alloc_bytes/codec180c"), dir.resolve("codec"), 0.2, 0);
        JsonNode verdict = judge(canary.toString(), List.of("b3", "b4", "b5"), List.of("b6", "b1"));
        JsonNode unwrapped = judge(RECORDINGS.resolve("alloc_bytes/codec180c").toString(), List.of("b3", "b4", "b5"),
                List.of("b6", "b1"));

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(summary).startsWith("FAIL: allocated bytes per request +").contains("is under `" + AUDIT + "`")
                .doesNotContain(TRACED)
                .isEqualTo(unwrapped.path("summary").asString());
        JsonNode wrapper = incident(verdict, TRACED);
        assertThat(wrapper.path("failing").asBoolean()).isFalse();
        assertThat(wrapper.path("summary").asString()).startsWith("new frame `" + TRACED + "` wrapping `")
                .endsWith("no cost of its own");
        JsonNode row = finding(verdict, TRACED);
        assertThat(row.path("failing").asBoolean()).isFalse();
        assertThat(row.path("explanation").asString()).contains("itself got dearer");
    }

    /**
     * The same without request counts: before, "FAIL: new hot path under `Quotes.traced`, 12.4 % of allocated bytes,
     * mostly Jackson"; the unwrapped {@code codec180c} is INCONCLUSIVE for the audit log's rise (shares alone, 3 + 1
     * pods), and so is the wrapped one now.
     */
    @Test
    void withoutRequestCountsTheWrapperIsNoNewHotPath(@TempDir Path dir) throws IOException {
        Path canary = PartialWrapperTest.traced(RECORDINGS.resolve("alloc_bytes/codec180c"), dir.resolve("codec"), 0.2, 0);
        Files.delete(canary.resolve("requests.csv"));
        JsonNode verdict = judge(canary.toString(), List.of("b3", "b4", "b5"), List.of("b6", "b1"));

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("INCONCLUSIVE");
        assertThat(summary).doesNotContain("new hot path under `" + TRACED);
        assertThat(finding(verdict, TRACED).path("failing").asBoolean()).isFalse();
    }

    /**
     * A wrapper around 5 % of the calls of an unchanged callee: the callee's fall at its caller (2.4 % of bytes) is
     * within the pods' noise, and 3 of 6 such canaries FAILed as a new hot path (qa65: "0.0 % … beside
     * `Quotes$$Lambda.accept`, which it wraps (2.4 % with it)", or at 2.4 % "mostly Jackson"). The structure pairs it
     * now: each canary against the next three pods, the two after as history.
     */
    @ParameterizedTest
    @CsvSource({"b5, b6, b1, b2, b3, b4", "b6, b1, b2, b3, b4, b5"})
    void aWrapperAroundFewCallsIsNoNewHotPath(String pod, String b1, String b2, String b3, String h1, String h2,
                                              @TempDir Path dir) throws IOException {
        Path canary = PartialWrapperTest.traced(RECORDINGS.resolve("alloc_bytes/" + pod), dir.resolve(pod), 0.05, 0);
        JsonNode verdict = judge(canary.toString(), List.of(b1, b2, b3), List.of(h1, h2));

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isNotEqualTo("FAIL");
        JsonNode row = finding(verdict, TRACED);
        assertThat(row.path("failing").asBoolean()).isFalse();
        assertThat(row.path("explanation").asString()).contains("a wrapper around some of its calls");
    }

    /**
     * A PASS beside a costless wrapper (half the calls of {@code b2} traced) counted it among the "1 rise(s) reported
     * but not counted as regressions …, the largest: new frame `Quotes.traced` wrapping …, no cost of its own": it is no
     * rise.
     */
    @Test
    void aCostlessWrapperIsNotCountedAmongAPassRises(@TempDir Path dir) throws IOException {
        Path canary = PartialWrapperTest.traced(RECORDINGS.resolve("alloc_bytes/b2"), dir.resolve("b2"), 0.5, 0);
        JsonNode verdict = judge(canary.toString(), List.of("b3", "b4", "b5"), List.of("b6", "b1"));

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("PASS");
        assertThat(summary).doesNotContain("rise(s) reported").doesNotContain(TRACED);
        assertThat(incident(verdict, TRACED).path("summary").asString()).endsWith("no cost of its own");
    }

    private static JsonNode judge(String canary, List<String> baselines, List<String> history) {
        return CompareJson.of(RECORDINGS, baselines.stream().map(b -> "alloc_bytes/" + b).toList(), List.of(canary),
                history.stream().map(h -> "alloc_bytes/" + h).toList(), "--profile-type", "alloc_bytes");
    }
}
