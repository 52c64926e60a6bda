package io.canaryjudge.qa62;

import static io.canaryjudge.cli.CompareJson.incident;
import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import io.canaryjudge.qa55.CollapsedSlices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A method new in the canary that adds calls to old application code, and a new wrapper that costs nothing (issue 10,
 * qa58's "not fixed"): real allocation slices of qa55's {@code PricingPod} pods (src/test/resources/qa55, README there),
 * one canary pod against {@code b6 b5 b1} with {@code b3 b4} as history.
 */
public class NewMethodCallingOldCodeTest {
    static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa55");
    private static final String[] ALLOC = {"--profile-type", "alloc_bytes"};
    private static final String POD = "io.canaryjudge.qa53.PricingPod";
    private static final String RECOMPUTE = POD + "$Quotes.recompute";
    private static final String AUDIT = POD + "$AuditLog.record";
    private static final String TRACED = POD + "$Quotes.traced";

    /**
     * {@code b2} with a new {@code Quotes.recompute} that records the audit entry once more a request (a copy of every
     * stack where {@code Quotes$$Lambda.accept} calls {@code AuditLog.record}, {@code recompute} between them) and asks
     * {@code Quotes.stock} once more (the same under {@code PricingPod$$Lambda.handle}): +50 % allocated bytes per
     * request. Before, the new frame counted as a wrapper: "FAIL: new hot path under `Quotes.recompute`, 0.0 % of
     * allocated bytes beside `AuditLog.record`, which it wraps (32.6 % with it); 0 B of allocated bytes per request;
     * allocated bytes per request +50 % …; most of the rise (98 %) is under `AuditLog.record`, 52.0 KiB → 105 KiB" —
     * a failing path said to cost nothing, and the audit log blamed as if it had got dearer.
     */
    @Test
    void aNewMethodCallingOldCodeOnTopOfItsCallsIsNamedAtItsSize(@TempDir Path dir) throws IOException {
        Path canary = added(RECORDINGS.resolve("alloc_bytes/b2"), dir.resolve("b2-recompute"),
                Map.of(POD + "$Quotes$$Lambda.accept;" + AUDIT, 1.0, POD + "$$Lambda.handle;" + POD + "$Quotes.stock", 1.0));
        JsonNode verdict = judge(canary);

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(summary).startsWith("FAIL: new hot path under `" + RECOMPUTE + "`, 3") // 32.6 % of allocated bytes
                .doesNotContain("which it wraps")
                .doesNotContain("is under `" + AUDIT + "`")
                .doesNotContain("; 0 B of allocated bytes per request")
                // the total's rise is said beside the new path's own cost per request, not taken as said by it
                .containsPattern("allocated bytes per request rose from [0-9.]+ KiB to [0-9.]+ KiB \\(\\+[0-9]+ %");
    }

    /**
     * The same new method calling three old methods (the audit log on 45 % of requests, {@code Quotes.stock} 15 times,
     * the response's {@code lambda$quote$3} 5 times): +47 % per request, no old method carrying half of it. Before:
     * "… allocated bytes per request +47 % (110 KiB → 161 KiB, q = 0.004); no application method carries most of the
     * rise: it is spread across the profile …" beside the new path said at 0.0 %; now the new method carries it.
     */
    @Test
    void aRisePerRequestANewMethodCausesIsNotSpread(@TempDir Path dir) throws IOException {
        Path canary = added(RECORDINGS.resolve("alloc_bytes/b2"), dir.resolve("b2-recompute-spread"), Map.of(
                POD + "$Quotes$$Lambda.accept;" + AUDIT, 0.45,
                POD + "$$Lambda.handle;" + POD + "$Quotes.stock", 15.0,
                POD + "$Quotes$$Lambda.apply;" + POD + "$Quotes.lambda$quote$3", 5.0));
        JsonNode verdict = judge(canary);

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(summary).startsWith("FAIL: new hot path under `" + RECOMPUTE + "`, 3") // 31.1 %
                .doesNotContain("spread across the profile")
                .doesNotContain("which it wraps")
                .containsPattern("allocated bytes per request rose from [0-9.]+ KiB to [0-9.]+ KiB \\(\\+[0-9]+ %");
    }

    /** Without request counts (no requests.csv) the new method is still said at its size, not as a wrapper. */
    @Test
    void withoutRequestCountsTheNewMethodIsSaidAtItsSize(@TempDir Path dir) throws IOException {
        Path canary = added(RECORDINGS.resolve("alloc_bytes/b2"), dir.resolve("b2-recompute"),
                Map.of(POD + "$Quotes$$Lambda.accept;" + AUDIT, 1.0, POD + "$$Lambda.handle;" + POD + "$Quotes.stock", 1.0));
        Files.delete(canary.resolve("requests.csv"));
        JsonNode verdict = CompareJson.of(RECORDINGS, List.of("alloc_bytes/b6", "alloc_bytes/b5", "alloc_bytes/b1"),
                List.of(canary.toString()), List.of(), ALLOC);

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(summary).startsWith("FAIL: new hot path under `" + RECOMPUTE + "`, 3").doesNotContain("which it wraps");
    }

    /**
     * A tracing decorator (qa58's {@code Quotes.traced} above {@code Quotes$$Lambda.accept}, its own cost nil) in the
     * unchanged {@code b2}: PASS as before, and said as what it is. Before: "new hot path under `Quotes.traced`, 0.0 %
     * of allocated bytes beside `Quotes$$Lambda.accept`, which it wraps (47.6 % with it); 0 B of allocated bytes per
     * request".
     */
    @Test
    void aNewWrapperWithNoCostOfItsOwnIsNoHotPath(@TempDir Path dir) throws IOException {
        Path canary = CollapsedSlices.rewrite(RECORDINGS.resolve("alloc_bytes/b2"), dir.resolve("b2-traced"),
                line -> line.replace(";" + POD + "$Quotes$$Lambda.accept;", ";" + TRACED + ";" + POD + "$Quotes$$Lambda.accept;"));
        JsonNode verdict = judge(canary);

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("PASS");
        String wrapper = incident(verdict, TRACED).path("summary").asString();
        assertThat(wrapper).startsWith("new frame `" + TRACED + "` wrapping `" + POD + "$Quotes$$Lambda.accept` (4")
                .endsWith("of allocated bytes with it), no cost of its own")
                .doesNotContain("hot path");
    }

    private static JsonNode judge(Path canary) {
        return CompareJson.of(RECORDINGS, List.of("alloc_bytes/b6", "alloc_bytes/b5", "alloc_bytes/b1"),
                List.of(canary.toString()), List.of("alloc_bytes/b3", "alloc_bytes/b4"), ALLOC);
    }

    /**
     * {@code source}'s slices with, for each "caller;callee" of {@code calls}, a copy ×factor of every stack on which
     * the caller calls the callee directly, {@link #RECOMPUTE} put between them: calls a new method adds on top of the
     * old ones.
     */
    public static Path added(Path source, Path target, Map<String, Double> calls) throws IOException {
        return CollapsedSlices.rewrite(source, target, line -> {
            List<String> lines = new ArrayList<>(List.of(line));
            for (Map.Entry<String, Double> call : calls.entrySet()) {
                String edge = ";" + call.getKey();
                int at = line.indexOf(edge);
                char after = at < 0 ? 0 : line.charAt(at + edge.length()); // the callee whole, as a leaf too
                if (after == ';' || after == ' ') {
                    String caller = call.getKey().substring(0, call.getKey().indexOf(';'));
                    int split = at + 1 + caller.length();
                    String copy = line.substring(0, split) + ";" + RECOMPUTE + line.substring(split);
                    lines.add(CollapsedSlices.scaled(copy, call.getValue()));
                }
            }
            return String.join("\n", lines);
        });
    }
}
