package io.canaryjudge.heldout.recording;

import io.canaryjudge.heldout.search.SearchVariant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one search pod process runs and records, passed on its command line as {@code key=value}.
 *
 * @param windows            one folder per recorded window, in time order (e.g. a baseline pod's
 *                           earlier "history" window, then its "current" window); each gets
 *                           {@code slices} slice files and a {@code requests.csv}
 * @param variant            what this pod's build does
 * @param slices             slices per window
 * @param sliceCpuMillis     a slice ends when the process has used this much CPU since it began,
 *                           milliseconds of CPU time (so every slice holds about the same number of
 *                           samples however busy the machine is: 1,750 ms at 1 ms = ~1,750 samples)
 * @param maxSliceMillis     ... or after this much wall time, milliseconds
 * @param gapMillis          unrecorded serving between two windows, milliseconds
 * @param warmupCpuMillis    least unrecorded warm-up, milliseconds of the process's CPU time (CPU, not
 *                           wall time: on a busy machine a JVM's JIT lags by wall time, measured:
 *                           half of a slice's CPU still in C2 after 60 s of wall-clock warm-up at load 7)
 * @param maxWarmupCpuMillis longest warm-up while the JVM's own threads are still busy, milliseconds of CPU
 * @param startAfter         when not null, the first window starts only once this file exists (the pod
 *                           serves unrecorded until then): canary pods wait for their baseline pod's
 *                           history window, so they are recorded beside its current window
 * @param signalAfterFirst   when not null, created when the first window is recorded
 * @param event              async-profiler CPU event: {@code cpu} (perf_events) or {@code itimer}
 * @param cpuIntervalNanos   CPU sampling interval, nanoseconds of CPU time
 * @param allocIntervalBytes allocation sampling interval, bytes
 * @param seed               seed of the pod's query feed and background edits
 */
public record SearchPodOptions(List<Path> windows, SearchVariant variant, int slices, long sliceCpuMillis,
                               long maxSliceMillis, long gapMillis, long warmupCpuMillis, long maxWarmupCpuMillis,
                               Path startAfter, Path signalAfterFirst,
                               String event, long cpuIntervalNanos, long allocIntervalBytes, long seed) {

    public SearchPodOptions {
        windows = List.copyOf(windows);
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("at least one window folder is needed");
        }
        if (!"itimer".equals(event) && !"cpu".equals(event)) {
            throw new IllegalArgumentException("event must be itimer or cpu, was " + event);
        }
        if (slices < 1 || sliceCpuMillis < 10 || maxSliceMillis < sliceCpuMillis || cpuIntervalNanos < 100_000
                || allocIntervalBytes < 0 || warmupCpuMillis < 0 || gapMillis < 0) {
            throw new IllegalArgumentException("bad pod options: slices=" + slices + ", sliceCpuMillis=" + sliceCpuMillis
                    + ", maxSliceMillis=" + maxSliceMillis + ", cpuIntervalNanos=" + cpuIntervalNanos
                    + ", allocIntervalBytes=" + allocIntervalBytes + ", warmupCpuMillis=" + warmupCpuMillis
                    + ", gapMillis=" + gapMillis);
        }
        for (Path window : windows) {
            if (window.toString().indexOf(',') >= 0) {
                throw new IllegalArgumentException("window folders cannot contain a comma: " + window);
            }
        }
    }

    /** The options as {@code key=value} arguments for {@link SearchPod#main}. */
    public List<String> toArguments() {
        List<String> arguments = new ArrayList<>(List.of(
                "windows=" + String.join(",", windows.stream().map(p -> p.toAbsolutePath().toString()).toList()),
                "slices=" + slices,
                "sliceCpuMillis=" + sliceCpuMillis,
                "maxSliceMillis=" + maxSliceMillis,
                "gapMillis=" + gapMillis,
                "warmupCpuMillis=" + warmupCpuMillis,
                "maxWarmupCpuMillis=" + maxWarmupCpuMillis,
                "event=" + event,
                "cpuIntervalNanos=" + cpuIntervalNanos,
                "allocIntervalBytes=" + allocIntervalBytes,
                "seed=" + seed));
        if (startAfter != null) {
            arguments.add("startAfter=" + startAfter.toAbsolutePath());
        }
        if (signalAfterFirst != null) {
            arguments.add("signalAfterFirst=" + signalAfterFirst.toAbsolutePath());
        }
        arguments.addAll(Arrays.asList(variant.toArguments()));
        return arguments;
    }

    /** Parses {@code key=value} arguments; {@code windows} is required. */
    public static SearchPodOptions parse(String[] args) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("argument \"" + arg + "\" is not key=value");
            }
            map.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        String windows = map.get("windows");
        if (windows == null || windows.isBlank()) {
            throw new IllegalArgumentException("windows=DIR[,DIR...] is required");
        }
        return new SearchPodOptions(Arrays.stream(windows.split(",")).map(Path::of).toList(),
                SearchVariant.fromArguments(map),
                Integer.parseInt(map.getOrDefault("slices", "8")),
                Long.parseLong(map.getOrDefault("sliceCpuMillis", "1750")),
                Long.parseLong(map.getOrDefault("maxSliceMillis", "60000")),
                Long.parseLong(map.getOrDefault("gapMillis", "3000")),
                Long.parseLong(map.getOrDefault("warmupCpuMillis", "30000")),
                Long.parseLong(map.getOrDefault("maxWarmupCpuMillis", "120000")),
                map.containsKey("startAfter") ? Path.of(map.get("startAfter")) : null,
                map.containsKey("signalAfterFirst") ? Path.of(map.get("signalAfterFirst")) : null,
                map.getOrDefault("event", "cpu"),
                Long.parseLong(map.getOrDefault("cpuIntervalNanos", "1000000")),
                Long.parseLong(map.getOrDefault("allocIntervalBytes", "1048576")),
                Long.parseLong(map.getOrDefault("seed", "1")));
    }
}
