package io.canaryjudge.memory;

import io.canaryjudge.ServiceOnPrometheus;
import io.canaryjudge.metrics.testing.PrometheusProcess;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.JsonNode;

/**
 * What the service tests over scrape-backed recorded pods share ({@link ScrapedPod}: qa40's areas, qa46's native
 * memory): a real Prometheus holding the pods' scrapes and a local profile directory, both set up by the subclass's
 * {@code @DynamicPropertySource} ({@link #serve}, or {@link #register} once {@link #prometheus} is started); analyses as
 * Argo Rollouts asks them ({@code POST /api/v1/analyses} over loopback) of the pods' minutes 1 to 14.
 */
public abstract class ScrapedPodsService extends ServiceOnPrometheus {
    protected static PrometheusProcess prometheus;
    protected static List<ScrapedPod> pods;

    /** The service reads profiles from {@code profiles} and asks {@link #prometheus} (stopped after the class). */
    protected static void register(DynamicPropertyRegistry registry, Path profiles) {
        serve(registry, profiles, () -> prometheus, PrometheusProcess::baseUrl);
    }

    /**
     * Starts a Prometheus holding the scrapes of the pods in {@code folder} (each pod's {@code prometheus.csv.gz}, labelled
     * {@code app}, {@code pod}, {@code replica}, {@code track}, {@code variant}) and copies each pod's files matching
     * {@code glob} into {@code root/profiles/application/pod} for the local directory source; sets {@link #pods}.
     */
    protected static PrometheusProcess backfill(Path folder, Path root, String application, String glob) throws IOException {
        pods = ScrapedPod.in(folder);
        Path scratch = Files.createDirectories(root);
        ScrapedSeries scraped = new ScrapedSeries();
        for (ScrapedPod pod : pods) {
            String labels = "app=\"" + application + "\",pod=\"" + pod.name() + "\",replica=\"" + pod.name()
                    + "\",track=\"" + pod.track() + "\",variant=\"" + pod.variant() + '"';
            scraped.add(folder.resolve(pod.name()).resolve("prometheus.csv.gz"), (metric, own) -> labels);
            Path to = Files.createDirectories(root.resolve("profiles").resolve(application).resolve(pod.name()));
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder.resolve(pod.name()), glob)) {
                for (Path file : files) {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
        }
        Path series = scratch.resolve(folder.getFileName() + ".om");
        scraped.write(series);
        return PrometheusProcess.backfilled(series);
    }

    /**
     * The pods' minutes 1 to 14 (the recordings' whole life; the memory check looks 30 min back from the end), the canary
     * selected by {@code canaryLabel} = {@code value} against the stable baseline pods of {@code application}, judging
     * {@code profileType}; {@code config} a named config or null.
     */
    protected JsonNode analyse(String application, String canaryLabel, String value, String profileType, String config) {
        long firstStart = pods.stream().mapToLong(ScrapedPod::jvmStartMillis).min().orElseThrow();
        Instant start = Instant.ofEpochMilli(firstStart).plus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.MINUTES);
        String body = """
                {"application": "%s",
                 "baseline": {"labels": {"track": "baseline"}},
                 "canary": {"labels": {"track": "canary", "%s": "%s"}},
                 "start": "%s", "end": "%s", "profileTypes": ["%s"]%s}"""
                .formatted(application, canaryLabel, value, start, start.plus(Duration.ofMinutes(13)), profileType,
                        config == null ? "" : ", \"config\": \"" + config + "\"");
        return analyses(body);
    }

    /** The verdict's memory growth findings by function, " (reported)" after those that do not fail. */
    protected static List<String> growth(JsonNode verdict) {
        List<String> functions = new ArrayList<>();
        for (JsonNode finding : verdict.get("findings")) {
            if (finding.get("kind").asString().equals("MEMORY_GROWTH")) {
                functions.add(finding.get("function").asString() + (finding.get("failing").asBoolean() ? "" : " (reported)"));
            }
        }
        return functions;
    }
}
