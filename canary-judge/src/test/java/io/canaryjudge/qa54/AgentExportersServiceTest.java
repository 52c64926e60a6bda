package io.canaryjudge.qa54;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.memory.ScrapedPod;
import io.canaryjudge.memory.ScrapedPodsService;
import io.canaryjudge.metrics.testing.PrometheusProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The memory-growth check for pods that export through the OpenTelemetry Java agent or the Prometheus JMX exporter
 * instead of Micrometer (a named config's {@code exporter}, as {@code canary-judge.prometheus.exporter}), judged through the service as Argo Rollouts asks
 * it ({@code POST /api/v1/analyses} over loopback) on recorded JVMs ({@link AgentPods}: both agents in each JVM, their
 * scrapes backfilled into a real Prometheus). A canary keeping every session (~0.7 MiB/min) or starting a thread it never
 * ends must fail under either agent, an A/A canary must not. Before qa54 the heap query of either exporter summed each
 * heap pool after a collection of that pool, in which G1's old generation stays 0 until its first mixed or full
 * collection: the survivors alone, until a pod's old generation crosses the marking threshold and its value jumps by the
 * whole old generation.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.warmup=0s", "canary-judge.analysis.deadline=60s",
                "canary-judge.analysis.history-windows=1", "canary-judge.prometheus.application-label=app",
                "canary-judge.prometheus.timeout=20s", "canary-judge.prometheus.gates.error-ratio.enabled=false",
                "canary-judge.prometheus.gates.latency-p99.enabled=false",
                "canary-judge.configs.otel.exporter=opentelemetry",
                "canary-judge.configs.jmx.exporter=jmx-exporter",
                // the exporters' heap queries before qa54: each heap pool after a collection of that pool
                "canary-judge.configs.otel-after-own-gc.exporter=opentelemetry",
                "canary-judge.configs.otel-after-own-gc.heap.after-gc=sum by ({{instance_label}}) ("
                        + "jvm_memory_used_after_last_gc_bytes{{{selector}},jvm_memory_type=\"heap\"})",
                "canary-judge.configs.jmx-after-own-gc.exporter=jmx-exporter",
                "canary-judge.configs.jmx-after-own-gc.heap.after-gc=sum by ({{instance_label}}) ("
                        + "jvm_memory_pool_collection_used_bytes{{{selector}}})",
                // the OpenTelemetry agent's start as before qa54: a metric the agent does not export
                "canary-judge.configs.otel-no-start.exporter=opentelemetry",
                "canary-judge.configs.otel-no-start.heap.jvm-start=max by ({{instance_label}}) ("
                        + "process_start_time_seconds{{{selector}}})"})
class AgentExportersServiceTest extends ScrapedPodsService {
    static final Path ROOT = Path.of("target", "qa54-service-" + UUID.randomUUID()).toAbsolutePath();
    /** Where the windows end, minutes after the first JVM's start (the pods ran 36 minutes). */
    static final int END = 36;
    /** Each agent's application and the named config choosing its exporter. */
    static final List<String[]> AGENTS = List.of(new String[] {AgentPods.OTEL, "otel"}, new String[] {AgentPods.JMX, "jmx"});

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        prometheus = serve(registry, ROOT.resolve("profiles"), () -> {
            pods = AgentPods.all();
            AgentPods.profiles(pods, ROOT.resolve("profiles"));
            return AgentPods.prometheus(pods, Files.createDirectories(ROOT));
        }, PrometheusProcess::baseUrl);
    }

    /** {@link #analyse(String, String, String, int)} of the 15 minutes ending {@value #END} minutes after the first JVM's start. */
    private JsonNode analyse(String application, String pod, String config) {
        return analyse(application, pod, config, END);
    }

    /**
     * The canary pod {@code pod} against the stable baseline pods of {@code application}, judging live objects, over the
     * 15 minutes ending {@code endMinute} minutes after the first JVM started, with named config {@code config}.
     */
    private JsonNode analyse(String application, String pod, String config, int endMinute) {
        long firstStart = pods.stream().mapToLong(ScrapedPod::jvmStartMillis).min().orElseThrow();
        Instant end = Instant.ofEpochMilli(firstStart).plus(Duration.ofMinutes(endMinute)).truncatedTo(ChronoUnit.MINUTES);
        String body = """
                {"application": "%s", "baseline": {"labels": {"track": "baseline"}},
                 "canary": {"labels": {"track": "canary", "replica": "%s"}},
                 "start": "%s", "end": "%s", "profileTypes": ["live_bytes"], "config": "%s"}"""
                .formatted(application, pod, end.minus(Duration.ofMinutes(15)), end, config);
        JsonNode verdict = analyses(body);
        JsonNode memory = verdict.get("dataQuality").get("memory");
        // the heap's own line: "memory growth not resolved …", or the same-age comparison's when it was judged
        String note = "";
        for (JsonNode n : memory == null ? List.<JsonNode>of() : memory.get("notes").values()) {
            if (note.isEmpty() || n.asString().startsWith("memory growth")) {
                note = n.asString();
            }
        }
        System.err.println(String.format("qa54 %-11s %-15s %-18s end %2d %-12s %s | %s", application, pod, config, endMinute,
                verdict.get("result").asString(), growth(verdict), verdict.get("result").asString().equals("FAIL")
                        ? verdict.get("summary").asString() : note));
        return verdict;
    }

    @Test
    void aCanaryKeepingEverySessionFailsUnderEitherAgent() {
        for (String[] agent : AGENTS) {
            JsonNode verdict = analyse(agent[0], "leak-sessions-1", agent[1]);

            assertThat(verdict.get("result").asString()).as(agent[1] + ": " + verdict).isEqualTo("FAIL");
            assertThat(verdict.get("findings").get(0).get("kind").asString()).as(agent[1]).isEqualTo("MEMORY_GROWTH");
        }
    }

    @Test
    void theHeapAfterGcIsWhatTheJvmKeepsNotTheSurvivorsAlone() {
        // Baseline pod b1's heap after GC as the check saw it, highest point of the window, MiB. Micrometer's endpoint in
        // the same JVM read 50-54 MiB at the end (bench/qa54-queries.py). Each pool after its own last collection (the
        // defaults before qa54) is the survivors alone: G1's old generation had no mixed or full collection in b1.
        for (String[] agent : AGENTS) {
            double now = highestMiB(analyse(agent[0], "leak-sessions-1", agent[1]), "b1");
            double before = highestMiB(analyse(agent[0], "leak-sessions-1", agent[1] + "-after-own-gc"), "b1");

            assertThat(now).as(agent[1]).isBetween(40.0, 70.0);
            assertThat(before).as(agent[1] + "-after-own-gc").isLessThan(10.0);
        }
    }

    /** The highest heap point the verdict shows for pod {@code instance}, MiB. */
    private static double highestMiB(JsonNode verdict, String instance) {
        double highest = Double.NaN;
        for (JsonNode pod : verdict.get("dataQuality").get("memory").get("pods")) {
            if (pod.get("instance").asString().equals(instance)) {
                for (JsonNode point : pod.get("points")) {
                    double mib = point.get(1).asDouble() / (1024 * 1024);
                    highest = Double.isNaN(highest) ? mib : Math.max(highest, mib);
                }
            }
        }
        return highest;
    }

    @Test
    void anAaCanaryDoesNotFailUnderEitherAgent() {
        for (String[] agent : AGENTS) {
            JsonNode verdict = analyse(agent[0], "aa-1", agent[1]);

            assertThat(growth(verdict)).as(agent[1] + ": " + verdict).isEmpty();
            assertThat(verdict.get("result").asString()).as(agent[1]).isNotEqualTo("FAIL");
        }
    }

    @Test
    void aCanaryStartingThreadsThatNeverEndFailsOnThreadsUnderEitherAgent() {
        for (String[] agent : AGENTS) {
            JsonNode verdict = analyse(agent[0], "leak-threads-1", agent[1]);

            assertThat(verdict.get("result").asString()).as(agent[1] + ": " + verdict).isEqualTo("FAIL");
            assertThat(growth(verdict)).as(agent[1]).contains("<threads>");
        }
    }

    @Test
    void theOpenTelemetryAgentsPodsAreAsOldAsTheirFirstScrape() {
        // The agent exports no process_start_time_seconds: asked for it, every pod's age is unknown.
        JsonNode unknown = analyse(AgentPods.OTEL, "aa-1", "otel-no-start");
        JsonNode known = analyse(AgentPods.OTEL, "aa-1", "otel");

        assertThat(unknown.get("dataQuality").get("memory").get("notes").toString())
                .contains("the JVM start of some canary pods is unknown");
        assertThat(known.get("dataQuality").get("memory").get("notes").toString())
                .doesNotContain("the JVM start of some canary pods is unknown");
        // The age used is the JVM's, less the lag of its first scrape (89 s for aa-1: its otel.csv.gz starts 88.6 s after
        // its jvm_start_ms, six JVMs starting two agents each) and at most one query step (60 s) the start resolves to:
        // at most 2.5 min younger than the recorded start says, never older.
        long jvmStart = pods.stream().filter(p -> p.name().equals("aa-1")).findFirst().orElseThrow().jvmStartMillis();
        JsonNode canary = known.get("dataQuality").get("memory").get("pods").values().stream()
                .filter(p -> p.get("group").asString().equals("canary")).findFirst().orElseThrow();
        double trueAge = (canary.get("points").get(0).get(0).asLong() - jvmStart) / 60_000.0;
        assertThat(canary.get("ageMinutes").asDouble()).as(canary.toString()).isBetween(trueAge - 2.5, trueAge + 0.01);
    }

    /**
     * Every canary pod under either agent, with the defaults and with the pools after their own last collection (the
     * defaults before qa54), in 15-minute windows ending every 5 minutes from minute 20, one line each on standard error
     * (docs/EVALUATION.md "The OpenTelemetry agent and the JMX exporter as they export (qa54)"). The A/A canary never
     * fails under the defaults.
     */
    @Test
    void everyCanaryInEveryWindow() {
        for (String config : List.of("otel", "otel-after-own-gc", "jmx", "jmx-after-own-gc")) {
            String application = config.startsWith("otel") ? AgentPods.OTEL : AgentPods.JMX;
            for (int end = 20; end <= END; end += 5) {
                for (String pod : List.of("aa-1", "leak-sessions-1", "leak-threads-1")) {
                    JsonNode verdict = analyse(application, pod, config, end);
                    if (pod.equals("aa-1") && !config.endsWith("after-own-gc")) {
                        assertThat(verdict.get("result").asString()).as(config + " " + end).isNotEqualTo("FAIL");
                    }
                }
            }
        }
    }
}
