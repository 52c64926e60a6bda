package io.canaryjudge.qa27;

import com.fasterxml.jackson.annotation.JsonProperty;
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
 * Records {@link LoadPod}s side by side, each its own JVM at its own fixed arrival rate: only with
 * {@code -Dqa27.record=true}. {@code -Dqa27.dir} (target/qa27), {@code -Dqa27.rate} (a baseline pod's requests per
 * second, 1000), {@code -Dqa27.pods} (comma-separated {@code NAME:RATE_FACTOR[:DISCOUNT_FACTOR]}, e.g.
 * {@code b1:1,b2:1,b3:1,c5:0.2,r5:0.2:2}), {@code -Dqa27.slices} (9) of {@code -Dqa27.sliceMillis} (10000),
 * {@code -Dqa27.warmupMillis} (30000), {@code -Dqa27.event} (cpu; itimer where perf events are refused), {@code -Dqa27.cpuIntervalNanos} (1000000).
 */
@EnabledIfSystemProperty(named = "qa27.record", matches = "true")
class LoadRatioRecordings {
    static final List<String> JVM_FLAGS = List.of(
            "-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints",
            "-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,io.canaryjudge.scenario.shop.*::*",
            "-XX:+UseG1GC", "-Xms256m", "-Xmx256m");

    @Test
    void record() throws Exception {
        Path root = Path.of(System.getProperty("qa27.dir", "target/qa27")).toAbsolutePath();
        double rate = Double.parseDouble(System.getProperty("qa27.rate", "1000"));
        String slices = System.getProperty("qa27.slices", "9");
        String sliceMillis = System.getProperty("qa27.sliceMillis", "10000");
        String warmup = System.getProperty("qa27.warmupMillis", "30000");
        List<Process> processes = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        int seed = 1;
        for (String spec : System.getProperty("qa27.pods", "b1:1,b2:1,b3:1,c1:1").split(",")) {
            String[] parts = spec.split(":");
            Path out = root.resolve(parts[0]);
            Files.createDirectories(out);
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(JVM_FLAGS);
            command.addAll(List.of("-cp", classPath(), LoadPod.class.getName(), "output=" + out,
                    "rate=" + rate * Double.parseDouble(parts[1]), "slices=" + slices, "sliceMillis=" + sliceMillis,
                    "warmupMillis=" + warmup, "seed=" + seed++,
                    "discountRuleFactor=" + (parts.length > 2 ? parts[2] : "1"),
                    "event=" + System.getProperty("qa27.event", "cpu"),
                    "cpuIntervalNanos=" + System.getProperty("qa27.cpuIntervalNanos", "1000000")));
            Path log = root.resolve(parts[0] + ".log");
            logs.add(log);
            processes.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start());
        }
        long budget = Long.parseLong(warmup) + Long.parseLong(slices) * Long.parseLong(sliceMillis) + 180_000;
        for (int i = 0; i < processes.size(); i++) {
            Process p = processes.get(i);
            if (!p.waitFor(budget, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
            }
            assertEquals(0, p.exitValue(), () -> "see " + logs);
        }
    }

    static String classPath() throws Exception {
        List<String> entries = new ArrayList<>();
        for (Class<?> type : List.of(LoadPod.class, ShopPod.class, AsyncProfiler.class, JsonProperty.class,
                tools.jackson.databind.ObjectMapper.class, tools.jackson.core.JsonGenerator.class)) {
            entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        return String.join(File.pathSeparator, entries.stream().distinct().toList());
    }
}
