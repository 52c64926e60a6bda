package io.canaryjudge.scenario;

import one.profiler.AsyncProfiler;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a {@link ShopPod} in its own JVM, as a real pod would be: its own JIT decisions, heap
 * and profiler. The class path is the places the pod needs, found from the classes themselves: the
 * test classes, async-profiler's jar (which carries the native library) and Jackson's jars.
 */
final class PodProcess {
    /**
     * JVM flags of every pod. {@code DebugNonSafepoints} makes frames precise between safepoints.
     * The shop's own methods are kept out of line ({@code dontinline}): inlined into one compiled
     * blob, a hot loop's samples were attributed to a sibling inlined method (measured: 27 % of
     * CPU shown in {@code PriceCalculator.computeTax}, a few arithmetic operations, and 0.3 % in
     * {@code OrderHasher.fingerprint}, the real loop), which would make the injected ground truth
     * unrecognisable. JDK code still inlines into the shop's methods as usual.
     */
    static final List<String> JVM_FLAGS = List.of(
            "-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints",
            "-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,io.canaryjudge.scenario.shop.*::*",
            "-XX:+UseG1GC", "-Xms256m", "-Xmx256m");

    private final Process process;
    private final Path log;
    private final PodOptions options;

    private PodProcess(Process process, Path log, PodOptions options) {
        this.process = process;
        this.log = log;
        this.options = options;
    }

    /** Starts the pod; its stdout and stderr go to {@code log}. */
    static PodProcess start(PodOptions options, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.add("-cp");
        command.add(classPath());
        command.add(ShopPod.class.getName());
        command.addAll(options.toArguments());
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new PodProcess(process, log, options);
    }

    /** Waits for the pod to finish; fails with the pod's log when it did not succeed. */
    void await() throws IOException, InterruptedException {
        long budgetMillis = Math.max(options.warmupMillis(), options.maxWarmupMillis())
                + options.slices() * options.sliceMillis() + 120_000;
        if (!process.waitFor(budgetMillis, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IOException("pod " + options.output() + " did not finish within " + budgetMillis + " ms; log "
                    + log + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        if (process.exitValue() != 0) {
            throw new IOException("pod " + options.output() + " exited with " + process.exitValue() + "; log "
                    + log + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    /**
     * The test classes, async-profiler's jar and Jackson's three jars (the {@code audit-jackson}
     * scenario serialises with Jackson 3, on the test class path through Spring Boot).
     */
    static String classPath() {
        return String.join(java.io.File.pathSeparator, location(ShopPod.class), location(AsyncProfiler.class),
                location(tools.jackson.databind.ObjectMapper.class), location(tools.jackson.core.JsonGenerator.class),
                location(com.fasterxml.jackson.annotation.JsonProperty.class));
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the class path entry of " + type.getName(), e);
        }
    }
}
