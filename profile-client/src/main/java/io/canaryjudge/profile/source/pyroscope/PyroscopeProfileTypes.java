package io.canaryjudge.profile.source.pyroscope;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.pprof.PprofSampleTypes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which Pyroscope profile type IDs ({@code name:sampleType:sampleUnit:periodType:periodUnit}) make up each
 * of the judge's profile types. Pyroscope stores a Java profile as one series per ID, as its JFR parser
 * (grafana/jfr-parser, {@code pprof/pprof.go}) splits a recording:
 *
 * <ul>
 *   <li>{@code jdk.ExecutionSample} → {@code process_cpu:cpu:nanoseconds:cpu:nanoseconds}; wall-clock
 *       samples → {@code wall:wall:nanoseconds:wall:nanoseconds};</li>
 *   <li>{@code jdk.ObjectAllocationInNewTLAB} → {@code memory:alloc_in_new_tlab_{objects,bytes}}, {@code
 *       jdk.ObjectAllocationOutsideTLAB} → {@code memory:alloc_outside_tlab_{objects,bytes}}; the JDK's own
 *       sampler {@code jdk.ObjectAllocationSample} → {@code memory:alloc_sample_{objects,bytes}};</li>
 *   <li>{@code jdk.JavaMonitorEnter} → {@code mutex:contentions:count:mutex:count} and
 *       {@code mutex:delay:nanoseconds:mutex:count}; {@code jdk.ThreadPark} → {@code block:contentions:count:block:count}
 *       and {@code block:delay:nanoseconds:block:count}. Both agents behind Pyroscope's Java integration
 *       (async-profiler's {@code lock=} and the JDK-JFR delegate) record exactly these two events;</li>
 *   <li>async-profiler's {@code profiler.LiveObject} ({@code alloc=…,live}) → {@code memory:live:count:objects:count}
 *       ({@code live_objects}; there is no live-bytes series).</li>
 * </ul>
 *
 * <p>Several IDs for one type are fetched separately and <em>summed</em> into one profile: allocations are
 * new-TLAB plus outside-TLAB bytes (two disjoint kinds of allocation), lock time is monitor enter plus
 * park. The producers differ, so the mapping is configuration: {@link #javaAgent()} fits async-profiler
 * through the Pyroscope Java agent (TLAB events); {@link #jdkSampler()} fits JDK recordings, whose
 * allocations are only {@code jdk.ObjectAllocationSample}. Never both kinds of allocation for one type:
 * they sample the same allocations and would count them twice.
 */
public final class PyroscopeProfileTypes {
    public static final String CPU = "process_cpu:cpu:nanoseconds:cpu:nanoseconds";
    public static final String WALL = "wall:wall:nanoseconds:wall:nanoseconds";
    public static final String ALLOC_NEW_TLAB_BYTES = "memory:alloc_in_new_tlab_bytes:bytes:space:bytes";
    public static final String ALLOC_OUTSIDE_TLAB_BYTES = "memory:alloc_outside_tlab_bytes:bytes:space:bytes";
    public static final String ALLOC_NEW_TLAB_OBJECTS = "memory:alloc_in_new_tlab_objects:count:space:bytes";
    public static final String ALLOC_OUTSIDE_TLAB_OBJECTS = "memory:alloc_outside_tlab_objects:count:space:bytes";
    public static final String ALLOC_SAMPLE_BYTES = "memory:alloc_sample_bytes:bytes:space:bytes";
    public static final String ALLOC_SAMPLE_OBJECTS = "memory:alloc_sample_objects:count:space:bytes";
    public static final String MUTEX_DELAY = "mutex:delay:nanoseconds:mutex:count";
    public static final String MUTEX_CONTENTIONS = "mutex:contentions:count:mutex:count";
    public static final String BLOCK_DELAY = "block:delay:nanoseconds:block:count";
    public static final String BLOCK_CONTENTIONS = "block:contentions:count:block:count";
    /**
     * Live objects (the agent's {@code PYROSCOPE_ALLOC_LIVE=true}: async-profiler's {@code profiler.LiveObject}),
     * one count per sampled live object; Pyroscope keeps no live bytes.
     */
    public static final String LIVE_OBJECTS = "memory:live:count:objects:count";
    /** Go's heap profile through Pyroscope's Go SDK (godeltaprof): bytes and objects allocated in the window. */
    public static final String GO_ALLOC_SPACE = "memory:alloc_space:bytes:space:bytes";
    public static final String GO_ALLOC_OBJECTS = "memory:alloc_objects:count:space:bytes";
    /** Go's heap profile: bytes and objects in use (reachable at the last GC), by allocation site. */
    public static final String GO_INUSE_SPACE = "memory:inuse_space:bytes:space:bytes";
    public static final String GO_INUSE_OBJECTS = "memory:inuse_objects:count:space:bytes";
    /** Go's mutex and block profiles: period type contentions/count, as Go's runtime and godeltaprof write them. */
    public static final String GO_MUTEX_DELAY = "mutex:delay:nanoseconds:contentions:count";
    public static final String GO_MUTEX_CONTENTIONS = "mutex:contentions:count:contentions:count";
    public static final String GO_BLOCK_DELAY = "block:delay:nanoseconds:contentions:count";
    public static final String GO_BLOCK_CONTENTIONS = "block:contentions:count:contentions:count";
    /** Go's goroutine profile (the SDK's {@code ProfileGoroutines}): the goroutines alive, by stack. */
    public static final String GO_GOROUTINES = "goroutine:goroutine:count:goroutine:count";

    /**
     * Pyroscope's Node SDK ({@code @pyroscope/nodejs} 0.6, over {@code @datadog/pprof}): one wall profile with
     * {@code samples/count}, {@code wall/nanoseconds} and, with {@code collectCpuTime}, {@code cpu/nanoseconds}, period
     * type {@code wall/nanoseconds}; Pyroscope names the profile {@code wall} and its ingest relabelling moves the CPU
     * column to {@code process_cpu} (grafana/pyroscope {@code pkg/og/convert/pprof/profile.go} {@code metricName},
     * {@code pkg/validation/relabeling.go}).
     */
    public static final String NODE_WALL = "wall:wall:nanoseconds:wall:nanoseconds";
    public static final String NODE_CPU = "process_cpu:cpu:nanoseconds:wall:nanoseconds";
    /**
     * The Node SDK's heap profile: V8's sampling heap profiler, objects still live when it is taken; the SDK renames
     * {@code space}/{@code objects} to {@code inuse_space}/{@code inuse_objects}, the period type with them.
     */
    public static final String NODE_INUSE_SPACE = "memory:inuse_space:bytes:inuse_space:bytes";
    public static final String NODE_INUSE_OBJECTS = "memory:inuse_objects:count:inuse_space:bytes";

    private PyroscopeProfileTypes() {
    }

    /** async-profiler through the Pyroscope Java agent: TLAB allocation events, monitor and park locks. */
    public static Map<ProfileType, List<String>> javaAgent() {
        Map<ProfileType, List<String>> ids = new EnumMap<>(ProfileType.class);
        ids.put(ProfileType.CPU, List.of(CPU));
        ids.put(ProfileType.WALL, List.of(WALL));
        ids.put(ProfileType.ALLOC_BYTES, List.of(ALLOC_NEW_TLAB_BYTES, ALLOC_OUTSIDE_TLAB_BYTES));
        ids.put(ProfileType.ALLOC_OBJECTS, List.of(ALLOC_NEW_TLAB_OBJECTS, ALLOC_OUTSIDE_TLAB_OBJECTS));
        ids.put(ProfileType.LOCK_DELAY, List.of(MUTEX_DELAY, BLOCK_DELAY));
        ids.put(ProfileType.LOCK_COUNT, List.of(MUTEX_CONTENTIONS, BLOCK_CONTENTIONS));
        ids.put(ProfileType.LIVE_OBJECTS, List.of(LIVE_OBJECTS));
        return check(ids);
    }

    /** The JDK's own JFR: allocations from {@code jdk.ObjectAllocationSample}; the rest as {@link #javaAgent()}. */
    public static Map<ProfileType, List<String>> jdkSampler() {
        Map<ProfileType, List<String>> ids = new EnumMap<>(javaAgent());
        ids.put(ProfileType.ALLOC_BYTES, List.of(ALLOC_SAMPLE_BYTES));
        ids.put(ProfileType.ALLOC_OBJECTS, List.of(ALLOC_SAMPLE_OBJECTS));
        return check(ids);
    }

    /**
     * Pyroscope's Go SDK ({@code grafana/pyroscope-go}): CPU as the Java agent's, allocations and live heap from Go's
     * heap profile ({@code alloc_space}, {@code inuse_space}), lock time from Go's mutex and block profiles, goroutines from
     * its goroutine profile.
     */
    public static Map<ProfileType, List<String>> goSdk() {
        Map<ProfileType, List<String>> ids = new EnumMap<>(ProfileType.class);
        ids.put(ProfileType.CPU, List.of(CPU));
        ids.put(ProfileType.ALLOC_BYTES, List.of(GO_ALLOC_SPACE));
        ids.put(ProfileType.ALLOC_OBJECTS, List.of(GO_ALLOC_OBJECTS));
        ids.put(ProfileType.LIVE_BYTES, List.of(GO_INUSE_SPACE));
        ids.put(ProfileType.LIVE_OBJECTS, List.of(GO_INUSE_OBJECTS));
        ids.put(ProfileType.LOCK_DELAY, List.of(GO_MUTEX_DELAY, GO_BLOCK_DELAY));
        ids.put(ProfileType.LOCK_COUNT, List.of(GO_MUTEX_CONTENTIONS, GO_BLOCK_CONTENTIONS));
        ids.put(ProfileType.GOROUTINES, List.of(GO_GOROUTINES));
        return check(ids);
    }

    /**
     * Pyroscope's Node SDK: wall time, CPU time (only where the SDK's {@code collectCpuTime} is on), live heap. V8's
     * heap profile holds no allocations (objects freed before it was taken are gone), so there is no alloc_bytes, and
     * Node has no lock profile.
     */
    public static Map<ProfileType, List<String>> nodeSdk() {
        Map<ProfileType, List<String>> ids = new EnumMap<>(ProfileType.class);
        ids.put(ProfileType.CPU, List.of(NODE_CPU));
        ids.put(ProfileType.WALL, List.of(NODE_WALL));
        ids.put(ProfileType.LIVE_BYTES, List.of(NODE_INUSE_SPACE));
        ids.put(ProfileType.LIVE_OBJECTS, List.of(NODE_INUSE_OBJECTS));
        return check(ids);
    }

    /**
     * The IDs of a named producer: {@code java-agent} ({@link #javaAgent()}), {@code jdk} ({@link #jdkSampler()}),
     * {@code go} ({@link #goSdk()}), {@code node} ({@link #nodeSdk()}).
     *
     * @throws IllegalArgumentException naming the known producers
     */
    public static Map<ProfileType, List<String>> producer(String name) {
        return switch (name == null ? "" : name.strip()) {
            case "java-agent" -> javaAgent();
            case "jdk" -> jdkSampler();
            case "go" -> goSdk();
            case "node" -> nodeSdk();
            default -> throw new IllegalArgumentException("unknown producer \"" + name + "\"; known: java-agent "
                    + "(async-profiler through the Pyroscope Java agent), jdk (the JDK's own Flight Recorder), go "
                    + "(Pyroscope's Go SDK), node (Pyroscope's Node SDK)");
        };
    }

    /** Every named producer's mapping ({@link #producer}), by name, the Java agent's first. */
    public static Map<String, Map<ProfileType, List<String>>> producers() {
        Map<String, Map<ProfileType, List<String>>> all = new LinkedHashMap<>();
        for (String name : List.of("java-agent", "jdk", "go", "node")) {
            all.put(name, producer(name));
        }
        return Collections.unmodifiableMap(all);
    }

    /**
     * Whether profiles of {@code profileTypeId} are snapshots of a gauge: each upload holds everything alive when it
     * was taken (Go's {@code goroutine} and heap {@code inuse_*} profiles, V8's sampling heap profile as the Node SDK
     * uploads it), so Pyroscope's merge of a time range, which adds its profiles (grafana/pyroscope
     * {@code pkg/pprof/merge.go}, {@code ProfileMerge.Merge}), holds as many copies of the gauge as uploads fell in it.
     * Not async-profiler's {@code memory:live}: the Java agent restarts the profiler at each upload, which starts
     * tracking live objects afresh, so each upload holds only the interval's own survivors and the sum is right.
     */
    static boolean snapshot(String profileTypeId) {
        String[] parts = profileTypeId.split(":", -1);
        return parts.length == 5 && (parts[1].startsWith("inuse_") || parts[1].equals("goroutine"));
    }

    /** The sample type and unit of an ID, e.g. {@code cpu/nanoseconds}: the one column Pyroscope answers with. */
    static String column(String profileTypeId) {
        String[] parts = profileTypeId.split(":", -1);
        return parts[1] + "/" + parts[2];
    }

    /**
     * Validates a mapping: every ID well formed, without duplicates, and of the type it is listed for (its
     * sample type and unit map onto that type, as the pprof reader maps them); allocation samples never
     * beside TLAB events. Types not listed are simply not available from Pyroscope.
     *
     * @throws IllegalArgumentException naming the type and the offending ID
     */
    public static Map<ProfileType, List<String>> check(Map<ProfileType, List<String>> ids) {
        Objects.requireNonNull(ids, "pyroscope profileTypeIds");
        Map<ProfileType, List<String>> checked = new EnumMap<>(ProfileType.class);
        ids.forEach((type, list) -> {
            Objects.requireNonNull(type, "pyroscope profileTypeIds has a null profile type");
            if (list == null || list.isEmpty()) {
                throw new IllegalArgumentException("pyroscope profileTypeIds." + type + " must list at least one "
                        + "Pyroscope profile type ID (or leave " + type + " out)");
            }
            Set<String> seen = new HashSet<>();
            boolean sampled = false;
            boolean other = false;
            List<String> copy = new ArrayList<>();
            for (String id : list) {
                String[] parts = id == null ? new String[0] : id.split(":", -1);
                boolean wellFormed = parts.length == 5;
                for (String part : parts) {
                    wellFormed &= !part.isEmpty() && part.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != '"');
                }
                if (!wellFormed) {
                    throw new IllegalArgumentException("pyroscope profileTypeIds." + type + ": \"" + id
                            + "\" is not a profile type ID name:sampleType:sampleUnit:periodType:periodUnit");
                }
                ProfileType mapped = PprofSampleTypes.fromPyroscopeId(id);
                if (mapped != type) {
                    throw new IllegalArgumentException("pyroscope profileTypeIds." + type + ": \"" + id
                            + "\" holds " + column(id) + ", which is " + (mapped == null ? "no profile type the judge knows"
                            : mapped.id()) + ", not " + type.id());
                }
                if (!seen.add(id)) {
                    throw new IllegalArgumentException("pyroscope profileTypeIds." + type + " lists \"" + id + "\" twice");
                }
                if (parts[1].startsWith("alloc_sample_")) {
                    sampled = true;
                } else {
                    other = true;
                }
                copy.add(id);
            }
            if (sampled && other) {
                throw new IllegalArgumentException("pyroscope profileTypeIds." + type + " mixes the JDK's sampled "
                        + "allocations with TLAB events; they sample the same allocations and would count them twice");
            }
            checked.put(type, List.copyOf(copy));
        });
        return Collections.unmodifiableMap(checked);
    }
}
