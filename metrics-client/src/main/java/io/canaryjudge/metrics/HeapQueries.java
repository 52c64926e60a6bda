package io.canaryjudge.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * @param areas       memory outside the heap judged beside it (metaspace, direct buffers, threads; a Go service's
 *                    goroutines), in order; empty
 *                    for none
 * @param preset      the exporter whose own query {@code heapAfterGc} is ({@link #of}), so that what the series measures
 *                    travels with it rather than being read back from its text; null when the heap query was given or
 *                    replaced ({@link #withOverrides}), whatever metric it names and even word for word the preset's:
 *                    the user chose what to judge, as {@code liveSet} already takes it
 */
public record HeapQueries(QueryTemplate heapAfterGc, QueryTemplate jvmStart, boolean liveSet,
                          List<MemoryAreaQuery> areas, Exporter preset) {

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
    /**
     * The OpenTelemetry Java agent's {@code jvm.memory.used} ({@code jvm_memory_used_bytes}, labels {@code jvm_memory_type},
     * {@code jvm_memory_pool_name}) of the heap pools without the young generation's allocation space, each at its lowest
     * in the step, summed: as {@link #MICROMETER_HEAP_USED}, for the same reasons. Not the agent's
     * {@code jvm.memory.used_after_last_gc}: a pool's usage after a collection of <em>that pool</em>, and G1's old
     * generation's is set only by a full or mixed collection. Recorded (agent 2.22.0, JDK 17, G1; docs/EVALUATION.md "The
     * OpenTelemetry agent and the JMX exporter as they export (qa54)"), {@code G1 Old Gen}'s stayed 0 for 36 minutes in 5
     * of 6 pods while their old generation held 52-56 MiB (the sum: the survivors alone, 3.5-6 MiB), and jumped to the
     * whole old generation at the leaking pod's first mixed collection: its growth read up to twice as fast as it was, and
     * a healthy pod whose first mixed collection fell in the window would read the same jump.
     */
    public static final String OPENTELEMETRY_HEAP_USED = "sum by ({{instance_label}}) (min_over_time(jvm_memory_used_bytes"
            + "{{{selector}},jvm_memory_type=\"heap\",jvm_memory_pool_name!~\"(?i).*(eden|young).*\"}[{{range}}]))";
    /**
     * The JMX exporter's (client_java's) {@code jvm_memory_pool_used_bytes} of the heap pools without the young
     * generation's allocation space, each at its lowest in the step, summed: as {@link #MICROMETER_HEAP_USED}. Its
     * {@code pool} label does not say heap or non-heap, so the heap pools are those with a usage after collection
     * ({@code and on (…, pool) jvm_memory_pool_collection_used_bytes}: only pools a collector manages have one), whatever
     * the collector names them. Not {@code jvm_memory_pool_collection_used_bytes} itself: like the OpenTelemetry agent's
     * {@code used_after_last_gc} ({@link #OPENTELEMETRY_HEAP_USED}) it is each pool after a collection of that pool, and
     * the same values: G1's old generation's stayed 0 until a mixed collection (JMX exporter 1.0.1, qa54).
     */
    public static final String JMX_EXPORTER_HEAP_USED = "sum by ({{instance_label}}) (min_over_time(jvm_memory_pool_used_bytes"
            + "{{{selector}},pool!~\"(?i).*(eden|young).*\"}[{{range}}]) and on ({{instance_label}}, pool)"
            + " jvm_memory_pool_collection_used_bytes{{{selector}}})";
    /**
     * A Go service's heap through client_golang's Go collector ({@code go_memstats_heap_alloc_bytes}: bytes of allocated
     * heap objects, garbage not yet swept included), at its lowest per step. Go's collector is not generational: every
     * cycle marks the whole heap, after which the heap in use falls to the live heap and grows again until the next
     * cycle's goal, so its lowest point in a step is the live heap plus what was allocated before the scrape that caught
     * it, but only when a cycle completes within the step: a service that collects every 30 s to 2 min (a small heap
     * growing slowly to its goal) has steps without one, whose lowest point is garbage, a saw-tooth. So it is not taken
     * as the live set ({@link #liveSet} false: judged with the saw-tooth handling, as the JVM's heap). Go 1.19 and
     * client_golang 1.14 export no after-GC figure ({@code runtime/metrics}' {@code /gc/heap/live:bytes} came with Go
     * 1.21, and client_golang exports runtime/metrics only when asked); {@code go_memstats_next_gc_bytes}, the next
     * cycle's goal, follows the live heap times {@code 1 + GOGC/100} above a 4 MiB floor, so its growth reads twice the
     * live heap's at the default GOGC against thresholds meant for the live heap (measured on a 0.7 MiB/min leak over
     * minutes 6-21: 93 MiB/h, this query 44, the live heap the collector marked 47; docs/EVALUATION.md "(qa69)").
     */
    public static final String CLIENT_GOLANG_HEAP_ALLOC = "max by ({{instance_label}}) (min_over_time("
            + "go_memstats_heap_alloc_bytes{{{selector}}}[{{range}}]))";
    /**
     * Micrometer's metaspace ({@code JvmMemoryMetrics}): the pool {@code Metaspace} (the class space is part of it),
     * at its lowest per step as the heap. Classes defined per request or per reload grow it; only class unloading,
     * which needs their loader to die, shrinks it.
     */
    public static final String MICROMETER_METASPACE = "sum by ({{instance_label}}) (min_over_time(jvm_memory_used_bytes"
            + "{{{selector}},area=\"nonheap\",id=\"Metaspace\"}[{{range}}]))";
    /**
     * Micrometer's direct buffers ({@code JvmMemoryMetrics}), at their lowest per step: a buffer no longer referenced is
     * freed only after a collection found it, so the lowest point is the kept ones.
     */
    public static final String MICROMETER_DIRECT_BUFFERS = "sum by ({{instance_label}}) (min_over_time("
            + "jvm_buffer_memory_used_bytes{{{selector}},id=\"direct\"}[{{range}}]))";
    /** Micrometer's live threads ({@code JvmThreadMetrics}), at their lowest per step. */
    public static final String MICROMETER_THREADS = "max by ({{instance_label}}) (min_over_time("
            + "jvm_threads_live_threads{{{selector}}}[{{range}}]))";
    /** The OpenTelemetry Java agent's {@code jvm.memory.used} of the pool {@code Metaspace}. */
    public static final String OPENTELEMETRY_METASPACE = "sum by ({{instance_label}}) (min_over_time(jvm_memory_used_bytes"
            + "{{{selector}},jvm_memory_type=\"non_heap\",jvm_memory_pool_name=\"Metaspace\"}[{{range}}]))";
    /** The OpenTelemetry Java agent's {@code jvm.buffer.memory.used} (an experimental metric, off by default). */
    public static final String OPENTELEMETRY_DIRECT_BUFFERS = "sum by ({{instance_label}}) (min_over_time("
            + "jvm_buffer_memory_used_bytes{{{selector}},jvm_buffer_pool_name=\"direct\"}[{{range}}]))";
    /**
     * The OpenTelemetry Java agent's {@code jvm.thread.count}, summed over its daemon and state labels first, then at its
     * lowest per step: each state's own minimum would move as threads change state with load.
     */
    public static final String OPENTELEMETRY_THREADS = "min_over_time((sum by ({{instance_label}}) ("
            + "jvm_thread_count{{{selector}}}))[{{range}}:])";
    /** The JMX exporter's (client_java's) pool {@code Metaspace}. */
    public static final String JMX_EXPORTER_METASPACE = "sum by ({{instance_label}}) (min_over_time("
            + "jvm_memory_pool_used_bytes{{{selector}},pool=\"Metaspace\"}[{{range}}]))";
    /** The JMX exporter's (client_java's) direct buffer pool. */
    public static final String JMX_EXPORTER_DIRECT_BUFFERS = "sum by ({{instance_label}}) (min_over_time("
            + "jvm_buffer_pool_used_bytes{{{selector}},pool=\"direct\"}[{{range}}]))";
    /** The JMX exporter's (client_java's) live threads. */
    public static final String JMX_EXPORTER_THREADS = "max by ({{instance_label}}) (min_over_time("
            + "jvm_threads_current{{{selector}}}[{{range}}]))";
    /**
     * client_golang's Go collector's {@code go_goroutines} (goroutines that exist now), at its lowest per step: goroutines
     * serving requests in flight come and go within a step, one blocked forever stays in every later step. A goroutine
     * leak (a goroutine per request parked on a channel nobody closes, a context never cancelled) raises it while the
     * heap hardly moves: each holds a stack of 2 KiB or more, outside {@code go_memstats_heap_alloc_bytes}, and what it
     * references. Judged as the JVM's live threads are (docs/EVALUATION.md "Go services that leak goroutines (qa74)").
     */
    public static final String CLIENT_GOLANG_GOROUTINES = "max by ({{instance_label}}) (min_over_time("
            + "go_goroutines{{{selector}}}[{{range}}]))";
    /** The areas' names, in the order they are judged. */
    public static final String METASPACE = "metaspace";
    public static final String DIRECT_BUFFERS = "direct-buffers";
    /** Resident memory that no pool the JVM reports accounts for ({@link #nativeQuery}). */
    public static final String NATIVE = "native";
    /** Micrometer's direct buffers' capacity ({@code JvmMemoryMetrics}): what they reserved, used or not. */
    public static final String MICROMETER_DIRECT_CAPACITY = "jvm_buffer_total_capacity_bytes{{{selector}},id=\"direct\"}";
    /** The OpenTelemetry Java agent's {@code jvm.buffer.memory.limit} of the direct pool (experimental, off by default). */
    public static final String OPENTELEMETRY_DIRECT_CAPACITY =
            "jvm_buffer_memory_limit_bytes{{{selector}},jvm_buffer_pool_name=\"direct\"}";
    /** The JMX exporter's (client_java's) direct buffer pool's capacity. */
    public static final String JMX_EXPORTER_DIRECT_CAPACITY = "jvm_buffer_pool_capacity_bytes{{{selector}},pool=\"direct\"}";

    /**
     * Native memory per pod: what the pod holds resident minus what the JVM has committed to its own pools (heap,
     * metaspace, class space, code cache) and reserved for direct buffers. A JNI library that never frees, an
     * {@code Inflater} never ended or malloc arenas that keep growing raise it while every pool stays flat; the heap
     * expanding to its maximum, or a cache warming into it, raises the resident size and the committed heap alike and
     * leaves it flat (measured: docs/EVALUATION.md "Native memory growth (qa46)"). A young JVM's committed heap pages are
     * resident only once touched, so the value starts negative (those points are left out) and rises over its first
     * minutes; the memory check's warm-up, its same-age comparison and its rule that a canary must end above every
     * baseline pod's level keep that from failing. Counting the heap's highest use in the last hour as its resident part
     * instead removed that rise but added the noise of each new peak, and caught fewer recorded leaks (1 of 32 cases
     * against 12 of 32).
     * <p>
     * The resident size is cAdvisor's {@code container_memory_working_set_bytes} (every Kubernetes Prometheus scrapes it
     * from the kubelet; the OOM killer acts on it), of the pod's largest container — the JVM, not a sidecar — leaving out
     * the pause container ({@code container="POD"}) and the pod-level sum ({@code container=""}). Its series carry
     * {@code pod} and {@code namespace} but not the application's labels, so they are kept only for pods whose JVM
     * metrics match the selector ({@code and on ({{instance_label}})}). Where there is none, the process's own
     * {@code process_resident_memory_bytes} (client_java, the JMX exporter, a Micrometer gauge). Each at its lowest per
     * step (memory malloc'ed and freed within the step is not kept), the committed pools at their highest (a heap that
     * expanded within the step is subtracted whole).
     *
     * @param directCapacity the exporter's direct buffer capacity, with {@code {{selector}}}: direct buffers are judged
     *                       as their own area, so a direct-buffer leak is not counted twice
     */
    public static String nativeQuery(String directCapacity) {
        String committed = "jvm_memory_committed_bytes{{{selector}}}";
        return "(max by ({{instance_label}}) (min_over_time(container_memory_working_set_bytes{container!=\"\","
                + "container!=\"POD\"}[{{range}}]) and on ({{instance_label}}) " + committed + ")"
                + " or max by ({{instance_label}}) (min_over_time(process_resident_memory_bytes{{{selector}}}[{{range}}])))"
                + " - on ({{instance_label}}) sum by ({{instance_label}}) (max_over_time(" + committed + "[{{range}}])"
                + " or max_over_time(" + directCapacity + "[{{range}}]))";
    }

    /** {@code process_start_time_seconds}: Micrometer ({@code UptimeMetrics}) and client_java (the JMX exporter) write it. */
    public static final String PROCESS_START = "max by ({{instance_label}}) (process_start_time_seconds{{{selector}}})";
    /**
     * The OpenTelemetry Java agent exports no start time (no {@code process_start_time_seconds}; its resource, in
     * {@code target_info}, has none either), so a pod's start is taken as its JVM's first scrape: the earliest sample of
     * {@code jvm_class_loaded_total} (one series per JVM, from the agent's start) in the 6 hours before each step, or,
     * when the JVM restarted since under the same labels (a container restarted in its pod keeps the pod's name and
     * address), the first sample after the restart. A restart shows as a counter that went down: its CPU time
     * ({@code jvm_cpu_time_seconds_total}) or classes loaded below its last value up to a minute earlier, looked back
     * 15 minutes for (Kubernetes' back-off between restarts is at most 5); the step it first shows at (within a minute
     * of the new JVM's first scrape) is the start. Recorded (qa59, docs/EVALUATION.md): a JVM restarted after 5 minutes
     * read 6,154 classes and 9.3 s of CPU at its first scrape against 6,260 classes and 12.5 s before; without the
     * restart its start stayed the first JVM's, and its warm-up was judged as growth. A pod first seen at the start of
     * the lookback, and not restarted since, was there before it: its start is unknown and the step answers nothing for
     * it ({@code > time() - 21540}: 6 h less one subquery step), as for an exporter without a start time, rather than an
     * age of 6 h that the same-age comparison would take for its start. Measured (qa54), the first scrape came 19 s
     * after the JVM's start (three JVMs), 79-89 s with six JVMs starting two agents each on a loaded machine (the agent's
     * start-up and the scrape interval), plus up to the subquery's minute.
     */
    public static final String OPENTELEMETRY_START = "max by ({{instance_label}}) (max_over_time(("
            + "timestamp(jvm_class_loaded_total{{{selector}}}) and (jvm_cpu_time_seconds_total{{{selector}}}"
            + " < last_over_time(jvm_cpu_time_seconds_total{{{selector}}}[15m] offset 1m)"
            + " or jvm_class_loaded_total{{{selector}}} < last_over_time(jvm_class_loaded_total{{{selector}}}[15m] offset 1m)"
            + "))[6h:1m]) or (min_over_time(timestamp(jvm_class_loaded_total{{{selector}}})[6h:1m]) > time() - 21540))";

    /** The exporters the defaults fit. */
    public enum Exporter {
        /** Micrometer (Spring Boot Actuator): heap used at its lowest per step. The default. */
        MICROMETER,
        /** Micrometer's live data size (see {@link #MICROMETER_LIVE_DATA} for its caveat). */
        MICROMETER_LIVE_DATA,
        /** The OpenTelemetry Java agent's runtime metrics, exported to Prometheus. */
        OPENTELEMETRY,
        /** The Prometheus JMX exporter (client_java's JVM metrics). */
        JMX_EXPORTER,
        /**
         * A Go service's client_golang Go collector ({@link #CLIENT_GOLANG_HEAP_ALLOC}); its goroutines
         * ({@link #CLIENT_GOLANG_GOROUTINES}) the one area outside the heap.
         */
        CLIENT_GOLANG
    }

    public HeapQueries {
        Objects.requireNonNull(heapAfterGc, "heapAfterGc");
        Objects.requireNonNull(jvmStart, "jvmStart");
        areas = areas == null ? List.of() : List.copyOf(areas);
    }

    /** Queries the user gave (no exporter's preset), with {@code areas} outside the heap. */
    public HeapQueries(QueryTemplate heapAfterGc, QueryTemplate jvmStart, boolean liveSet, List<MemoryAreaQuery> areas) {
        this(heapAfterGc, jvmStart, liveSet, areas, null);
    }

    /** Queries of the heap only, no area outside it. */
    public HeapQueries(QueryTemplate heapAfterGc, QueryTemplate jvmStart, boolean liveSet) {
        this(heapAfterGc, jvmStart, liveSet, List.of());
    }

    /** Queries of the heap after any collection (not the live set alone), no area outside it. */
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
            case OPENTELEMETRY -> OPENTELEMETRY_HEAP_USED;
            case JMX_EXPORTER -> JMX_EXPORTER_HEAP_USED;
            case CLIENT_GOLANG -> CLIENT_GOLANG_HEAP_ALLOC;
        };
        // client_golang's process collector writes process_start_time_seconds
        String start = exporter == Exporter.OPENTELEMETRY ? OPENTELEMETRY_START : PROCESS_START;
        return new HeapQueries(new QueryTemplate("heap_after_gc", heap), new QueryTemplate("jvm_start", start),
                exporter == Exporter.MICROMETER_LIVE_DATA, areas(exporter), exporter);
    }

    /**
     * The live set to judge when the heap after GC cannot resolve growth: Micrometer's live data size
     * ({@link #MICROMETER_LIVE_DATA}) beside Micrometer's default heap query. A G1 heap that marks its old generation
     * every few minutes is a saw-tooth whose troughs a 15-minute window seldom holds twice per pod, while the live data
     * size gives the live set at each of those collections directly (docs/EVALUATION.md "Saw-tooth heaps: what the user
     * is told (qa52)"). Null for the other exporters (none exports a live set), for queries already of the live set, and
     * when the heap query was replaced ({@link #preset} null: the user chose what to judge).
     */
    public QueryTemplate liveSetFallback() {
        return !liveSet && preset == Exporter.MICROMETER
                ? new QueryTemplate("heap_live_data", MICROMETER_LIVE_DATA) : null;
    }

    /**
     * The exporter's areas outside the heap. The code cache is not among them: it is bounded by its reservation
     * ({@code ReservedCodeCacheSize}, 240 MiB at most by default), and a canary compiling different code fills it
     * differently while it warms.
     */
    public static List<MemoryAreaQuery> areas(Exporter exporter) {
        String[] texts = switch (exporter) {
            case MICROMETER, MICROMETER_LIVE_DATA -> new String[] {MICROMETER_METASPACE, MICROMETER_DIRECT_BUFFERS,
                    MICROMETER_THREADS, nativeQuery(MICROMETER_DIRECT_CAPACITY)};
            case OPENTELEMETRY -> new String[] {OPENTELEMETRY_METASPACE, OPENTELEMETRY_DIRECT_BUFFERS, OPENTELEMETRY_THREADS,
                    nativeQuery(OPENTELEMETRY_DIRECT_CAPACITY)};
            case JMX_EXPORTER -> new String[] {JMX_EXPORTER_METASPACE, JMX_EXPORTER_DIRECT_BUFFERS, JMX_EXPORTER_THREADS,
                    nativeQuery(JMX_EXPORTER_DIRECT_CAPACITY)};
            // a Go process has no metaspace, direct buffers or JVM pools to subtract from its resident size: its
            // goroutines, each a stack of its own, are what its threads are to a JVM
            case CLIENT_GOLANG -> new String[] {CLIENT_GOLANG_GOROUTINES};
        };
        String[] names = exporter == Exporter.CLIENT_GOLANG ? new String[] {MemoryAreaQuery.GOROUTINES}
                : new String[] {METASPACE, DIRECT_BUFFERS, MemoryAreaQuery.THREADS, NATIVE};
        List<MemoryAreaQuery> areas = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            areas.add(new MemoryAreaQuery(names[i], new QueryTemplate(names[i], texts[i])));
        }
        return List.copyOf(areas);
    }

    /**
     * These queries with some areas replaced, added ({@code name → PromQL}) or turned off (a blank text); a name not
     * among the areas adds one.
     *
     * @throws InvalidQueryTemplateException naming the area and the problem
     */
    public HeapQueries withAreaOverrides(Map<String, String> overrides) {
        if (overrides == null || overrides.isEmpty()) {
            return this;
        }
        Map<String, MemoryAreaQuery> byName = new LinkedHashMap<>();
        for (MemoryAreaQuery area : areas) {
            byName.put(area.area(), area);
        }
        overrides.forEach((given, text) -> {
            // an environment variable cannot spell the hyphen (…_AREAS_DIRECTBUFFERS binds "directbuffers")
            String name = byName.keySet().stream().filter(area -> area.replace("-", "").equals(given.replace("-", "")))
                    .findFirst().orElse(given);
            if (text == null || text.isBlank()) {
                if (byName.remove(name) == null) {
                    // a typo ("metaspce: ''") turned nothing off and said nothing
                    throw new InvalidQueryTemplateException(given, "no memory area \"" + given + "\" to turn off;"
                            + " the areas are " + String.join(", ", byName.keySet()));
                }
            } else {
                byName.put(name, new MemoryAreaQuery(name, new QueryTemplate(name, text)));
            }
        });
        return new HeapQueries(heapAfterGc, jvmStart, liveSet, List.copyOf(byName.values()), preset);
    }

    /**
     * These queries with some replaced; a null or blank text keeps the current one. A replaced heap query is
     * taken as the heap after any collection (not the live set alone), and as no exporter's preset.
     *
     * @throws InvalidQueryTemplateException naming the template and the problem
     */
    public HeapQueries withOverrides(String heapAfterGcText, String jvmStartText) {
        boolean heapKept = heapAfterGcText == null || heapAfterGcText.isBlank();
        return new HeapQueries(
                heapKept ? heapAfterGc : new QueryTemplate("heap_after_gc", heapAfterGcText),
                jvmStartText == null || jvmStartText.isBlank() ? jvmStart : new QueryTemplate("jvm_start", jvmStartText),
                liveSet && heapKept, areas, heapKept ? preset : null);
    }
}
