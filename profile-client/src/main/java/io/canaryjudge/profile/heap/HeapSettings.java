package io.canaryjudge.profile.heap;

import java.util.Locale;
import java.util.Objects;

/**
 * Which garbage collector a JVM ran and how large its heap could grow, as its data say: a JFR recording's
 * {@code jdk.GarbageCollection} names and {@code jdk.GCHeapConfiguration}. What the memory check names when baseline and
 * canary pods differ in them (their heap after GC then moves differently: docs/EVALUATION.md "(qa57)", "(qa63)").
 *
 * @param collector    the collector, {@link Collector#UNKNOWN} when the data do not say
 * @param maxHeapBytes the heap's maximum (-Xmx, or the ergonomic default), bytes; -1 when unknown
 */
public record HeapSettings(Collector collector, long maxHeapBytes) {
    /** Nothing known: heap.csv, Prometheus, a recording without GC events. */
    public static final HeapSettings UNKNOWN = new HeapSettings(Collector.UNKNOWN, -1);

    public HeapSettings {
        Objects.requireNonNull(collector, "collector");
        if (maxHeapBytes < -1) {
            throw new IllegalArgumentException("maxHeapBytes must be >= 0, or -1 when unknown; was " + maxHeapBytes);
        }
    }

    public boolean isUnknown() {
        return collector == Collector.UNKNOWN && maxHeapBytes < 0;
    }

    /** These settings, each part unknown here taken from {@code other} (two recordings of one JVM). */
    public HeapSettings or(HeapSettings other) {
        return new HeapSettings(collector != Collector.UNKNOWN ? collector : other.collector,
                maxHeapBytes >= 0 ? maxHeapBytes : other.maxHeapBytes);
    }

    /** The heap's maximum in words: "256 MiB", "1 GiB", "1.5 GiB". */
    public static String size(long bytes) {
        double mib = bytes / (1024.0 * 1024.0);
        if (mib >= 1024) {
            double gib = mib / 1024;
            return (gib == Math.rint(gib) ? String.format(Locale.ROOT, "%.0f", gib)
                    : String.format(Locale.ROOT, "%.1f", gib)) + " GiB";
        }
        return String.format(Locale.ROOT, "%.0f", mib) + " MiB";
    }

    /** HotSpot's collectors, as the memory check names them. */
    public enum Collector {
        SERIAL("Serial"),
        PARALLEL("Parallel"),
        G1("G1"),
        /** ZGC with one generation (JDK 11-23; the default ZGC before JDK 23). */
        ZGC("ZGC without generations"),
        /** ZGC with generations (JDK 21+ with -XX:+ZGenerational; ZGC's only mode from JDK 24). */
        GENERATIONAL_ZGC("generational ZGC"),
        SHENANDOAH("Shenandoah"),
        UNKNOWN("an unknown collector");

        private final String words;

        Collector(String words) {
            this.words = words;
        }

        /** How a verdict names it. */
        public String words() {
            return words;
        }

        /**
         * The collector that ran a collection of this {@code jdk.GarbageCollection} name (HotSpot's {@code GCName}:
         * {@code DefNew}/{@code SerialOld}, {@code ParallelScavenge}/{@code ParallelOld}/{@code PSMarkSweep},
         * {@code G1New}/{@code G1Old}/{@code G1Full}, {@code Z}, {@code ZGC Minor}/{@code ZGC Major},
         * {@code Shenandoah}); {@link #UNKNOWN} for any other.
         */
        public static Collector ofJfrName(String name) {
            return switch (name) {
                case "DefNew", "SerialOld" -> SERIAL;
                case "ParallelScavenge", "ParallelOld", "PSMarkSweep" -> PARALLEL;
                case "G1New", "G1Old", "G1Full" -> G1;
                case "Z" -> ZGC;
                case "ZGC Minor", "ZGC Major" -> GENERATIONAL_ZGC;
                case "Shenandoah" -> SHENANDOAH;
                default -> UNKNOWN;
            };
        }
    }
}
