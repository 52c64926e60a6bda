package io.canaryjudge.judge;

/** Package-private judge facts the evaluation (another test package) needs. */
public final class JudgeTestAccess {
    private JudgeTestAccess() {
    }

    /** Whether the judge reports a function apart from code by default (JVM, operating-system or profiler work). */
    public static boolean jvmInternal(String function) {
        return FrameClassifier.defaults().classify(function).reportedApart();
    }
}
