package io.canaryjudge.qa98;

import static io.canaryjudge.node.NodeUploads.PODS;
import static io.canaryjudge.node.NodeUploads.T0;
import static io.canaryjudge.node.NodeUploads.UPLOAD;
import static io.canaryjudge.node.NodeUploads.UPLOADS;
import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.cli.CompareJson;
import io.canaryjudge.profile.source.pyroscope.PyroscopeProfileTypes;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Fault;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Route;
import io.canaryjudge.node.ServiceOnNodeUploads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * qa76's Node uploads (wall and V8's sampled heap, one of each a minute) judged through the service with the Node SDK's
 * profile type IDs ({@code producer=node}) and by {@code compare} on the same files (no request counts: what the service
 * fetched). Pyroscope answers in-use bytes and objects one per query; before qa98 the service left their samples unknown
 * and learned the heap's noise from a pod's near-identical snapshots, so every unchanged canary "discovered" live rises
 * at q &lt; 0.01 through the service (a1 and a2: 4 each) and, in their shared family with wall, FAILed d1 and s1, which
 * compare on the same files calls INCONCLUSIVE. Now each slice is paired with the other column and counted as compare
 * counts the file.
 *
 * <p>Counted honestly these pods' live heap is small: 23+7 (live_bytes) and 18+6 (live_objects) samples, under the
 * default {@code minSamplesPerGroup} (1,000), so at the default floor the live types are not judged at all, through the
 * service or in compare. The claims that depend on the live types being judged (no live discovery on an A/A canary,
 * service and compare agreeing) are therefore also checked with the floor at 5 (a named config {@code low-floor}, and
 * compare's {@code --config} with {@code --service}, as qa100's HeapSnapshotsPerPodTest), where both live types are
 * judged. Before qa98 the service's live samples were unknown, which no floor skips, so its live types were judged at
 * either floor: with the pairing switched off (heapPairIds empty in PyroscopeSource.profiles) all ten tests of the
 * default and the low floor fail: a1 and a2 4 live discoveries each, s1 FAIL with 4, d1 FAIL with 1, u1 5.
 */
class NodeHeapThroughServiceTest extends ServiceOnNodeUploads {
    static final List<String> BASELINE = List.of("b1", "b2", "b3");
    static final List<String> LIVE = List.of("live_bytes", "live_objects");

    @TempDir
    static Path uploadsOnly;

    /** The named config (and compare's {@code --config} file) that lowers the sample floor to 5. */
    static final String LOW_FLOOR = "low-floor";
    private static final Path LOW_FLOOR_FILE = lowFloorFile();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        startWithNodeUploads(registry);
        registry.add("canary-judge.pyroscope.producer", () -> "node");
        registry.add("canary-judge.judge-config.file", LOW_FLOOR_FILE::toString);
        // the canary u1: a2's uploads under another hash whose objects queries all fail
        addUnder("u1", "a2");
        pyroscope.fail(Route.SELECT_MERGE_PROFILE, Fault.error(503, "unavailable")
                .onlyFor(Map.of("rollouts_pod_template_hash", "u1"))
                .onlyForProfileType(PyroscopeProfileTypes.NODE_INUSE_OBJECTS));
        // the canary e1: d1's uploads under another hash whose wall samples/count queries are answered empty
        addUnder("e1", "d1");
        pyroscope.fail(Route.SELECT_MERGE_PROFILE, Fault.emptyResult()
                .onlyFor(Map.of("rollouts_pod_template_hash", "e1")).onlyForProfileType(WALL_COUNT_ID));
    }

    static final String WALL_COUNT_ID = "wall:samples:count:wall:nanoseconds";

    /** qa76's pod {@code pod}'s wall and heap uploads as the one pod of the canary {@code hash}. */
    private static void addUnder(String hash, String pod) {
        Map<String, String> labels = Map.of("service_name", "shop", "pod", "shop-" + hash + "-" + hash,
                "rollouts_pod_template_hash", hash);
        for (int i = 0; i < UPLOADS; i++) {
            var at = T0.plus(UPLOAD.multipliedBy(i));
            String n = "%03d".formatted(i + 2);
            pyroscope.addProfile(labels, at, at.plus(UPLOAD), PODS.resolve(pod).resolve("wall-" + n + ".pb.gz"));
            pyroscope.addProfile(labels, at, at.plus(UPLOAD), PODS.resolve(pod).resolve("heap-" + n + ".pb.gz"));
        }
    }

    /**
     * d1's wall whose samples/count answers come back empty: its counts are unread, estimated from the baseline's
     * counted slices and said, as when the count query fails (fxg). Before qa98 such a slice was judged as fetched, its
     * nanoseconds as samples: FAIL where compare and the counted slices are INCONCLUSIVE.
     */
    @Test
    void anEmptyWallCountAnswerIsUnreadNotNanoseconds() {
        JsonNode service = analyse("e1", null);

        List<String> warnings = new ArrayList<>();
        service.path("dataQuality").path("warnings").forEach(w -> warnings.add(w.asString()));
        System.out.println("qa98 e1 (wall counts empty): " + service.path("result").asString() + " / "
                + service.path("summary").asString());
        assertThat(service.path("result").asString()).as(service.path("summary").asString())
                .isEqualTo(CompareJson.of(uploads(), BASELINE, List.of("d1")).path("result").asString());
        assertThat(warnings).as(service.toString())
                .anySatisfy(w -> assertThat(w).startsWith("wall in " + UPLOADS + " of ")
                        .contains("samples/count", "empty", "samples are unknown"));
    }

    /**
     * At the default floor the heap's samples through the service are compare's on the same uploads, both below the
     * floor, so neither judges the live types and the verdicts agree. a1 and a2 are A/A canaries; d1 doubles priceOrder
     * and s1 raises it by half (compare: INCONCLUSIVE since qa92). Fails before qa98 for each: a1 and a2 4 live
     * discoveries through the service, s1 4 and FAIL, d1 1 and FAIL, their samples unknown and the types judged.
     */
    @ParameterizedTest
    @ValueSource(strings = {"a1", "a2", "d1", "s1"})
    void theServiceJudgesNodesHeapAsCompareDoesTheSameFiles(String canary) {
        JsonNode service = analyse(canary, null);
        JsonNode compare = CompareJson.of(uploads(), BASELINE, List.of(canary));

        System.out.printf("qa98 %s service: %s, %d live discoveries, live samples %s, judged %s / compare: %s, %d, %s,"
                        + " %s%n", canary, service.path("result").asString(), CompareJson.liveHeapDiscoveries(service),
                liveSamples(service), liveJudged(service), compare.path("result").asString(),
                CompareJson.liveHeapDiscoveries(compare), liveSamples(compare), liveJudged(compare));
        assertThat(liveSamples(service)).isEqualTo(liveSamples(compare));
        assertThat(liveJudged(service)).as("under minSamplesPerGroup 1,000: " + liveSamples(service))
                .containsExactly("live_bytes false", "live_objects false");
        assertThat(liveJudged(compare)).containsExactly("live_bytes false", "live_objects false");
        assertThat(service.path("result").asString()).as(service.path("summary").asString())
                .isEqualTo(compare.path("result").asString());
    }

    /**
     * With the floor at 5 both live types are judged, through the service and in compare: the same verdict, the same
     * live discoveries, the same samples; and the A/A canaries a1 and a2 discover no live rise at q &lt; 0.01.
     */
    @ParameterizedTest
    @ValueSource(strings = {"a1", "a2", "d1", "s1"})
    void withTheLiveTypesJudgedTheServiceAgreesWithCompare(String canary) {
        JsonNode service = analyse(canary, LOW_FLOOR);
        JsonNode compare = CompareJson.of(uploads(), BASELINE, List.of(canary), List.of(), "--config",
                LOW_FLOOR_FILE.toString(), "--service", LOW_FLOOR);

        System.out.printf("qa98 %s floor 5 service: %s, %d live discoveries, live samples %s, judged %s / compare: %s,"
                        + " %d, %s%n", canary, service.path("result").asString(),
                CompareJson.liveHeapDiscoveries(service), liveSamples(service), liveJudged(service),
                compare.path("result").asString(), CompareJson.liveHeapDiscoveries(compare), liveSamples(compare));
        assertThat(liveJudged(service)).as(service.path("dataQuality").toString())
                .containsExactly("live_bytes true", "live_objects true");
        assertThat(liveJudged(compare)).containsExactly("live_bytes true", "live_objects true");
        assertThat(liveSamples(service)).isEqualTo(liveSamples(compare));
        assertThat(CompareJson.liveHeapDiscoveries(service)).as(service.path("summary").asString())
                .isEqualTo(CompareJson.liveHeapDiscoveries(compare));
        assertThat(service.path("result").asString()).as(service.path("summary").asString())
                .isEqualTo(compare.path("result").asString());
        if (canary.startsWith("a")) {
            assertThat(CompareJson.liveHeapDiscoveries(service)).as(service.path("summary").asString()).isZero();
        }
    }

    /**
     * A canary whose objects queries all fail: its heap says its samples are unknown and were taken as the fewest its
     * stacks allow, and it discovers nothing on the heap (before qa98: no warning, judged as fetched, 5 live
     * discoveries).
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void unpairedSlicesAreSaidAndNotUnderstated(boolean lowFloor) {
        JsonNode service = analyse("u1", lowFloor ? LOW_FLOOR : null);

        List<String> warnings = new ArrayList<>();
        service.path("dataQuality").path("warnings").forEach(w -> warnings.add(w.asString()));
        System.out.println("qa98 u1 (objects unread, floor " + (lowFloor ? 5 : 1000) + "): "
                + service.path("result").asString() + ", " + CompareJson.liveHeapDiscoveries(service)
                + " live discoveries, judged " + liveJudged(service) + "; " + warnings);
        if (lowFloor) { // the claim below is about a judged heap, not one skipped for too few samples
            assertThat(liveJudged(service)).as(service.path("dataQuality").toString()).contains("live_bytes true");
        }
        assertThat(warnings).as(service.toString())
                .anySatisfy(w -> assertThat(w).startsWith("live_bytes in " + UPLOADS + " of ")
                        .contains("two series", "fewest", "INCONCLUSIVE"));
        assertThat(CompareJson.liveHeapDiscoveries(service)).isZero();
    }

    /** The service's verdict on the canary {@code canaryHash}, under the named config {@code config} unless null. */
    private JsonNode analyse(String canaryHash, String config) {
        String body = """
                {"application": "shop", "profileTypes": ["wall", "live_bytes", "live_objects"],
                 "baseline": {"labels": {"rollouts_pod_template_hash": "base"}},
                 "canary": {"labels": {"rollouts_pod_template_hash": "%s"}},%s
                 "start": "%s", "end": "%s"}""".formatted(canaryHash,
                config == null ? "" : " \"config\": \"" + config + "\",", T0, T0.plus(UPLOAD.multipliedBy(UPLOADS)));
        return analyses(body);
    }

    /** Baseline and canary samples of each live type, as the verdict's dataQuality states them. */
    static List<String> liveSamples(JsonNode verdict) {
        List<String> samples = new ArrayList<>();
        for (JsonNode t : verdict.path("dataQuality").path("types")) {
            if (LIVE.contains(t.path("profileType").asString())) {
                samples.add(t.path("profileType").asString() + " " + t.path("baseline").path("samples").asLong()
                        + "+" + t.path("canary").path("samples").asLong());
            }
        }
        return samples;
    }

    /** Whether each live type was judged ({@code dataQuality.types[].judged}): "live_bytes true" and so on. */
    static List<String> liveJudged(JsonNode verdict) {
        List<String> judged = new ArrayList<>();
        for (JsonNode t : verdict.path("dataQuality").path("types")) {
            if (LIVE.contains(t.path("profileType").asString())) {
                judged.add(t.path("profileType").asString() + " " + t.path("judged").asBoolean());
            }
        }
        return judged;
    }

    /**
     * A judge configuration file whose named config {@code low-floor} (a service section) sets
     * {@code minSamplesPerGroup: 5}; its top level keeps the defaults. Compare reads the same file with
     * {@code --service low-floor}.
     */
    private static Path lowFloorFile() {
        try {
            Path dir = Files.createTempDirectory("qa98-low-floor");
            dir.toFile().deleteOnExit();
            Path file = dir.resolve("judge-config.yaml");
            Files.writeString(file, "services:\n  " + LOW_FLOOR + ":\n    minSamplesPerGroup: 5\n");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The qa76 pods' wall and heap uploads as Pyroscope holds them: no request counts. */
    private static synchronized Path uploads() {
        try {
            for (String pod : List.of("b1", "b2", "b3", "a1", "a2", "s1", "d1")) {
                Path dir = uploadsOnly.resolve(pod);
                if (Files.isDirectory(dir)) {
                    continue;
                }
                Files.createDirectories(dir);
                try (var files = Files.list(PODS.resolve(pod))) {
                    for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".pb.gz")).toList()) {
                        Files.copy(f, dir.resolve(f.getFileName()));
                    }
                }
            }
            return uploadsOnly;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
