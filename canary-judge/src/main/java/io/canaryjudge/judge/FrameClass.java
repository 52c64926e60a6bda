package io.canaryjudge.judge;

/**
 * Whose code a frame is: what decides whether a change there can be the culprit of a code
 * regression, and where an incident's cost enters ({@link FrameClassifier} assigns them).
 */
public enum FrameClass {
    /** The service's own Java (or other JVM language) code: where a change is made. */
    APPLICATION,
    /**
     * A native (JNI) library the application ships, e.g. {@code libsnappyjava.so}: application
     * work, which can be the culprit, not operating-system work.
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

    /** Application code, Java or native: a frame an incident can be named at, a finding that can FAIL as code. */
    public boolean application() {
        return this == APPLICATION || this == APPLICATION_NATIVE;
    }

    /**
     * Reported apart from code and not counted as a code regression by default: JVM, operating-system
     * and profiler work ({@link io.canaryjudge.verdict.Finding#jvmInternal()}).
     */
    public boolean reportedApart() {
        return this == JVM_INTERNAL || this == NATIVE_SYSTEM || this == PROFILER;
    }
}
