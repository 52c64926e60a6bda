package io.canaryjudge;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;

/**
 * What every thread of this JVM (the service under test's too) is doing, with the locks each holds and waits
 * for: printed when a request over loopback goes unanswered, so a hang in a full test run can be diagnosed from
 * the build log alone.
 */
public final class ThreadDump {
    private ThreadDump() {
    }

    /** Prints the dump to standard error under {@code why}. */
    public static void print(String why) {
        StringBuilder dump = new StringBuilder("=== threads: ").append(why).append('\n');
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            dump.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState());
            if (info.getLockName() != null) {
                dump.append(" on ").append(info.getLockName());
            }
            if (info.getLockOwnerName() != null) {
                dump.append(" owned by \"").append(info.getLockOwnerName()).append('"');
            }
            dump.append('\n');
            for (StackTraceElement frame : info.getStackTrace()) {
                dump.append("    at ").append(frame).append('\n');
            }
            for (var monitor : info.getLockedMonitors()) {
                dump.append("    holds ").append(monitor).append('\n');
            }
            for (var lock : info.getLockedSynchronizers()) {
                dump.append("    holds ").append(lock).append('\n');
            }
        }
        System.err.println(dump);
    }
}
