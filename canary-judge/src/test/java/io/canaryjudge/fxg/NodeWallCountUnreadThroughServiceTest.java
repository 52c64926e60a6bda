package io.canaryjudge.fxg;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.node.NodeUploads;
import io.canaryjudge.node.ServiceOnNodeUploads;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Fault;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * qa93's case through the service: Pyroscope fails every {@code samples/count} query of the canary pod d1 (qa76's Node
 * uploads, a wall rise compare calls 91 % detectable). Its warnings name the unread counts and what they cost (before
 * fxg: nothing), and its samples are estimated from the baseline's counted slices, the fewest they allow: judged with its
 * nanoseconds as samples it FAILed (priceOrder +60 %, q = 1.1e-05) where its counted slices and compare are INCONCLUSIVE.
 */
class NodeWallCountUnreadThroughServiceTest extends ServiceOnNodeUploads {
    static final String COUNT_ID = "wall:samples:count:wall:nanoseconds";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        startWithNodeUploads(registry);
        pyroscope.fail(Route.SELECT_MERGE_PROFILE, Fault.error(503, "unavailable")
                .onlyFor(Map.of("rollouts_pod_template_hash", "d1")).onlyForProfileType(COUNT_ID));
    }

    @Test
    void theVerdictSaysWhichWallSamplesWereNotCounted() {
        String body = """
                {"application": "shop", "profileTypes": ["wall"],
                 "baseline": {"labels": {"rollouts_pod_template_hash": "base"}},
                 "canary": {"labels": {"rollouts_pod_template_hash": "d1"}},
                 "start": "%s", "end": "%s"}""".formatted(NodeUploads.T0,
                NodeUploads.T0.plus(NodeUploads.UPLOAD.multipliedBy(NodeUploads.UPLOADS)));

        JsonNode verdict = analyses(body);

        System.out.println("fxg verdict with d1's counts unread: " + verdict.path("result").asString() + " / "
                + verdict.path("summary").asString());
        assertThat(verdict.path("result").asString()).as("as with its counts read, and as compare says: "
                + verdict.path("summary").asString()).isEqualTo("INCONCLUSIVE");
        List<String> warnings = new ArrayList<>();
        verdict.path("dataQuality").path("warnings").forEach(w -> warnings.add(w.asString()));
        assertThat(warnings).as(verdict.toString())
                .anySatisfy(w -> assertThat(w).startsWith("wall in " + NodeUploads.UPLOADS + " of ")
                        .contains("samples/count", "samples are unknown", "INCONCLUSIVE"));
    }
}
