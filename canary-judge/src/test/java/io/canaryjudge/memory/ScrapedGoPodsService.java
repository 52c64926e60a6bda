package io.canaryjudge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.metrics.testing.PrometheusProcess;
import io.canaryjudge.qa74.GoConnectionVerdicts;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.JsonNode;

/**
 * What the service tests over recorded Go pods (bench/go-pod: qa69's heap, qa74's goroutine leaks, qa77's and qa83's
 * growing connections) share: the service configured for a Go service scraped by client_golang (the
 * {@code client-golang} heap preset; {@code jmx-exporter} as the request exporter, which asks Prometheus for no request
 * metrics the pods do not export), one earlier window as history and no warm-up; the pods' scrapes backfilled into a
 * real Prometheus and their profiles in the local directory source under application {@value #APPLICATION}
 * ({@link #serveGoPods}, from the subclass's {@code @DynamicPropertySource}); a canary pod judged against the
 * baseline pods over a 15-minute window ({@link #analyseGoPod}).
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.warmup=0s", "canary-judge.analysis.deadline=60s",
                "canary-judge.analysis.history-windows=1", "canary-judge.prometheus.application-label=app",
                "canary-judge.prometheus.timeout=20s", "canary-judge.prometheus.exporter=jmx-exporter",
                "canary-judge.prometheus.heap.exporter=client-golang"})
public abstract class ScrapedGoPodsService extends ScrapedPodsService {
    /** The application label every recorded Go pod is backfilled under. */
    protected static final String APPLICATION = "gopod";
    /** The recording the class serves ({@link #serveGoPods}'s name), for the lines {@link #analyseGoPod} prints. */
    private static String recording;

    /**
     * Backfills the scrapes of the pods in {@code folder} (as {@link #backfill}) into a Prometheus the service asks,
     * copies each pod's files matching {@code glob} into a fresh {@code target/NAME-service-UUID/profiles} the service
     * reads, and sets {@link #prometheus} and {@link #pods}.
     *
     * @param name the recording's name (e.g. {@code qa83}), for the scratch folder
     */
    protected static void serveGoPods(DynamicPropertyRegistry registry, Path folder, String name, String glob) {
        recording = name;
        Path root = Path.of("target", name + "-service-" + UUID.randomUUID()).toAbsolutePath();
        serve(registry, root.resolve("profiles"), () -> {
            prometheus = backfill(folder, root, APPLICATION, glob);
            return prometheus;
        }, PrometheusProcess::baseUrl);
    }

    /**
     * The canary pod {@code pod} (label {@code replica}) against the baseline pods (label {@code track=baseline}),
     * judging {@code profileType} over the 15 minutes ending {@code endMinute} minutes after the first pod started
     * (truncated to the minute). Prints the verdict's summary and memory notes on stderr: the figures docs/EVALUATION.md
     * quotes in the recordings' sections.
     */
    protected JsonNode analyseGoPod(String pod, int endMinute, String profileType) {
        long firstStart = pods.stream().mapToLong(ScrapedPod::jvmStartMillis).min().orElseThrow();
        Instant end = Instant.ofEpochMilli(firstStart).plus(Duration.ofMinutes(endMinute)).truncatedTo(ChronoUnit.MINUTES);
        JsonNode verdict = analyses("""
                {"application": "%s", "baseline": {"labels": {"track": "baseline"}},
                 "canary": {"labels": {"track": "canary", "replica": "%s"}},
                 "start": "%s", "end": "%s", "profileTypes": ["%s"]}"""
                .formatted(APPLICATION, pod, end.minus(Duration.ofMinutes(15)), end, profileType));
        System.err.println(recording + " service " + pod + " minutes " + (endMinute - 15) + "-" + endMinute + ": "
                + verdict.path("summary").asString() + " | " + verdict.path("dataQuality").path("memory").path("notes"));
        return verdict;
    }

    /**
     * Unchanged canaries whose connections hold steady ({@code steady}) and grow ({@code rising}): neither FAILs for
     * its goroutines; the rise is reported as open connections and names no application frame. Asserts the goroutine
     * part only, so that what the connections hold on the heap (judged apart) does not break it.
     */
    protected static void assertGoroutinesReadAsConnections(JsonNode steady, JsonNode rising) {
        assertThat(steady.get("result").asString()).as(steady.toString()).isNotEqualTo("FAIL");
        assertThat(growth(steady)).doesNotContain("<goroutines>");

        assertThat(growth(rising)).as(rising.toString()).contains("<goroutines> (reported)")
                .doesNotContain("<goroutines>");
        assertThat(rising.toString()).contains(GoConnectionVerdicts.READ_AS_CONNECTIONS);
        assertThat(rising.get("summary").asString()).as(rising.toString()).doesNotContain("`main.");
    }
}
