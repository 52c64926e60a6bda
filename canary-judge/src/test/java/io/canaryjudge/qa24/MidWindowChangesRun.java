package io.canaryjudge.qa24;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.profile.testing.PyroscopeStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * QA measurement (not CI): pods that restart, scale or go quiet inside the analysis window, judged through the
 * service's Pyroscope path with the service's defaults (10 min window, 60 s slices, 2 min warm-up, 1 history window;
 * only the deadline and Pyroscope timeout are longer, as this machine is shared). Recordings: real {@code ShopPod} JVMs in 10 s pprof slices
 * under {@code -Dqa24.judge=DIR} (see {@code src/test/resources/qa24/README.md}). Prints one line per timeline.
 *
 * <pre>
 * nice mvn -B -q -o -pl canary-judge -am test -Dtest=MidWindowChangesRun -Dqa24.judge=/tmp/qa24-rec \
 *   -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfSystemProperty(named = "qa24.judge", matches = ".+")
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.deadline=60s", "canary-judge.pyroscope.timeout=30s"})
class MidWindowChangesRun {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final Duration SLICE = Duration.ofSeconds(10);
    static final JsonMapper JSON = JsonMapper.builder().build();
    static PyroscopeStandIn pyroscope;
    static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    @LocalServerPort
    int port;

    /** A run of a recording's slices (from index {@code from}, 0-based, {@code count} of them) stamped from T0 + at s. */
    record Part(String recording, int from, int count, int at) {
    }

    static Part part(String recording, int from, int count, int at) {
        return new Part(recording, from, count, at);
    }

    static void pod(String app, String hash, String pod, Part... parts) {
        Path root = Path.of(System.getProperty("qa24.judge"));
        for (Part p : parts) {
            List<Path> files = slices(root.resolve(p.recording()));
            for (int i = 0; i < p.count(); i++) {
                Instant at = T0.plusSeconds(p.at()).plus(SLICE.multipliedBy(i));
                pyroscope.addProfile(Map.of("service_name", app, "pod", pod, "rollouts_pod_template_hash", hash,
                        "jfr_event", "itimer"), at, at.plus(SLICE), files.get(p.from() + i));
            }
        }
    }

    static List<Path> slices(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(f -> f.getFileName().toString().endsWith(".pb.gz"))
                    .sorted((a, b) -> Integer.compare(number(a), number(b))).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static int number(Path f) {
        return Integer.parseInt(f.getFileName().toString().replaceAll("\\D", ""));
    }

    /** Three warm baseline pods over the history window and the window (T0 − 10 min .. T0 + 10 min). */
    static void baseline(String app, boolean... keep) {
        for (int n = 1; n <= 3; n++) {
            if (keep.length == 0 || keep[n - 1]) {
                pod(app, "base", app + "-base-" + n, part("base-" + n, 0, 120, -600));
            }
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        pyroscope = PyroscopeStandIn.start();
        for (String code : List.of("A", "R")) {
            String warm = code.equals("A") ? "can-1" : "canR-1";
            String young = code.equals("A") ? "young-1" : "youngR-1";
            String expect = code.equals("A") ? "not FAIL" : "FAIL applyDiscounts";
            // steady: one warm canary pod, from 1 min before the window
            String app = "steady-" + code;
            baseline(app);
            pod(app, "canary", app + "-canary-1", part(warm, 0, 66, -60));
            EXPECTED.put(app, expect);
            // restart: the canary pod's JVM until T0 + 4 min, 30 s without profiles, a new JVM under the same name
            app = "restart-" + code;
            baseline(app);
            pod(app, "canary", app + "-canary-1", part(warm, 0, 30, -60), part(young, 0, 33, 270));
            EXPECTED.put(app, expect);
            // restart late: the new JVM's first 2 min are the window's last
            app = "restartlate-" + code;
            baseline(app);
            pod(app, "canary", app + "-canary-1", part(warm, 0, 54, -60), part(young, 0, 12, 480));
            EXPECTED.put(app, expect);
            // scale-up: a second canary pod from T0 + 5 min
            app = "scaleup-" + code;
            baseline(app);
            pod(app, "canary", app + "-canary-1", part(warm, 0, 66, -60));
            pod(app, "canary", app + "-canary-2", part(young, 0, 30, 300));
            EXPECTED.put(app, expect);
            // a 3-minute gap in the canary pod's profiles (agent not uploading), same JVM
            app = "gap-" + code;
            baseline(app);
            pod(app, "canary", app + "-canary-1", part(warm, 0, 24, -60), part(warm, 42, 24, 360));
            EXPECTED.put(app, expect);
            // a baseline pod removed at T0 + 5 min (HPA scale-down)
            app = "baseremoved-" + code;
            baseline(app, true, true, false);
            pod(app, "base", app + "-base-3", part("base-3", 0, 90, -600));
            pod(app, "canary", app + "-canary-1", part(warm, 0, 66, -60));
            EXPECTED.put(app, expect);
        }
        // A/A only: a baseline pod added at T0 + 4 min (HPA scale-up), a young JVM
        String app = "baseadded-A";
        baseline(app);
        pod(app, "base", app + "-base-4", part("young-2", 0, 36, 240));
        pod(app, "canary", app + "-canary-1", part("can-1", 0, 66, -60));
        EXPECTED.put(app, "not FAIL");
        app = "baseadded-R";
        baseline(app);
        pod(app, "base", app + "-base-4", part("young-2", 0, 36, 240));
        pod(app, "canary", app + "-canary-1", part("canR-1", 0, 66, -60));
        EXPECTED.put(app, "FAIL applyDiscounts");
        // crash loop: two restarts in the window
        app = "crashloop-A";
        baseline(app);
        pod(app, "canary", app + "-canary-1", part("can-1", 0, 18, -60), part("young-1", 0, 12, 150),
                part("young-2", 0, 30, 300));
        EXPECTED.put(app, "not FAIL, restart said");
        // a baseline pod with a 3-minute gap
        app = "basegap-A";
        baseline(app, true, true, false);
        pod(app, "base", app + "-base-3", part("base-3", 0, 78, -600), part("base-3", 96, 24, 360));
        pod(app, "canary", app + "-canary-1", part("can-1", 0, 66, -60));
        EXPECTED.put(app, "not FAIL");
        registry.add("canary-judge.pyroscope.url", pyroscope::url);
    }

    @AfterAll
    static void stop() {
        if (pyroscope != null) {
            pyroscope.close();
        }
    }

    @Test
    void judgeEveryTimeline() {
        WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(120)).build();
        List<String> lines = new ArrayList<>();
        String only = System.getProperty("qa24.only", "");
        for (Map.Entry<String, String> e : EXPECTED.entrySet()) {
            if (!only.isEmpty() && !e.getKey().matches(only)) {
                continue;
            }
            String body = """
                    {"application": "%s",
                     "baseline": {"labels": {"rollouts_pod_template_hash": "base"}},
                     "canary": {"labels": {"rollouts_pod_template_hash": "canary"}},
                     "start": "%s", "end": "%s"}""".formatted(e.getKey(), T0, T0.plusSeconds(600));
            JsonNode v = JSON.readTree(client.post().uri("/api/v1/analyses").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(body).exchange().expectBody(String.class).returnResult().getResponseBody());
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-14s expect %-22s %-12s %s",
                    e.getKey(), e.getValue(), v.path("result").asString(), v.path("summary").asString()));
            v.path("dataQuality").path("warnings").forEach(w -> line.append("\n      warning: ").append(w.asString(), 0, Math.min(260, w.asString().length())));
            v.path("findings").forEach(f -> line.append("\n      finding: ").append(f.path("profileType").asString())
                    .append(' ').append(f.path("kind").asString()).append(' ').append(f.path("function").asString())
                    .append(' ').append(f.path("relativeChange").asString()).append(" q=")
                    .append(f.path("qValue").asString()));
            lines.add(line.toString());
            System.out.println(line);
        }
        System.out.println("=== qa24 summary\n" + String.join("\n", lines));
    }
}
