package io.canaryjudge.qa54;

import io.canaryjudge.memory.ScrapedPod;
import io.canaryjudge.memory.ScrapedSeries;
import io.canaryjudge.metrics.testing.PrometheusProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The qa54 recordings (src/test/resources/qa54, README there): JVMs of the memory scenarios' order service run under the
 * OpenTelemetry Java agent 2.22.0 (Prometheus exporter) and the Prometheus JMX exporter 1.0.1 javaagent at once, each
 * agent's scrapes as a real Prometheus stored them. {@link #prometheus} backfills both into one real Prometheus, the
 * OpenTelemetry agent's series under {@code app="orders-otel"}, the JMX exporter's under {@code app="orders-jmx"} (both
 * write {@code jvm_memory_committed_bytes}: one application must not see the other's), with the labels each agent gave
 * them plus {@code pod}, {@code replica}, {@code track}, {@code variant}.
 */
final class AgentPods {
    static final Path FOLDER = Path.of("src", "test", "resources", "qa54");
    static final String OTEL = "orders-otel";
    static final String JMX = "orders-jmx";

    private AgentPods() {
    }

    static List<ScrapedPod> all() throws IOException {
        return ScrapedPod.in(FOLDER.resolve("pods"));
    }

    /** A real Prometheus holding every pod's scrapes of both agents. */
    static PrometheusProcess prometheus(List<ScrapedPod> pods, Path scratch) throws IOException {
        Path file = scratch.resolve("qa54.om");
        ScrapedSeries scraped = new ScrapedSeries();
        for (ScrapedPod pod : pods) {
            for (String[] agent : new String[][] {{"otel.csv.gz", OTEL}, {"jmx.csv.gz", JMX}}) {
                String labels = "app=\"" + agent[1] + "\",pod=\"" + pod.name() + "\",replica=\"" + pod.name()
                        + "\",track=\"" + pod.track() + "\",variant=\"" + pod.variant() + '"';
                // the export wrote the agent's own labels as k=v;k=v
                scraped.add(FOLDER.resolve("pods").resolve(pod.name()).resolve(agent[0]), (metric, own) -> own.isEmpty()
                        ? labels : labels + "," + Stream.of(own.split(";")).map(kv -> kv.replaceFirst("=(.*)", "=\"$1\""))
                        .collect(Collectors.joining(",")));
            }
        }
        scraped.write(file);
        return PrometheusProcess.backfilled(file);
    }

    /** The pods' live-object recordings and labels in a local profile directory ROOT/APP/POD, for both applications. */
    static void profiles(List<ScrapedPod> pods, Path root) throws IOException {
        for (ScrapedPod pod : pods) {
            Path from = FOLDER.resolve("pods").resolve(pod.name());
            for (String app : List.of(OTEL, JMX)) {
                Path to = Files.createDirectories(root.resolve(app).resolve(pod.name()));
                Files.copy(from.resolve("live-last.jfr.gz"), to.resolve("live-last.jfr.gz"));
                Files.copy(from.resolve("labels.properties"), to.resolve("labels.properties"));
            }
        }
    }
}
