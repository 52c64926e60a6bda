package io.canaryjudge.judge.memory;

import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.profile.heap.MemoryAreaSeries;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Memory outside the heap from the instances' own files (JFR's metaspace, direct-buffer and thread statistics, or an
 * {@code areas.csv}), put into the {@link AreaWindows} the service builds from Prometheus, so that {@code compare} and
 * uploads judge every area with the same code ({@link MemoryAreas}) under the same names. A group whose pods recorded an
 * area that the other group's pods did not (an older JDK, async-profiler without {@code jfrsync}, an instance without
 * its {@code areas.csv}) cannot be compared in that area: said as a warning naming the pods, not left as a pass that
 * reads as if the area had been judged.
 */
public final class RecordedAreas {
    /** Where the areas come from when nothing recorded any, for the note that says none was judged. */
    static final String SOURCES = "jdk.MetaspaceSummary, jdk.DirectBufferStatistics or jdk.JavaThreadStatistics events"
            + " (the JDK's JFR, or async-profiler with jfrsync), or an areas.csv";

    private RecordedAreas() {
    }

    /** One instance's areas as read from its files. */
    public record PodAreas(String instance, MemoryAreaSeries areas) {
        public PodAreas {
            Objects.requireNonNull(instance, "instance");
            areas = areas == null ? MemoryAreaSeries.empty() : areas;
        }
    }

    /**
     * @param areas    one per area some baseline or canary pod recorded, each with the pods that recorded it
     * @param warnings an area one group recorded and the other did not: which, and which pods lack it
     * @param note     for {@code dataQuality.memory.notes} when no baseline or canary pod recorded any area; else null
     */
    public record Assembled(List<AreaWindows> areas, List<String> warnings, String note) {
    }

    public static Assembled assemble(List<PodAreas> baseline, List<PodAreas> canary, List<PodAreas> history) {
        List<AreaWindows> areas = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (String area : MemoryAreaSeries.NAMES) {
            boolean threads = MemoryAreaSeries.counted(area);
            List<PodHeap> b = pods(baseline, area);
            List<PodHeap> c = pods(canary, area);
            if (b.isEmpty() && c.isEmpty()) {
                continue;
            }
            String words = words(area);
            if (b.isEmpty() || c.isEmpty()) {
                List<PodAreas> lacking = b.isEmpty() ? baseline : canary;
                warnings.add(oneSided(area, b.isEmpty(), lacking.size(), names(lacking, area)));
                continue;
            }
            List<PodAreas> lacking = new ArrayList<>();
            for (PodAreas pod : concat(baseline, canary)) {
                if (pod.areas().area(area) == null) {
                    lacking.add(pod);
                }
            }
            if (!lacking.isEmpty()) {
                warnings.add(judgedWithout(area, lacking.stream().map(PodAreas::instance).toList()));
            }
            areas.add(new AreaWindows(area, threads, new HeapWindows(b, c, pods(history, area))));
        }
        boolean recorded = !areas.isEmpty() || !warnings.isEmpty();
        String note = recorded || baseline.isEmpty() && canary.isEmpty() ? null
                : "nothing judged: no instance's files hold " + SOURCES;
        return new Assembled(areas, warnings, note);
    }

    /** The warning for an area judged without some pods of the groups, whose files recorded none of it. */
    public static String judgedWithout(String area, List<String> instances) {
        String names = instances.size() <= 3 ? String.join(", ", instances)
                : String.join(", ", instances.subList(0, 3)) + " and " + (instances.size() - 3) + " more";
        return String.format(Locale.ROOT, "memory outside the heap: %s judged without %s, whose files recorded none (%s)",
                words(area), names, event(area));
    }

    /**
     * The warning for an area only one group recorded: it cannot be compared, and a pass must not read as if it had been.
     *
     * @param baselineLacks whether the baseline's instances lack it (else the canary's)
     * @param lacking       how many instances of that group lack it
     * @param names         their names, for the reader to find them (null when not known)
     */
    public static String oneSided(String area, boolean baselineLacks, int lacking, String names) {
        return String.format(Locale.ROOT, "memory outside the heap: %s not judged: the %s's %s%s recorded none where the"
                + " %s's did (%s); record both sides alike (the same JDK and JFR settings, async-profiler with jfrsync, or"
                + " an areas.csv beside each)", words(area), baselineLacks ? "baseline" : "canary",
                lacking == 1 ? "instance" : "instances", names == null ? "" : " (" + names + ")",
                baselineLacks ? "canary" : "baseline", event(area));
    }

    /**
     * One instance's area as the service's usage series: threads and goroutines counted in bytes of stack each; null
     * without it.
     */
    public static PodHeap pod(String instance, MemoryAreaSeries areas, String area) {
        HeapSeries series = areas.area(area);
        if (series == null) {
            return null;
        }
        if (MemoryAreaSeries.counted(area)) {
            long[] values = series.heapAfterGcBytes();
            long[] bytes = new long[values.length];
            for (int i = 0; i < values.length; i++) {
                bytes[i] = values[i] * MemoryAreas.THREAD_STACK_BYTES;
            }
            series = new HeapSeries(series.source(), series.jvmStartMillis(), series.timestampsMillis(), bytes);
        }
        return new PodHeap(instance, series, null, true);
    }

    /** The pods that recorded the area. */
    private static List<PodHeap> pods(List<PodAreas> group, String area) {
        List<PodHeap> pods = new ArrayList<>();
        for (PodAreas pod : group) {
            PodHeap one = pod(pod.instance(), pod.areas(), area);
            if (one != null) {
                pods.add(one);
            }
        }
        return pods;
    }

    private static String words(String area) {
        return MemoryAreas.words(area, MemoryAreaSeries.counted(area));
    }

    private static String event(String area) {
        return switch (area) {
            case MemoryAreaSeries.METASPACE -> "JFR's jdk.MetaspaceSummary";
            case MemoryAreaSeries.DIRECT_BUFFERS -> "JFR's jdk.DirectBufferStatistics, JDK 15 and later";
            case MemoryAreaSeries.NATIVE -> "areas.csv only: no JFR event read here carries the resident size";
            case MemoryAreaSeries.GOROUTINES -> "Go's goroutine profiles (goroutine/count) or an areas.csv";
            default -> "JFR's jdk.JavaThreadStatistics";
        };
    }

    private static String names(List<PodAreas> pods, String area) {
        List<String> names = new ArrayList<>();
        for (PodAreas pod : pods) {
            if (pod.areas().area(area) == null) {
                names.add(pod.instance());
            }
        }
        return names.size() <= 3 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 3)) + " and " + (names.size() - 3) + " more";
    }

    private static List<PodAreas> concat(List<PodAreas> one, List<PodAreas> two) {
        List<PodAreas> all = new ArrayList<>(one);
        all.addAll(two);
        return all;
    }
}
