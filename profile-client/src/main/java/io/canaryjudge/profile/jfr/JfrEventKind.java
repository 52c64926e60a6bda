package io.canaryjudge.profile.jfr;

import one.jfr.event.AllocationSample;
import one.jfr.event.CPULoad;
import one.jfr.event.ContendedLock;
import one.jfr.event.Event;
import one.jfr.event.ExecutionSample;
import one.jfr.event.GCHeapSummary;
import one.jfr.event.LiveObject;
import one.jfr.event.MallocEvent;
import one.jfr.event.MethodTrace;
import one.jfr.event.ObjectCount;
import one.jfr.event.ProcessSample;

/**
 * Every JFR event that async-profiler's reader (4.2) hands out rather than skips, with the class
 * it decodes it into. Two reasons to know them all:
 * <ul>
 *   <li>the reader decodes several events into one class ({@code jdk.ObjectAllocationOutsideTLAB}
 *       and {@code jdk.ObjectAllocationSample} are both an {@code AllocationSample} with equal
 *       fields), so {@link JfrEventCursor} tells which one each decoded event was;</li>
 *   <li>after decoding an event it hands out, the reader continues where its field parsing
 *       stopped, not at the event's declared end; on a corrupt event that desynchronises it
 *       (and can land on a size of 0, an endless loop). The cursor knows every such event's
 *       end, and the decoder puts the reader there after each one.</li>
 * </ul>
 */
enum JfrEventKind {
    /** CPU sample (async-profiler cpu/itimer, JDK method sampling); weight = sampling period. */
    EXECUTION_SAMPLE("jdk.ExecutionSample", ExecutionSample.class, true),
    /** JDK sample of a thread in native code; not profiled. */
    NATIVE_METHOD_SAMPLE("jdk.NativeMethodSample", ExecutionSample.class, true),
    /** async-profiler wall-clock sample; {@code samples} field × wall interval. */
    WALL_CLOCK_SAMPLE("profiler.WallClockSample", ExecutionSample.class, true),
    /** JDK 25 CPU-time sample; not profiled yet. */
    CPU_TIME_SAMPLE("jdk.CPUTimeSample", ExecutionSample.class, true),
    /** Allocation that took a new TLAB; weight = {@code tlabSize} bytes. */
    ALLOCATION_IN_NEW_TLAB("jdk.ObjectAllocationInNewTLAB", AllocationSample.class, true),
    /** Allocation outside any TLAB; weight = {@code allocationSize} bytes. */
    ALLOCATION_OUTSIDE_TLAB("jdk.ObjectAllocationOutsideTLAB", AllocationSample.class, true),
    /** The JDK's throttled allocation sample; weight = {@code weight} bytes. */
    ALLOCATION_SAMPLE("jdk.ObjectAllocationSample", AllocationSample.class, true),
    /** Contended monitor enter; weight = duration. */
    MONITOR_ENTER("jdk.JavaMonitorEnter", ContendedLock.class, true),
    /** LockSupport.park; weight = duration. */
    THREAD_PARK("jdk.ThreadPark", ContendedLock.class, true),
    LIVE_OBJECT("profiler.LiveObject", LiveObject.class, false),
    METHOD_TRACE("jdk.MethodTrace", MethodTrace.class, false),
    MALLOC("profiler.Malloc", MallocEvent.class, false),
    FREE("profiler.Free", MallocEvent.class, false),
    CPU_LOAD("jdk.CPULoad", CPULoad.class, false),
    GC_HEAP_SUMMARY("jdk.GCHeapSummary", GCHeapSummary.class, false),
    OBJECT_COUNT("jdk.ObjectCount", ObjectCount.class, false),
    OBJECT_COUNT_AFTER_GC("jdk.ObjectCountAfterGC", ObjectCount.class, false),
    PROCESS_SAMPLE("profiler.ProcessSample", ProcessSample.class, false);

    private static final JfrEventKind[] VALUES = values();

    private final String eventName;
    private final Class<? extends Event> decodedAs;
    private final boolean sample;

    JfrEventKind(String eventName, Class<? extends Event> decodedAs, boolean sample) {
        this.eventName = eventName;
        this.decodedAs = decodedAs;
        this.sample = sample;
    }

    String eventName() {
        return eventName;
    }

    /** The class async-profiler's reader decodes this event into. */
    Class<? extends Event> decodedAs() {
        return decodedAs;
    }

    /** A stack sample (counts against {@code maxSamples}), as opposed to a counter or trace event. */
    boolean sample() {
        return sample;
    }

    static JfrEventKind of(int ordinal) {
        return VALUES[ordinal];
    }
}
