package io.canaryjudge.memory;

import io.canaryjudge.memory.app.MemoryVariant;
import io.canaryjudge.metrics.PrometheusConnection;
import io.canaryjudge.metrics.PrometheusHttpClient;
import io.canaryjudge.metrics.TimeSeries;
import io.canaryjudge.metrics.testing.PrometheusProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Records the memory scenarios once, from real JVMs (one process per pod, {@link MemoryPod}) scraped
 * by a real Prometheus: {@code baseline} pods of the stable version start first and run
 * {@code leadMinutes} + {@code canaryMinutes}; then, for each scenario, {@code canaryPods} canary pods
 * start side by side and run {@code canaryMinutes}. Afterwards the recorder asks Prometheus for each
 * pod's raw series (heap used per pool, live data size, start time, request counter; every 10 s) and
 * writes them beside the pod's own files. {@link AssembleMemoryRecordings} turns the raw folder into
 * the small committed files.
 *
 * <p>A one-time command, not a test (about {@code leadMinutes + canaryMinutes} minutes of wall time,
 * 22 light JVMs on 2 cores); run it through Maven, which knows the pods' class path:
 * {@link RecordMemoryScenariosRun}.
 */
public final class RecordMemoryScenarios {
    static final int BASELINE_PODS = 4;
    static final int CANARY_PODS = 3;
    static final long ALLOC_INTERVAL_BYTES = 64 * 1024;
    static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(10);
    /**
     * JVM flags of every pod of the first recording: one CPU as a small Kubernetes pod has (and fewer
     * GC/JIT threads on a shared 2-core machine), G1 explicitly (with one CPU the JVM would pick
     * Serial), a fixed 256 MiB heap, precise frames for the profiler.
     */
    static final List<String> JVM_FLAGS = List.of("-XX:ActiveProcessorCount=1", "-XX:+UseG1GC", "-Xms256m",
            "-Xmx256m", "-Xss512k", "-XX:ReservedCodeCacheSize=64m", "-XX:+UnlockDiagnosticVMOptions",
            "-XX:+DebugNonSafepoints");
    static final String SAW_TOOTH_HEAP = "128m";
    static final int RECEIPT_SECONDS = 240;

    /**
     * Which recording: {@code plain} (the first: its G1 heaps never marked the old generation) or
     * {@code saw-tooth} (the same service keeping each request's receipt for {@link #RECEIPT_SECONDS} s,
     * which is promoted and dies in the old generation, in a {@link #SAW_TOOTH_HEAP} heap: marking
     * cycles and mixed collections every few minutes, the saw-tooth after-GC heap of a real service).
     */
    enum Flavour {
        PLAIN(JVM_FLAGS, Map.of("aa", MemoryVariant.STABLE, "leak-sessions", MemoryVariant.LEAK_SESSIONS,
                "leak-listeners", MemoryVariant.LEAK_LISTENERS, "leak-audit", MemoryVariant.LEAK_AUDIT,
                "bigger-flat", MemoryVariant.BIGGER_FLAT, "slow-cache", MemoryVariant.SLOW_CACHE)),
        SAW_TOOTH(sawToothFlags(),
                Map.of("aa", MemoryVariant.STABLE, "leak-sessions", MemoryVariant.LEAK_SESSIONS,
                        "leak-listeners", MemoryVariant.LEAK_LISTENERS, "bigger-flat", MemoryVariant.BIGGER_FLAT));

        final List<String> jvmFlags;
        /** The canary scenarios: a folder name and the variant its pods run. */
        final Map<String, MemoryVariant> scenarios;

        Flavour(List<String> jvmFlags, Map<String, MemoryVariant> scenarios) {
            this.jvmFlags = jvmFlags;
            this.scenarios = new TreeMap<>(scenarios);
        }

        /** The first recording's flags with the smaller heap and the receipts kept. */
        private static List<String> sawToothFlags() {
            List<String> flags = new ArrayList<>();
            for (String flag : JVM_FLAGS) {
                flags.add(flag.startsWith("-Xms") ? "-Xms" + SAW_TOOTH_HEAP
                        : flag.startsWith("-Xmx") ? "-Xmx" + SAW_TOOTH_HEAP : flag);
            }
            flags.add("-Dorders.receiptSeconds=" + RECEIPT_SECONDS);
            return List.copyOf(flags);
        }

        static Flavour fromId(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    private RecordMemoryScenarios() {
    }

    /** One pod to run. */
    record PodPlan(String name, String track, String scenario, MemoryVariant variant, int port, int minutes, long seed) {
    }

    public static void main(String[] args) throws Exception {
        Path output = Path.of(args.length > 0 ? args[0] : "canary-judge/target/memory-recording").toAbsolutePath();
        int leadMinutes = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int canaryMinutes = args.length > 2 ? Integer.parseInt(args[2]) : 45;
        Flavour flavour = args.length > 3 ? Flavour.fromId(args[3]) : Flavour.PLAIN;
        Files.createDirectories(output);
        // For re-running one pod by hand: java -cp "$(cat DIR/classpath.txt)" io.canaryjudge.memory.MemoryPod ...
        Files.writeString(output.resolve("classpath.txt"), System.getProperty("java.class.path"), StandardCharsets.UTF_8);
        if (leadMinutes == 0 && canaryMinutes == 0) {
            return;
        }

        List<PodPlan> baseline = new ArrayList<>();
        List<PodPlan> canaries = new ArrayList<>();
        long seed = 1;
        for (int i = 1; i <= BASELINE_PODS; i++) {
            baseline.add(new PodPlan("baseline-" + i, "baseline", "baseline", MemoryVariant.STABLE, freePort(),
                    leadMinutes + canaryMinutes, seed++));
        }
        for (Map.Entry<String, MemoryVariant> scenario : flavour.scenarios.entrySet()) {
            for (int i = 1; i <= CANARY_PODS; i++) {
                canaries.add(new PodPlan(scenario.getKey() + "-" + i, "canary", scenario.getKey(), scenario.getValue(),
                        freePort(), canaryMinutes, seed++));
            }
        }
        List<PodPlan> all = new ArrayList<>(baseline);
        all.addAll(canaries);

        try (PrometheusProcess prometheus = PrometheusProcess.scraping(scrapeConfigs(all), SCRAPE_INTERVAL)) {
            Instant start = Instant.now();
            System.err.println("prometheus at " + prometheus.baseUrl() + "; recording into " + output);
            List<Process> processes = new ArrayList<>();
            for (PodPlan pod : baseline) {
                processes.add(launch(pod, output, flavour));
            }
            TimeUnit.MINUTES.sleep(leadMinutes);
            for (PodPlan pod : canaries) {
                processes.add(launch(pod, output, flavour));
            }
            for (int i = 0; i < processes.size(); i++) {
                Process process = processes.get(i);
                if (!process.waitFor(leadMinutes + canaryMinutes + 20L, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                }
                System.err.println(all.get(i).name() + " exited with " + process.exitValue());
            }
            Instant end = Instant.now();
            TimeUnit.SECONDS.sleep(2 * SCRAPE_INTERVAL.toSeconds());
            PrometheusHttpClient client = new PrometheusHttpClient(
                    PrometheusConnection.of(prometheus.baseUrl()).withTimeout(Duration.ofSeconds(60)));
            for (PodPlan pod : all) {
                writeRawSeries(client, pod, output.resolve(pod.name()), start, end);
            }
            Files.writeString(output.resolve("recording.properties"), "start_ms=" + start.toEpochMilli() + "\nend_ms="
                    + end.toEpochMilli() + "\nlead_minutes=" + leadMinutes + "\ncanary_minutes=" + canaryMinutes
                    + "\nscrape_interval_s=" + SCRAPE_INTERVAL.toSeconds() + "\nflavour=" + flavour.name().toLowerCase(Locale.ROOT)
                    + "\njvm_flags=" + String.join(" ", flavour.jvmFlags)
                    + "\n", StandardCharsets.UTF_8);
        }
    }

    private static Process launch(PodPlan pod, Path output, Flavour flavour) throws IOException {
        Path folder = Files.createDirectories(output.resolve(pod.name()));
        Files.writeString(folder.resolve("plan.properties"), "track=" + pod.track() + "\nscenario=" + pod.scenario()
                + "\n", StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of("nice", "-n", "5",
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(flavour.jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MemoryPod.class.getName());
        command.addAll(List.of(pod.variant().id(), folder.toString(), Integer.toString(pod.port()),
                Integer.toString(pod.minutes()), Long.toString(pod.seed()), Long.toString(ALLOC_INTERVAL_BYTES)));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(folder.resolve("pod.log").toFile()).start();
    }

    private static String scrapeConfigs(List<PodPlan> pods) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("  - job_name: orders\n    metrics_path: /metrics\n    static_configs:\n");
        for (PodPlan pod : pods) {
            yaml.append("      - targets: ['127.0.0.1:").append(pod.port()).append("']\n")
                    .append("        labels: {app: orders, pod: '").append(pod.name()).append("', track: '")
                    .append(pod.track()).append("', scenario: '").append(pod.scenario()).append("'}\n");
        }
        return yaml.toString();
    }

    /** Every 10 s point of the pod's memory, start-time and request series, as Prometheus stored them. */
    private static void writeRawSeries(PrometheusHttpClient client, PodPlan pod, Path folder, Instant start,
                                       Instant end) throws IOException {
        List<String> queries = List.of(
                "jvm_memory_used_bytes{pod=\"" + pod.name() + "\",area=\"heap\"}",
                "jvm_gc_live_data_size_bytes{pod=\"" + pod.name() + "\"}",
                "process_start_time_seconds{pod=\"" + pod.name() + "\"}",
                "http_server_requests_seconds_count{pod=\"" + pod.name() + "\"}");
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(folder.resolve("prometheus-raw.csv")))) {
            out.println("timestamp_ms,metric,id,value");
            for (String query : queries) {
                // Prometheus caps a range query at 11,000 points: ask in pieces of an hour.
                for (Instant from = start; from.isBefore(end); from = from.plus(Duration.ofHours(1))) {
                    Instant to = from.plus(Duration.ofHours(1)).isBefore(end) ? from.plus(Duration.ofHours(1)) : end;
                    List<TimeSeries> series = client.queryRange(query, from, to, SCRAPE_INTERVAL).block(Duration.ofMinutes(2));
                    for (TimeSeries s : series) {
                        String metric = s.labels().getOrDefault("__name__", query);
                        String id = s.labels().getOrDefault("id", "");
                        long[] times = s.timestampsMillis();
                        double[] values = s.values();
                        for (int i = 0; i < times.length; i++) {
                            out.printf(Locale.ROOT, "%d,%s,%s,%s%n", times[i], metric, id.replace(',', ' '),
                                    Double.toString(values[i]));
                        }
                    }
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
