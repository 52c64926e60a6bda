package io.canaryjudge.memory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;
import java.util.zip.GZIPInputStream;

/**
 * Recorded pods' Prometheus scrapes ({@code prometheus.csv.gz}: {@code timestamp_ms,metric,id,value}) gathered into one
 * OpenMetrics file for a real Prometheus to backfill: samples grouped by metric family and series, in time order.
 */
public final class ScrapedSeries {
    /** The labels of one pod's sample of {@code metric} ({@code id}: the pool or buffer the export kept), or null to leave it out. */
    @FunctionalInterface
    public interface Labels {
        String of(String metric, String id);
    }

    /** family → series labels → sample lines. */
    private final Map<String, Map<String, List<String>>> families = new TreeMap<>();

    /** Adds every sample of {@code csv} (gzip) that {@code labels} labels; NaN values are left out. */
    public void add(Path csv, Labels labels) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(csv)), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.split(",", -1);
                if (f.length != 4 || f[0].equals("timestamp_ms") || f[3].equals("NaN")) {
                    continue;
                }
                String metric = f[1];
                String series = labels.of(metric, f[2]);
                if (series == null) {
                    continue;
                }
                double seconds = Long.parseLong(f[0]) / 1000.0;
                families.computeIfAbsent(metric, k -> new TreeMap<>())
                        .computeIfAbsent(series, k -> new ArrayList<>())
                        .add(metric + "{" + series + "} " + f[3] + " " + String.format(Locale.ROOT, "%.3f", seconds));
            }
        }
    }

    /**
     * Adds the samples of one {@code metric} of {@code csv} (gzip), all ids summed per timestamp, under another name
     * ({@code asMetric}) and labels, each value passed through {@code value}: one recorded series seen as another
     * exporter would write it (a process's resident size as cAdvisor's container working set).
     */
    public void addAs(Path csv, String metric, String asMetric, String labels, DoubleUnaryOperator value) throws IOException {
        Map<Long, Double> sums = new TreeMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(csv)), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.split(",", -1);
                if (f.length == 4 && f[1].equals(metric) && !f[3].equals("NaN")) {
                    sums.merge(Long.parseLong(f[0]), Double.parseDouble(f[3]), Double::sum);
                }
            }
        }
        List<String> samples = families.computeIfAbsent(asMetric, k -> new TreeMap<>())
                .computeIfAbsent(labels, k -> new ArrayList<>());
        sums.forEach((millis, sum) -> samples.add(asMetric + "{" + labels + "} "
                + String.format(Locale.ROOT, "%.1f %.3f", value.applyAsDouble(sum), millis / 1000.0)));
    }

    /** Every family's samples as gauges, closed by {@code # EOF}. */
    public void write(Path file) throws IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            for (Map.Entry<String, Map<String, List<String>>> family : families.entrySet()) {
                out.print("# TYPE " + family.getKey() + " gauge\n");
                for (List<String> series : family.getValue().values()) {
                    for (String sample : series) {
                        out.print(sample + "\n");
                    }
                }
            }
            out.print("# EOF\n");
        }
    }
}
