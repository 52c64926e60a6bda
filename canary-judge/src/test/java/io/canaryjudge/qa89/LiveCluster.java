package io.canaryjudge.qa89;

import io.canaryjudge.metrics.testing.PrometheusProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small live cluster on loopback (qa89): {@link ActuatorPod} JVMs, a real Prometheus scraping each pod's Actuator
 * {@code prometheus} endpoint, a load generator sending each pod its own request mix at its own rate (requests at a
 * fixed period, each route drawn at random in the mix's proportions), and a "kubelet"
 * probing each pod's liveness and readiness. Every answered request is tallied per pod, route template and completion
 * time: the pods' own counts, which the service's reading of Prometheus is checked against.
 */
final class LiveCluster implements AutoCloseable {

    /** One pod: its name and labels as Prometheus attaches them, its port, rate and cycle of route templates. */
    record Pod(String name, String track, String scenario, int port, int requestsPerSecond, List<String> cycle) {
    }

    /** One answered request: the route template Micrometer tags it with, and when its answer arrived. */
    record Answered(String route, Instant at) {
    }

    /**
     * How long the pod JVMs, started together, have to answer: generous, as five Spring Boot starts share a loaded
     * 2-core CI host's cores with other builds; the wait ends as soon as every pod answers, so it costs nothing when
     * the host is idle.
     */
    static final Duration POD_START_TIMEOUT = Duration.ofSeconds(300);
    /** Ports handed out by {@link #pod}, so two pods never get the same one from two quick picks. */
    private static final Set<Integer> PORTS = ConcurrentHashMap.newKeySet();

    private final List<Process> processes = new ArrayList<>();
    private final Map<String, ConcurrentLinkedQueue<Answered>> answered = new LinkedHashMap<>();
    private final Map<String, AtomicLong> sent = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private final AtomicLong probes = new AtomicLong();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ScheduledExecutorService load;
    private PrometheusProcess prometheus;

    /** A pod on a port free on loopback now (picked as {@link PrometheusProcess} picks its own). */
    static Pod pod(String name, String track, String scenario, int requestsPerSecond, List<String> cycle) {
        try {
            int port = PrometheusProcess.freePort();
            while (!PORTS.add(port)) {
                port = PrometheusProcess.freePort();
            }
            return new Pod(name, track, scenario, port, requestsPerSecond, cycle);
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for pod " + name, e);
        }
    }

    /** Starts the pods (in parallel, each its own JVM) and waits until each says it is ready. */
    void startPods(List<Pod> pods, String managementPath, Path logs) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (Pod pod : pods) {
            Process process = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-cp", System.getProperty("java.class.path"), ActuatorPod.class.getName(),
                    "--server.port=" + pod.port(), "--server.address=127.0.0.1",
                    "--management.endpoints.web.base-path=" + managementPath)
                    .redirectErrorStream(true).redirectOutput(logs.resolve(pod.name() + ".log").toFile()).start();
            processes.add(process);
            answered.put(pod.name(), new ConcurrentLinkedQueue<>());
            sent.put(pod.name(), new AtomicLong());
            failures.put(pod.name(), new AtomicLong());
        }
        Instant deadline = Instant.now().plus(POD_START_TIMEOUT);
        for (Pod pod : pods) {
            while (!ready(pod)) {
                if (Instant.now().isAfter(deadline) || processes.stream().anyMatch(p -> !p.isAlive())) {
                    throw new IllegalStateException("pod " + pod.name() + " did not start: see " + logs);
                }
                sleep(Duration.ofMillis(500));
            }
        }
    }

    private boolean ready(Pod pod) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pod.port() + "/cart"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Prometheus scraping every pod's {@code MANAGEMENT/prometheus} every {@code interval}, with its labels. */
    void startPrometheus(List<Pod> pods, String application, String managementPath, Duration interval)
            throws IOException {
        StringBuilder jobs = new StringBuilder();
        for (Pod pod : pods) {
            jobs.append("  - job_name: ").append(pod.name()).append('\n')
                    .append("    metrics_path: ").append(managementPath).append("/prometheus\n")
                    .append("    static_configs:\n")
                    .append("      - targets: ['127.0.0.1:").append(pod.port()).append("']\n")
                    .append("        labels: {app: ").append(application).append(", pod: ").append(pod.name())
                    .append(", track: ").append(pod.track()).append(", scenario: ").append(pod.scenario())
                    .append("}\n");
        }
        prometheus = PrometheusProcess.scraping(jobs.toString(), interval);
    }

    URI baseUrl() {
        return prometheus.baseUrl();
    }

    /**
     * Sends each pod its cycle of routes at its rate, and probes each pod's liveness and readiness every
     * {@code probePeriod}, as the kubelet does, until {@link #stopLoad()}.
     */
    void startLoad(List<Pod> pods, String managementPath, Duration probePeriod) {
        load = Executors.newScheduledThreadPool(2);
        for (Pod pod : pods) {
            // Requests at a fixed period, each a route drawn from the cycle: the mix's proportions in expectation, in
            // no fixed order (a fixed order would put each route in phase with the 2 s scrapes)
            java.util.Random routes = new java.util.Random(pod.name().hashCode());
            long periodMicros = 1_000_000L / pod.requestsPerSecond();
            AtomicLong podSent = sent.get(pod.name());
            AtomicLong podFailures = failures.get(pod.name());
            load.scheduleAtFixedRate(() -> {
                podSent.incrementAndGet();
                String route = pod.cycle().get(routes.nextInt(pod.cycle().size()));
                String path = route.equals("/product/{id}") ? "/product/" + routes.nextInt(97) : route;
                http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pod.port() + path))
                                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding())
                        .whenComplete((response, error) -> {
                            if (error == null && response.statusCode() == 200) {
                                answered.get(pod.name()).add(new Answered(route, Instant.now()));
                            } else {
                                podFailures.incrementAndGet();
                            }
                        });
            }, 0, periodMicros, TimeUnit.MICROSECONDS);
            for (String probe : List.of("/health/liveness", "/health/readiness")) {
                load.scheduleAtFixedRate(() -> http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + pod.port() + managementPath + probe)).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).thenRun(probes::incrementAndGet),
                        0, probePeriod.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    void stopLoad() {
        load.shutdownNow();
    }

    /** The requests a pod answered with a 200 in [from, to), per route template. */
    Map<String, Long> answered(String pod, Instant from, Instant to) {
        Map<String, Long> byRoute = new LinkedHashMap<>();
        for (Answered a : answered.get(pod)) {
            if (!a.at().isBefore(from) && a.at().isBefore(to)) {
                byRoute.merge(a.route(), 1L, Long::sum);
            }
        }
        return byRoute;
    }

    /** The requests the load generator sent a pod (probes not included). */
    long sent(String pod) {
        return sent.get(pod).get();
    }

    /** The requests sent a pod that were not answered 200 within their timeout. */
    long failures(String pod) {
        return failures.get(pod).get();
    }

    long probes() {
        return probes.get();
    }

    /** The log of the pod JVMs' output, for a failing test's message. */
    static String tail(Path log) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(java.nio.file.Files.newInputStream(log),
                StandardCharsets.UTF_8))) {
            List<String> lines = reader.lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (load != null) {
            load.shutdownNow();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
