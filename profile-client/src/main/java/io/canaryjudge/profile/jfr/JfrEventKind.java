package io.canaryjudge.profile.jfr;

/**
 * The JFR events the reader knows: the ones that become profile columns, and the other stack
 * samples, which count against {@code maxSamples} so that a recording too large to read is
 * refused before it is decoded.
 */
enum JfrEventKind {
    /** CPU sample (async-profiler cpu/itimer, JDK method sampling); weight = sampling period. */
    EXECUTION_SAMPLE("jdk.ExecutionSample", null),
    /** JDK sample of a thread in native code; not profiled. */
    NATIVE_METHOD_SAMPLE("jdk.NativeMethodSample", null),
    /** async-profiler wall-clock sample; {@code samples} field × wall interval. */
    WALL_CLOCK_SAMPLE("profiler.WallClockSample", "samples"),
    /**
     * The JDK's CPU-time sample (JDK 25, experimental, Linux): a thread's stack every {@code samplingPeriod} of its
     * CPU time (ticks); weight = that period. When a recording holds these, they are its cpu column.
     */
    CPU_TIME_SAMPLE("jdk.CPUTimeSample", "samplingPeriod"),
    /** Allocation that took a new TLAB; weight = {@code tlabSize} bytes. */
    ALLOCATION_IN_NEW_TLAB("jdk.ObjectAllocationInNewTLAB", "tlabSize"),
    /** Allocation outside any TLAB; weight = {@code allocationSize} bytes. */
    ALLOCATION_OUTSIDE_TLAB("jdk.ObjectAllocationOutsideTLAB", "allocationSize"),
    /** The JDK's throttled allocation sample; weight = {@code weight} bytes. */
    ALLOCATION_SAMPLE("jdk.ObjectAllocationSample", "weight"),
    /** Contended monitor enter; weight = {@code duration}. */
    MONITOR_ENTER("jdk.JavaMonitorEnter", "duration"),
    /** LockSupport.park; weight = {@code duration}. */
    THREAD_PARK("jdk.ThreadPark", "duration"),
    /**
     * async-profiler's live object ({@code alloc=…,live}): an allocation sample still reachable when
     * the recording stopped; {@code allocationSize} is the object's own size in bytes.
     */
    LIVE_OBJECT("profiler.LiveObject", "allocationSize"),
    /**
     * The JDK's old-object sample ({@code old-objects} in {@code profile.jfc}): a sampled allocation
     * still live at the end of the recording, with its age; the object's size ({@code objectSize})
     * only from JDK 22 on, so the weight field is optional.
     */
    OLD_OBJECT_SAMPLE("jdk.OldObjectSample", "objectSize"),
    /**
     * async-profiler's native allocation sample ({@code nativemem}): {@code address}, {@code size} bytes (the weight) and
     * the allocating stack.
     */
    MALLOC("profiler.Malloc", "size"),
    /** async-profiler's record of a sampled native block freed ({@code nativemem}): its {@code address}. */
    FREE("profiler.Free", null),
    /** Heap usage before or after a collection ({@code when}), {@code heapUsed} bytes; not a stack sample. */
    GC_HEAP_SUMMARY("jdk.GCHeapSummary", "heapUsed"),
    /** A garbage collection ({@code gcId}, {@code name}: which collector's which kind); not a stack sample. */
    GARBAGE_COLLECTION("jdk.GarbageCollection", null),
    /** The JVM's start time ({@code jvmStartTime}, milliseconds since the epoch); not a stack sample. */
    JVM_INFORMATION("jdk.JVMInformation", "jvmStartTime"),
    /** A method compiled ({@code method}, {@code compileLevel}, {@code succeded}); not a stack sample. */
    COMPILATION("jdk.Compilation", null),
    /** Compiled code thrown away at an uncommon trap ({@code method}, {@code reason}, {@code action}); not a stack sample. */
    DEOPTIMIZATION("jdk.Deoptimization", null),
    /** A class defined ({@code definedClass}), hidden classes too; not a stack sample. */
    CLASS_DEFINE("jdk.ClassDefine", null);

    private static final JfrEventKind[] VALUES = values();

    private final String eventName;
    private final String weightField;

    JfrEventKind(String eventName, String weightField) {
        this.eventName = eventName;
        this.weightField = weightField;
    }

    String eventName() {
        return eventName;
    }

    /** The event's field that weighs it, or null when each event weighs one sampling interval (or is not profiled). */
    String weightField() {
        return weightField;
    }

    /** Whether events of this kind carry a stack trace and become profile samples. */
    boolean stackSample() {
        return this != GC_HEAP_SUMMARY && this != JVM_INFORMATION && this != GARBAGE_COLLECTION && !jit();
    }

    /** Whether events of this kind say what the JIT did ({@link io.canaryjudge.profile.JitEvents}). */
    boolean jit() {
        return this == COMPILATION || this == DEOPTIMIZATION || this == CLASS_DEFINE;
    }

    static JfrEventKind of(int ordinal) {
        return VALUES[ordinal];
    }
}
