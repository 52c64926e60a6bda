package io.canaryjudge.judge.memory;

import java.util.Objects;

/**
 * One memory area outside the Java heap over the same windows as the heap: each pod's usage, judged with the heap's
 * slopes, spread, warm-up and young-canary handling ({@link MemoryAreas}).
 *
 * @param area    its name, e.g. {@code metaspace}, {@code direct-buffers}, {@code threads}
 * @param threads whether the pods' points count live threads, each {@link MemoryAreas#THREAD_STACK_BYTES}, rather than
 *                bytes
 * @param windows the pods' points (as {@link PodHeap#liveSet()}: usage, no saw-tooth to look through)
 */
public record AreaWindows(String area, boolean threads, HeapWindows windows) {
    public AreaWindows {
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(windows, "windows");
    }
}
