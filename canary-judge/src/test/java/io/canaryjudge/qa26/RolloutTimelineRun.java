package io.canaryjudge.qa26;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.profile.testing.PyroscopeStandIn;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import java.time.Clock;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A measurement, not a CI test: one recorded timeline of real shop JVMs ({@code ShopPod}, 10 s slices side by side,
 * {@code -Dqa26.timeline=DIR} holding pod folders {@code aa-1..aa-4} of the baseline's code and {@code reg-1,reg-2}
 * with {@code applyDiscounts} doubled) served by the Pyroscope stand-in by time range, judged by the service (defaults,
 * real HTTP on port 18611) as Argo Rollouts (3 analyses 5 min apart, lookback 10 min) and Flagger (10 analyses 1 min
 * apart, lookback 5 min) would ask. Each pod draw ("split") is a label of its own on the same stored profiles. Writes
 * one JSON line per analysis to {@code DIR/verdicts-<learn>.jsonl}. {@code -Dqa26.learn=true|false} sets
 * {@code learn-noise}. Summarised by {@code bench/qa26-rollouts.py}.
 */
@EnabledIfSystemProperty(named = "qa26.timeline", matches = ".+")
@SpringBootTest(classes = {CanaryJudgeApplication.class, RolloutTimelineRun.Clocks.class},
        webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
        properties = {"server.port=18611", "canary-judge.analysis.namespace-label=",
                "canary-judge.flagger.baseline-labels.s7=base", "canary-judge.flagger.canary-labels.s7=canary"})
class RolloutTimelineRun {
    static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
    static final Duration SLICE = Duration.ofSeconds(10);
    static final Path DIR = Path.of(System.getProperty("qa26.timeline", "."));
    static final boolean LEARN = Boolean.parseBoolean(System.getProperty("qa26.learn", "false"));
    static final JsonMapper JSON = JsonMapper.builder().build();
    static PyroscopeStandIn pyroscope;

    /** A pod draw: baseline pods and canary pods, and whether the canary carries the regression. */
    record Split(String name, List<String> baseline, List<String> canary) {
        boolean regression() {
            return canary.stream().anyMatch(p -> p.startsWith("reg"));
        }
    }

    static final List<Split> SPLITS = splits();

    static List<Split> splits() {
        List<Split> splits = new ArrayList<>();
        String[][] aa = {{"aa-1", "aa-2", "aa-3", "aa-4"}, {"aa-1", "aa-3", "aa-2", "aa-4"},
                {"aa-1", "aa-4", "aa-2", "aa-3"}, {"aa-3", "aa-4", "aa-1", "aa-2"}, {"aa-2", "aa-4", "aa-1", "aa-3"},
                {"aa-2", "aa-3", "aa-1", "aa-4"}};
        for (String[] s : aa) {
            splits.add(new Split("s" + (splits.size() + 1), List.of(s[0], s[1]), List.of(s[2], s[3])));
        }
        List<String> all = List.of("aa-1", "aa-2", "aa-3", "aa-4");
        for (String canary : all) {
            List<String> base = all.stream().filter(p -> !p.equals(canary)).toList();
            splits.add(new Split("s" + (splits.size() + 1), base, List.of(canary)));
        }
        splits.add(new Split("s" + (splits.size() + 1), List.of("aa-1", "aa-2"), List.of("reg-1", "reg-2")));
        splits.add(new Split("s" + (splits.size() + 1), List.of("aa-3", "aa-4"), List.of("reg-1", "reg-2")));
        splits.add(new Split("s" + (splits.size() + 1), List.of("aa-1", "aa-2", "aa-3"), List.of("reg-1")));
        splits.add(new Split("s" + (splits.size() + 1), List.of("aa-2", "aa-3", "aa-4"), List.of("reg-2")));
        return splits;
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        pyroscope = PyroscopeStandIn.start();
        for (String pod : List.of("aa-1", "aa-2", "aa-3", "aa-4", "reg-1", "reg-2")) {
            Map<String, String> labels = new LinkedHashMap<>(Map.of("service_name", "shop", "pod", pod,
                    "jfr_event", "itimer"));
            for (Split split : SPLITS) {
                if (split.baseline().contains(pod)) {
                    labels.put(split.name(), "base");
                } else if (split.canary().contains(pod)) {
                    labels.put(split.name(), "canary");
                }
            }
            int n = pyroscope.addInstance(labels, DIR.resolve(pod), T0, SLICE);
            System.err.println("qa26: " + pod + " " + n + " slices " + labels);
        }
        registry.add("canary-judge.pyroscope.url", pyroscope::url);
        registry.add("canary-judge.analysis.learn-noise", () -> String.valueOf(LEARN));
    }

    /** The service's clock, set by the Flagger webhook calls (Flagger's window ends "now"). */
    @TestConfiguration(proxyBeanMethods = false)
    static class Clocks {
        @Bean
        @Primary
        Clock settableClock() {
            return new MovingClock();
        }
    }


    static void setNow(Instant now) {
        MovingClock.set(now);
    }

    @AfterAll
    static void stop() {
        if (pyroscope != null) {
            pyroscope.close();
        }
    }

    @Test
    void rollouts() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String only = System.getProperty("qa26.mode", "argo,flagger");
        try (Writer out = Files.newBufferedWriter(DIR.resolve("verdicts-" + LEARN + ".jsonl"), StandardCharsets.UTF_8)) {
            List<String> chosen = List.of(System.getProperty("qa26.splits", "").split(","));
            for (Split split : SPLITS) {
                if (!chosen.get(0).isEmpty() && !chosen.contains(split.name())) {
                    continue;
                }
                if (only.contains("argo")) {
                    // Argo: count 3, interval 5m, lookback 10m; first measurement at offsets 10, 12.5, 15, 17.5 min.
                    for (double first : new double[] {10, 12.5, 15, 17.5}) {
                        for (int k = 0; k < 3; k++) {
                            judge(http, out, "argo", split, first, k, first + 5 * k, 10);
                        }
                    }
                }
                if (only.contains("flagger")) {
                    // Flagger: interval 1m, lookback 5m, 10 iterations; first at 1.5 min (the canary pods' first
                    // profile is at T0: Flagger's first rollout webhook comes an interval after the first weight),
                    // then later stretches of the same pods.
                    for (double first : new double[] {1.5, 9, 17.5}) {
                        for (int k = 0; k < 10; k++) {
                            judge(http, out, "flagger", split, first, k, first + k, 5);
                        }
                    }
                }
                if (only.contains("webhook") && split.name().equals("s7")) {
                    for (double first : new double[] {1.5, 9}) {
                        for (int k = 0; k < 10; k++) {
                            webhook(http, out, split, first, k, first + k);
                        }
                    }
                }
            }
        }
    }

    private static void judge(HttpClient http, Writer out, String caller, Split split, double first, int k,
                              double endMinute, double lookbackMinutes) throws IOException, InterruptedException {
        Instant end = T0.plusMillis(Math.round(endMinute * 60_000));
        Instant start = end.minusMillis(Math.round(lookbackMinutes * 60_000));
        String body = """
                {"application": "shop", "namespace": "%1$s", "baseline": {"labels": {"%1$s": "base"}}, "canary": {"labels": {"%1$s": "canary"}},
                 "start": "%2$s", "end": "%3$s", "deadline": "55s"}""".formatted(split.name(), start, end);
        long t = System.nanoTime();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:18611/api/v1/analyses"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(70))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        long millis = (System.nanoTime() - t) / 1_000_000;
        JsonNode verdict = JSON.readTree(response.body());
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("caller", caller);
        line.put("split", split.name());
        line.put("baseline", split.baseline());
        line.put("canary", split.canary());
        line.put("regression", split.regression());
        line.put("first", first);
        line.put("k", k);
        line.put("end", endMinute);
        line.put("millis", millis);
        line.put("status", response.statusCode());
        line.put("verdict", verdict);
        out.write(JSON.writeValueAsString(line) + "\n");
        out.flush();
        System.err.printf(Locale.ROOT, "qa26 %s %s first=%.1f k=%d -> %s (%d ms) %s%n", caller, split.name(), first, k,
                verdict.path("result").asString(), millis, abbreviate(verdict.path("summary").asString()));
    }

    /** Flagger's own call: the window is the service clock's last 5 min. */
    private static void webhook(HttpClient http, Writer out, Split split, double first, int k, double endMinute)
            throws IOException, InterruptedException {
        setNow(T0.plusMillis(Math.round(endMinute * 60_000)));
        String body = """
                {"name": "shop", "namespace": "%s", "phase": "Progressing", "checksum": "x",
                 "metadata": {"application": "shop", "lookback": "5m", "deadline": "55s"}}""".formatted(split.name());
        long t = System.nanoTime();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:18611/api/v1/webhooks/flagger"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(70))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        long millis = (System.nanoTime() - t) / 1_000_000;
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("caller", "webhook");
        line.put("split", split.name());
        line.put("first", first);
        line.put("k", k);
        line.put("end", endMinute);
        line.put("millis", millis);
        line.put("status", response.statusCode());
        line.put("body", response.body());
        out.write(JSON.writeValueAsString(line) + "\n");
        out.flush();
        System.err.printf(Locale.ROOT, "qa26 webhook %s first=%.1f k=%d -> %d (%d ms) %s%n", split.name(), first, k,
                response.statusCode(), millis, abbreviate(response.body()));
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
