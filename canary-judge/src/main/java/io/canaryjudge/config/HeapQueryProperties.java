package io.canaryjudge.config;

import io.canaryjudge.metrics.HeapQueries;
import io.canaryjudge.metrics.InvalidQueryTemplateException;
import java.time.Duration;
import java.util.Map;

/**
 * The memory-growth check's queries ({@code canary-judge.prometheus.heap.*}): each pod's heap after GC and
 * its JVM's start, per pod over the analysis window (docs/METRICS.md). Unset keeps the defaults of the
 * exporter.
 *
 * @param exporter  whose metrics the pods expose: {@code micrometer}, {@code micrometer-live-data},
 *                  {@code opentelemetry}, {@code jmx-exporter}; unset: the one {@code canary-judge.prometheus.exporter}
 *                  (or the named config's {@code exporter}) names, else {@code micrometer}
 * @param afterGc   replaces the exporter's heap-after-GC query (PromQL template, bytes, one series per pod)
 * @param jvmStart  replaces the JVM-start query (seconds since the epoch, one series per pod)
 * @param step      resolution asked of Prometheus: one point per pod and step (the check keeps the lowest
 *                  point per minute, so steps above a minute lose points)
 * @param areas     memory outside the heap, by area name ({@code metaspace}, {@code direct-buffers}, {@code threads},
 *                  or a new name): a PromQL template (bytes per pod; live threads for {@code threads}) replaces or adds
 *                  the area, an empty one turns it off; unset keeps the exporter's
 */
public record HeapQueryProperties(HeapQueries.Exporter exporter, String afterGc, String jvmStart, Duration step,
                                  Map<String, String> areas) {
    static final Duration DEFAULT_STEP = Duration.ofMinutes(1);

    /** The queries, checked, over {@code fallback}'s when no exporter is set here; errors name {@code property}.KEY. */
    HeapQueries queries(String property, HeapQueries.Exporter fallback) {
        HeapQueries base = HeapQueries.of(exporter == null ? fallback : exporter);
        try {
            return base.withOverrides(afterGc, jvmStart).withAreaOverrides(areas);
        } catch (InvalidQueryTemplateException e) {
            String key = e.templateName().equals("heap_after_gc") ? "after-gc"
                    : e.templateName().equals("jvm_start") ? "jvm-start" : "areas." + e.templateName();
            throw new IllegalArgumentException(property + "." + key + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + ".areas: " + e.getMessage(), e);
        }
    }

    /**
     * The step, checked: at least 1 s (Prometheus' client refuses finer steps at every query) and at most 5 minutes
     * (fewer than 3 points in a 15-minute window judge nothing).
     */
    Duration step(String property) {
        if (step == null) {
            return DEFAULT_STEP;
        }
        if (step.compareTo(Duration.ofSeconds(1)) < 0 || step.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException(property + ".step must be between 1s and 5m, was " + step);
        }
        return step;
    }
}
