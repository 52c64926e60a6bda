package io.canaryjudge.scenario;

import io.canaryjudge.scenario.shop.ShopVariant;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one pod process runs and records, passed on its command line as {@code key=value}.
 *
 * @param output          pod folder the slices and {@code requests.csv} are written to
 * @param variant         what this pod's build of the shop does
 * @param workers         request-serving threads
 * @param warmupMillis    unrecorded warm-up before the first slice, milliseconds
 * @param slices          consecutive recorded slices, one file each
 * @param sliceMillis     length of one slice, milliseconds
 * @param event           async-profiler CPU event: {@code itimer} (setitimer, what Pyroscope's
 *                        Java agent uses; capped at one sample per kernel tick, 250 Hz here) or
 *                        {@code cpu} (perf_events cpu-clock; needs perf_event_open)
 * @param cpuIntervalNanos CPU sampling interval, nanoseconds of CPU time
 * @param allocIntervalBytes async-profiler allocation sampling interval, bytes; 0 = no allocation profile
 * @param seed            seed of the pod's request feed
 * @param keepJfr         also keep the JFR originals in {@code jfr/} inside the pod folder
 * @param maxWarmupMillis longest warm-up, milliseconds, while the JVM's own threads are still busy
 *                        ({@link ShopPod} warms up for at least {@code warmupMillis})
 */
public record PodOptions(Path output, ShopVariant variant, int workers, long warmupMillis, int slices,
                         long sliceMillis, String event, long cpuIntervalNanos, long allocIntervalBytes, long seed,
                         boolean keepJfr, long maxWarmupMillis) {

    public PodOptions {
        if (!"itimer".equals(event) && !"cpu".equals(event)) {
            throw new IllegalArgumentException("event must be itimer or cpu, was " + event);
        }
        if (workers < 1 || slices < 1 || sliceMillis < 100 || warmupMillis < 0 || cpuIntervalNanos < 100_000
                || allocIntervalBytes < 0) {
            throw new IllegalArgumentException("bad pod options: workers=" + workers + ", slices=" + slices
                    + ", sliceMillis=" + sliceMillis + ", warmupMillis=" + warmupMillis
                    + ", cpuIntervalNanos=" + cpuIntervalNanos + ", allocIntervalBytes=" + allocIntervalBytes);
        }
    }

    /** The options as {@code key=value} arguments for {@link ShopPod#main}. */
    public List<String> toArguments() {
        List<String> arguments = new ArrayList<>(List.of(
                "output=" + output.toAbsolutePath(),
                "workers=" + workers,
                "warmupMillis=" + warmupMillis,
                "slices=" + slices,
                "sliceMillis=" + sliceMillis,
                "event=" + event,
                "cpuIntervalNanos=" + cpuIntervalNanos,
                "allocIntervalBytes=" + allocIntervalBytes,
                "seed=" + seed,
                "keepJfr=" + keepJfr,
                "maxWarmupMillis=" + maxWarmupMillis));
        arguments.addAll(List.of(variant.toArguments()));
        return arguments;
    }

    /** Parses {@code key=value} arguments; {@code output} is required, the rest have defaults. */
    public static PodOptions parse(String[] args) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("argument \"" + arg + "\" is not key=value");
            }
            map.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        String output = map.get("output");
        if (output == null) {
            throw new IllegalArgumentException("output=DIR is required");
        }
        return new PodOptions(Path.of(output), ShopVariant.fromArguments(map),
                Integer.parseInt(map.getOrDefault("workers", "1")),
                Long.parseLong(map.getOrDefault("warmupMillis", "8000")),
                Integer.parseInt(map.getOrDefault("slices", "6")),
                Long.parseLong(map.getOrDefault("sliceMillis", "5000")),
                map.getOrDefault("event", "itimer"),
                Long.parseLong(map.getOrDefault("cpuIntervalNanos", "4000000")),
                Long.parseLong(map.getOrDefault("allocIntervalBytes", "2097152")),
                Long.parseLong(map.getOrDefault("seed", "1")),
                Boolean.parseBoolean(map.getOrDefault("keepJfr", "false")),
                Long.parseLong(map.getOrDefault("maxWarmupMillis", "60000")));
    }
}
