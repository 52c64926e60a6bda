package io.canaryjudge.heldout.simulation;

/** What a simulated frame is: who owns the code. */
enum FrameKind {
    /** The service's own code: the frames a culprit must be named at. */
    APPLICATION,
    /** Third-party Java libraries (serialisers, drivers, frameworks). */
    LIBRARY,
    /** The JDK's own Java code. */
    JDK,
    /** The JVM itself (JIT compilers, GC), libc and the stubs the JVM generates. */
    JVM,
    /** The application's native library, called through JNI. */
    NATIVE_APPLICATION
}
