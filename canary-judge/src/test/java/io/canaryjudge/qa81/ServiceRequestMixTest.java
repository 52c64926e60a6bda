package io.canaryjudge.qa81;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.RequestMixServiceTest;
import io.canaryjudge.ServiceOnPrometheus;
import io.canaryjudge.cli.CompareJson;
import io.canaryjudge.metrics.testing.PrometheusProcess;
import io.canaryjudge.SharedFixtures;
import io.canaryjudge.scenario.SlicePprofWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;

/**
 * The service sees the request mix (issue 10, qa81): qa79's recorded pods of {@code MixPod} (src/test/resources/qa79,
 * README there; {@code s4x} the same code with /search at four times its share) judged by the service over real HTTP,
 * as Argo Rollouts asks, with each pod's requests per endpoint only in a real Prometheus
 * ({@code http_server_requests_seconds_count} by {@code uri}, Micrometer's, backfilled from the pods' own
 * {@code endpoints.csv}: every slice's count exactly, the counter sampled at each slice's edges) and the CPU slices in a
 * time-aware local directory (re-encoded as pprof with each slice's time: the collapsed files carry none). The same
 * profiles with the csv files beside them are judged by {@code compare}. A second application's series carry no
 * {@code uri}: there the service has no mix to check and judges as before. Uploads read {@code endpoints.csv} as
 * {@code compare} does. A third ({@code probed}) adds Actuator's scrapes and probes at a fixed rate per pod under an
 * A/A canary at a tenth of the traffic; a fourth ({@code scraped}) samples the counters off the slices' edges (fix81).
 */
@RequestMixServiceTest
@TestPropertySource(properties = {
        // a per-endpoint query Prometheus rejects (a dangling operator): its template checks pass
        "canary-judge.configs.broken-mix.queries.requests-per-endpoint=sum by ({{instance_label}}, uri) ("
                + "increase(http_server_requests_seconds_count{{{selector}}}[{{range}}]) +)",
        // pods of their own management base path (the service's is the default, /actuator)
        "canary-judge.configs." + ServiceRequestMixTest.MANAGED_CONFIG + ".management-path="
                + ServiceRequestMixTest.MANAGED_PATH})
class ServiceRequestMixTest extends ServiceOnPrometheus {
    static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa79/cpu");
    static final Path ROOT = Path.of("target", "qa81-service-" + UUID.randomUUID()).toAbsolutePath();
    static final List<String> BASELINE = List.of("b1", "b3", "b4");
    /** The canaries, each judged alone against the baseline: /search ×4, ×2, and ×2 with {@code rank} 30 % dearer. */
    static final List<String> CANARIES = List.of("s4x", "s2x", "rank130s");
    /** The recording's slices: 10 s each, async-profiler's itimer at 1 ms. */
    static final Duration SLICE = Duration.ofSeconds(10);
    static final long PERIOD_NANOS = 1_000_000;
    /** Where the slices are placed in time: a day back, on a whole hour, so Prometheus' blocks hold them whole. */
    static final Instant START = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.HOURS);
    static final String WITH_ENDPOINTS = "shop";
    static final String TOTALS_ONLY = "plain";
    /** The shop's series plus Actuator's, and an A/A canary ({@code aa1}) at a tenth of a baseline pod's traffic. */
    static final String PROBED = "probed";
    static final String AA_CANARY = "aa1";
    /** The canary's traffic weight against one baseline pod's: its per-endpoint counts divided by 10. */
    static final int CANARY_TRAFFIC_DIVISOR = 10;
    /**
     * Actuator's requests per pod and 10 s slice, whatever the traffic, by route under the management base path: a
     * Prometheus scrape every 5 s, and liveness and readiness probes every 5 s each.
     */
    static final Map<String, Long> ACTUATOR_PER_SLICE = Map.of("/prometheus", 2L, "/health/{*path}", 4L);
    /**
     * {@link #PROBED}'s series again with Actuator under {@link #MANAGED_PATH}, as pods that set Spring Boot's
     * {@code management.endpoints.web.base-path}; judged with the named config {@link #MANAGED_CONFIG}, which sets
     * its own {@code management-path} (named otherwise than the application, which would select it by itself).
     */
    static final String MANAGED = "managed";
    static final String MANAGED_PATH = "/manage";
    static final String MANAGED_CONFIG = "own-management-path";
    /** The shop's series scraped every 4 s from 1 s past the first slice's start: never on a slice's edge. */
    static final String OFF_EDGE = "scraped";
    static final Duration SCRAPE = Duration.ofSeconds(4);
    static final Duration SCRAPE_OFFSET = Duration.ofSeconds(1);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        serve(registry, ROOT.resolve("profiles"), ServiceRequestMixTest::start, PrometheusProcess::baseUrl);
    }

    /**
     * Writes each pod's slices as timed pprof under {@code profiles/shop} and {@code profiles/plain} (labels only, no
     * csv), the same files with qa79's csv files under {@code compare} (renamed rows), with {@code requests.csv} alone
     * under {@code compare-totals}, and starts Prometheus on the counters.
     */
    static PrometheusProcess start() throws IOException {
        StringBuilder openMetrics = new StringBuilder("# TYPE http_server_requests_seconds_count gauge\n");
        List<String> pods = new ArrayList<>(BASELINE);
        pods.addAll(CANARIES);
        for (String pod : pods) {
            boolean canary = CANARIES.contains(pod);
            String track = canary ? "canary" : "baseline";
            Path recorded = RECORDINGS.resolve(pod);
            Map<String, Map<String, Long>> endpoints = endpoints(recorded.resolve("endpoints.csv"));
            List<String> slices = new ArrayList<>(endpoints.keySet());
            for (String dir : List.of("profiles/" + WITH_ENDPOINTS, "profiles/" + TOTALS_ONLY, "compare",
                    "compare-totals")) {
                Path to = Files.createDirectories(ROOT.resolve(dir).resolve(pod));
                StringBuilder requests = new StringBuilder("profile,requests\n");
                StringBuilder mix = new StringBuilder("profile,endpoint,requests\n");
                for (int k = 0; k < slices.size(); k++) {
                    String file = "slice-" + (k + 1) + ".pb.gz";
                    SlicePprofWriter.convertCollapsedCpu(recorded.resolve(slices.get(k)), to.resolve(file),
                            PERIOD_NANOS, nanos(START.plus(SLICE.multipliedBy(k))), SLICE.toNanos());
                    Map<String, Long> byEndpoint = endpoints.get(slices.get(k));
                    requests.append(file).append(',').append(total(byEndpoint)).append('\n');
                    byEndpoint.forEach((endpoint, n) -> mix.append(file).append(',').append(endpoint).append(',')
                            .append(n).append('\n'));
                }
                if (dir.startsWith("profiles/")) {
                    Files.writeString(to.resolve("labels.properties"), "track=" + track + "\n"
                            + (canary ? "scenario=" + pod + "\n" : ""));
                } else {
                    Files.writeString(to.resolve("requests.csv"), requests);
                    if (dir.equals("compare")) {
                        Files.writeString(to.resolve("endpoints.csv"), mix);
                    }
                }
            }
            // Micrometer's counter by uri; the other application's without it (an exporter that names no route)
            Map<String, List<Long>> perEndpoint = new LinkedHashMap<>();
            List<Long> totals = new ArrayList<>();
            for (String slice : slices) {
                Map<String, Long> byEndpoint = endpoints.get(slice);
                totals.add(total(byEndpoint));
                endpoints.values().forEach(e -> e.keySet().forEach(u -> perEndpoint.putIfAbsent(u, new ArrayList<>())));
                perEndpoint.forEach((uri, counts) -> counts.add(byEndpoint.getOrDefault(uri, 0L)));
            }
            String labels = "pod=\"" + pod + "\",track=\"" + track + "\"" + (canary ? ",scenario=\"" + pod + "\"" : "");
            perEndpoint.forEach((uri, counts) -> counter(openMetrics, "app=\"" + WITH_ENDPOINTS + "\"," + labels
                    + ",uri=\"" + uri + "\"", counts));
            counter(openMetrics, "app=\"" + TOTALS_ONLY + "\"," + labels, totals);
        }
        // The A/A canary at a tenth of the traffic, and every pod's Actuator requests at the same fixed rate, under
        // Spring Boot's default base path and under a base path of the pods' own
        for (Map.Entry<String, String> managed : List.of(Map.entry(PROBED, "/actuator"),
                Map.entry(MANAGED, MANAGED_PATH))) {
            for (String pod : List.of("b1", "b3", "b4", AA_CANARY)) {
                boolean canary = pod.equals(AA_CANARY);
                Map<String, Map<String, Long>> endpoints = endpoints(RECORDINGS.resolve(pod).resolve("endpoints.csv"));
                writeTimedProfiles(pod, managed.getKey(), canary, endpoints);
                String labels = "app=\"" + managed.getKey() + "\",pod=\"" + pod + "\",track=\""
                        + (canary ? "canary" : "baseline") + "\"" + (canary ? ",scenario=\"" + pod + "\"" : "");
                Map<String, List<Long>> perEndpoint = perEndpoint(endpoints);
                perEndpoint.forEach((uri, counts) -> counter(openMetrics, labels + ",uri=\"" + uri + "\"",
                        counts.stream().map(n -> canary ? n / CANARY_TRAFFIC_DIVISOR : n).toList()));
                ACTUATOR_PER_SLICE.forEach((route, n) -> counter(openMetrics, labels + ",uri=\"" + managed.getValue()
                        + route + "\"", java.util.Collections.nCopies(endpoints.size(), n)));
            }
        }
        // The shop's counters as a scrape sees them: each request at its own time, sampled off the slices' edges
        for (String pod : List.of("b1", "b3", "b4", "s4x")) {
            boolean canary = pod.equals("s4x");
            Map<String, Map<String, Long>> endpoints = endpoints(RECORDINGS.resolve(pod).resolve("endpoints.csv"));
            writeTimedProfiles(pod, OFF_EDGE, canary, endpoints);
            String labels = "app=\"" + OFF_EDGE + "\",pod=\"" + pod + "\",track=\"" + (canary ? "canary" : "baseline")
                    + "\"" + (canary ? ",scenario=\"" + pod + "\"" : "");
            java.util.Random arrivals = new java.util.Random(pod.hashCode());
            perEndpoint(endpoints).forEach((uri, counts) -> scraped(openMetrics, labels + ",uri=\"" + uri + "\"",
                    counts, arrivals));
        }
        openMetrics.append("# EOF\n");
        Path file = ROOT.resolve("requests.om");
        Files.writeString(file, openMetrics);
        return PrometheusProcess.backfilled(file);
    }

    /** A pod's slices as timed pprof under {@code profiles/APPLICATION/POD}, with its labels. */
    private static void writeTimedProfiles(String pod, String application, boolean canary,
                                           Map<String, Map<String, Long>> endpoints) throws IOException {
        Path to = Files.createDirectories(ROOT.resolve("profiles").resolve(application).resolve(pod));
        List<String> slices = new ArrayList<>(endpoints.keySet());
        for (int k = 0; k < slices.size(); k++) {
            SlicePprofWriter.convertCollapsedCpu(RECORDINGS.resolve(pod).resolve(slices.get(k)),
                    to.resolve("slice-" + (k + 1) + ".pb.gz"), PERIOD_NANOS, nanos(START.plus(SLICE.multipliedBy(k))),
                    SLICE.toNanos());
        }
        Files.writeString(to.resolve("labels.properties"), "track=" + (canary ? "canary" : "baseline") + "\n"
                + (canary ? "scenario=" + pod + "\n" : ""));
    }

    /** Endpoint → its requests in each slice (0 where a slice had none), over every endpoint the pod served. */
    private static Map<String, List<Long>> perEndpoint(Map<String, Map<String, Long>> endpoints) {
        Map<String, List<Long>> perEndpoint = new LinkedHashMap<>();
        endpoints.values().forEach(e -> e.keySet().forEach(u -> perEndpoint.putIfAbsent(u, new ArrayList<>())));
        endpoints.values().forEach(byEndpoint -> perEndpoint.forEach((uri, counts) ->
                counts.add(byEndpoint.getOrDefault(uri, 0L))));
        return perEndpoint;
    }

    /**
     * One counter as a scrape every {@link #SCRAPE} from {@link #SCRAPE_OFFSET} sees it: each slice's requests arrive at
     * uniformly drawn times within the slice, and the samples fall 1 s or 3 s inside a slice's edges, so
     * {@code increase} over a slice extrapolates from 2 or 3 samples, not the slice's exact count.
     */
    private static void scraped(StringBuilder out, String labels, List<Long> perSlice, java.util.Random random) {
        List<Double> times = new ArrayList<>(); // seconds since START
        for (int k = 0; k < perSlice.size(); k++) {
            for (long n = 0; n < perSlice.get(k); n++) {
                times.add(SLICE.toSeconds() * (k + random.nextDouble()));
            }
        }
        java.util.Collections.sort(times);
        long end = SLICE.multipliedBy(perSlice.size()).toSeconds();
        int arrived = 0;
        for (long at = SCRAPE_OFFSET.toSeconds(); at < end; at += SCRAPE.toSeconds()) {
            while (arrived < times.size() && times.get(arrived) <= at) {
                arrived++;
            }
            sample(out, labels, arrived, START.plusSeconds(at));
        }
    }

    /**
     * One counter's samples: at each slice's start and end its count so far, and half way through (two points a range,
     * so {@code increase} over a slice is the slice's requests, with no extrapolation).
     */
    private static void counter(StringBuilder out, String labels, List<Long> perSlice) {
        long count = 0;
        for (int k = 0; k < perSlice.size(); k++) {
            Instant at = START.plus(SLICE.multipliedBy(k));
            if (k == 0) {
                sample(out, labels, 0, at);
            }
            sample(out, labels, count + perSlice.get(k) / 2, at.plus(SLICE.dividedBy(2)));
            count += perSlice.get(k);
            sample(out, labels, count, at.plus(SLICE));
        }
    }

    private static void sample(StringBuilder out, String labels, long value, Instant at) {
        out.append("http_server_requests_seconds_count{").append(labels).append("} ").append(value).append(' ')
                .append(at.getEpochSecond()).append('\n');
    }

    /** qa79's endpoints.csv: slice file → endpoint → requests, in file order. */
    private static Map<String, Map<String, Long>> endpoints(Path csv) throws IOException {
        Map<String, Map<String, Long>> bySlice = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            bySlice.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], Long.parseLong(f[2]));
        }
        return bySlice;
    }

    private static long total(Map<String, Long> byEndpoint) {
        return byEndpoint.values().stream().mapToLong(Long::longValue).sum();
    }

    private static long nanos(Instant at) {
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    private JsonNode analyse(String application, String canary) {
        return analyse(application, canary, "");
    }

    private JsonNode analyse(String application, String canary, String more) {
        return analyses("""
                {"application": "%s",
                 "baseline": {"labels": {"track": "baseline"}},
                 "canary": {"labels": {"track": "canary", "scenario": "%s"}},
                 "start": "%s", "end": "%s", "profileTypes": ["cpu"]%s}"""
                .formatted(application, canary, START, START.plus(SLICE.multipliedBy(6)), more));
    }

    private static JsonNode compare(String folder, String canary) {
        return CompareJson.of(ROOT.resolve(folder), BASELINE, List.of(canary));
    }

    /**
     * The service asks Prometheus for each pod's requests per {@code uri} and judges as {@code compare} does with
     * endpoints.csv: the same verdict, summary and {@code requestMix}, the mix named (/search ×4.0 in s4x). Before, the
     * service knew only each pod's total and named the mix nowhere (the verdict of the next test).
     */
    @ParameterizedTest
    @ValueSource(strings = {"s4x", "s2x", "rank130s"})
    void theServiceJudgesTheMixFromPrometheusAsCompareDoesFromEndpointsCsv(String canary) {
        JsonNode served = analyse(WITH_ENDPOINTS, canary);
        JsonNode compared = compare("compare", canary);

        String summary = served.path("summary").asString();
        System.err.println("qa81 " + canary + " service with uri series: " + summary);
        assertThat(summary).as(served.toString()).isEqualTo(compared.path("summary").asString())
                .contains("the canary served another request mix");
        assertThat(served.path("result").asString()).isEqualTo(compared.path("result").asString());
        assertThat(served.path("dataQuality").path("requestMix"))
                .isEqualTo(compared.path("dataQuality").path("requestMix"));
        assertThat(served.path("dataQuality").path("requestMix").path("differs").asBoolean()).isTrue();
        assertThat(served.path("dataQuality").path("warnings").toString()).doesNotContain("per endpoint");
        if (canary.equals("s4x")) {
            assertThat(summary).contains("/search 80 % of the canary's requests against 20 %, ×4.0");
        }
    }

    /**
     * Series without a {@code uri} (the totals only): no mix, no warning about it, and the verdict of {@code compare}
     * with requests.csv alone — what the service answered before it asked for endpoints.
     */
    @ParameterizedTest
    @ValueSource(strings = {"s4x", "s2x", "rank130s"})
    void withoutPerEndpointSeriesTheVerdictIsWhatItWas(String canary) {
        JsonNode served = analyse(TOTALS_ONLY, canary);
        JsonNode compared = compare("compare-totals", canary);

        System.err.println("qa81 " + canary + " service without uri series: " + served.path("summary").asString());
        assertThat(served.path("result").asString()).as(served.toString())
                .isEqualTo(compared.path("result").asString());
        assertThat(served.path("summary").asString()).isEqualTo(compared.path("summary").asString())
                .doesNotContain("request mix");
        assertThat(served.path("dataQuality").path("requestMix").isMissingNode()
                || served.path("dataQuality").path("requestMix").isNull()).as(served.toString()).isTrue();
        assertThat(served.path("dataQuality").path("warnings").toString()).doesNotContain("endpoint");
    }

    /**
     * A per-endpoint query Prometheus rejects costs the mix, said once per group in {@code dataQuality.warnings}, never
     * the verdict: the verdict of the totals alone.
     */
    @Test
    void aRejectedPerEndpointQueryIsAWarningNotALostVerdict() {
        JsonNode served = analyse(WITH_ENDPOINTS, "s4x", ", \"config\": \"broken-mix\"");
        JsonNode compared = compare("compare-totals", "s4x");

        String warnings = served.path("dataQuality").path("warnings").toString();
        assertThat(warnings).as(served.toString()).contains("prometheus: request counts per endpoint of the baseline"
                + " pods could not be read (").contains("the request mix was not compared");
        assertThat(warnings.split("request counts per endpoint", -1)).hasSize(3); // baseline and canary, once each
        assertThat(served.path("result").asString()).isEqualTo(compared.path("result").asString());
        assertThat(served.path("summary").asString()).isEqualTo(compared.path("summary").asString());
    }

    /**
     * Actuator's scrapes and probes come at a fixed rate per pod, so an A/A canary at a tenth of a baseline pod's
     * traffic has ten times their share (6 of ~80 requests a slice against 6 of ~800). The default query leaves them
     * out: the mix does not differ and names no Actuator route. Before, it counted them and said the mix differed
     * (both Actuator routes ×12), which would have refused PASS and excused rises up to that ratio.
     */
    @Test
    void actuatorScrapesAndProbesDoNotMakeALowerWeightCanarysMixDiffer() {
        JsonNode served = analyse(PROBED, AA_CANARY);

        JsonNode mix = served.path("dataQuality").path("requestMix");
        System.err.println("qa81 " + AA_CANARY + " with actuator series: " + served.path("summary").asString());
        assertThat(mix.isObject()).as(served.toString()).isTrue();
        assertThat(mix.path("differs").asBoolean()).as(mix.toString()).isFalse();
        assertThat(mix.toString()).doesNotContain("/actuator");
        assertThat(served.path("summary").asString()).doesNotContain("another request mix");
    }

    /**
     * A named config's own management base path ({@code /manage}, the service's being {@code /actuator}): judged with
     * that config ({@code canary-judge.configs.own-management-path.management-path}), the pods' scrapes and probes
     * under {@code /manage} are left out, so the A/A canary at a tenth of the traffic serves the baseline's mix, as
     * under {@code /actuator} above. The same series judged with the service's path count them (the mix differs,
     * naming {@code /manage} routes): what the key is for. Fails before qa94: the key was unknown and stopped the
     * service's start-up.
     */
    @Test
    void aNamedConfigsOwnManagementPathIsLeftOutOfItsRequestQueries() {
        JsonNode own = analyse(MANAGED, AA_CANARY, ", \"config\": \"" + MANAGED_CONFIG + "\"");
        JsonNode serviceWide = analyse(MANAGED, AA_CANARY);

        JsonNode mix = own.path("dataQuality").path("requestMix");
        JsonNode counted = serviceWide.path("dataQuality").path("requestMix");
        System.err.println("qa94 " + AA_CANARY + " with its config's management path: " + own.path("summary").asString()
                + " | with the service's: " + serviceWide.path("summary").asString());
        assertThat(mix.isObject()).as(own.toString()).isTrue();
        assertThat(mix.path("differs").asBoolean()).as(mix.toString()).isFalse();
        assertThat(mix.toString()).doesNotContain(MANAGED_PATH + "/");
        assertThat(own.path("summary").asString()).doesNotContain("another request mix");
        assertThat(counted.path("differs").asBoolean()).as(counted.toString()).isTrue();
        assertThat(counted.toString()).contains(MANAGED_PATH + "/prometheus", MANAGED_PATH + "/health/{*path}");
    }

    /**
     * The counters sampled off the slices' edges, each request at its own time ({@link #scraped}): {@code increase}
     * extrapolates, so the service's counts are estimates, yet it judges as {@code compare} does with the exact counts:
     * the same result and summary start, the mix differs, and every endpoint's share within 2 points of compare's.
     */
    @Test
    void countersScrapedOffTheSliceEdgesGiveTheSameMixWithinTwoPoints() {
        JsonNode served = analyse(OFF_EDGE, "s4x");
        JsonNode compared = compare("compare", "s4x");

        System.err.println("qa81 s4x scraped off the edges: " + served.path("summary").asString());
        assertThat(served.path("result").asString()).as(served.toString())
                .isEqualTo(compared.path("result").asString());
        JsonNode mix = served.path("dataQuality").path("requestMix");
        JsonNode exact = compared.path("dataQuality").path("requestMix");
        assertThat(mix.path("differs").asBoolean()).as(mix.toString()).isTrue();
        assertThat(served.path("summary").asString()).contains("the canary served another request mix");
        Map<String, JsonNode> exactByEndpoint = new LinkedHashMap<>();
        exact.path("endpoints").forEach(e -> exactByEndpoint.put(e.path("endpoint").asString(), e));
        assertThat(mix.path("endpoints").size()).isEqualTo(exactByEndpoint.size());
        boolean anyInexact = false;
        for (JsonNode e : mix.path("endpoints")) {
            JsonNode x = exactByEndpoint.get(e.path("endpoint").asString());
            assertThat(x).as(e.toString()).isNotNull();
            for (String share : List.of("baselineShare", "canaryShare")) {
                assertThat(e.path(share).asDouble()).as(e + " against " + x)
                        .isCloseTo(x.path(share).asDouble(), org.assertj.core.data.Offset.offset(0.02));
            }
            anyInexact |= e.path("baselineRequests").asLong() != x.path("baselineRequests").asLong();
        }
        assertThat(anyInexact).as("the counts are extrapolated estimates, not the exact counts").isTrue();
    }

    /** An upload with each pod's endpoints.csv is judged as compare judges the same folders. */
    @Test
    void anUploadWithEndpointsCsvIsJudgedAsCompareJudgesIt() {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        BASELINE.forEach(pod -> pod(body, "baseline", pod, Map.of()));
        pod(body, "canary", "s4x", Map.of());
        JsonNode uploaded = JSON.readTree(post(body).expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody());
        JsonNode compared = compare("compare", "s4x");

        assertThat(uploaded.path("result").asString()).as(uploaded.toString())
                .isEqualTo(compared.path("result").asString());
        assertThat(uploaded.path("summary").asString()).contains("the canary served another request mix");
        assertThat(uploaded.path("summary").asString()).isEqualTo(compared.path("summary").asString());
        assertThat(uploaded.path("dataQuality").path("requestMix"))
                .isEqualTo(compared.path("dataQuality").path("requestMix"));
    }

    /** A bad endpoints.csv in an upload is a 400 naming the file and the line, as compare's exit 65 names them. */
    @Test
    void aBadEndpointsCsvInAnUploadIsA400NamingTheLine() {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        BASELINE.forEach(pod -> pod(body, "baseline", pod, Map.of()));
        pod(body, "canary", "s4x", Map.of("endpoints.csv",
                "profile,endpoint,requests\nslice-1.pb.gz,/search,102\nslice-1.pb.gz,/quote,ten\n"));
        String problem = post(body).expectStatus().isBadRequest().expectBody(String.class).returnResult()
                .getResponseBody();

        assertThat(problem).contains("canary: s4x/endpoints.csv line 3: requests \\\"ten\\\" must be a whole number");
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec post(MultipartBodyBuilder body) {
        body.part("application", "shop");
        body.part("profileTypes", "cpu");
        return client.post().uri("/api/v1/analyses").contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(body.build())).exchange();
    }

    /** One pod's files of the compare folder as parts {@code POD/FILE}, some replaced by {@code replaced}'s text. */
    private static void pod(MultipartBodyBuilder body, String group, String pod, Map<String, String> replaced) {
        try (var files = Files.list(ROOT.resolve("compare").resolve(pod))) {
            for (Path file : files.sorted().toList()) {
                String fileName = file.getFileName().toString();
                byte[] content = replaced.containsKey(fileName)
                        ? replaced.get(fileName).getBytes(StandardCharsets.UTF_8) : Files.readAllBytes(file);
                String name = pod + "/" + fileName;
                body.part(group, new ByteArrayResource(content) {
                    @Override
                    public String getFilename() {
                        return name;
                    }
                }).contentType(MediaType.APPLICATION_OCTET_STREAM);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
