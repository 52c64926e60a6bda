package io.canaryjudge.qa34;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Canaries whose change is cross-cutting — extra cost under every request path, not in one application method —
 * recorded as real JVMs ({@link CrossCuttingPod}, src/test/resources/qa34): three baseline pods of a five-endpoint
 * service and three canary pods each of the application's package logging at DEBUG (Logback formatting under every
 * service method) and of a new request filter (an HMAC of the body and a parsed header, around the router).
 */
class CrossCuttingChangesTest {
    static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa34");

    /**
     * The filter's new frame sits between the worker loop and the router, which still runs under it: the router was
     * taken for code "gone" from the worker loop and the filter for its rename at the same cost (63.3 % vs 65.4 % of
     * CPU), so its SHA-256 and header parsing were excused too and the canary was INCONCLUSIVE. Then, found, its size
     * was the router's: "new hot path under `RequestFilter.doFilter`, 75.7 % of CPU".
     */
    @Test
    void aNewRequestFilterFailsSizedByWhatItAddsBesideTheRouterItWraps() {
        JsonNode verdict = compare(List.of("b1", "b2", "b3"), List.of("filter1", "filter2", "filter3"));
        String summary = verdict.get("summary").asString();
        assertThat(verdict.get("result").asString()).as(summary).isEqualTo("FAIL");
        JsonNode lead = verdict.get("incidents").get(0);
        assertThat(lead.get("entryFrame").asString()).as(summary).endsWith("RequestFilter.doFilter");
        assertThat(summary).contains("beside `io.canaryjudge.qa34.CrossCuttingPod$Router.dispatch`, which it wraps");
        // And per request, as requests.csv counts them: what the filter adds to each one (~1.6 KiB allocated).
        assertThat(summary).containsPattern("; [0-9.]+ (KiB|B) of allocated bytes per request");
        for (JsonNode incident : verdict.get("incidents")) {
            if (incident.get("entryFrame").asString().endsWith("RequestFilter.doFilter")) {
                // What the filter adds: a few % of CPU or allocation, not the router's share it wraps.
                assertThat(incident.get("summary").asString()).as(summary)
                        .containsPattern("new hot path under `[^`]+`, [0-9]\\.[0-9] % of ");
            }
        }
    }

    /**
     * DEBUG logging formats under every service method that logs: the judge named it at the two or three methods that
     * log most, as separate incidents ("new hot path under `CartService.addItem`, … mostly java.lang and java.util"),
     * and Logback nowhere in the verdict's first line. It is one change, Logback's work, under several methods.
     */
    @Test
    void debugLoggingUnderManyMethodsIsOneLogbackIncidentNamingItsCallers() {
        JsonNode verdict = compare(List.of("b1", "b2", "b3"), List.of("debug1", "debug2", "debug3"));
        String summary = verdict.get("summary").asString();
        assertThat(verdict.get("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(summary).as(summary).startsWith("FAIL: Logback under ")
                .contains("application methods (`io.canaryjudge.qa34.CrossCuttingPod$")
                .doesNotContain("more failing change");
        List<String> failing = new ArrayList<>();
        for (JsonNode incident : verdict.get("incidents")) {
            if (incident.get("failing").asBoolean()) {
                failing.add(incident.get("profileType").asString() + " " + incident.get("entryFrame").asString());
            }
        }
        assertThat(failing).as(summary).allMatch(f -> f.contains(" ch.qos.logback."));
        assertThat(failing.stream().map(f -> f.substring(0, f.indexOf(' '))).distinct().count())
                .as("one incident per profile type: %s", failing).isEqualTo(failing.size());
    }

    /** The same build, one canary pod against the three baseline pods: no failing incident. */
    @Test
    void theSameBuildDoesNotFail() {
        JsonNode verdict = compare(List.of("b1", "b2", "b3"), List.of("a1"));
        assertThat(verdict.get("result").asString()).as(verdict.get("summary").asString()).isNotEqualTo("FAIL");
    }

    private static JsonNode compare(List<String> baseline, List<String> canary) {
        return CompareJson.of(RECORDINGS, baseline, canary);
    }
}
