package io.canaryjudge.metrics;

import java.util.Objects;

/**
 * The queries for the memory-growth check: each pod's heap after GC over the window, and when its
 * JVM started (young canaries: a warming cache is not a leak). Both are summed or maxed
 * {@code by ({{instance_label}})}: one series per pod. Defaults per exporter; each can be replaced
 * in configuration.
 *
 * @param heapAfterGc bytes; with step = range, one point per step per pod
 * @param jvmStart    seconds since the epoch, per pod
 * @param liveSet     whether {@code heapAfterGc} already is the live set after old-generation collections
 *                    (Micrometer's live data size): then its drops are the live set shrinking, not a saw-tooth
 *                    of promoted garbage to be looked through
 */
public record HeapQueries(QueryTemplate heapAfterGc, QueryTemplate jvmStart, boolean liveSet) {

    /**
     * Micrometer's {@code jvm_memory_used_bytes{area="heap"}} without the young generation's allocation
     * space (pools named {@code …Eden…} or {@code …Young…}), each pool at its lowest in the step, summed:
     * the old generation and survivors change only at collections, so this is the heap after the last
     * collection. Eden is left out because between collections it holds only what was allocated since
     * the last one: at its lowest in a step it is whatever the scrapes happened to catch (measured on the
     * recorded pods, whose young collections came every 20 s to 2.5 min: with eden the 1-minute values
     * scattered by up to its size and hid a 0.7 MiB/min leak; docs/EVALUATION.md). A heap of one pool
     * (ZGC before JDK 21, Shenandoah) is taken whole, at its lowest per step.
     */
    public static final String MICROMETER_HEAP_USED =
            "sum by ({{instance_label}}) (min_over_time(jvm_memory_used_bytes{{{selector}},area=\"heap\",id!~\"(?i).*(eden|young).*\"}[{{range}}]))";
    /**
     * Micrometer's {@code jvm_gc_live_data_size_bytes}: the old generation after a collection that
     * shrank it or a major collection — the live set, but only as fresh as the last such collection. A
     * G1 JVM whose old generation stays below the marking threshold never updates it (it then repeats
     * one value, which the judge counts as one point, and says there is too little to judge).
     */
    public static final String MICROMETER_LIVE_DATA =
            "max by ({{instance_label}}) (jvm_gc_live_data_size_bytes{{{selector}}})";
    /** The OpenTelemetry Java agent's {@code jvm.memory.used_after_last_gc}, summed over the heap pools. */
    public static final String OPENTELEMETRY_AFTER_LAST_GC =
            "sum by ({{instance_label}}) (jvm_memory_used_after_last_gc_bytes{{{selector}},jvm_memory_type=\"heap\"})";
    /**
     * The Prometheus JMX exporter's (client_java's) {@code jvm_memory_pool_collection_used_bytes}: each
     * pool after its last collection; only heap pools have one.
     */
    public static final String JMX_EXPORTER_COLLECTION_USED =
            "sum by ({{instance_label}}) (jvm_memory_pool_collection_used_bytes{{{selector}}})";
    /** {@code process_start_time_seconds}: Micrometer ({@code UptimeMetrics}) and client_java write it. */
    public static final String PROCESS_START = "max by ({{instance_label}}) (process_start_time_seconds{{{selector}}})";

    /** The exporters the defaults fit. */
    public enum Exporter {
        /** Micrometer (Spring Boot Actuator): heap used at its lowest per step. The default. */
        MICROMETER,
        /** Micrometer's live data size (see {@link #MICROMETER_LIVE_DATA} for its caveat). */
        MICROMETER_LIVE_DATA,
        /** The OpenTelemetry Java agent's runtime metrics, exported to Prometheus. */
        OPENTELEMETRY,
        /** The Prometheus JMX exporter (client_java's JVM metrics). */
        JMX_EXPORTER
    }

    public HeapQueries {
        Objects.requireNonNull(heapAfterGc, "heapAfterGc");
        Objects.requireNonNull(jvmStart, "jvmStart");
    }

    /** Queries of the heap after any collection (not the live set alone). */
    public HeapQueries(QueryTemplate heapAfterGc, QueryTemplate jvmStart) {
        this(heapAfterGc, jvmStart, false);
    }

    /** Micrometer's heap used, lowest per step; process start time. */
    public static HeapQueries defaults() {
        return of(Exporter.MICROMETER);
    }

    public static HeapQueries of(Exporter exporter) {
        String heap = switch (exporter) {
            case MICROMETER -> MICROMETER_HEAP_USED;
            case MICROMETER_LIVE_DATA -> MICROMETER_LIVE_DATA;
            case OPENTELEMETRY -> OPENTELEMETRY_AFTER_LAST_GC;
            case JMX_EXPORTER -> JMX_EXPORTER_COLLECTION_USED;
        };
        return new HeapQueries(new QueryTemplate("heap_after_gc", heap), new QueryTemplate("jvm_start", PROCESS_START),
                exporter == Exporter.MICROMETER_LIVE_DATA);
    }

    /**
     * These queries with some replaced; a null or blank text keeps the current one. A replaced heap query is
     * taken as the heap after any collection (not the live set alone).
     *
     * @throws InvalidQueryTemplateException naming the template and the problem
     */
    public HeapQueries withOverrides(String heapAfterGcText, String jvmStartText) {
        return new HeapQueries(
                heapAfterGcText == null || heapAfterGcText.isBlank() ? heapAfterGc : new QueryTemplate("heap_after_gc", heapAfterGcText),
                jvmStartText == null || jvmStartText.isBlank() ? jvmStart : new QueryTemplate("jvm_start", jvmStartText),
                liveSet && (heapAfterGcText == null || heapAfterGcText.isBlank()));
    }
}
