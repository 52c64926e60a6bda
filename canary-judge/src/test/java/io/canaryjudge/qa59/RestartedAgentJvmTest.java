package io.canaryjudge.qa59;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.memory.ScrapedSeries;
import io.canaryjudge.metrics.HeapQueries;
import io.canaryjudge.metrics.PrometheusConnection;
import io.canaryjudge.metrics.PrometheusHttpClient;
import io.canaryjudge.metrics.QueryParameters;
import io.canaryjudge.metrics.TimeSeries;
import io.canaryjudge.metrics.testing.PrometheusProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenTelemetry Java agent's JVM start ({@link HeapQueries#OPENTELEMETRY_START}: the agent exports no start time, so
 * a JVM's first scrape) for a JVM that restarted under the same labels, as a container restarted in its pod keeps the
 * pod's name and address. Recorded (src/test/resources/qa59/restart, README there; {@code bench/qa59-restart.sh}): two
 * {@code MemoryPod} JVMs under the agent 2.22.0, scraped every 10 s by a real Prometheus; {@code r1} stopped after 5
 * minutes and started again 20 s later on the same ports, {@code s1} ran throughout. Their scrapes are backfilled into a
 * real Prometheus and the start query asked over the recording, one step a minute, as the service asks it.
 *
 * <p>Before qa59 the query took a pod's earliest scrape in the 6 hours before each step, so {@code r1}'s restarted JVM
 * kept its first JVM's start, 5.6 minutes older than it was: the memory check would have counted that JVM's warm-up as
 * growth.
 */
class RestartedAgentJvmTest {
    static final Path FOLDER = Path.of("src", "test", "resources", "qa59", "restart");
    static final Duration STEP = Duration.ofMinutes(1);

    static PrometheusProcess prometheus;
    static PrometheusHttpClient client;

    @BeforeAll
    static void backfill(@TempDir Path scratch) throws IOException {
        ScrapedSeries scraped = new ScrapedSeries();
        for (String pod : List.of("r1", "s1")) {
            String labels = "app=\"orders-otel\",pod=\"" + pod + "\",track=\"" + (pod.equals("s1") ? "baseline" : "canary")
                    + '"';
            // the export wrote the agent's own labels as k=v;k=v
            scraped.add(FOLDER.resolve(pod).resolve("otel.csv.gz"), (metric, own) -> own.isEmpty() ? labels
                    : labels + "," + Stream.of(own.split(";")).map(kv -> kv.replaceFirst("=(.*)", "=\"$1\""))
                    .collect(Collectors.joining(",")));
        }
        Path file = scratch.resolve("qa59-restart.om");
        scraped.write(file);
        prometheus = PrometheusProcess.backfilled(file);
        client = new PrometheusHttpClient(PrometheusConnection.of(prometheus.baseUrl()).withTimeout(Duration.ofSeconds(30)));
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    private static Properties pod(String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(FOLDER.resolve(name).resolve("pod.properties"))) {
            p.load(in);
        }
        return p;
    }

    /** The start query's answer for {@code pod}, epoch milliseconds per step, over the whole recording. */
    private static TimeSeries start(String pod) throws IOException {
        long first = Long.parseLong(pod("s1").getProperty("jvm_start_ms.1"));
        Instant from = Instant.ofEpochMilli(first).plus(STEP);
        Instant to = Instant.ofEpochMilli(first).plus(Duration.ofMinutes(12));
        QueryParameters parameters = QueryParameters.of(Map.of("app", "orders-otel", "pod", pod), STEP)
                .withInstanceLabel("pod");
        List<TimeSeries> answer = client.queryRange(HeapQueries.of(HeapQueries.Exporter.OPENTELEMETRY).jvmStart()
                .render(parameters), from, to, STEP).block(Duration.ofSeconds(60));
        assertThat(answer).as(pod).hasSize(1);
        return answer.get(0);
    }

    @Test
    void aJvmRestartedUnderTheSameLabelsIsAsOldAsItsOwnFirstScrape() throws IOException {
        Properties r1 = pod("r1");
        long firstJvm = Long.parseLong(r1.getProperty("jvm_start_ms.1"));
        long restarted = Long.parseLong(r1.getProperty("jvm_start_ms.2"));
        TimeSeries start = start("r1");

        int before = 0;
        int after = 0;
        for (int i = 0; i < start.size(); i++) {
            long step = start.timestampsMillis()[i];
            long startMillis = Math.round(start.values()[i] * 1000);
            if (step < restarted) {
                // the first JVM: its first scrape (19 s after it started), at most a minute later
                assertThat(startMillis).as("step %d", step).isBetween(firstJvm, firstJvm + 90_000);
                before++;
            } else if (step >= restarted + 90_000) {
                // the restarted JVM: never older than it is, at most its first scrape (22 s) and a minute younger;
                // before qa59 this read the first JVM's start
                assertThat(startMillis).as("step %d", step).isBetween(restarted, restarted + 90_000);
                after++;
            }
        }
        assertThat(before).isGreaterThanOrEqualTo(3);
        assertThat(after).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aJvmThatDidNotRestartKeepsItsFirstScrape() throws IOException {
        long jvm = Long.parseLong(pod("s1").getProperty("jvm_start_ms.1"));
        TimeSeries start = start("s1");

        assertThat(start.size()).isGreaterThanOrEqualTo(9);
        for (double seconds : start.values()) {
            // its first scrape came 29 s after the JVM started; the start resolves to a minute's step after it
            assertThat(Math.round(seconds * 1000)).isBetween(jvm, jvm + 90_000);
        }
    }
}
