package io.canaryjudge.ci;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import one.profiler.AsyncProfiler;

/** One run of {@link CiBench} in its own JVM, as a CI job runs a benchmark: its own JIT, heap and profiler. */
public final class CiBenchRun {
    private final Process process;
    private final Path log;

    private CiBenchRun(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code CiBench VARIANT OUTPUT SECONDS} with a warm-up of {@code warmupMillis}. */
    public static CiBenchRun start(String variant, Path output, double seconds, long warmupMillis) throws IOException {
        return start(variant, output, seconds, warmupMillis, "cpu", "jfr", "1ms");
    }

    /**
     * Starts {@code CiBench VARIANT OUTPUT SECONDS EVENT FORMAT INTERVAL}: async-profiler's {@code event} ({@code cpu},
     * {@code itimer}), {@code jfr} or {@code collapsed}, and its sampling {@code interval} ({@code 1ms}).
     */
    public static CiBenchRun start(String variant, Path output, double seconds, long warmupMillis, String event,
                                   String format, String interval) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints", "-Xmx128m",
                "-Dci.warmupMillis=" + warmupMillis));
        // More options for the benchmark JVM, e.g. -XX:CompileCommand=dontinline,io.canaryjudge.ci.*::* to keep the
        // benchmark's methods apart as docs/CLI.md "In CI" measured them.
        for (String option : System.getProperty("ci.jvmOptions", "").trim().split("\\s+")) {
            if (!option.isEmpty()) {
                command.add(option);
            }
        }
        command.addAll(List.of("-cp", location(CiBench.class) + java.io.File.pathSeparator + location(AsyncProfiler.class),
                CiBench.class.getName(), variant, output.toAbsolutePath().toString(), Double.toString(seconds), event,
                format, interval));
        Files.createDirectories(output.toAbsolutePath().getParent());
        Path log = output.resolveSibling(output.getFileName() + ".log");
        return new CiBenchRun(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start(), log);
    }

    /**
     * Starts {@code CiBench VARIANT OUTPUT SECONDS jdk} in a JVM that records itself with the JDK's own Flight Recorder,
     * as a team without async-profiler does: {@code -XX:StartFlightRecording=OPTIONS,filename=OUTPUT} (e.g.
     * {@code settings=default} or {@code settings=profile}), with {@code -XX:+DebugNonSafepoints}. The recording covers
     * the JVM's whole life, warm-up included, and is written when it exits.
     */
    public static CiBenchRun startWithJdkRecorder(String variant, Path output, double seconds, long warmupMillis,
                                                  String recordingOptions) throws IOException {
        Files.createDirectories(output.toAbsolutePath().getParent());
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints", "-Xmx128m",
                "-XX:StartFlightRecording=" + recordingOptions + ",filename=" + output.toAbsolutePath(),
                "-Dci.warmupMillis=" + warmupMillis, "-cp", location(CiBench.class) + java.io.File.pathSeparator
                        + location(AsyncProfiler.class),
                CiBench.class.getName(), variant, output.toAbsolutePath().toString(), Double.toString(seconds), "jdk", "jfr");
        Path log = output.resolveSibling(output.getFileName() + ".log");
        return new CiBenchRun(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start(), log);
    }

    /** Waits for the run; fails with its log when it did not succeed. */
    public void await() throws IOException, InterruptedException {
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("benchmark run did not finish; log " + log + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        if (process.exitValue() != 0) {
            throw new IOException("benchmark run exited with " + process.exitValue() + ":\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        Files.delete(log);
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the class path entry of " + type.getName(), e);
        }
    }
}
