package io.canaryjudge.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The analysis API over real HTTP on loopback, judging real recordings from a local profile directory: the
 * shipped example (a CPU regression), an A/A pair, stored verdicts and reports, and every problem answer.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AnalysisApiTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Path PROFILES = ProfileDirectories.build(
            Path.of("target", "test-profiles-" + UUID.randomUUID()).toAbsolutePath());
    static final String EXAMPLE = """
            {"application": "shop",
             "baseline": {"labels": {"rollouts_pod_template_hash": "6d4f8c7b9"}},
             "canary": {"labels": {"rollouts_pod_template_hash": "7f9b6c5d4"}},
             "lookback": "10m"}""";

    @LocalServerPort
    int port;

    WebTestClient client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("canary-judge.local.directory", PROFILES::toString);
        registry.add("canary-judge.analysis.deadline", () -> "30s");
        registry.add("canary-judge.judge-config.inline",
                () -> "services:\n  strict:\n    thresholds:\n      minRelativeChange: 0.02\n");
        registry.add("canary-judge.configs.shop.profile-types", () -> "cpu");
    }

    @BeforeEach
    void client() {
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(60)).build();
    }

    JsonNode post(String body) {
        EntityExchangeResult<String> result = client.post().uri("/api/v1/analyses")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(String.class).returnResult();
        return JSON.readTree(result.getResponseBody());
    }

    @Test
    void theShippedExampleFailsNamingTheInjectedFunctionInASmallAnswer() {
        JsonNode verdict = post(EXAMPLE);

        assertThat(verdict.get("result").asString()).isEqualTo("FAIL");
        assertThat(verdict.get("pass").asBoolean()).isFalse();
        assertThat(verdict.get("summary").asString()).startsWith("FAIL: ").contains("PriceCalculator.applyDiscounts");
        assertThat(verdict.get("findings").get(0).get("function").asString())
                .isEqualTo("io.canaryjudge.scenario.shop.PriceCalculator.applyDiscounts");
        assertThat(verdict.get("reportUrl").asString())
                .isEqualTo("http://127.0.0.1:" + port + "/reports/" + verdict.get("id").asString());
        // Small: no hottest list, at most 5 findings (the rest counted), every pod a pod.
        assertThat(verdict.has("hottest")).isFalse();
        assertThat(verdict.get("findings").size()).isLessThanOrEqualTo(5);
        if (verdict.has("findingsOmitted")) {
            assertThat(verdict.get("findingsOmitted").asInt()).isPositive();
        }
        JsonNode cpu = verdict.get("dataQuality").get("types").get(0);
        assertThat(cpu.get("profileType").asString()).isEqualTo("cpu");
        assertThat(cpu.get("baseline").get("instances").asInt()).isEqualTo(2);
        assertThat(cpu.get("canary").get("instances").asInt()).isEqualTo(2);
        assertThat(cpu.get("canary").get("observations").asInt()).isEqualTo(10);
        assertThat(verdict.get("dataQuality").get("warnings").toString()).contains("window is not applied");
        assertThat(verdict.get("analysis").get("source").asString()).isEqualTo("local");
        assertThat(verdict.get("analysis").get("canary").get("labels").get("rollouts_pod_template_hash").asString())
                .isEqualTo("7f9b6c5d4");
    }

    @Test
    void anAaPairIsNotFailed() {
        JsonNode verdict = post("""
                {"application": "aa", "baseline": {"labels": {"track": "baseline"}},
                 "canary": {"labels": {"track": "canary"}}, "profileTypes": ["cpu"]}""");

        assertThat(verdict.get("result").asString()).as(verdict.get("summary").asString()).isNotEqualTo("FAIL");
        JsonNode cpu = verdict.get("dataQuality").get("types").get(0);
        assertThat(cpu.get("baseline").get("instances").asInt()).isEqualTo(3);
        assertThat(cpu.get("canary").get("instances").asInt()).isEqualTo(3);
        assertThat(verdict.get("analysis").get("profileTypes").toString()).isEqualTo("[\"cpu\"]");
    }

    @Test
    void theStoredVerdictAndItsReportAreServedById() {
        JsonNode verdict = post(EXAMPLE);
        String id = verdict.get("id").asString();

        JsonNode stored = JSON.readTree(client.get().uri("/api/v1/analyses/{id}", id).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
        assertThat(stored.get("id").asString()).isEqualTo(id);
        assertThat(stored.get("result").asString()).isEqualTo("FAIL");
        assertThat(stored.get("hottest").size()).isPositive();
        assertThat(stored.get("findings").size()).isGreaterThanOrEqualTo(verdict.get("findings").size());

        EntityExchangeResult<String> page = client.get().uri(URI_OF(verdict.get("reportUrl").asString())).exchange()
                .expectStatus().isOk().expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).returnResult();
        String html = page.getResponseBody();
        assertThat(html).contains("FAIL").contains(id).contains("PriceCalculator.applyDiscounts")
                // the report built beside the verdict: a diff flame graph and each pod's values
                .contains("id=\"flame-section\"").contains("id=\"evidence\"")
                .contains("shop-7f9b6c5d4-m4q8z")
                // its script and style are served by the app, linked relative to the page
                .contains("../report-assets/report.js?v=");
        assertThat(page.getResponseHeaders().getFirst("Content-Security-Policy")).contains("default-src 'none'");
        String script = html.replaceAll("(?s).*src=\"\\.\\./(report-assets/report\\.js\\?v=[0-9a-f]+)\".*", "/$1");
        // versioned by content, so browsers may keep it (a day)
        client.get().uri(script).exchange().expectStatus().isOk()
                .expectHeader().cacheControl(CacheControl.maxAge(Duration.ofDays(1)));
    }

    private static String URI_OF(String url) {
        return java.net.URI.create(url).getPath();
    }

    @Test
    void aNamedConfigChoosesWhatIsFetchedAndAnApplicationFindsItsOwn() {
        // "shop" is both the application and a config (profile-types: cpu): chosen without asking.
        JsonNode own = post(EXAMPLE);
        assertThat(own.get("analysis").get("config").asString()).isEqualTo("shop");
        assertThat(own.get("analysis").get("profileTypes").toString()).isEqualTo("[\"cpu\"]");

        JsonNode strict = post(EXAMPLE.replace("\"lookback\": \"10m\"", "\"lookback\": \"10m\", \"config\": \"strict\""));
        assertThat(strict.get("analysis").get("config").asString()).isEqualTo("strict");
        assertThat(strict.get("analysis").get("profileTypes").toString()).isEqualTo("[\"cpu\",\"alloc_bytes\"]");
    }

    @Test
    void startAndEndWindowsAreRecordedAndOverridesApply() {
        JsonNode verdict = post("""
                {"application": "shop", "baseline": {"labels": {"rollouts_pod_template_hash": "6d4f8c7b9"}},
                 "canary": {"labels": {"rollouts_pod_template_hash": "7f9b6c5d4"}},
                 "start": "2026-11-25T10:00:00Z", "end": "2026-11-25T10:10:00+00:00",
                 "overrides": {"minRelativeChange": 5.0}, "deadline": "20s"}""");
        // A rise must now be +500 % of its own share to count: the +108 % regression no longer fails.
        assertThat(verdict.get("result").asString()).isNotEqualTo("FAIL");
        assertThat(verdict.get("analysis").get("start").isNull()).as("the local source applies no window").isTrue();
    }

    @Test
    void theJudgesOwnMetricsAreExposedAfterAnAnalysis() {
        post(EXAMPLE);
        String metrics = client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics)
                .containsPattern("canary_judge_verdicts_total\\{application=\"shop\",result=\"FAIL\"} [1-9]")
                .containsPattern("canary_judge_analysis_duration_seconds_count\\{result=\"FAIL\",source=\"local\"} [1-9]")
                .contains("canary_judge_source_requests_seconds_count{operation=\"profiles\",outcome=\"success\",source=\"local\"}");
    }

    @Test
    void theOpenApiDescriptionListsTheRoutes() {
        JsonNode api = JSON.readTree(client.get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(api.get("openapi").asString()).startsWith("3.");
        assertThat(api.get("paths").propertyNames()).contains("/api/v1/analyses", "/api/v1/analyses/{id}",
                "/reports/{id}", "/api/v1/webhooks/flagger");
        assertThat(api.get("paths").get("/api/v1/analyses").get("post").get("requestBody").toString())
                .contains("application/json").contains("multipart/form-data");
        // a client generated from the description must expect what docs/API.md says: 404 unknown, 503 store down,
        // 500 a stored row that cannot be read back
        for (String path : new String[] {"/api/v1/analyses/{id}", "/reports/{id}"}) {
            assertThat(api.get("paths").get(path).get("get").get("responses").propertyNames()).as(path)
                    .contains("200", "404", "500", "503");
        }
    }

    static Stream<Arguments> badRequests() {
        String canary = "\"canary\": {\"labels\": {\"rollouts_pod_template_hash\": \"7f9b6c5d4\"}}";
        String baseline = "\"baseline\": {\"labels\": {\"rollouts_pod_template_hash\": \"6d4f8c7b9\"}}";
        return Stream.of(
                Arguments.of("{\"application\": \"shop\",", "body", "malformed JSON"),
                Arguments.of("", "body", "empty"),
                Arguments.of("[]", "body", "the body must be a JSON object at line 1, column 1"),
                Arguments.of("\"shop\"", "body", "the body must be a JSON object"),
                Arguments.of("{" + baseline + ", " + canary + "}", "application", "application is required"),
                Arguments.of("{\"application\": \"\", " + baseline + ", " + canary + "}", "application",
                        "application is required"),
                Arguments.of("{\"application\": \"sh\\u0000op\", " + baseline + ", " + canary + "}", "application",
                        "control characters"),
                // the local directory source turns the application into a path: these were INCONCLUSIVE answers
                Arguments.of("{\"application\": \"../etc\", " + baseline + ", " + canary + "}", "application",
                        "application \"../etc\" has a \"..\" segment: the local profile source reads each application"),
                Arguments.of("{\"application\": \"shop/../../etc\", " + baseline + ", " + canary + "}", "application",
                        "has a \"..\" segment"),
                Arguments.of("{\"application\": \"..\", " + baseline + ", " + canary + "}", "application",
                        "has a \"..\" segment"),
                Arguments.of("{\"application\": \"/etc\", " + baseline + ", " + canary + "}", "application",
                        "is an absolute path"),
                Arguments.of("{\"application\": \"shop//x\", " + baseline + ", " + canary + "}", "application",
                        "has an empty path segment"),
                Arguments.of("{\"application\": \"..\\\\etc\", " + baseline + ", " + canary + "}", "application",
                        "contains a backslash"),
                Arguments.of("{\"application\": \"shop\", " + canary + "}", "baseline", "baseline is missing"),
                Arguments.of("{\"application\": \"shop\", \"baseline\": {\"labels\": {}}, " + canary + "}",
                        "baseline.labels", "empty"),
                Arguments.of("{\"application\": \"shop\", \"baseline\": {\"labels\": {\"rollouts-pod-template-hash\": \"x\"}}, "
                        + canary + "}", "baseline.labels.rollouts-pod-template-hash", "must match"),
                Arguments.of("{\"application\": \"shop\", \"baseline\": {\"labels\": {\"rollouts_pod_template_hash\": "
                        + "\"{{args.stable-hash}}\"}}, " + canary + "}", "baseline.labels.rollouts_pod_template_hash",
                        "not filled in"),
                // Argo fills these from args too: an unfilled one was an INCONCLUSIVE "no pods" answer
                Arguments.of("{\"application\": \"{{args.application}}\", " + baseline + ", " + canary + "}",
                        "application", "application is \"{{args.application}}\", an argument placeholder that was not filled in"),
                Arguments.of(body(baseline, canary, "\"namespace\": \"{{args.namespace}}\""), "namespace",
                        "not filled in"),
                Arguments.of("{\"application\": \"shop\", " + baseline + ", \"canary\": {\"labels\": "
                        + "{\"rollouts_pod_template_hash\": \"6d4f8c7b9\"}}}", "canary.labels", "same pods"),
                Arguments.of(body(baseline, canary, "\"start\": \"2026-11-25T10:10:00Z\", \"end\": \"2026-11-25T10:00:00Z\""),
                        "end", "must be after start"),
                Arguments.of(body(baseline, canary, "\"start\": \"2026-11-25T10:00:00Z\""), "end", "end is missing"),
                Arguments.of(body(baseline, canary, "\"start\": \"yesterday\", \"end\": \"2026-11-25T10:00:00Z\""),
                        "start", "ISO-8601"),
                Arguments.of(body(baseline, canary, "\"lookback\": \"10m\", \"start\": \"2026-11-25T10:00:00Z\", "
                        + "\"end\": \"2026-11-25T10:10:00Z\""), "lookback", "not both"),
                Arguments.of(body(baseline, canary, "\"lookback\": \"ten minutes\""), "lookback", "duration"),
                Arguments.of(body(baseline, canary, "\"lookback\": \"3h\""), "lookback", "max-window"),
                Arguments.of(body(baseline, canary, "\"profileTypes\": [\"cpu\", \"heap\"]"), "profileTypes[1]",
                        "must be one of"),
                // read beside live_objects from JDK recordings (qa72), not a type to judge: refused by name
                Arguments.of(body(baseline, canary, "\"profileTypes\": [\"cpu\", \"old_live_objects\"]"),
                        "profileTypes[1]", "old_live_objects is read from JDK recordings beside live_objects"),
                // values of the wrong JSON kind: the detail named Java types (`java.util.List<java.lang.String>`)
                Arguments.of(body(baseline, canary, "\"profileTypes\": \"cpu\""), "profileTypes",
                        "profileTypes must be a JSON array of strings at line 1, column "),
                Arguments.of(body(baseline, canary, "\"profileTypes\": [{\"id\": \"cpu\"}]"), "profileTypes[0]",
                        "profileTypes[0] must be a JSON string at line 1, column "),
                Arguments.of("{\"application\": [\"shop\"], " + baseline + ", " + canary + "}", "application",
                        "application must be a JSON string at line 1, column "),
                Arguments.of(body(baseline, canary, "\"overrides\": [0.1]"), "overrides",
                        "overrides must be a JSON object at line 1, column "),
                Arguments.of("{\"application\": \"shop\", \"baseline\": \"6d4f8c7b9\", " + canary + "}", "baseline",
                        "baseline must be a JSON object at line 1, column "),
                Arguments.of("{\"application\": \"shop\", \"baseline\": {\"labels\": [\"x\"]}, " + canary + "}",
                        "baseline.labels", "baseline.labels must be a JSON object of strings at line 1, column "),
                Arguments.of(body(baseline, canary, "\"config\": \"nope\""), "config", "known configs: shop, strict"),
                Arguments.of(body(baseline, canary, "\"config\": \"\""), "config",
                        "config is empty: name a config, or leave config out"),
                Arguments.of(body(baseline, canary, "\"overrides\": {\"minRelativChange\": 0.1}"),
                        "overrides.minRelativChange", "unknown key"),
                Arguments.of(body(baseline, canary, "\"overrides\": {\"maxQValue\": \"often\"}"),
                        "overrides.maxQValue", "must be a number"),
                Arguments.of(body(baseline, canary, "\"deadline\": \"5m\""), "deadline", "max-deadline"),
                Arguments.of(body(baseline, canary, "\"deadline\": \"1s\""), "deadline", "leaves no time to fetch"),
                Arguments.of(body(baseline, canary, "\"lookbak\": \"10m\""), "lookbak", "unknown field"));
    }

    private static String body(String baseline, String canary, String more) {
        return "{\"application\": \"shop\", " + baseline + ", " + canary + ", " + more + "}";
    }

    /**
     * A name with a slash that stays inside the local directory is a name like any other (Pyroscope's
     * {@code service_name} values look like {@code team/shop}): judged, here with no pods found.
     */
    @Test
    void anApplicationWithASlashInsideTheDirectoryIsJudged() {
        JsonNode verdict = post(EXAMPLE.replace("\"shop\"", "\"shop/shop-6d4f8c7b9-k2x7p\""));

        assertThat(verdict.get("result").asString()).isEqualTo("INCONCLUSIVE");
        assertThat(verdict.get("analysis").get("application").asString()).isEqualTo("shop/shop-6d4f8c7b9-k2x7p");
    }

    /**
     * Selectors are bounded in count and in characters: 240 labels of 1,000 characters (a 250 KB body) were judged
     * INCONCLUSIVE with a 250 KB summary listing every matcher and a 1 MB verdict stored, and 485 such requests ran a
     * 512 MB service out of heap. Eight such labels are already beyond the characters' bound, 33 short ones beyond
     * the count.
     */
    @Test
    void aSelectorOfEnormousLabelsIsAProblemNamingTheGroup() {
        StringBuilder fat = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            fat.append(i == 0 ? "" : ", ").append("\"l").append(i).append("\": \"").append("x".repeat(1000)).append('"');
        }
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 33; i++) {
            many.append(i == 0 ? "" : ", ").append("\"m").append(i).append("\": \"v\"");
        }
        String[][] cases = {
                {"{\"application\": \"shop\", \"baseline\": {\"labels\": {" + fat + "}},"
                        + " \"canary\": {\"labels\": {\"rollouts_pod_template_hash\": \"7f9b6c5d4\"}}}",
                        "baseline.labels",
                        "baseline.labels hold 8016 characters of names and values; a group's selector holds at most 4096"},
                {"{\"application\": \"shop\", \"baseline\": {\"labels\": {\"rollouts_pod_template_hash\": \"6d4f8c7b9\"}},"
                        + " \"canary\": {\"labels\": {" + many + "}}}",
                        "canary.labels", "canary.labels has 33 labels; a group's selector holds at most 32"}};
        for (String[] bad : cases) {
            EntityExchangeResult<String> result = client.post().uri("/api/v1/analyses")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(bad[0]).exchange()
                    .expectBody(String.class).returnResult();

            assertThat(result.getStatus().value()).as(bad[1]).isEqualTo(400);
            JsonNode problem = JSON.readTree(result.getResponseBody());
            assertThat(problem.get("type").asString()).isEqualTo("urn:canary-judge:problem:invalid-request");
            assertThat(problem.get("field").asString()).isEqualTo(bad[1]);
            assertThat(problem.get("detail").asString()).startsWith(bad[2]);
            assertThat(result.getResponseBody().length()).isLessThan(1000);
        }
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void everyBadRequestIsAProblemNamingTheField(String body, String field, String detail) {
        JsonNode problem = JSON.readTree(client.post().uri("/api/v1/analyses").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody());

        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("type").asString()).startsWith("urn:canary-judge:problem:");
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("field").asString()).isEqualTo(field);
        assertThat(problem.get("detail").asString()).contains(detail).doesNotContain("java.").doesNotContain("`");
    }

    /** It ended with Jackson's settings: "(start marker at [Source: REDACTED (`StreamReadFeature…` disabled); …])". */
    @Test
    void anUnclosedObjectIsNamedWithoutTheParsersSettings() {
        JsonNode problem = JSON.readTree(client.post().uri("/api/v1/analyses").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"application\": \"shop\"").exchange().expectStatus().isBadRequest()
                .expectBody(String.class).returnResult().getResponseBody());

        assertThat(problem.get("detail").asString()).isEqualTo("malformed JSON at line 1, column 23: Unexpected"
                + " end-of-input: expected close marker for Object");
    }

    @Test
    void otherProblemsAreProblemsToo() {
        JsonNode notFound = JSON.readTree(client.get().uri("/api/v1/analyses/{id}", "no-such-id").exchange()
                .expectStatus().isNotFound().expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(notFound.get("type").asString()).isEqualTo("urn:canary-judge:problem:analysis-not-found");
        assertThat(notFound.get("field").asString()).isEqualTo("id");
        client.get().uri("/reports/{id}", "no-such-id").exchange().expectStatus().isNotFound();

        JsonNode mediaType = JSON.readTree(client.post().uri("/api/v1/analyses").contentType(MediaType.TEXT_PLAIN)
                .bodyValue("judge this").exchange().expectStatus().isEqualTo(415)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(mediaType.get("type").asString()).isEqualTo("urn:canary-judge:problem:unsupported-media-type");
        assertThat(mediaType.get("field").asString()).isEqualTo("Content-Type");
        assertThat(mediaType.get("detail").asString()).contains("application/json").contains("multipart/form-data");

        JsonNode method = JSON.readTree(client.delete().uri("/api/v1/analyses").exchange().expectStatus().isEqualTo(405)
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(method.get("type").asString()).isEqualTo("urn:canary-judge:problem:method-not-allowed");
    }

    @Test
    void aBodyLargerThanTheCodecLimitIs413() {
        String padding = "x".repeat(400_000);
        JsonNode problem = JSON.readTree(client.post().uri("/api/v1/analyses").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"application\": \"" + padding + "\"}").exchange()
                .expectStatus().isEqualTo(413)
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(problem.get("type").asString()).isEqualTo("urn:canary-judge:problem:payload-too-large");
        assertThat(problem.get("field").asString()).isEqualTo("body");
    }

    @Test
    void noMatchingPodsIsAnInconclusiveVerdictNotAnError() {
        JsonNode verdict = post("""
                {"application": "shop", "baseline": {"labels": {"rollouts_pod_template_hash": "6d4f8c7b9"}},
                 "canary": {"labels": {"rollouts_pod_template_hash": "0000000"}}}""");
        assertThat(verdict.get("result").asString()).isEqualTo("INCONCLUSIVE");
        assertThat(verdict.get("summary").asString()).contains("no canary profiles")
                .contains("rollouts_pod_template_hash=\"0000000\"");
        assertThat(Instant.parse(verdict.get("analysis").get("completedAt").asString())).isBefore(Instant.now().plusSeconds(1));
    }

    /**
     * A selector that also matches the canary's pods (an empty matcher matches pods without the label, a broad
     * label such as the application's own) put the canary pods in the baseline too: the canary was compared with
     * itself diluted into the baseline and the shipped regression PASSed. Such pods are named and nothing is judged.
     */
    @Test
    void podsSelectedByBothGroupsAreInconclusiveNamingThemNotAPass() {
        JsonNode verdict = post("""
                {"application": "shop", "baseline": {"labels": {"track": ""}},
                 "canary": {"labels": {"rollouts_pod_template_hash": "7f9b6c5d4"}}, "profileTypes": ["cpu"]}""");

        assertThat(verdict.get("result").asString()).as(verdict.get("summary").asString()).isEqualTo("INCONCLUSIVE");
        assertThat(verdict.get("summary").asString()).startsWith("INCONCLUSIVE: ")
                .contains("both the baseline and the canary")
                .contains("shop-7f9b6c5d4-m4q8z").contains("shop-7f9b6c5d4-r9t2w")
                .doesNotContain("shop-6d4f8c7b9-k2x7p");
        assertThat(verdict.get("findings").size()).isZero();
    }
}
