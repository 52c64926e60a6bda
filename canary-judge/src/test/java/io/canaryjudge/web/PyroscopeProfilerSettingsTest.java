package io.canaryjudge.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.ServiceOnPyroscopeStandIn;
import io.canaryjudge.SharedFixtures;
import io.canaryjudge.ci.CiBenchRun;
import io.canaryjudge.scenario.SlicePprofWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * What the service's verdict says about how Pyroscope's profiles were recorded (found by a QA pass: the CLI warned
 * about these from the files, the service said nothing), over real HTTP: the judge against the Pyroscope stand-in
 * (WireMock on loopback) serving pprof of real async-profiler recordings in the shape Pyroscope stores them, each
 * series labelled {@code jfr_event} with the recording's {@code event} setting, as Pyroscope's JFR ingestion does.
 *
 * <ul>
 *   <li>{@code bench}: {@link io.canaryjudge.ci.CiBench} runs recorded in their own JVMs for this test (async-profiler
 *       4.2, {@code itimer} at 1 ms, {@code itimer} at 5 ms, {@code event=cpu} at 1 ms), converted as Pyroscope's
 *       jfr-parser converts them (one interval of nanoseconds per cpu sample);</li>
 *   <li>{@code shop}: the recorded scenario pods ({@code event=cpu}, 1 ms, {@code alloc=2m}: scenario.json).</li>
 * </ul>
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.warmup=0s", "canary-judge.analysis.deadline=30s",
                "canary-judge.analysis.history-windows=0"})
class PyroscopeProfilerSettingsTest extends ServiceOnPyroscopeStandIn {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final Duration SLICE = Duration.ofSeconds(60);
    static Path dir;

    /** One benchmark pod: its run's settings and the pod and version labels it is stored under. */
    private record BenchPod(String pod, String hash, String event, String interval, long intervalNanos) {
    }

    private static final List<BenchPod> BENCH = List.of(
            new BenchPod("bench-itimer1-a", "itimer1ms", "itimer", "1ms", 1_000_000L),
            new BenchPod("bench-itimer1-b", "itimer1ms", "itimer", "1ms", 1_000_000L),
            new BenchPod("bench-itimer5-a", "itimer5ms", "itimer", "5ms", 5_000_000L),
            new BenchPod("bench-itimer5-b", "itimer5ms", "itimer", "5ms", 5_000_000L),
            new BenchPod("bench-cpu1-a", "cpu1ms", "cpu", "1ms", 1_000_000L),
            new BenchPod("bench-cpu1-b", "cpu1ms", "cpu", "1ms", 1_000_000L));

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        dir = Files.createTempDirectory("pyroscope-profiler-settings");
        startPyroscope(registry);
        storeBench();
        storeShop();
        storeSetupPods();
    }

    /** Records the benchmark pods two at a time (the machine has two cores) and stores each as one slice at T0. */
    private static void storeBench() throws Exception {
        for (int i = 0; i < BENCH.size(); i += 2) {
            List<CiBenchRun> runs = new ArrayList<>();
            for (BenchPod pod : BENCH.subList(i, i + 2)) {
                runs.add(CiBenchRun.start("A", jfr(pod), 3, 500, pod.event(), "jfr", pod.interval()));
            }
            for (CiBenchRun run : runs) {
                run.await();
            }
        }
        for (BenchPod pod : BENCH) {
            Path pprof = dir.resolve(pod.pod() + ".pb.gz");
            SlicePprofWriter.convert(jfr(pod), pprof, pod.intervalNanos(), true, T0.toEpochMilli() * 1_000_000L,
                    SLICE.toNanos());
            pyroscope.addProfile(Map.of("service_name", "bench", "pod", pod.pod(), "rollouts_pod_template_hash", pod.hash(),
                    "jfr_event", jfrEvent(jfr(pod))), T0, T0.plus(SLICE), pprof);
        }
    }

    private static Path jfr(BenchPod pod) {
        return dir.resolve(pod.pod()).resolve("run.jfr");
    }

    /** The recording's async-profiler {@code event} setting: what Pyroscope's jfr-parser puts in {@code jfr_event}. */
    private static String jfrEvent(Path jfr) throws IOException {
        try (RecordingFile recording = new RecordingFile(jfr)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                if (event.getEventType().getName().equals("jdk.ActiveSetting") && event.getString("name").equals("event")) {
                    return event.getString("value");
                }
            }
        }
        throw new IllegalStateException(jfr + " declares no async-profiler event setting");
    }

    /** Recorded scenario pods, baseline session 1 and its A/A canaries, a slice a minute from T0. */
    private static void storeShop() {
        for (int n = 1; n <= 3; n++) {
            pyroscope.addInstance(Map.of("service_name", "shop", "pod", "shop-base-" + n, "rollouts_pod_template_hash",
                    "base", "jfr_event", "cpu"), ProfileDirectories.SCENARIOS.resolve("baselines/session-1/pod-" + n), T0, SLICE);
            pyroscope.addInstance(Map.of("service_name", "shop", "pod", "shop-canary-" + n, "rollouts_pod_template_hash",
                    "canary", "jfr_event", "cpu"), ProfileDirectories.SCENARIOS.resolve("aa/canary/pod-" + n), T0, SLICE);
        }
    }

    /**
     * qa39's catalogue pods (src/test/resources/qa39): {@code iv5ms1-3} the unchanged build at itimer 5 ms, {@code slow1-3}
     * the slow build at itimer 500 µs; each 8 s slice stored as one slice of the service's minute from T0, labelled
     * {@code jfr_event=itimer} as Pyroscope's ingestion labels both.
     */
    private static void storeSetupPods() throws IOException {
        Path recordings = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa39");
        for (String pod : List.of("iv5ms1", "iv5ms2", "iv5ms3", "slow1", "slow2", "slow3")) {
            long interval = pod.startsWith("iv5ms") ? 5_000_000L : 500_000L;
            for (int k = 1; k <= 4; k++) {
                Instant start = T0.plus(SLICE.multipliedBy(k - 1));
                Path pprof = dir.resolve(pod + "-" + k + ".pb.gz");
                SlicePprofWriter.convertGzipped(recordings.resolve(pod).resolve("slice-" + k + ".jfr.gz"), pprof, interval,
                        true, start.toEpochMilli() * 1_000_000L, SLICE.toNanos());
                pyroscope.addProfile(Map.of("service_name", "catalogue", "pod", "catalogue-" + pod,
                        "rollouts_pod_template_hash", pod.substring(0, pod.length() - 1), "jfr_event", "itimer"),
                        start, start.plus(SLICE), pprof);
            }
        }
    }

    /** The recorded pprofs (the stand-in is stopped by the superclass). */
    @AfterAll
    static void deleteRecordings() throws IOException {
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private JsonNode analyse(String application, String baselineHash, String canaryHash, Duration window, String types) {
        String body = """
                {"application": "%s",
                 "baseline": {"labels": {"rollouts_pod_template_hash": "%s"}},
                 "canary": {"labels": {"rollouts_pod_template_hash": "%s"}},
                 "start": "%s", "end": "%s", "profileTypes": %s}""".formatted(application, baselineHash, canaryHash, T0,
                T0.plus(window), types);
        try {
            return analyses(body);
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException("analysis of " + body + " failed", e));
        }
    }

    private static List<String> warnings(JsonNode verdict) {
        List<String> warnings = new ArrayList<>();
        verdict.path("dataQuality").path("warnings").forEach(w -> warnings.add(w.asString()));
        return warnings;
    }

    /**
     * The sampling warning's "SETTING: group pod, group pod; SETTING: ..." as setting → its pods, sorted: the pods
     * are listed in the order their profiles arrived, which concurrent fetches do not fix.
     */
    private static Map<String, List<String>> podsBySetting(String warning) {
        String list = warning.substring(warning.indexOf("not only with the code): ") + "not only with the code): ".length(),
                warning.lastIndexOf("; record both groups"));
        Map<String, List<String>> pods = new java.util.TreeMap<>();
        for (String part : list.split("; ")) {
            int colon = part.lastIndexOf(": ");
            pods.put(part.substring(0, colon), java.util.Arrays.stream(part.substring(colon + 2).split(", ")).sorted().toList());
        }
        return pods;
    }

    @Test
    void podsSampledAtDifferentIntervalsAreAWarningNamingEachGroupsPods() {
        JsonNode verdict = analyse("bench", "itimer1ms", "itimer5ms", SLICE, "[\"cpu\"]");

        assertThat(verdict.path("result").asString()).isIn("PASS", "FAIL", "INCONCLUSIVE");
        assertThat(warnings(verdict)).as(verdict.toString()).filteredOn(w -> w.startsWith("cpu profiles were sampled differently"))
                .singleElement().satisfies(w -> assertThat(podsBySetting(w))
                        .containsEntry("async-profiler event=itimer, interval 1 ms",
                                List.of("baseline bench-itimer1-a", "baseline bench-itimer1-b"))
                        .containsEntry("async-profiler event=itimer, interval 5 ms",
                                List.of("canary bench-itimer5-a", "canary bench-itimer5-b"))
                        .hasSize(2));
    }

    @Test
    void podsSampledWithDifferentEnginesAreAWarningToo() {
        JsonNode verdict = analyse("bench", "itimer1ms", "cpu1ms", SLICE, "[\"cpu\"]");

        assertThat(warnings(verdict)).as(verdict.toString()).filteredOn(w -> w.startsWith("cpu profiles were sampled differently"))
                .singleElement().satisfies(w -> assertThat(podsBySetting(w))
                        .containsEntry("async-profiler event=itimer, interval 1 ms",
                                List.of("baseline bench-itimer1-a", "baseline bench-itimer1-b"))
                        .containsEntry("async-profiler event=cpu, interval 1 ms",
                                List.of("canary bench-cpu1-a", "canary bench-cpu1-b"))
                        .hasSize(2));
    }

    @Test
    void theSameSettingsOnBothSidesGiveNoSamplingWarning() {
        JsonNode verdict = analyse("shop", "base", "canary", SLICE.multipliedBy(5), "[\"cpu\"]");

        assertThat(verdict.path("result").asString()).as(verdict.path("summary").asString()).isEqualTo("PASS");
        assertThat(warnings(verdict)).noneMatch(w -> w.contains("sampled differently"));
    }

    /**
     * The service's side of qa39's CLI finding: without request counts (no Prometheus here) the judge reads a canary
     * using under 80 % of the baseline's CPU per second as a lighter load and fails no share rise; a baseline at itimer
     * 5 ms against canaries at 500 µs (itimer's undercount below the kernel tick: about a seventh of the CPU per second)
     * must not turn the slow canary's {@code Pricing.quote} rise into "a lighter load".
     */
    @Test
    void aRegressionIsNotExcusedAsALighterLoadWhenPyroscopesIntervalsDiffer() {
        JsonNode verdict = analyse("catalogue", "iv5ms", "slow", SLICE.multipliedBy(4), "[\"cpu\"]");
        String summary = verdict.path("summary").asString();

        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(summary).startsWith("FAIL: `io.canaryjudge.qa39.SetupPod$Pricing.quote` +");
        assertThat(verdict.path("dataQuality").toString()).doesNotContain("CPU per second");
        assertThat(warnings(verdict)).anyMatch(w -> w.startsWith("cpu profiles were sampled differently"));
    }

    /**
     * alloc_objects is no default type of the service; a request that names it gets async-profiler's sample counts,
     * and the verdict says so.
     */
    @Test
    void allocObjectsOfAsyncProfilerRecordingsAreSaidToCountSamples() {
        JsonNode verdict = analyse("shop", "base", "canary", SLICE.multipliedBy(5), "[\"cpu\", \"alloc_objects\"]");

        assertThat(warnings(verdict)).as(verdict.toString()).filteredOn(w -> w.startsWith("alloc_objects "))
                .singleElement().satisfies(w -> assertThat(w)
                        .startsWith("alloc_objects in 30 of 30 profile(s) is not what its name says: it counts"
                                + " async-profiler's allocation samples, not objects")
                        .contains("jfr_event=cpu").contains("judge alloc_bytes"));
        assertThat(warnings(verdict)).noneMatch(w -> w.startsWith("cpu ") && w.contains("not what its name says"));
    }
}
