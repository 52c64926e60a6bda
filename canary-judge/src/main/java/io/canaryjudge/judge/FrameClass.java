package io.canaryjudge.judge;

/**
 * Whose code a frame is: what decides whether a change there can be the culprit of a code
 * regression, and where an incident's cost enters ({@link FrameClassifier} assigns them).
 */
public enum FrameClass {
    /** The service's own Java (or other JVM language) code: where a change is made. */
    APPLICATION,
    /**
     * A native (JNI) library the application ships, e.g. {@code libsnappyjava.so}: the service's work, which
     * can FAIL it, not operating-system work. Like a library it is where a change lands: its cost is owned by
     * the Java application frame that calls into it (a compression level, a call made more often), where the
     * release engineer can act; the native functions show below that frame.
     */
    APPLICATION_NATIVE,
    /** A well-known third-party library (Jackson, Netty, Spring, …): where a change lands, not where it is made. */
    LIBRARY,
    /** The Java platform ({@code java.}, {@code javax.}, {@code jdk.}, {@code sun.}, {@code com.sun.}) and its native libraries. */
    JDK,
    /** Work the JVM does for itself: JIT compilers, GC, class loading, the interpreter, stubs. Reported apart. */
    JVM_INTERNAL,
    /** The C library, the dynamic linker, the vDSO and the kernel: where waiting and system calls land. */
    NATIVE_SYSTEM,
    /** The profiler's own frames (async-profiler, the Pyroscope agent, JFR): a profiler setting, never code. */
    PROFILER;

    /** The service's own JVM code: a frame an incident is named at when it owns a change's cost. */
    public boolean application() {
        return this == APPLICATION;
    }

    /** Code called by the application whose changes it owns: well-known libraries and native libraries it ships. */
    boolean calledLibrary() {
        return this == LIBRARY || this == APPLICATION_NATIVE;
    }

    /**
     * Reported apart from code and not counted as a code regression by default: JVM, operating-system
     * and profiler work ({@link io.canaryjudge.verdict.Finding#jvmInternal()}).
     */
    public boolean reportedApart() {
        return this == JVM_INTERNAL || this == NATIVE_SYSTEM || this == PROFILER;
    }
}
