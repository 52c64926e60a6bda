package io.canaryjudge.scenario;

import io.canaryjudge.scenario.shop.ShopVariant;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Records the baseline/canary scenarios with the real profiler. Pods are separate JVMs
 * ({@link PodProcess}). The scenarios of one session share a baseline and are recorded at the
 * same time: baseline pod N runs beside every canary pod N of the session (paired in time, as a
 * canary runs beside its baseline, so both see the same machine load), one pod number after
 * another.
 *
 * <p>Layout under the output folder: {@code baselines/session-S/pod-N/slice-K.pb.gz},
 * {@code <scenario>/canary/pod-N/slice-K.pb.gz}, a {@code requests.csv} in every pod folder and
 * {@code <scenario>/scenario.json} (the manifest, naming its baseline folder). With
 * {@code --example DIR} it records the shipped example instead, laid out by application and pod as the
 * service's local source reads it: {@code DIR/shop/shop-6d4f8c7b9-SUFFIX} (baseline) and
 * {@code DIR/shop/shop-7f9b6c5d4-SUFFIX} (canary) of the {@code cpu-regression-100} change, each with a
 * {@code labels.properties} giving its {@code pod} and {@code rollouts_pod_template_hash}.
 *
 * <p>Usage (from the repository root, after {@code mvn -B -q -o -pl canary-judge -am test-compile
 * -Dsurefire.failIfNoSpecifiedTests=false}):
 * <pre>
 * java -cp canary-judge/target/test-classes:$HOME/.m2/repository/tools/profiler/async-profiler/4.2/async-profiler-4.2.jar:JACKSON \
 *   io.canaryjudge.scenario.RecordScenarios [--output DIR] [--session S ...] [--pods N] [--slices N]
 *   [--slice-millis MS] [--warmup-millis MS] [--max-warmup-millis MS] [--event cpu|itimer] [--example DIR] [--manifests-only]
 * </pre>
 * where JACKSON is Jackson's three jars (databind, core, annotations; the {@code audit-jackson} pods need
 * them), as in the scenarios' README.
 */
public final class RecordScenarios {
    /**
     * Recording parameters shared by all pods of one run.
     *
     * @param output             scenarios folder, or the example folder
     * @param sessions           sessions to record
     * @param pods               pods per side
     * @param slices             slices per pod
     * @param sliceMillis        slice length, milliseconds
     * @param warmupMillis       least unrecorded warm-up, milliseconds ({@link ShopPod} waits longer
     *                           while the JIT is still busy)
     * @param maxWarmupMillis    longest warm-up, milliseconds (on a busy machine the JIT needs minutes)
     * @param event              async-profiler CPU event
     * @param cpuIntervalNanos   CPU sampling interval, nanoseconds
     * @param allocIntervalBytes allocation sampling interval, bytes
     * @param example            record the shipped example instead of the scenarios
     * @param manifestsOnly      only rewrite the sessions' {@code scenario.json} (after editing a
     *                           scenario's description); the plan must match the recording's
     */
    record Plan(Path output, List<Integer> sessions, int pods, int slices, long sliceMillis, long warmupMillis,
                long maxWarmupMillis, String event, long cpuIntervalNanos, long allocIntervalBytes, boolean example,
                boolean manifestsOnly) {
    }

    private RecordScenarios() {
    }

    public static void main(String[] args) throws Exception {
        Plan plan = parse(args);
        long started = System.nanoTime();
        if (plan.example()) {
            Scenario scenario = Scenario.named("cpu-regression-100");
            deleteRecursively(plan.output().resolve(ScenarioFolders.EXAMPLE_APPLICATION));
            PodPaths baseline = pod -> ScenarioFolders.examplePod(plan.output(), ScenarioFolders.EXAMPLE_BASELINE_HASH, pod);
            PodPaths canary = pod -> ScenarioFolders.examplePod(plan.output(), ScenarioFolders.EXAMPLE_CANARY_HASH, pod);
            recordSession(plan, baseline, ShopVariant.baseline(), List.of(scenario), List.of(canary));
            for (int pod = 1; pod <= plan.pods(); pod++) {
                writeLabels(baseline.folder(pod), ScenarioFolders.EXAMPLE_BASELINE_HASH);
                writeLabels(canary.folder(pod), ScenarioFolders.EXAMPLE_CANARY_HASH);
            }
        } else {
            for (int session : plan.sessions()) {
                List<Scenario> scenarios = Scenario.all().stream().filter(s -> s.session() == session).toList();
                if (plan.manifestsOnly()) {
                    writeManifests(plan, scenarios);
                    continue;
                }
                Path baseline = plan.output().resolve(Scenario.baselineFolder(session));
                deleteRecursively(baseline);
                List<Path> canaries = new ArrayList<>();
                for (Scenario scenario : scenarios) {
                    Path folder = plan.output().resolve(scenario.name());
                    deleteRecursively(folder);
                    canaries.add(folder.resolve("canary"));
                }
                recordSession(plan, pod -> baseline.resolve("pod-" + pod), Scenario.baselineVariant(session), scenarios,
                        canaries.stream().map(c -> (PodPaths) pod -> c.resolve("pod-" + pod)).toList());
                writeManifests(plan, scenarios);
            }
        }
        System.err.printf(Locale.ROOT, "recorded in %.0f s%n", (System.nanoTime() - started) / 1e9);
    }

    private static void writeManifests(Plan plan, List<Scenario> scenarios) throws IOException {
        for (Scenario scenario : scenarios) {
            Files.writeString(plan.output().resolve(scenario.name()).resolve("scenario.json"),
                    manifest(plan, scenario), StandardCharsets.UTF_8);
        }
    }

    static Plan parse(String[] args) {
        Path output = Path.of("canary-judge/src/test/resources/scenarios");
        TreeSet<Integer> sessions = new TreeSet<>();
        int pods = 3;
        int slices = 5;
        long sliceMillis = 6000;
        long warmupMillis = 8000;
        long maxWarmupMillis = 60_000;
        String event = "cpu";
        boolean example = false;
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
                case "--session" -> sessions.add(Integer.parseInt(value));
                case "--pods" -> pods = Integer.parseInt(value);
                case "--slices" -> slices = Integer.parseInt(value);
                case "--slice-millis" -> sliceMillis = Long.parseLong(value);
                case "--warmup-millis" -> warmupMillis = Long.parseLong(value);
                case "--max-warmup-millis" -> maxWarmupMillis = Long.parseLong(value);
                case "--event" -> event = value;
                case "--example" -> {
                    output = Path.of(value);
                    example = true;
                }
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        if (sessions.isEmpty()) {
            Scenario.all().forEach(s -> sessions.add(s.session()));
        }
        // itimer cannot sample faster than the kernel tick (250 Hz here): ask for no more.
        long cpuIntervalNanos = "itimer".equals(event) ? 4_000_000 : 1_000_000;
        return new Plan(output, List.copyOf(sessions), pods, slices, sliceMillis, warmupMillis, maxWarmupMillis, event,
                cpuIntervalNanos, 2 * 1024 * 1024, example, manifestsOnly);
    }

    /** Where pod N (1-based) of one side is written. */
    @FunctionalInterface
    interface PodPaths {
        Path folder(int pod);
    }

    /** The example pod's labels, as the service's local source reads them. */
    private static void writeLabels(Path pod, String hash) throws IOException {
        Files.writeString(pod.resolve("labels.properties"), """
                # Labels of this pod as a profile store would have them: request label matchers are checked
                # against these (pod defaults to the directory name).
                pod=%s
                rollouts_pod_template_hash=%s
                """.formatted(pod.getFileName(), hash), StandardCharsets.UTF_8);
    }

    private static void recordSession(Plan plan, PodPaths baseline, ShopVariant baselineVariant,
                                      List<Scenario> scenarios, List<PodPaths> canaries)
            throws IOException, InterruptedException {
        Path logs = Files.createTempDirectory("canary-judge-pods");
        for (int pod = 1; pod <= plan.pods(); pod++) {
            System.err.printf(Locale.ROOT, "%s: recording the baseline and %s; logs in %s%n", baseline.folder(pod),
                    scenarios.stream().map(Scenario::name).toList(), logs);
            List<PodProcess> running = new ArrayList<>();
            running.add(PodProcess.start(podOptions(plan, baseline.folder(pod), baselineVariant, pod),
                    logs.resolve("baseline-" + pod + ".log")));
            for (int s = 0; s < scenarios.size(); s++) {
                Scenario scenario = scenarios.get(s);
                running.add(PodProcess.start(
                        podOptions(plan, canaries.get(s).folder(pod), scenario.canary(), 100 * (s + 1) + pod),
                        logs.resolve(scenario.name() + "-" + pod + ".log")));
            }
            for (PodProcess process : running) {
                process.await();
            }
        }
    }

    private static PodOptions podOptions(Plan plan, Path output, ShopVariant variant, long seed) {
        return new PodOptions(output, variant, 1, plan.warmupMillis(), plan.slices(), plan.sliceMillis(),
                plan.event(), plan.cpuIntervalNanos(), plan.allocIntervalBytes(), seed, false, plan.maxWarmupMillis());
    }

    static String manifest(Plan plan, Scenario scenario) {
        String baseline = Scenario.baselineFolder(scenario.session());
        StringBuilder json = new StringBuilder("{\n");
        field(json, "scenario", scenario.name()).append(",\n");
        field(json, "injectedChange", scenario.injectedChange()).append(",\n");
        field(json, "profileType", scenario.profileType()).append(",\n");
        field(json, "function", scenario.function()).append(",\n");
        field(json, "entryFrame", scenario.entryFrame()).append(",\n");
        field(json, "expectedKind", scenario.expectedKind()).append(",\n");
        field(json, "expectedResult", scenario.expectedResult()).append(",\n");
        field(json, "note", scenario.note()).append(",\n");
        field(json, "baseline", "../" + baseline).append(",\n");
        field(json, "canary", "canary").append(",\n");
        json.append("  \"pods\": ").append(plan.pods()).append(",\n");
        field(json, "baselineVariant", Scenario.baselineVariant(scenario.session()).toString()).append(",\n");
        field(json, "canaryVariant", scenario.canary().toString()).append(",\n");
        json.append("  \"recording\": {\"profiler\": \"async-profiler 4.2\", \"event\": \"").append(plan.event())
                .append("\", \"cpuIntervalNanos\": ").append(plan.cpuIntervalNanos())
                .append(", \"allocIntervalBytes\": ").append(plan.allocIntervalBytes())
                .append(", \"slicesPerPod\": ").append(plan.slices())
                .append(", \"sliceMillis\": ").append(plan.sliceMillis())
                .append(", \"minWarmupMillis\": ").append(plan.warmupMillis())
                .append(", \"maxWarmupMillis\": ").append(plan.maxWarmupMillis())
                .append(", \"workerThreads\": 1")
                .append(", \"session\": ").append(scenario.session())
                .append(", \"pairing\": \"baseline pod-N and the session's canary pods N recorded at the same time\"")
                .append(", \"jvmFlags\": \"").append(String.join(" ", PodProcess.JVM_FLAGS)).append('"')
                .append(", \"javaVersion\": \"").append(System.getProperty("java.version")).append("\"}\n");
        return json.append("}\n").toString();
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
