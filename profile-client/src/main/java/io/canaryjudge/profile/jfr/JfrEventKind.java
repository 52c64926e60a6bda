package io.canaryjudge.profile.jfr;

/**
 * The JFR events that async-profiler's reader decodes into sample objects. The reader hands
 * several of them out as the same Java class ({@code jdk.ObjectAllocationOutsideTLAB} and
 * {@code jdk.ObjectAllocationSample} are both an {@code AllocationSample} with equal fields), so
 * {@link JfrChunkScanner} records each chunk's sequence of kinds and the reader pairs the n-th
 * decoded event with the n-th kind.
 */
enum JfrEventKind {
    /** CPU sample (async-profiler cpu/itimer, JDK method sampling); weight = sampling period. */
    EXECUTION_SAMPLE("jdk.ExecutionSample", Family.EXECUTION),
    /** JDK sample of a thread in native code; decoded like an execution sample, not profiled. */
    NATIVE_METHOD_SAMPLE("jdk.NativeMethodSample", Family.EXECUTION),
    /** async-profiler wall-clock sample; {@code samples} field × wall interval. */
    WALL_CLOCK_SAMPLE("profiler.WallClockSample", Family.EXECUTION),
    /** JDK 25 CPU-time sample; decoded like an execution sample, not profiled yet. */
    CPU_TIME_SAMPLE("jdk.CPUTimeSample", Family.EXECUTION),
    /** Allocation that took a new TLAB; weight = {@code tlabSize} bytes. */
    ALLOCATION_IN_NEW_TLAB("jdk.ObjectAllocationInNewTLAB", Family.ALLOCATION),
    /** Allocation outside any TLAB; weight = {@code allocationSize} bytes. */
    ALLOCATION_OUTSIDE_TLAB("jdk.ObjectAllocationOutsideTLAB", Family.ALLOCATION),
    /** The JDK's throttled allocation sample; weight = {@code weight} bytes. */
    ALLOCATION_SAMPLE("jdk.ObjectAllocationSample", Family.ALLOCATION),
    /** Contended monitor enter; weight = duration. */
    MONITOR_ENTER("jdk.JavaMonitorEnter", Family.LOCK),
    /** LockSupport.park; weight = duration. */
    THREAD_PARK("jdk.ThreadPark", Family.LOCK);

    /** Which sample class of async-profiler's reader an event of this kind is decoded into. */
    enum Family {
        EXECUTION, ALLOCATION, LOCK
    }

    private static final JfrEventKind[] VALUES = values();

    private final String eventName;
    private final Family family;

    JfrEventKind(String eventName, Family family) {
        this.eventName = eventName;
        this.family = family;
    }

    String eventName() {
        return eventName;
    }

    Family family() {
        return family;
    }

    static JfrEventKind of(int ordinal) {
        return VALUES[ordinal];
    }
}
