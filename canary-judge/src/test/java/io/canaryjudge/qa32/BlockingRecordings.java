package io.canaryjudge.qa32;

import io.canaryjudge.scenario.ShopPod;
import one.profiler.AsyncProfiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Records {@link BlockingPod}s side by side, each its own JVM: only with {@code -Dqa32.record=true}.
 * {@code -Dqa32.dir} (target/qa32), {@code -Dqa32.pods} (comma-separated {@code NAME:VARIANT}, e.g.
 * {@code b1:base,s1:sync,p1:pool,z1:sleep,c1:cpu}), {@code -Dqa32.slices} (6) of {@code -Dqa32.sliceMillis} (10000),
 * {@code -Dqa32.warmupMillis} (15000), {@code -Dqa32.args} (more {@code key=value} arguments for every pod,
 * space-separated).
 */
@EnabledIfSystemProperty(named = "qa32.record", matches = "true")
class BlockingRecordings {
    static final List<String> JVM_FLAGS = List.of(
            "-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints",
            "-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,io.canaryjudge.qa32.*::*",
            "-XX:+UseG1GC", "-Xms128m", "-Xmx128m");

    @Test
    void record() throws Exception {
        Path root = Path.of(System.getProperty("qa32.dir", "target/qa32")).toAbsolutePath();
        String slices = System.getProperty("qa32.slices", "6");
        String sliceMillis = System.getProperty("qa32.sliceMillis", "10000");
        String warmup = System.getProperty("qa32.warmupMillis", "15000");
        String extra = System.getProperty("qa32.args", "").trim();
        List<Process> processes = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (String spec : System.getProperty("qa32.pods", "b1:base,c1:base").split(",")) {
            String[] parts = spec.split(":");
            Path out = root.resolve(parts[0]);
            Files.createDirectories(out);
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(JVM_FLAGS);
            command.addAll(List.of("-cp", classPath(), BlockingPod.class.getName(), "output=" + out,
                    "variant=" + parts[1], "slices=" + slices, "sliceMillis=" + sliceMillis, "warmupMillis=" + warmup));
            if (!extra.isEmpty()) {
                command.addAll(List.of(extra.split("\\s+")));
            }
            Path log = root.resolve(parts[0] + ".log");
            logs.add(log);
            processes.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start());
        }
        long budget = Long.parseLong(warmup) + Long.parseLong(slices) * Long.parseLong(sliceMillis) + 120_000;
        for (Process p : processes) {
            if (!p.waitFor(budget, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
            }
            assertEquals(0, p.exitValue(), () -> "see " + logs);
        }
    }

    static String classPath() throws Exception {
        List<String> entries = new ArrayList<>();
        for (Class<?> type : List.of(BlockingPod.class, ShopPod.class, AsyncProfiler.class)) {
            entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        return String.join(File.pathSeparator, entries.stream().distinct().toList());
    }
}
