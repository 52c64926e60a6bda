package io.canaryjudge.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.profile.testing.PyroscopeStandIn;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Fault;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Route;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A judge busy with other rollouts' analyses, over real loopback HTTP: one analysis slot
 * ({@code max-concurrent: 1}), held by an analysis of an application whose Pyroscope answers slowly (the
 * stand-in serving the shipped example's real pprof, delayed). A request queued behind it must not be answered
 * with an INCONCLUSIVE that blames missing data on the source:
 * <ul>
 *   <li>when its slot comes only after its time to fetch is up, nothing is fetched and it is a 429 (Argo: an Error
 *       measurement, asked again 10 s later; not an Inconclusive one, which counts towards
 *       {@code inconclusiveLimit} and pauses the rollout) saying it waited for a slot — for Argo's JSON request and
 *       Flagger's webhook alike, unless the webhook asks for an INCONCLUSIVE to pass;</li>
 *   <li>when it starts with part of its deadline gone and its data have not all arrived when its time to fetch is
 *       up, its INCONCLUSIVE says how long it waited for a slot and how little was left to fetch; when the source
 *       failed before that (here: it answers 503), waiting was not the cause and it says nothing of it.</li>
 * </ul>
 * Pyroscope calls are bounded by each analysis's deadline (a 60 s request timeout), unless a test says otherwise.
 * Correctness only: the margins are seconds (a slot held 2.5 s and more against a request that may fetch until
 * 0.5 s), no timing is asserted.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.warmup=0s", "canary-judge.analysis.max-concurrent=1",
                "canary-judge.analysis.queue=4", "canary-judge.analysis.history-windows=0",
                "canary-judge.resilience.attempts=1", "canary-judge.resilience.window=1000",
                "canary-judge.resilience.minimum-calls=1000", "canary-judge.pyroscope.series-step=60s",
                "canary-judge.pyroscope.timeout=60s"})
class BusyJudgeQueueTest {
    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(10));
    /** Every call for these applications waits this long: they hold the slot until their deadline. */
    static final Duration SLOW = Duration.ofSeconds(20);
    static PyroscopeStandIn pyroscope;

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final JsonMapper json = JsonMapper.builder().build();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        pyroscope = PyroscopeStandIn.start();
        for (String app : List.of("slow", "slower", "shop", "podinfo", "broken")) {
            for (String pod : List.of("shop-6d4f8c7b9-k2x7p", "shop-6d4f8c7b9-w5n3j", "shop-7f9b6c5d4-m4q8z",
                    "shop-7f9b6c5d4-r9t2w")) {
                String hash = pod.split("-")[1];
                pyroscope.addInstance(Map.of("service_name", app, "pod", pod.replace("shop", app),
                                "rollouts_pod_template_hash", hash, "namespace", "test",
                                "app", hash.equals("6d4f8c7b9") ? app + "-primary" : app),
                        ProfileDirectories.EXAMPLE_SHOP.resolve(pod), T0, Duration.ofSeconds(60));
            }
        }
        for (String app : List.of("slow", "slower")) {
            for (Route route : Route.values()) {
                pyroscope.fail(route, Fault.delay(SLOW).onlyFor(Map.of("service_name", app)));
            }
        }
        for (Route route : Route.values()) {
            pyroscope.fail(route, Fault.error(503, "unavailable").onlyFor(Map.of("service_name", "broken")));
        }
        registry.add("canary-judge.pyroscope.url", pyroscope::url);
    }

    /** The other test's calls must not count as this one's holder having its slot. */
    @BeforeEach
    void forgetCalls() {
        pyroscope.clearCalls();
    }

    @AfterAll
    static void stop() {
        pyroscope.close();
    }

    @Test
    void aRequestWhoseSlotComesAfterItsTimeToFetchIsTooManyAnalysesNotMissingData() throws Exception {
        CompletableFuture<HttpResponse<String>> holder = send("/api/v1/analyses", analysis("slow", "6s"));
        awaitCallsFor("slow");
        CompletableFuture<HttpResponse<String>> queued = send("/api/v1/analyses", analysis("shop", "2s"));
        CompletableFuture<HttpResponse<String>> flagger = send("/api/v1/webhooks/flagger", """
                {"name": "podinfo", "namespace": "test", "phase": "Progressing", "checksum": "1",
                 "metadata": {"deadline": "2s"}}""");

        for (HttpResponse<String> answer : List.of(queued.join(), flagger.join())) {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(429);
            assertThat(answer.headers().firstValue("Retry-After")).isPresent();
            JsonNode problem = json.readTree(answer.body());
            assertThat(problem.path("type").asString()).isEqualTo("urn:canary-judge:problem:too-many-analyses");
            assertThat(problem.path("detail").asString())
                    .contains("waited").contains("of its 2 s deadline for one of the 1 analysis slots")
                    .contains("left no time to fetch");
        }
        // Refused before it ran: nothing of theirs was asked of Pyroscope.
        assertThat(pyroscope.calls()).noneMatch(call -> call.selector() != null
                && List.of("shop", "podinfo").contains(call.selector().get("service_name")));
        // The analysis holding the slot still answers its own INCONCLUSIVE (its source is slow), under its own name.
        JsonNode held = json.readTree(holder.join().body());
        assertThat(held.path("result").asString()).isEqualTo("INCONCLUSIVE");
        assertThat(held.path("analysis").path("application").asString()).isEqualTo("slow");
    }

    /**
     * A Flagger webhook that asks for an INCONCLUSIVE to pass ({@code metadata.inconclusive: pass}) gets that for a late
     * slot too: a 429 would be a failed check, counting towards a rollback the webhook chose not to make for a verdict
     * the judge could not reach.
     */
    @Test
    void aFlaggerWebhookWhoseInconclusivePassesRunsLateAndPasses() throws Exception {
        CompletableFuture<HttpResponse<String>> holder = send("/api/v1/analyses", analysis("slow", "4s"));
        awaitCallsFor("slow");
        HttpResponse<String> flagger = send("/api/v1/webhooks/flagger", """
                {"name": "podinfo", "namespace": "test", "phase": "Progressing", "checksum": "2",
                 "metadata": {"deadline": "2s", "inconclusive": "pass"}}""").join();

        assertThat(flagger.statusCode()).as(flagger.body()).isEqualTo(200);
        assertThat(flagger.body()).startsWith("INCONCLUSIVE");
        assertThat(holder.join().statusCode()).isEqualTo(200);
    }

    @Test
    void anInconclusiveOfAnAnalysisThatStartedLateSaysItWaitedForASlot() throws Exception {
        CompletableFuture<HttpResponse<String>> holder = send("/api/v1/analyses", analysis("slow", "4s"));
        awaitCallsFor("slow");
        HttpResponse<String> late = send("/api/v1/analyses", analysis("slower", "10s")).join();

        assertThat(late.statusCode()).as(late.body()).isEqualTo(200);
        JsonNode verdict = json.readTree(late.body());
        assertThat(verdict.path("result").asString()).isEqualTo("INCONCLUSIVE");
        assertThat(verdict.path("analysis").path("application").asString()).isEqualTo("slower");
        assertThat(verdict.path("summary").asString()).startsWith("INCONCLUSIVE: data missing: ")
                .contains("this analysis started").contains("after its request arrived (waiting for one of the 1"
                        + " analysis slots, canary-judge.analysis.max-concurrent")
                .contains("of its 10 s deadline to fetch: the judge is busy");
        assertThat(holder.join().statusCode()).isEqualTo(200);
    }

    @Test
    void anAnalysisThatStartedLateButWhoseSourceFailedDoesNotBlameTheWait() throws Exception {
        CompletableFuture<HttpResponse<String>> holder = send("/api/v1/analyses", analysis("slow", "4s"));
        awaitCallsFor("slow");
        HttpResponse<String> late = send("/api/v1/analyses", analysis("broken", "10s")).join();

        assertThat(late.statusCode()).as(late.body()).isEqualTo(200);
        JsonNode verdict = json.readTree(late.body());
        assertThat(verdict.path("result").asString()).isEqualTo("INCONCLUSIVE");
        assertThat(verdict.path("summary").asString()).startsWith("INCONCLUSIVE: data missing: ").contains("503")
                .doesNotContain("this analysis started");
        assertThat(holder.join().statusCode()).isEqualTo(200);
    }

    private static String analysis(String application, String deadline) {
        return """
                {"application": "%s", "baseline": {"labels": {"rollouts_pod_template_hash": "6d4f8c7b9"}},
                 "canary": {"labels": {"rollouts_pod_template_hash": "7f9b6c5d4"}},
                 "start": "%s", "end": "%s", "profileTypes": ["cpu"], "deadline": "%s"}"""
                .formatted(application, T0, T0.plus(Duration.ofMinutes(5)), deadline);
    }

    private CompletableFuture<HttpResponse<String>> send(String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Until the analysis of {@code application} holds the slot: Pyroscope has been asked for it. */
    private static void awaitCallsFor(String application) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (pyroscope.calls().stream().noneMatch(call -> call.selector() != null
                && application.equals(call.selector().get("service_name")))) {
            assertThat(System.nanoTime()).as("no call for " + application).isLessThan(until);
            Thread.sleep(20);
        }
    }
}
