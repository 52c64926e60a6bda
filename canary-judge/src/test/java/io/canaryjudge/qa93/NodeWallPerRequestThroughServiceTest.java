package io.canaryjudge.qa93;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.ServiceOnPrometheus;
import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import io.canaryjudge.metrics.MetricQueries;
import io.canaryjudge.metrics.MetricsExporter;
import io.canaryjudge.metrics.testing.PrometheusProcess;
import io.canaryjudge.profile.testing.PyroscopeStandIn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Node's wall per request through the service (issue 10, qa93): qa76's Node pods (what {@code @pyroscope/nodejs} 0.6.4
 * uploaded at its defaults, one wall profile a minute) served byte for byte by the Pyroscope stand-in, and each pod's
 * requests in a real Prometheus as a hand-written prom-client histogram exports them ({@code
 * http_request_duration_seconds} with {@code method}, {@code route}, {@code code}: the names of the committed exposition of prom-client 15.1.3,
 * src/test/resources/qa93), backfilled from the pods' own {@code requests.csv} (every minute's count exactly, plus
 * Prometheus' scrapes of {@code /metrics} at a fixed rate per pod, which the preset leaves out). The service, with
 * {@code exporter: prom-client}, compares the JavaScript thread's busy time per request as {@code compare} does on the
 * same wall uploads with {@code requests.csv}. And qa75's pods (the SDK with {@code collectCpuTime}) asked for
 * {@code profileTypes: [wall]}: the service lets CPU decide as {@code compare} does on the same uploads, where it used to
 * make wall a fail-on type (Pyroscope keeps the uploads' CPU column as a series of its own, not fetched with wall).
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.deadline=60s", "canary-judge.analysis.slice=60s",
                "canary-judge.analysis.warmup=0s", "canary-judge.analysis.history-windows=0",
                "canary-judge.prometheus.exporter=prom-client", "canary-judge.prometheus.timeout=20s",
                "canary-judge.pyroscope.timeout=30s",
                "canary-judge.prometheus.gates.latency-p99.enabled=false"})
class NodeWallPerRequestThroughServiceTest extends ServiceOnPrometheus {
    static final Path QA76 = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa76/pods");
    static final Path QA75 = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa75/pods");
    static final Path EXPOSITION = SharedFixtures.projectRoot()
            .resolve("canary-judge/src/test/resources/qa93/prom-client-15.1.3.txt");
    static final Path ROOT = Path.of("target", "qa93-service-" + UUID.randomUUID()).toAbsolutePath();
    static final List<String> BASELINE = List.of("b1", "b2", "b3");
    static final List<String> PODS = List.of("b1", "b2", "b3", "a1", "a2", "w1", "s1", "d1");
    /** One upload a minute; uploads 002-008 of each pod. */
    static final Duration UPLOAD = Duration.ofMinutes(1);
    static final int UPLOADS = 7;
    /** A day back on a whole hour: Prometheus keeps the backfilled block, the stand-in's uploads sit on minutes. */
    static final Instant T0 = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.HOURS);
    /** Prometheus' scrapes of each pod's /metrics a minute (every 15 s), counted by a middleware timing every route. */
    static final long SCRAPES_PER_UPLOAD = 4;

    static PyroscopeStandIn pyroscope;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        serve(registry, ROOT.resolve("profiles"), NodeWallPerRequestThroughServiceTest::start,
                PrometheusProcess::baseUrl);
        registry.add("canary-judge.pyroscope.url", () -> pyroscope.url());
    }

    static PrometheusProcess start() throws IOException {
        Files.createDirectories(ROOT.resolve("profiles"));
        pyroscope = PyroscopeStandIn.start();
        StringBuilder openMetrics = new StringBuilder("# TYPE http_request_duration_seconds_count gauge\n");
        for (String pod : PODS) {
            String hash = pod.startsWith("b") ? "base" : pod;
            String name = "shop-" + hash + "-" + pod;
            Map<String, String> labels = Map.of("service_name", "shop", "pod", name,
                    "rollouts_pod_template_hash", hash);
            List<Long> requests = new ArrayList<>();
            List<String> rows = Files.readAllLines(QA76.resolve(pod).resolve("requests.csv"), StandardCharsets.UTF_8);
            for (int i = 0; i < UPLOADS; i++) {
                Instant at = T0.plus(UPLOAD.multipliedBy(i));
                String file = "wall-%03d.pb.gz".formatted(i + 2);
                pyroscope.addProfile(labels, at, at.plus(UPLOAD), QA76.resolve(pod).resolve(file));
                requests.add(requestsOf(rows, file));
            }
            String series = "service=\"shop\",pod=\"" + name + "\",rollouts_pod_template_hash=\"" + hash + "\"";
            counter(openMetrics, series + ",method=\"GET\",route=\"/orders\",code=\"200\"", requests);
            counter(openMetrics, series + ",method=\"GET\",route=\"/metrics\",code=\"200\"",
                    java.util.Collections.nCopies(UPLOADS, SCRAPES_PER_UPLOAD));
        }
        // qa75's pods: the SDK with collectCpuTime (a wall upload every 15 s holding wall and CPU time), no request counts
        for (String pod : BASELINE_AND_S1) {
            Map<String, String> labels = Map.of("service_name", "shop75", "pod", "shop75-" + pod,
                    "rollouts_pod_template_hash", pod.startsWith("b") ? "base" : pod);
            List<Path> walls = walls(QA75.resolve(pod));
            for (int i = 0; i < walls.size(); i++) {
                Instant at = T0.plus(UPLOAD.multipliedBy(i));
                pyroscope.addProfile(labels, at, at.plus(UPLOAD), walls.get(i));
            }
        }
        openMetrics.append("# EOF\n");
        Path file = ROOT.resolve("requests.om");
        Files.writeString(file, openMetrics);
        return PrometheusProcess.backfilled(file);
    }

    static final List<String> BASELINE_AND_S1 = List.of("b1", "b2", "b3", "s1");

    @AfterAll
    static void stopPyroscope() {
        if (pyroscope != null) {
            pyroscope.close();
            pyroscope = null;
        }
    }

    /** The names the backfilled series use are prom-client's own, and the preset asks for them. */
    @Test
    void theSeriesAreNamedAsPromClientExportsThem() throws IOException {
        String exposition = Files.readString(EXPOSITION);
        assertThat(exposition).contains("# TYPE http_request_duration_seconds histogram")
                .contains("http_request_duration_seconds_count{method=\"GET\",route=\"/orders\",code=\"200\"} 5");
        MetricQueries preset = MetricQueries.of(MetricsExporter.PROM_CLIENT);
        assertThat(preset.requestsPerInstance().text()).contains("http_request_duration_seconds_count")
                .contains("route!~\"/metrics|");
        assertThat(preset.endpointLabel()).isEqualTo("route");
        assertThat(preset.errorRatio().text()).contains("code=~\"5..\"");
        assertThat(preset.latencyP99().text()).contains("http_request_duration_seconds_bucket");
    }

    /**
     * The dearer function (d1: {@code priceOrder} twice the work) raises the thread's busy time per request through the
     * service as in {@code compare}: the same figures, the same verdict (+33 % with one canary pod: p ≈ 0.03 by the
     * per-request test, short of q ≤ 0.01, so not a FAIL in either).
     */
    @ParameterizedTest
    @ValueSource(strings = {"d1", "s1", "a1", "a2", "w1"})
    void theServiceComparesTheBusyTimePerRequestAsCompareDoes(String canary) throws IOException {
        JsonNode service = analyses(body("shop", canary, UPLOADS));
        JsonNode compare = CompareJson.of(wallsWithRequests(), BASELINE, List.of(canary));

        assertThat(wallType(service).path("baseline").path("samples").asLong()).as(service.toString())
                .isEqualTo(wallType(compare).path("baseline").path("samples").asLong());
        assertThat(wallType(service).path("canary").path("samples").asLong())
                .isEqualTo(wallType(compare).path("canary").path("samples").asLong());
        String served = perRequest(service);
        System.err.println("qa93 " + canary + ": " + served + " | " + service.path("result").asString() + ": "
                + service.path("summary").asString());
        assertThat(served).as(service.toString()).isNotNull().isEqualTo(perRequest(compare));
        assertThat(service.path("result").asString()).isEqualTo(compare.path("result").asString());
        assertThat(service.path("summary").asString()).isEqualTo(compare.path("summary").asString());
        if (!canary.equals("d1") && !canary.equals("s1")) {
            assertThat(service.path("result").asString()).isNotEqualTo("FAIL");
        }
    }

    /**
     * qa75's pods collect CPU time: their uploads hold wall and CPU, and {@code compare --profile-type wall} on them
     * reports wall and lets CPU decide. Through the service (Pyroscope keeps the CPU column as a series of its own) the
     * wall profiles now say that CPU time was collected, so NodeBusyWall no longer makes wall a fail-on type: the same
     * verdict as compare. Before qa93 the service's warnings said "wall judged as CPU is" and its verdict could differ.
     */
    @Test
    void aNamedWallOfANodeServiceCollectingCpuTimeIsJudgedAsCompareJudgesIt() {
        JsonNode service = analyses(body("shop75", "s1", 24));
        JsonNode compare = CompareJson.of(QA75, BASELINE, List.of("s1"), List.of(), "--profile-type", "wall");

        System.err.println("qa93 shop75 s1 [wall]: " + service.path("result").asString() + ": "
                + service.path("summary").asString() + " | " + service.path("dataQuality").path("warnings"));
        assertThat(service.path("dataQuality").path("warnings").valueStream().map(JsonNode::asString))
                .as(service.toString()).noneMatch(w -> w.startsWith("wall judged as CPU is"))
                .anyMatch(w -> w.startsWith("wall reported, not judged as CPU is")
                        && w.contains("process_cpu:cpu:nanoseconds:wall:nanoseconds"));
        assertThat(compare.path("dataQuality").path("warnings").valueStream().map(JsonNode::asString))
                .noneMatch(w -> w.startsWith("wall judged as CPU is"));
        assertThat(wallType(service).path("baseline").path("samples").asLong()).as(service.toString())
                .isEqualTo(wallType(compare).path("baseline").path("samples").asLong()).isPositive();
        assertThat(wallType(service).path("canary").path("samples").asLong())
                .isEqualTo(wallType(compare).path("canary").path("samples").asLong());
        assertThat(service.path("result").asString()).isEqualTo(compare.path("result").asString());
        assertThat(service.path("summary").asString()).isEqualTo(compare.path("summary").asString());
    }

    private static JsonNode wallType(JsonNode verdict) {
        for (JsonNode t : verdict.path("dataQuality").path("types")) {
            if (t.path("profileType").asString().equals("wall")) {
                return t;
            }
        }
        throw new AssertionError("no wall type judged: " + verdict);
    }

    private static String body(String application, String canaryHash, int uploads) {
        return """
                {"application": "%s", "profileTypes": ["wall"],
                 "baseline": {"labels": {"rollouts_pod_template_hash": "base"}},
                 "canary": {"labels": {"rollouts_pod_template_hash": "%s"}},
                 "start": "%s", "end": "%s"}""".formatted(application, canaryHash, T0,
                T0.plus(UPLOAD.multipliedBy(uploads)));
    }

    /** The wall note on the busy time per request, or null. */
    private static String perRequest(JsonNode verdict) {
        for (JsonNode t : verdict.path("dataQuality").path("types")) {
            if (t.path("profileType").asString().equals("wall")) {
                for (JsonNode n : t.path("notes")) {
                    if (n.asString().startsWith("the JavaScript thread's busy time per request")) {
                        return n.asString();
                    }
                }
            }
        }
        return null;
    }

    /** qa76's wall uploads 002-008 with requests.csv, as compare reads them (no heap: what the service fetches). */
    private static synchronized Path wallsWithRequests() throws IOException {
        Path root = ROOT.resolve("compare");
        for (String pod : PODS) {
            Path dir = root.resolve(pod);
            if (Files.isDirectory(dir)) {
                continue;
            }
            Files.createDirectories(dir);
            for (int i = 0; i < UPLOADS; i++) {
                String file = "wall-%03d.pb.gz".formatted(i + 2);
                Files.copy(QA76.resolve(pod).resolve(file), dir.resolve(file));
            }
            Files.copy(QA76.resolve(pod).resolve("requests.csv"), dir.resolve("requests.csv"));
        }
        return root;
    }

    private static List<Path> walls(Path pod) throws IOException {
        try (var files = Files.list(pod)) {
            return files.filter(f -> f.getFileName().toString().startsWith("wall-")).sorted().toList();
        }
    }

    private static long requestsOf(List<String> rows, String file) {
        for (String row : rows) {
            String[] f = row.split(",");
            if (f[0].equals(file)) {
                return Long.parseLong(f[1].strip());
            }
        }
        throw new IllegalStateException("no requests for " + file);
    }

    /** A counter sampled at each minute's start, middle and end: {@code increase} over a minute is its count exactly. */
    private static void counter(StringBuilder out, String labels, List<Long> perUpload) {
        long count = 0;
        for (int k = 0; k < perUpload.size(); k++) {
            Instant at = T0.plus(UPLOAD.multipliedBy(k));
            if (k == 0) {
                sample(out, labels, 0, at);
            }
            sample(out, labels, count + perUpload.get(k) / 2, at.plus(UPLOAD.dividedBy(2)));
            count += perUpload.get(k);
            sample(out, labels, count, at.plus(UPLOAD));
        }
    }

    private static void sample(StringBuilder out, String labels, long value, Instant at) {
        out.append("http_request_duration_seconds_count{").append(labels).append("} ").append(value).append(' ')
                .append(at.getEpochSecond()).append('\n');
    }
}
