package io.canaryjudge.heldout.recording;

import io.canaryjudge.heldout.search.SearchVariant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Records the held-out search-service scenarios with the real profiler, every pod its own JVM
 * ({@link SearchPodProcess}), into a scratch folder; {@link RecordingArchive} then packs them
 * into {@code canary-judge/src/test/resources/heldout}. A one-time command, not part of the build.
 *
 * <p>Plan: {@code baselines} rounds, {@code parallel} at a time. In round r, baseline pod r records its earlier "history"
 * window and then its "current" window; the canary pods assigned to round r (each scenario's pods
 * spread over different rounds) wait for the baseline's history window and are recorded beside its
 * current window, so they see the same machine load.
 *
 * <p>Layout under the output folder: {@code baselines/pod-N/history|current/slice-K.pb.gz},
 * {@code <scenario>/canary/pod-N/slice-K.pb.gz}, a {@code requests.csv} in every window folder,
 * {@code <scenario>/scenario.json}.
 *
 * <p>Usage (repository root, after {@code mvn -B -q -pl canary-judge -am test-compile}); the class
 * path is printed by {@code bench/heldout-evaluation.sh --classpath}:
 * <pre>
 * java -cp CLASSPATH io.canaryjudge.heldout.recording.RecordHeldOut [--output DIR] [--baselines N]
 *   [--slices N] [--slice-cpu-millis MS] [--event cpu|itimer] [--manifests-only]
 * </pre>
 */
public final class RecordHeldOut {
    /**
     * @param output         scratch folder the recordings go to
     * @param baselines      baseline pods (= rounds)
     * @param slices         slices per window
     * @param sliceCpuMillis process CPU per slice, milliseconds
     * @param event          async-profiler CPU event
     * @param manifestsOnly  only (re)write the manifests
     * @param parallel       rounds recorded at the same time (a round's pods wait for each other only)
     * @param firstRound     first round to record (rounds before it are kept as they are; 1 = start afresh)
     * @param lastRound      last round to record
     */
    record Plan(Path output, int baselines, int slices, long sliceCpuMillis, String event, boolean manifestsOnly,
                int parallel, int firstRound, int lastRound) {
        long cpuIntervalNanos() {
            // itimer cannot fire faster than the kernel tick (4 ms at 250 Hz, scenarios/README.md).
            return "itimer".equals(event) ? 4_000_000 : 1_000_000;
        }
    }

    /** Allocation sampling interval of every pod, bytes. */
    static final long ALLOC_INTERVAL_BYTES = 2 * 1024 * 1024;
    /**
     * Least and most warm-up, milliseconds of process CPU. Lucene and H2 keep C2 busy for long: on an
     * idle machine 40 s of CPU left 12 % of a slice in the JIT; the cap keeps the recording within an
     * hour on a shared 2-core machine, so young-JVM JIT work is part of these recordings.
     */
    static final long WARMUP_CPU_MILLIS = 20_000;
    static final long MAX_WARMUP_CPU_MILLIS = 45_000;

    private RecordHeldOut() {
    }

    public static void main(String[] args) throws Exception {
        Plan plan = parse(args);
        long started = System.nanoTime();
        if (!plan.manifestsOnly()) {
            record(plan);
        }
        for (HeldOutScenario scenario : HeldOutScenario.all()) {
            Path folder = Files.createDirectories(plan.output().resolve(scenario.name()));
            Files.writeString(folder.resolve("scenario.json"), manifest(plan, scenario), StandardCharsets.UTF_8);
        }
        System.err.printf(Locale.ROOT, "done in %.0f s%n", (System.nanoTime() - started) / 1e9);
    }

    static Plan parse(String[] args) {
        Path output = Path.of("canary-judge/target/heldout-recording");
        int baselines = 8;
        int parallel = 2;
        int firstRound = 1;
        int lastRound = -1;
        int slices = 8;
        long sliceCpuMillis = 1750;
        String event = "cpu";
        boolean manifestsOnly = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--manifests-only")) {
                manifestsOnly = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--output" -> output = Path.of(value);
                case "--baselines" -> baselines = Integer.parseInt(value);
                case "--slices" -> slices = Integer.parseInt(value);
                case "--slice-cpu-millis" -> sliceCpuMillis = Long.parseLong(value);
                case "--event" -> event = value;
                case "--parallel" -> parallel = Integer.parseInt(value);
                case "--rounds" -> {
                    String[] range = value.split("-");
                    firstRound = Integer.parseInt(range[0]);
                    lastRound = Integer.parseInt(range[range.length - 1]);
                }
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        return new Plan(output, baselines, slices, sliceCpuMillis, event, manifestsOnly, parallel, firstRound,
                lastRound < 0 ? baselines : lastRound);
    }

    /** A canary pod to record: its scenario and pod number. */
    record CanaryPod(HeldOutScenario scenario, int pod) {
    }

    private static void record(Plan plan) throws IOException, InterruptedException {
        if (plan.firstRound() == 1) {
            deleteRecursively(plan.output());
        }
        // Scenario i's pod p runs in round (i + 3 (p - 1)) mod rounds: a scenario's pods run beside
        // different baseline pods at different times, and every round has about as many canaries.
        List<List<CanaryPod>> byRound = new ArrayList<>();
        for (int r = 0; r < plan.baselines(); r++) {
            byRound.add(new ArrayList<>());
        }
        List<HeldOutScenario> scenarios = HeldOutScenario.all();
        for (int i = 0; i < scenarios.size(); i++) {
            for (int pod = 1; pod <= scenarios.get(i).pods(); pod++) {
                byRound.get((i + 3 * (pod - 1)) % plan.baselines()).add(new CanaryPod(scenarios.get(i), pod));
            }
        }
        Path logs = Files.createDirectories(plan.output().resolve("logs"));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(plan.parallel());
        List<java.util.concurrent.Future<?>> rounds = new ArrayList<>();
        for (int r = plan.firstRound(); r <= plan.lastRound(); r++) {
            int round = r;
            List<CanaryPod> inRound = byRound.get(round - 1);
            rounds.add(pool.submit(() -> {
                recordRound(plan, round, inRound, logs);
                return null;
            }));
        }
        pool.shutdown();
        try {
            for (java.util.concurrent.Future<?> future : rounds) {
                future.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            pool.shutdownNow();
            throw new IOException("a round failed", e.getCause());
        }
    }

    private static void recordRound(Plan plan, int round, List<CanaryPod> inRound, Path logs)
            throws IOException, InterruptedException {
        long roundStart = System.nanoTime();
        Path signal = logs.resolve("round-" + round + ".history-recorded");
        Path pod = plan.output().resolve("baselines").resolve("pod-" + round);
        List<SearchPodProcess> running = new ArrayList<>();
        running.add(SearchPodProcess.start(options(plan, List.of(pod.resolve("history"), pod.resolve("current")),
                SearchVariant.baseline(), round, null, signal), logs.resolve("baseline-" + round + ".log")));
        for (CanaryPod canary : inRound) {
            Path folder = plan.output().resolve(canary.scenario().name()).resolve("canary")
                    .resolve("pod-" + canary.pod());
            long seed = 1000L * (HeldOutScenario.all().indexOf(canary.scenario()) + 1) + canary.pod();
            running.add(SearchPodProcess.start(options(plan, List.of(folder), canary.scenario().canary(), seed,
                    signal, null), logs.resolve(canary.scenario().name() + "-" + canary.pod() + ".log")));
        }
        for (SearchPodProcess process : running) {
            process.await(90 * 60_000L);
        }
        System.err.printf(Locale.ROOT, "round %d/%d: baseline pod-%d with %s in %.0f s%n", round, plan.baselines(),
                round, inRound.stream().map(c -> c.scenario().name() + "/pod-" + c.pod()).toList(),
                (System.nanoTime() - roundStart) / 1e9);
    }

    private static SearchPodOptions options(Plan plan, List<Path> windows, SearchVariant variant, long seed,
                                            Path startAfter, Path signalAfterFirst) {
        return new SearchPodOptions(windows, variant, plan.slices(), plan.sliceCpuMillis(), 120_000, 2_000,
                WARMUP_CPU_MILLIS, MAX_WARMUP_CPU_MILLIS, startAfter, signalAfterFirst, plan.event(), plan.cpuIntervalNanos(),
                ALLOC_INTERVAL_BYTES, seed);
    }

    static String manifest(Plan plan, HeldOutScenario scenario) throws IOException {
        int baselinePods = podFolders(plan.output().resolve("baselines"));
        int canaryPods = podFolders(plan.output().resolve(scenario.name()).resolve("canary"));
        StringBuilder json = new StringBuilder("{\n");
        field(json, "scenario", scenario.name()).append(",\n");
        field(json, "injectedChange", scenario.injectedChange()).append(",\n");
        field(json, "profileType", scenario.profileType()).append(",\n");
        field(json, "function", scenario.function()).append(",\n");
        field(json, "expectedKind", scenario.expectedKind()).append(",\n");
        field(json, "expectedResult", scenario.expectedResult()).append(",\n");
        field(json, "note", scenario.note()).append(",\n");
        field(json, "baselines", "../baselines").append(",\n");
        json.append("  \"baselinePods\": ").append(baselinePods).append(",\n");
        json.append("  \"canaryPods\": ").append(canaryPods).append(",\n");
        json.append("  \"plannedCanaryPods\": ").append(scenario.pods()).append(",\n");
        field(json, "baselineVariant", SearchVariant.baseline().toString()).append(",\n");
        field(json, "canaryVariant", scenario.canary().toString()).append(",\n");
        json.append("  \"recording\": {\"profiler\": \"async-profiler 4.2\", \"event\": \"").append(plan.event())
                .append("\", \"cpuIntervalNanos\": ").append(plan.cpuIntervalNanos())
                .append(", \"allocIntervalBytes\": ").append(ALLOC_INTERVAL_BYTES)
                .append(", \"slicesPerWindow\": ").append(plan.slices())
                .append(", \"sliceCpuMillis\": ").append(plan.sliceCpuMillis())
                .append(", \"minWarmupCpuMillis\": ").append(WARMUP_CPU_MILLIS)
                .append(", \"maxWarmupCpuMillis\": ").append(MAX_WARMUP_CPU_MILLIS)
                .append(", \"workerThreads\": 1")
                .append(", \"pairing\": \"each canary pod recorded beside one baseline pod's current window\"")
                .append(", \"jvmFlags\": \"").append(String.join(" ", SearchPodProcess.JVM_FLAGS)).append('"')
                .append(", \"javaVersion\": \"").append(System.getProperty("java.version")).append("\"}\n");
        return json.append("}\n").toString();
    }

    /** Pod folders recorded under {@code side} (a round that was not recorded leaves a gap). */
    private static int podFolders(Path side) throws IOException {
        if (!Files.isDirectory(side)) {
            return 0;
        }
        try (Stream<Path> pods = Files.list(side)) {
            return (int) pods.filter(p -> p.getFileName().toString().startsWith("pod-"))
                    .filter(p -> Files.exists(p.resolve("requests.csv")) || Files.exists(p.resolve("current/requests.csv")))
                    .count();
        }
    }

    private static StringBuilder field(StringBuilder json, String name, String value) {
        json.append("  \"").append(name).append("\": ");
        if (value == null) {
            return json.append("null");
        }
        json.append('"');
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\');
            }
            json.append(c);
        }
        return json.append('"');
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
