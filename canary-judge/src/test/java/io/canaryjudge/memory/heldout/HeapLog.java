package io.canaryjudge.memory.heldout;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Appends one {@code timestamp_ms,heap_after_gc_bytes} row per garbage collection to heap.csv: the sum of
 * {@code memoryUsageAfterGc} over the heap pools, from the GC notification. Also writes gc.csv with the
 * collector's name and cause (to tell young from full collections afterwards).
 */
final class HeapLog {
    private HeapLog() {
    }

    static void start(Path heapCsv) throws IOException {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        Set<String> heapPools = new HashSet<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        Writer heap = Files.newBufferedWriter(heapCsv, StandardCharsets.UTF_8);
        heap.write("# jvm_start_ms=" + jvmStart + "\ntimestamp_ms,heap_after_gc_bytes\n");
        heap.flush();
        Writer gc = Files.newBufferedWriter(heapCsv.resolveSibling("gc.csv"), StandardCharsets.UTF_8);
        gc.write("timestamp_ms,gc,action,cause,duration_ms,heap_before_bytes,heap_after_bytes\n");
        gc.flush();
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) bean).addNotificationListener((notification, handback) -> {
                if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    return;
                }
                GarbageCollectionNotificationInfo info =
                        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                long after = sum(info.getGcInfo().getMemoryUsageAfterGc(), heapPools);
                long before = sum(info.getGcInfo().getMemoryUsageBeforeGc(), heapPools);
                long end = jvmStart + info.getGcInfo().getEndTime();
                synchronized (HeapLog.class) {
                    try {
                        heap.write(end + "," + after + "\n");
                        heap.flush();
                        gc.write(end + "," + info.getGcName() + "," + info.getGcAction() + "," + info.getGcCause()
                                + "," + info.getGcInfo().getDuration() + "," + before + "," + after + "\n");
                        gc.flush();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }, null, null);
        }
    }

    private static long sum(Map<String, MemoryUsage> usage, Set<String> pools) {
        long total = 0;
        for (Map.Entry<String, MemoryUsage> e : usage.entrySet()) {
            if (pools.contains(e.getKey())) {
                total += e.getValue().getUsed();
            }
        }
        return total;
    }
}
