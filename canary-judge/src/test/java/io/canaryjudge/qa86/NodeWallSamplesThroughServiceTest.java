package io.canaryjudge.qa86;

import static io.canaryjudge.node.NodeUploads.PODS;
import static io.canaryjudge.node.NodeUploads.T0;
import static io.canaryjudge.node.NodeUploads.UPLOAD;
import static io.canaryjudge.node.NodeUploads.UPLOADS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import io.canaryjudge.node.ServiceOnNodeUploads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The same Node wall profiles judged through the service (Pyroscope stand-in serving qa76's uploads byte for byte, as
 * qa82's NodeThroughServiceTest does, no Prometheus) and by {@code compare} on the same files (wall uploads only, no
 * request counts: what the service fetched) agree: the same samples, functions tested, noise, detectable change and
 * verdict. Before qa86 Pyroscope's wall answer (period 1) made the service count nanoseconds as samples: 201,272,384,000
 * baseline samples for 10,099, an overdispersion of 21.6 million, 326 functions tested for 163, and d1's detectable
 * change 106 % where compare says 91 % (a2: 127 % for 83 %). The requests name wall: which types the service fetches
 * when a request names none is qa82's NodeThroughServiceTest's subject (its ask is bounded by 1 s, and the first
 * analysis of a loaded test JVM can miss that bound and keep the defaults).
 */
class NodeWallSamplesThroughServiceTest extends ServiceOnNodeUploads {
    static final List<String> BASELINE = List.of("b1", "b2", "b3");
    static final Path QA75 = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa75/pods");

    @TempDir
    static Path wallOnly;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        startWithNodeUploads(registry);
        // qa75's pods: the SDK with collectCpuTime, whose wall profiles count the event loop's idle samples (no wall time)
        for (String pod : List.of("b1", "b2", "b3", "s1")) {
            Map<String, String> labels = Map.of("service_name", "shop75", "pod", "shop75-" + pod,
                    "rollouts_pod_template_hash", pod.startsWith("b") ? "base" : pod);
            List<Path> walls = uploads(QA75.resolve(pod));
            for (int i = 0; i < walls.size(); i++) {
                Instant at = T0.plus(UPLOAD.multipliedBy(i));
                pyroscope.addProfile(labels, at, at.plus(UPLOAD), walls.get(i));
            }
        }
    }

    private static List<Path> uploads(Path pod) {
        try (var files = Files.list(pod)) {
            return files.filter(f -> f.getFileName().toString().startsWith("wall-")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Where the SDK collects CPU time its wall profile's samples column also counts the event loop's idle samples,
     * which carry no wall time (4 of 5 in qa75's pods): the series' count alone would overstate the samples and
     * understate sampling noise; Kish's effective number over the stacks leaves them out, as for a file.
     */
    @Test
    void idleSamplesAreNotCountedAsWallSamples() {
        JsonNode service = analyse("shop75", "s1", 24);
        JsonNode compare = CompareJson.of(QA75, List.of("b1", "b2", "b3"), List.of("s1"), List.of(),
                "--profile-type", "wall");

        JsonNode served = wallType(service);
        JsonNode compared = wallType(compare);
        assertThat(served.path("baseline").path("samples").asLong()).as(served.toString())
                .isEqualTo(compared.path("baseline").path("samples").asLong());
        assertThat(served.path("canary").path("samples").asLong())
                .isEqualTo(compared.path("canary").path("samples").asLong());
    }

    @ParameterizedTest
    @ValueSource(strings = {"d1", "s1", "a1", "a2"})
    void theServiceJudgesNodesWallAsCompareDoesTheSameFiles(String canary) {
        JsonNode service = analyse(canary);
        JsonNode compare = CompareJson.of(wallUploads(), BASELINE, List.of(canary));

        JsonNode served = wallType(service);
        JsonNode compared = wallType(compare);
        assertThat(served.path("baseline").path("samples").asLong()).as(served.toString())
                .isEqualTo(compared.path("baseline").path("samples").asLong()).isEqualTo(10_099);
        assertThat(served.path("canary").path("samples").asLong())
                .isEqualTo(compared.path("canary").path("samples").asLong());
        assertThat(served.path("functionsTested").asInt()).isEqualTo(compared.path("functionsTested").asInt());
        assertThat(served.path("overdispersion").asDouble())
                .isCloseTo(compared.path("overdispersion").asDouble(), offset(1e-9));
        assertThat(served.path("minimumDetectableChange5pct").asDouble())
                .isCloseTo(compared.path("minimumDetectableChange5pct").asDouble(),
                        offset(1e-9));
        assertThat(service.path("result").asString()).isEqualTo(compare.path("result").asString());
        assertThat(service.path("summary").asString()).isEqualTo(compare.path("summary").asString());
    }

    /** The qa76 pods' wall uploads alone, as Pyroscope holds them for the service: no heap, no request counts. */
    private static synchronized Path wallUploads() {
        try {
            for (String pod : List.of("b1", "b2", "b3", "a1", "a2", "s1", "d1")) {
                Path dir = wallOnly.resolve(pod);
                if (Files.isDirectory(dir)) {
                    continue;
                }
                Files.createDirectories(dir);
                try (var files = Files.list(PODS.resolve(pod))) {
                    for (Path f : files.filter(f -> f.getFileName().toString().startsWith("wall-")).toList()) {
                        Files.copy(f, dir.resolve(f.getFileName()));
                    }
                }
            }
            return wallOnly;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode analyse(String canaryHash) {
        return analyse("shop", canaryHash, UPLOADS);
    }

    private JsonNode analyse(String application, String canaryHash, int uploads) {
        String body = """
                {"application": "%s", "profileTypes": ["wall"],
                 "baseline": {"labels": {"rollouts_pod_template_hash": "base"}},
                 "canary": {"labels": {"rollouts_pod_template_hash": "%s"}},
                 "start": "%s", "end": "%s"}""".formatted(application, canaryHash, T0,
                T0.plus(UPLOAD.multipliedBy(uploads)));
        return analyses(body);
    }

    private static JsonNode wallType(JsonNode verdict) {
        for (JsonNode t : verdict.path("dataQuality").path("types")) {
            if (t.path("profileType").asString().equals("wall")) {
                return t;
            }
        }
        throw new AssertionError("no wall type judged: " + verdict);
    }
}
