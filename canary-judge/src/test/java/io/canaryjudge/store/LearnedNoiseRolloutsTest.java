package io.canaryjudge.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.noise.LearnedNoiseJson;
import io.canaryjudge.noise.NoiseLessons;
import io.canaryjudge.profile.testing.PyroscopeStandIn;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A platform team's first rollouts of one application with the service as it runs in a cluster: Pyroscope (the
 * stand-in, serving the recorded shop's real pprof slices by labels and time, a slice a minute), the PostgreSQL
 * verdict store, the judge spoken to over HTTP on loopback as Argo Rollouts does. Each rollout's stable pods are
 * one recorded session's three baseline JVMs under their own pod names.
 */
class LearnedNoiseRolloutsTest {
    static final Path SCENARIOS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/scenarios");
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final Duration WINDOW = Duration.ofMinutes(5);

    static PostgresServer postgres;
    static PyroscopeStandIn pyroscope;

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresServer.start();
        pyroscope = PyroscopeStandIn.start();
    }

    @AfterAll
    static void stop() {
        if (pyroscope != null) {
            pyroscope.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    /** Three pods {@code shop-HASH-pN} of {@code folder} in {@code namespace}, slices a minute apart from {@code at}. */
    static void pods(String namespace, String hash, String folder, Instant at) {
        for (int n = 1; n <= 3; n++) {
            pyroscope.addInstance(Map.of("service_name", "shop", "namespace", namespace, "pod", "shop-" + hash + "-p" + n,
                    "rollouts_pod_template_hash", hash), SCENARIOS.resolve(folder).resolve("pod-" + n), at,
                    Duration.ofSeconds(60));
        }
    }

    static String request(String namespace, String stable, String canary, Instant at) {
        return """
                {"application": "shop", "namespace": "%s",
                 "baseline": {"labels": {"rollouts_pod_template_hash": "%s"}},
                 "canary": {"labels": {"rollouts_pod_template_hash": "%s"}},
                 "start": "%s", "end": "%s"}""".formatted(namespace, stable, canary, at, at.plus(WINDOW));
    }

    /**
     * A judge on {@code database}. The store may take 30 s (not the default 1 s): these tests are about what earlier
     * analyses teach the next ones, and on a loaded build machine a lesson's save took over a second and was dropped
     * (as it should be in a cluster; that case has its own tests), so the next analysis had nothing to learn from.
     */
    static JudgeInstance judge(String database) {
        return JudgeInstance.start(database, "--canary-judge.pyroscope.url=" + pyroscope.url(),
                "--canary-judge.analysis.warmup=0s", "--canary-judge.store.timeout=30s");
    }

    static JsonNode analyse(JudgeInstance judge, String body) throws Exception {
        HttpResponse<String> answer = judge.post("/api/v1/analyses", body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return SharedStoreTest.JSON.readTree(answer.body());
    }

    static String cpuNoiseSource(JsonNode verdict) {
        for (JsonNode type : verdict.path("dataQuality").path("types")) {
            if (type.path("profileType").asString().equals("cpu")) {
                return type.path("noiseSource").asString();
            }
        }
        throw new AssertionError("no cpu type in " + verdict);
    }

    static NoiseLessons lessons(String database, String service) throws Exception {
        try (Connection connection = DriverManager.getConnection(database, PostgresServer.USER, PostgresServer.PASSWORD);
             PreparedStatement select = connection.prepareStatement("SELECT lessons FROM learned_noise WHERE service = ?")) {
            select.setString(1, service);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? LearnedNoiseJson.read(CompressedText.decompress(row.getBytes(1), service))
                        : NoiseLessons.empty();
            }
        }
    }

    /**
     * A/A rollouts teach; after a restart the regression of {@code cpu-regression-30} (+30 % of
     * {@code PriceCalculator.applyDiscounts}), INCONCLUSIVE on a first analysis, FAILs with those lessons
     * (docs/EVALUATION.md); another namespace's analysis of the same pods learns nothing from them; a canary pod
     * never teaches. Each later verdict says, in its JSON and on its report page, that its noise was also learned
     * from earlier verdicts.
     */
    @Test
    void rolloutsTeachLaterRolloutsAndEachVerdictSaysSo() throws Exception {
        String database = postgres.createDatabase("rollouts");
        Instant[] at = {T0, T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofHours(3))};
        pods("prod", "s1", "baselines/session-1", at[0]);
        pods("prod", "s3", "baselines/session-3", at[0]);
        pods("prod", "s3", "baselines/session-3", at[1]);
        pods("prod", "s4", "baselines/session-4", at[1]);
        pods("prod", "s4", "baselines/session-4", at[2]);
        pods("prod", "s5", "baselines/session-5", at[2]);
        for (String namespace : List.of("prod", "staging")) {
            pods(namespace, "s2", "baselines/session-2", at[3]);
            pods(namespace, "r30", "cpu-regression-30/canary", at[3]);
        }
        try (JudgeInstance judge = judge(database)) {
            JsonNode first = analyse(judge, request("staging", "s2", "r30", at[3]));
            assertThat(first.path("result").asString()).as(first.path("summary").asString()).isEqualTo("INCONCLUSIVE");
            assertThat(first.path("summary").asString()).contains("PriceCalculator.applyDiscounts")
                    .contains("noise learned from earlier analyses of this application would decide");

            assertThat(analyse(judge, request("prod", "s1", "s3", at[0])).path("result").asString()).isNotEqualTo("FAIL");
            JsonNode second = analyse(judge, request("prod", "s3", "s4", at[1]));
            assertThat(second.path("result").asString()).isNotEqualTo("FAIL");
            assertThat(cpuNoiseSource(second)).startsWith("within-group pods: the spread of 3 baseline and 3 canary pod(s)")
                    .contains("also learned from the baselines of 1 earlier verdict(s)");
            String page = judge.get("/reports/" + second.path("id").asString()).body();
            assertThat(page).contains("also learned from the baselines of 1 earlier verdict(s)");
            analyse(judge, request("prod", "s4", "s5", at[2]));
        }
        try (JudgeInstance restarted = judge(database)) {
            JsonNode regression = analyse(restarted, request("prod", "s2", "r30", at[3]));
            assertThat(regression.path("result").asString()).as(regression.path("summary").asString()).isEqualTo("FAIL");
            assertThat(regression.path("summary").asString()).contains("PriceCalculator.applyDiscounts");
            assertThat(cpuNoiseSource(regression)).contains("also learned from the baselines of 3 earlier verdict(s)");

            JsonNode staging = analyse(restarted, request("staging", "s2", "r30", at[3]));
            assertThat(staging.path("result").asString()).isEqualTo("INCONCLUSIVE");
            assertThat(cpuNoiseSource(staging)).doesNotContain("earlier verdict");
        }
        Set<String> teachers = new HashSet<>();
        for (NoiseLessons.Lesson lesson : lessons(database, "prod/shop").lessons()) {
            teachers.addAll(lesson.jvms());
        }
        assertThat(teachers).containsExactlyInAnyOrder("shop-s1-p1", "shop-s1-p2", "shop-s1-p3", "shop-s3-p1",
                "shop-s3-p2", "shop-s3-p3", "shop-s4-p1", "shop-s4-p2", "shop-s4-p3", "shop-s2-p1", "shop-s2-p2",
                "shop-s2-p3");
        assertThat(lessons(database, "staging/shop").lessons()).hasSize(1);
    }

    /**
     * Pyroscope serves the analysed window but refuses the earlier one (history-windows, 1 by default: older data on a
     * failing path of the source): each analysis is judged with a {@code history (noise only)} warning, as documented,
     * and the refused history calls do not open Pyroscope's circuit — which made the next analyses (of every
     * application) INCONCLUSIVE for want of their baseline and canary data.
     */
    @Test
    void anEarlierWindowPyroscopeRefusesCostsAWarningAndNeverTheNextAnalysesData() throws Exception {
        String database = postgres.createDatabase("history");
        Instant at = T0.plus(Duration.ofHours(20));
        pods("history", "s3", "baselines/session-3", at.minus(WINDOW));
        pods("history", "s3", "baselines/session-3", at);
        pods("history", "s4", "baselines/session-4", at);
        try (JudgeInstance judge = judge(database)) {
            JsonNode served = analyse(judge, request("history", "s3", "s4", at));
            assertThat(cpuNoiseSource(served)).startsWith("history: 3 earlier window(s) of 3 instance(s)");
            // what the analyses below learn from besides their refused history
            assertThat(lessons(database, "history/shop").lessons()).hasSize(1);

            pyroscope.fail(PyroscopeStandIn.Route.SELECT_MERGE_PROFILE, PyroscopeStandIn.Fault.error(503, "unavailable")
                    .onlyFor(Map.of("namespace", "history")).endingBy(at));
            for (int i = 0; i < 3; i++) {
                JsonNode verdict = analyse(judge, request("history", "s3", "s4", at));
                assertThat(verdict.path("result").asString()).as(verdict.path("summary").asString()).isEqualTo("PASS");
                assertThat(verdict.path("dataQuality").path("warnings").toString())
                        .contains("history (noise only): cpu profiles of the history window 1 pods: 3 of 3 pods")
                        .doesNotContain("missing: ");
            }
            assertThat(judge.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        } finally {
            pyroscope.clearFaults();
        }
    }

    /**
     * A lessons row damaged by hand or on disk costs the lessons, never the answer, and says how to start anew:
     * every analysis of the application reads it and would add its lesson to it, so without the remedy each verdict
     * warned, and nothing was learned, for ever. Deleting the row as the warning says starts learning again.
     */
    @Test
    void aDamagedLessonsRowSaysHowToStartAnewAndDeletingItDoes() throws Exception {
        String database = postgres.createDatabase("damaged");
        Instant at = T0.plus(Duration.ofHours(10));
        Instant next = at.plus(Duration.ofHours(1));
        pods("damaged", "s1", "baselines/session-1", at);
        pods("damaged", "s3", "baselines/session-3", at);
        pods("damaged", "s3", "baselines/session-3", next);
        pods("damaged", "s4", "baselines/session-4", next);
        try (JudgeInstance judge = judge(database)) {
            analyse(judge, request("damaged", "s1", "s3", at));
            assertThat(lessons(database, "damaged/shop").lessons()).hasSize(1);
            try (Connection connection = DriverManager.getConnection(database, PostgresServer.USER, PostgresServer.PASSWORD);
                 PreparedStatement damage = connection.prepareStatement(
                         "UPDATE learned_noise SET lessons = decode('1f8b0000', 'hex') WHERE service = 'damaged/shop'")) {
                assertThat(damage.executeUpdate()).isEqualTo(1);
            }

            String remedy = "DELETE FROM learned_noise WHERE service = 'damaged/shop'";
            for (int i = 0; i < 2; i++) {
                JsonNode verdict = analyse(judge, request("damaged", "s3", "s4", next));
                assertThat(verdict.path("result").asString()).isEqualTo("PASS");
                assertThat(cpuNoiseSource(verdict)).doesNotContain("earlier verdict");
                assertThat(verdict.path("dataQuality").path("warnings").toString())
                        .contains("learned noise: not read (learned noise of damaged/shop: not readable gzip")
                        .contains(remedy);
            }

            try (Connection connection = DriverManager.getConnection(database, PostgresServer.USER, PostgresServer.PASSWORD);
                 PreparedStatement delete = connection.prepareStatement(remedy)) {
                assertThat(delete.executeUpdate()).isEqualTo(1);
            }
            JsonNode anew = analyse(judge, request("damaged", "s3", "s4", next));
            assertThat(anew.path("dataQuality").path("warnings").toString()).doesNotContain("learned noise");
            assertThat(lessons(database, "damaged/shop").lessons()).hasSize(1);
        }
    }
}
