package io.canaryjudge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replicas behind one Service: judge services started as separate Spring applications on random ports, keeping
 * verdicts in one real PostgreSQL database, spoken to over real HTTP. A verdict one of them gave is served by the
 * others and after a restart; a database that goes away never costs a caller its verdict or hangs a GET.
 */
class SharedStoreTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String SAVE_FAILED = "(?s).*canary_judge_store_requests_seconds_count\\{operation=\"save\","
            + "outcome=\"failure\"} 1.*";

    static PostgresServer server;

    @BeforeAll
    static void startPostgres() throws IOException {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aVerdictPostedToOneInstanceIsServedByAnotherAndAfterARestart() throws Exception {
        String database = server.createDatabase("replicas");
        String id;
        String stored;
        try (JudgeInstance a = JudgeInstance.start(database); JudgeInstance b = JudgeInstance.start(database)) {
            HttpResponse<String> posted = a.post("/api/v1/analyses", JudgeInstance.EXAMPLE_REQUEST);
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
            JsonNode answer = JSON.readTree(posted.body());
            id = answer.get("id").asString();
            assertThat(answer.get("result").asString()).isEqualTo("FAIL");
            assertThat(answer.get("reportUrl").asString()).isEqualTo(a.baseUrl() + "/reports/" + id);

            HttpResponse<String> fromB = b.get("/api/v1/analyses/" + id);
            assertThat(fromB.statusCode()).as(fromB.body()).isEqualTo(200);
            JsonNode verdict = JSON.readTree(fromB.body());
            assertThat(verdict.get("id").asString()).isEqualTo(id);
            assertThat(verdict.get("summary")).isEqualTo(answer.get("summary"));
            assertThat(verdict.get("reportUrl")).isEqualTo(answer.get("reportUrl"));
            assertThat(verdict.get("findings").get(0)).isEqualTo(answer.get("findings").get(0));
            assertThat(verdict.get("dataQuality")).isEqualTo(answer.get("dataQuality"));
            assertThat(verdict.get("analysis")).isEqualTo(answer.get("analysis"));
            assertThat(verdict.get("hottest").size()).isPositive();

            HttpResponse<String> report = b.get("/reports/" + id);
            assertThat(report.statusCode()).isEqualTo(200);
            assertThat(report.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            assertThat(report.body()).contains("PriceCalculator.applyDiscounts")
                    // the report kept beside the verdict: a flame graph and each pod's values, not "verdict alone"
                    .contains("id=\"flame-graph\"").contains("class=\"strip-figure\"")
                    .doesNotContain("made from the verdict alone");
            stored = fromB.body();
        }

        try (JudgeInstance restarted = JudgeInstance.start(database)) {
            HttpResponse<String> again = restarted.get("/api/v1/analyses/" + id);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.body()).isEqualTo(stored);
            assertThat(restarted.get("/reports/" + id).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anUnknownIdIsANotFoundProblemAndReadinessIncludesTheDatabase() throws Exception {
        try (JudgeInstance judge = JudgeInstance.start(server.createDatabase("unknown"))) {
            for (String path : new String[] {"/api/v1/analyses/no-such-analysis", "/reports/no-such-analysis"}) {
                HttpResponse<String> missing = judge.get(path);
                assertThat(missing.statusCode()).as(path).isEqualTo(404);
                assertThat(missing.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
                JsonNode problem = JSON.readTree(missing.body());
                assertThat(problem.get("type").asString()).isEqualTo("urn:canary-judge:problem:analysis-not-found");
                assertThat(problem.get("field").asString()).isEqualTo("id");
                assertThat(problem.get("detail").asString()).contains("no-such-analysis");
            }

            HttpResponse<String> readiness = judge.get("/actuator/health/readiness");
            assertThat(readiness.statusCode()).isEqualTo(200);
            JsonNode store = JSON.readTree(readiness.body()).get("components").get("verdictStore");
            assertThat(store.get("status").asString()).isEqualTo("UP");
            assertThat(store.get("details").get("store").asString()).isEqualTo("postgres");
            assertThat(store.get("details").get("detail").asString()).startsWith("PostgreSQL 1")
                    .contains("127.0.0.1:" + server.port());
        }
    }

    /**
     * A database that stalls (no refusal: it just stops answering) must not push the answer past the caller's
     * deadline. The save and the lesson each waited the store's timeout, one after the other, after judging: with
     * a 2.5 s deadline and a 1.5 s store timeout the verdict came after some 5 s — beyond Argo's timeout had the
     * deadline been the default 8 s of a 10 s caller. They still finish (or fail, counted) without the caller.
     */
    @Test
    void aStalledDatabaseNeverHoldsTheAnswerPastItsDeadline() throws Exception {
        try (StallingProxy proxy = new StallingProxy(server.port());
             JudgeInstance judge = JudgeInstance.start(server.createDatabase("stalled").replace(
                     ":" + server.port() + "/", ":" + proxy.port() + "/"), "--canary-judge.store.timeout=1500ms")) {
            String request = JudgeInstance.EXAMPLE_REQUEST.replace("\"lookback\": \"10m\"",
                    "\"lookback\": \"10m\", \"deadline\": \"2500ms\"");
            assertThat(judge.post("/api/v1/analyses", request).statusCode()).isEqualTo(200);

            proxy.stall();
            long started = System.nanoTime();
            HttpResponse<String> posted = judge.post("/api/v1/analyses", request);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            proxy.resume();

            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
            assertThat(JSON.readTree(posted.body()).get("result").asString()).isIn("FAIL", "INCONCLUSIVE");
            // the deadline, the 250 ms grace an overrunning judgment gets, and slack for a busy machine
            assertThat(took).isLessThan(Duration.ofMillis(3500));
            // and the answer says its verdict may not be found by its id
            assertThat(JSON.readTree(posted.body()).get("dataQuality").get("warnings").toString())
                    .contains("store: this verdict was still being saved when the answer was due");
        }
    }

    /**
     * PostgreSQL text cannot hold U+0000: an id with one was never stored. It used to reach the query, fail there
     * ("invalid byte sequence for encoding UTF8: 0x00") and answer 503 "try again later", counted as a store failure.
     */
    @Test
    void anIdHoldingANulCharacterIsNotFoundNotAStoreOutage() throws Exception {
        try (JudgeInstance judge = JudgeInstance.start(server.createDatabase("nul_id"))) {
            for (String path : new String[] {"/api/v1/analyses/no-such%00analysis", "/reports/%00"}) {
                HttpResponse<String> missing = judge.get(path);
                assertThat(missing.statusCode()).as(path + ": " + missing.body()).isEqualTo(404);
                JsonNode problem = JSON.readTree(missing.body());
                assertThat(problem.get("type").asString()).isEqualTo("urn:canary-judge:problem:analysis-not-found");
                assertThat(problem.get("field").asString()).isEqualTo("id");
            }
            assertThat(judge.get("/actuator/prometheus").body())
                    .doesNotContain("canary_judge_store_requests_seconds_count{operation=\"find\",outcome=\"failure\"}");
        }
    }

    /**
     * An upgrade: rows 98bdae9 stored (its gzipped verdict and report, as kept in the table) are served whole by this
     * version; rows whose documents were damaged by hand answer a problem naming the analysis and what is wrong —
     * not the generic internal error with a Java exception's name and a stack trace in the log — and a damaged report
     * keeps no caller from its verdict.
     */
    @Test
    void rowsAnOlderVersionStoredAreServedAndDamagedOnesAnswerAClearProblem() throws Exception {
        String id = "089fc8dd-8274-4d81-8baf-841b7c51134e";
        byte[] verdict = resource("/store/upgrade/verdict-98bdae9.json.gz");
        byte[] report = resource("/store/upgrade/report-98bdae9.json.gz");
        String url = server.createDatabase("upgrade");
        try (JudgeInstance judge = JudgeInstance.start(url)) {
            insert(url, Map.of(id, verdict, "truncated", Arrays.copyOf(verdict, 200),
                    "no-result", CompressedText.compress("{\"id\": \"no-result\", \"pass\": false}"),
                    "plain", "{\"result\": \"PASS\"}".getBytes(StandardCharsets.UTF_8)), report);

            HttpResponse<String> old = judge.get("/api/v1/analyses/" + id);
            assertThat(old.statusCode()).as(old.body()).isEqualTo(200);
            JsonNode stored = JSON.readTree(new String(new GZIPInputStream(new java.io.ByteArrayInputStream(verdict))
                    .readAllBytes(), StandardCharsets.UTF_8));
            JsonNode served = JSON.readTree(old.body());
            assertThat(stored.get("result").asString()).isEqualTo("FAIL");
            stored.properties().forEach(field -> assertThat(served.get(field.getKey())).as(field.getKey())
                    .isEqualTo(field.getValue()));
            HttpResponse<String> page = judge.get("/reports/" + id);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("PriceCalculator.applyDiscounts");

            Map<String, String> problems = Map.of("truncated", "stored analysis truncated cannot be read: verdict: not"
                    + " readable gzip (", "no-result", "stored analysis no-result cannot be read: verdict.result: expected"
                    + " PASS, FAIL or INCONCLUSIVE", "plain", "stored analysis plain cannot be read: verdict: not readable"
                    + " gzip (Not in GZIP format)");
            for (Map.Entry<String, String> damaged : problems.entrySet()) {
                for (String path : new String[] {"/api/v1/analyses/", "/reports/"}) {
                    HttpResponse<String> answer = judge.get(path + damaged.getKey());
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(500);
                    JsonNode problem = JSON.readTree(answer.body());
                    assertThat(problem.get("type").asString())
                            .isEqualTo("urn:canary-judge:problem:stored-analysis-unreadable");
                    assertThat(problem.get("field").asString()).isEqualTo("id");
                    assertThat(problem.get("detail").asString()).startsWith(damaged.getValue())
                            .doesNotContain("java.", "Exception");
                }
            }

            // A report that cannot be read back keeps no caller from its verdict; only the report page says so.
            insert(url, Map.of("damaged-report", verdict), Arrays.copyOf(report, 200));
            HttpResponse<String> verdictOnly = judge.get("/api/v1/analyses/damaged-report");
            assertThat(verdictOnly.statusCode()).as(verdictOnly.body()).isEqualTo(200);
            assertThat(JSON.readTree(verdictOnly.body()).get("result").asString()).isEqualTo("FAIL");
            HttpResponse<String> damagedPage = judge.get("/reports/damaged-report");
            assertThat(damagedPage.statusCode()).as(damagedPage.body()).isEqualTo(500);
            assertThat(JSON.readTree(damagedPage.body()).get("detail").asString())
                    .startsWith("stored analysis damaged-report cannot be read: report: not readable gzip (");
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = SharedStoreTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    /** Rows as a store of any version keeps them: each id's gzipped verdict (as given), all with one report. */
    private static void insert(String url, Map<String, byte[]> verdicts, byte[] report) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO analyses (id, completed_at, application, result, source, selectors, profile_types,
                                           verdict, report)
                     VALUES (?, now(), 'shop', 'FAIL', 'local', '{"baseline": {"labels": {}}, "canary": {"labels": {}}}',
                             ARRAY['cpu', 'alloc_bytes'], ?, ?)""")) {
            for (Map.Entry<String, byte[]> row : verdicts.entrySet()) {
                insert.setString(1, row.getKey());
                insert.setBytes(2, row.getValue());
                insert.setBytes(3, report);
                insert.executeUpdate();
            }
        }
    }

    @Test
    void aDatabaseThatGoesAwayMidRunGivesTheCallerItsVerdictAndGetSaysSoPromptly() throws Exception {
        try (PostgresServer own = PostgresServer.start();
             JudgeInstance judge = JudgeInstance.start(own.createDatabase("outage"))) {
            String kept = JSON.readTree(judge.post("/api/v1/analyses", JudgeInstance.EXAMPLE_REQUEST).body())
                    .get("id").asString();

            own.stopNow();

            HttpResponse<String> posted = judge.post("/api/v1/analyses", JudgeInstance.EXAMPLE_REQUEST);
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
            JsonNode verdict = JSON.readTree(posted.body());
            assertThat(verdict.get("result").asString()).isEqualTo("FAIL");
            String lost = verdict.get("id").asString();
            // Its link will not work, and the answer says so (a refused connection fails the save at once; one
            // that hangs is still saving when the answer is due).
            assertThat(verdict.get("dataQuality").get("warnings").toString())
                    .containsPattern("store: this verdict was (not stored|still being saved)")
                    .contains("GET /api/v1/analyses/" + lost);

            long started = System.nanoTime();
            for (String id : new String[] {kept, lost}) {
                HttpResponse<String> unavailable = judge.get("/api/v1/analyses/" + id);
                assertThat(unavailable.statusCode()).as(unavailable.body()).isEqualTo(503);
                JsonNode problem = JSON.readTree(unavailable.body());
                assertThat(problem.get("type").asString()).isEqualTo("urn:canary-judge:problem:store-unavailable");
                assertThat(problem.get("detail").asString()).startsWith("the verdict store (PostgreSQL at "
                        + own.jdbcUrl("outage") + ")");
            }
            assertThat(judge.get("/reports/" + kept).statusCode()).isEqualTo(503);
            HttpResponse<String> readiness = judge.get("/actuator/health/readiness");
            assertThat(readiness.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(readiness.body()).get("components").get("verdictStore").get("status").asString())
                    .isEqualTo("DOWN");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
            // The failed save is counted once it has failed (the caller did not wait for that).
            String metrics = "";
            for (int attempt = 0; attempt < 60 && !metrics.matches(SAVE_FAILED); attempt++) {
                Thread.sleep(500);
                metrics = judge.get("/actuator/prometheus").body();
            }
            assertThat(metrics).matches(SAVE_FAILED);

            own.resume();
            HttpResponse<String> back = null;
            for (int attempt = 0; attempt < 40 && (back == null || back.statusCode() != 200); attempt++) {
                Thread.sleep(500);
                back = judge.get("/api/v1/analyses/" + kept);
            }
            assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
            HttpResponse<String> gone = judge.get("/api/v1/analyses/" + lost);
            assertThat(gone.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void retentionRunsOnItsOwnAndKeepsTheNewest() throws Exception {
        try (JudgeInstance judge = JudgeInstance.start(server.createDatabase("retention"),
                "--canary-judge.store.retention.max-rows=1", "--canary-judge.store.retention.interval=1s")) {
            String first = JSON.readTree(judge.post("/api/v1/analyses", JudgeInstance.EXAMPLE_REQUEST).body())
                    .get("id").asString();
            String second = JSON.readTree(judge.post("/api/v1/analyses", JudgeInstance.EXAMPLE_REQUEST).body())
                    .get("id").asString();

            int status = 200;
            for (int attempt = 0; attempt < 60 && status == 200; attempt++) {
                Thread.sleep(500);
                status = judge.get("/api/v1/analyses/" + first).statusCode();
            }
            assertThat(status).isEqualTo(404);
            assertThat(judge.get("/api/v1/analyses/" + second).statusCode()).isEqualTo(200);
        }
    }
}
