package io.canaryjudge.judge;

/** Package-private judge facts the evaluation (another test package) needs. */
public final class JudgeTestAccess {
    private JudgeTestAccess() {
    }

    /** Whether the judge counts a function as JVM-internal work. */
    public static boolean jvmInternal(String function) {
        return JvmInternalFunctions.isJvmInternal(function);
    }
}
