package io.canaryjudge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.SharedFixtures;
import io.canaryjudge.profile.testing.PyroscopeStandIn;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A bounded loopback load test: {@value #ANALYSES} analyses sent at once to the service, which fetches from the
 * Pyroscope stand-in (the shipped example's real pprof: 2 + 2 pods, 5 one-minute slices each, CPU and
 * allocation). Prints each answer's status and result, p50/p99 latency and the JVM's peak heap (the service runs
 * in this JVM). Defaults but a 60 s deadline, a queue of 64 (all 50 are admitted; 4 run at once) and a 10 s
 * Pyroscope request timeout (the stand-in shares the machine). Not a unit test (timings are no assertion's business); the one assertion is zero errors: every
 * answer is 200 with a verdict. Run:
 * <pre>
 * mvn -B -pl canary-judge -am -Dtest=ServiceLoadBenchmark -Dsurefire.failIfNoSpecifiedTests=false test
 * </pre>
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.queue=64", "canary-judge.analysis.warmup=0s",
                "canary-judge.analysis.deadline=60s", "canary-judge.pyroscope.timeout=10s"})
class ServiceLoadBenchmark {
    static final int ANALYSES = 50;
    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(30));
    /**
     * Earlier windows of the baseline pods each analysis fetches ({@code -Dbench.historyWindows}, default 0): the
     * stand-in serves the baseline pods' profiles again in each earlier window, so every history query has data.
     */
    static final int HISTORY_WINDOWS = Integer.getInteger("bench.historyWindows", 0);
    /** The analysis window (and so each history window's length). */
    static final Duration WINDOW = Duration.ofMinutes(10);
    static final String BASELINE_HASH = "6d4f8c7b9";
    static PyroscopeStandIn pyroscope;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        pyroscope = PyroscopeStandIn.start();
        Path shop = SharedFixtures.projectRoot().resolve("examples/profiles/shop");
        try (var pods = Files.list(shop)) {
            for (Path pod : pods.filter(Files::isDirectory).toList()) {
                String name = pod.getFileName().toString();
                Map<String, String> labels = Map.of("service_name", "shop", "pod", name,
                        "rollouts_pod_template_hash", name.split("-")[1]);
                pyroscope.addInstance(labels, pod, T0, Duration.ofSeconds(60));
                for (int k = 1; k <= HISTORY_WINDOWS && name.split("-")[1].equals(BASELINE_HASH); k++) {
                    pyroscope.addInstance(labels, pod, T0.minus(WINDOW.multipliedBy(k)), Duration.ofSeconds(60));
                }
            }
        }
        registry.add("canary-judge.pyroscope.url", pyroscope::url);
        registry.add("canary-judge.analysis.history-windows", () -> HISTORY_WINDOWS);
    }

    @AfterAll
    static void stop() {
        pyroscope.close();
    }

    @Test
    void fiftyConcurrentAnalysesAllAnswer() throws Exception {
        String body = """
                {"application": "shop", "baseline": {"labels": {"rollouts_pod_template_hash": "6d4f8c7b9"}},
                 "canary": {"labels": {"rollouts_pod_template_hash": "7f9b6c5d4"}},
                 "start": "%s", "end": "%s"}""".formatted(T0, T0.plus(WINDOW));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/analyses"))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        // One analysis first: the JIT and the connection pool warm up outside the measurement.
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> first = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(first.statusCode()).isEqualTo(200);
            System.out.println("warm-up analysis: " + first.body().replaceAll("(?s).*?\"summary\":\"([^\"]{0,120}).*", "$1"));
        }
        System.gc();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);

        long started = System.nanoTime();
        List<CompletableFuture<long[]>> answers = new ArrayList<>();
        Map<String, Integer> outcomes = Collections.synchronizedMap(new TreeMap<>());
        Map<String, Integer> reasons = Collections.synchronizedMap(new TreeMap<>());
        for (int i = 0; i < ANALYSES; i++) {
            long sent = System.nanoTime();
            answers.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
                String result = response.body().replaceAll("(?s).*?\"result\":\"([A-Z]+)\".*", "$1");
                if (!"PASS".equals(result) && !"FAIL".equals(result)) {
                    reasons.merge(response.body().replaceAll("(?s).*?\"summary\":\"([^\"]{0,160}).*", "$1"), 1,
                            Integer::sum);
                }
                outcomes.merge(response.statusCode() + " " + (response.statusCode() == 200 ? result : ""), 1,
                        Integer::sum);
                return new long[] {response.statusCode(), System.nanoTime() - sent};
            }));
        }
        List<Long> latencies = new ArrayList<>();
        int errors = 0;
        for (CompletableFuture<long[]> answer : answers) {
            long[] outcome = answer.join();
            errors += outcome[0] == 200 ? 0 : 1;
            latencies.add(outcome[1]);
        }
        double wall = (System.nanoTime() - started) / 1e9;
        long peakHeap = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        Collections.sort(latencies);
        System.out.printf(Locale.ROOT, "%d concurrent analyses, %d history window(s), in %.1f s: %s; latency p50 %.2f s, p99 %.2f s,"
                        + " max %.2f s; peak heap %.0f MiB (heap pools' peaks summed)%n", ANALYSES, HISTORY_WINDOWS, wall, outcomes,
                percentile(latencies, 0.50), percentile(latencies, 0.99), latencies.get(latencies.size() - 1) / 1e9,
                peakHeap / 1048576.0);
        reasons.forEach((reason, count) -> System.out.println("  " + count + " x " + reason));
        assertThat(errors).as("answers other than 200: " + outcomes).isZero();
    }

    private static double percentile(List<Long> sorted, double p) {
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e9;
    }
}
