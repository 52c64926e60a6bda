package io.canaryjudge.qa96;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.ServiceOnPyroscopeStandIn;
import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import io.canaryjudge.profile.source.pyroscope.PyroscopeProfileTypes;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Call;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Fault;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Route;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A Node service whose SDK collects CPU time, asked as Argo asks (no profileTypes) under the default (Java agent) type
 * mapping (issue 10, qa96): qa75's pods ({@code @pyroscope/nodejs} 0.6.4 with {@code collectCpuTime}, each wall upload
 * holding wall and CPU time) served byte for byte by the Pyroscope stand-in, which files the CPU column as Pyroscope's
 * ingest does, {@code process_cpu:cpu:nanoseconds:wall:nanoseconds}: not the Java agent's cpu ID. Before qa96 the service
 * fell back to wall (no cpu series as it reads cpu), whose profiles say CPU time was collected, so wall was only reported
 * and nothing could FAIL such a canary, while {@code compare} on the same uploads judges their CPU column. Now cpu is read
 * from Node's series for the request and judged as {@code compare} judges it, wall reported beside it.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.deadline=120s", "canary-judge.analysis.max-deadline=120s",
                "canary-judge.analysis.slice=60s",
                "canary-judge.analysis.warmup=0s", "canary-judge.analysis.history-windows=0",
                "canary-judge.pyroscope.timeout=30s",
                // which types the pods hold is waited for, not missed on a loaded build machine (then defaults read)
                "canary-judge.pyroscope.types-held-wait=30s"})
class NodeCpuAtTheDefaultsTest extends ServiceOnPyroscopeStandIn {
    static final Path QA75 = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa75/pods");
    static final Path COMPARE = Path.of("target", "qa96-" + UUID.randomUUID()).toAbsolutePath();
    static final List<String> BASELINE = List.of("b1", "b2", "b3");
    static final List<String> PODS = List.of("b1", "b2", "b3", "a1", "s1", "n1");
    /** One upload a minute (the SDK flushed every 15 s; a minute apart, each one-minute slice holds one upload). */
    static final Duration UPLOAD = Duration.ofMinutes(1);
    /** The most uploads a pod holds is 22: the window holds all of them. */
    static final int MINUTES = 24;
    static final Instant T0 = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.HOURS);

    @Override
    protected Duration responseTimeout() {
        return Duration.ofSeconds(180);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        startPyroscope(registry);
        for (String pod : PODS) {
            Map<String, String> labels = Map.of("service_name", "shop75", "pod", "shop75-" + pod,
                    "rollouts_pod_template_hash", pod.startsWith("b") ? "base" : pod);
            List<Path> walls = walls(QA75.resolve(pod));
            Files.createDirectories(COMPARE.resolve(pod));
            for (int i = 0; i < walls.size(); i++) {
                Instant at = T0.plus(UPLOAD.multipliedBy(i));
                pyroscope.addProfile(labels, at, at.plus(UPLOAD), walls.get(i));
                // compare reads what the service fetches: the wall uploads, not requests.csv
                Files.copy(walls.get(i), COMPARE.resolve(pod).resolve(walls.get(i).getFileName()));
            }
        }
        // the canary e1: n1's uploads under another hash whose samples/count queries are answered empty
        List<Path> walls = walls(QA75.resolve("n1"));
        Map<String, String> labels = Map.of("service_name", "shop75", "pod", "shop75-e1",
                "rollouts_pod_template_hash", "e1");
        for (int i = 0; i < walls.size(); i++) {
            Instant at = T0.plus(UPLOAD.multipliedBy(i));
            pyroscope.addProfile(labels, at, at.plus(UPLOAD), walls.get(i));
        }
        pyroscope.fail(Route.SELECT_MERGE_PROFILE, Fault.emptyResult()
                .onlyFor(Map.of("rollouts_pod_template_hash", "e1")).onlyForProfileType(WALL_COUNT_ID));
        // the same pods under another service, every one of whose samples/count queries fails (fxk)
        for (String pod : PODS) {
            Map<String, String> unread = Map.of("service_name", UNCOUNTED, "pod", UNCOUNTED + "-" + pod,
                    "rollouts_pod_template_hash", pod.startsWith("b") ? "base" : pod);
            List<Path> podWalls = walls(QA75.resolve(pod));
            for (int i = 0; i < podWalls.size(); i++) {
                Instant at = T0.plus(UPLOAD.multipliedBy(i));
                pyroscope.addProfile(unread, at, at.plus(UPLOAD), podWalls.get(i));
            }
        }
        pyroscope.fail(Route.SELECT_MERGE_PROFILE, Fault.error(500, "internal")
                .onlyFor(Map.of("service_name", UNCOUNTED)).onlyForProfileType(WALL_COUNT_ID));
    }

    /** The service whose every samples/count query fails. */
    static final String UNCOUNTED = "shop96u";

    static final String WALL_COUNT_ID = "wall:samples:count:wall:nanoseconds";

    /**
     * The canary's cpu is judged as compare judges the uploads: the same samples, result and summary. n1 (a new path
     * into Mustache under {@code ./server.js:auditOrder}) FAILs in both; before, the service reported wall only:
     * INCONCLUSIVE "only wall compared, reported only".
     */
    @ParameterizedTest
    @ValueSource(strings = {"n1", "s1", "a1"})
    void cpuIsJudgedAsCompareJudgesTheSameUploads(String canary) {
        JsonNode service = analyses(body(canary));
        JsonNode compare = CompareJson.of(COMPARE, BASELINE, List.of(canary));

        System.err.println("qa96 " + canary + ": service " + service.path("result").asString() + ": "
                + service.path("summary").asString() + " | compare " + compare.path("result").asString() + ": "
                + compare.path("summary").asString() + " | samples " + samples(service) + " vs " + samples(compare)
                + " | warnings " + service.path("dataQuality").path("warnings"));
        assertThat(types(service)).as(service.toString()).contains("cpu", "wall");
        assertThat(warnings(service)).anyMatch(w -> w.startsWith("profile types: the request named none")
                && w.contains(PyroscopeProfileTypes.NODE_CPU));
        assertThat(samples(service)).isEqualTo(samples(compare));
        // the wall profiles' CPU time was read, as cpu: not said to be left out (qa93's leftover)
        assertThat(warnings(service)).noneMatch(w -> w.startsWith("cpu not judged in"));
        assertThat(service.path("result").asString()).isEqualTo(compare.path("result").asString());
        assertThat(service.path("summary").asString()).isEqualTo(compare.path("summary").asString());
        if (canary.equals("n1")) {
            assertThat(service.path("result").asString()).isEqualTo("FAIL");
            assertThat(service.path("summary").asString()).contains("./server.js:auditOrder");
        }
        if (canary.equals("a1")) {
            assertThat(service.path("result").asString()).isNotEqualTo("FAIL");
        }
    }

    /**
     * cpu's samples are counted from the same samples/count series as wall's, so an answer that comes back empty leaves
     * them unread and says so for cpu as for wall (qa98's rule for wall), never judged as fetched (nanoseconds as
     * samples) without a word: fails on qa96 before main (qa98) was merged, where an empty answer kept the slice as
     * fetched, with no caveat.
     */
    @Test
    void anEmptyCountAnswerLeavesCpusSamplesUnreadAndSaysSo() {
        JsonNode service = analyses(body("e1"));

        System.err.println("qa96 e1 (counts empty): " + service.path("result").asString() + ": "
                + service.path("summary").asString() + " | samples " + samples(service));
        assertThat(types(service)).as(service.toString()).contains("cpu", "wall");
        int uploads = walls(QA75.resolve("n1")).size();
        assertThat(warnings(service)).as(service.toString())
                .anySatisfy(w -> assertThat(w).startsWith("cpu in " + uploads + " of ")
                        .contains("samples/count", "empty", "cpu's samples are unknown"))
                .anySatisfy(w -> assertThat(w).startsWith("wall in " + uploads + " of ")
                        .contains("samples/count", "empty", "wall's samples are unknown"));
    }

    /**
     * With every samples/count query failing for baseline and canary, no slice is counted: each is bounded by one
     * sample per stack, never read as its time over its smallest value, so s1 (x1.5 in one path) does not PASS where
     * compare on the same uploads is INCONCLUSIVE, and the unread count is said. Fails before fxk: the baseline read
     * 154,235 cpu samples (the files hold 24,280) and s1 PASSed.
     */
    @Test
    void noCountedSliceNeverReadsTimeAsSamples() {
        JsonNode service = analyses(body(UNCOUNTED, "s1"));
        JsonNode compare = CompareJson.of(COMPARE, BASELINE, List.of("s1"));

        System.err.println("fxk s1 (every count failed): service " + service.path("result").asString() + ": "
                + service.path("summary").asString() + " | compare " + compare.path("result").asString()
                + " | samples " + samples(service) + " vs " + samples(compare));
        assertThat(types(service)).as(service.toString()).contains("cpu", "wall");
        assertThat(service.path("result").asString()).as(service.toString()).isNotEqualTo("PASS");
        assertThat(warnings(service)).as(service.toString())
                .anySatisfy(w -> assertThat(w).startsWith("cpu in ").contains("cpu's samples are unknown"));
        long compareCpu = baselineSamples(compare, "cpu");
        assertThat(baselineSamples(service, "cpu")).isPositive().isLessThanOrEqualTo(compareCpu);
    }

    private static long baselineSamples(JsonNode verdict, String type) {
        for (JsonNode t : verdict.path("dataQuality").path("types")) {
            if (t.path("profileType").asString().equals(type)) {
                return t.path("baseline").path("samples").asLong();
            }
        }
        return -1;
    }

    /** The cpu fetched is Node's series; no query names the Java agent's cpu ID after the types were chosen. */
    @Test
    void cpuIsReadFromNodesSeries() {
        int before = pyroscope.calls(Route.SELECT_MERGE_PROFILE).size();
        JsonNode verdict = analyses(body("a1"));

        assertThat(types(verdict)).as(verdict.toString()).contains("cpu", "wall");
        List<Call> calls = pyroscope.calls(Route.SELECT_MERGE_PROFILE);
        List<String> asked = calls.subList(before, calls.size()).stream()
                .filter(c -> "shop75".equals(c.selector().get("service_name"))).map(Call::profileTypeId).toList();
        assertThat(asked).contains(PyroscopeProfileTypes.NODE_CPU, PyroscopeProfileTypes.WALL)
                .doesNotContain(PyroscopeProfileTypes.CPU);
    }

    private static String body(String canary) {
        return body("shop75", canary);
    }

    private static String body(String application, String canary) {
        return """
                {"application": "%s",
                 "baseline": {"labels": {"rollouts_pod_template_hash": "base"}},
                 "canary": {"labels": {"rollouts_pod_template_hash": "%s"}},
                 "start": "%s", "end": "%s"}""".formatted(application, canary, T0,
                T0.plus(UPLOAD.multipliedBy(MINUTES)));
    }

    /** Each judged type's baseline and canary samples, e.g. {@code cpu 24280/8125}. */
    private static List<String> samples(JsonNode verdict) {
        List<String> out = new ArrayList<>();
        for (JsonNode t : verdict.path("dataQuality").path("types")) {
            out.add(t.path("profileType").asString() + " " + t.path("baseline").path("samples").asLong() + "/"
                    + t.path("canary").path("samples").asLong());
        }
        return out;
    }

    private static List<String> types(JsonNode verdict) {
        List<String> out = new ArrayList<>();
        verdict.path("dataQuality").path("types").forEach(t -> out.add(t.path("profileType").asString()));
        return out;
    }

    private static List<String> warnings(JsonNode verdict) {
        List<String> out = new ArrayList<>();
        verdict.path("dataQuality").path("warnings").forEach(w -> out.add(w.asString()));
        return out;
    }

    private static List<Path> walls(Path pod) {
        try (var files = Files.list(pod)) {
            return files.filter(f -> f.getFileName().toString().startsWith("wall-")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
