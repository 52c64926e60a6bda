package io.canaryjudge.heldout.recording;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Starts a {@link SearchPod} in its own JVM, as a real pod would be: its own JIT decisions, heap
 * and profiler. The class path is found from the classes themselves (test classes, async-profiler,
 * Lucene, H2, zstd-jni), so it works from Maven's surefire and from a plain {@code java -cp}.
 * Unlike the shop's pods, application methods are left to the JIT (no {@code dontinline}): the
 * held-out recordings keep the JVM's real inlining decisions.
 */
public final class SearchPodProcess {
    /** JVM flags of every pod. {@code DebugNonSafepoints} makes frames precise between safepoints. */
    public static final List<String> JVM_FLAGS = List.of(
            "-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints", "-XX:CompileCommand=quiet",
            "-XX:+UseG1GC", "-Xms384m", "-Xmx384m");

    private final Process process;
    private final Path log;

    private SearchPodProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the pod; its stdout and stderr go to {@code log}. */
    public static SearchPodProcess start(SearchPodOptions options, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.add("-cp");
        command.add(classPath());
        command.add(SearchPod.class.getName());
        command.addAll(options.toArguments());
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new SearchPodProcess(process, log);
    }

    /** Waits for the pod to finish (at most {@code timeoutMillis}); fails with the pod's log when it did not succeed. */
    public void await(long timeoutMillis) throws IOException, InterruptedException {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IOException("pod did not finish within " + timeoutMillis + " ms; log " + log + ":\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        if (process.exitValue() != 0) {
            throw new IOException("pod exited with " + process.exitValue() + "; log " + log + ":\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> type : List.of(SearchPod.class, one.profiler.AsyncProfiler.class,
                org.apache.lucene.index.IndexWriter.class, org.apache.lucene.analysis.en.EnglishAnalyzer.class,
                org.apache.lucene.queryparser.classic.QueryParser.class, org.h2.Driver.class,
                com.github.luben.zstd.Zstd.class)) {
            entries.add(location(type));
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the class path entry of " + type.getName(), e);
        }
    }
}
