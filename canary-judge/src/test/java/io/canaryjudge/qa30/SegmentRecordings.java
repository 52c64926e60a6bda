package io.canaryjudge.qa30;

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
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Records {@link SegmentPod}s side by side, each its own JVM: only with {@code -Dqa30.record=true}.
 * {@code -Dqa30.dir} (target/qa30), {@code -Dqa30.rate} (requests per second per pod, 300), {@code -Dqa30.pods}
 * (comma-separated {@code NAME:MIX[:tax2][:rerank]}, MIX one of {@code base} (search 40 %, product 20 %, checkout
 * 30 %, login 10 %), {@code mild} (45/20/25/10), {@code shift} (60/20/10/10)), {@code -Dqa30.slices} (8) of
 * {@code -Dqa30.sliceMillis} (10000), {@code -Dqa30.warmupMillis} (30000), {@code -Dqa30.event} (cpu),
 * {@code -Dqa30.cpuIntervalNanos} (1000000).
 */
@EnabledIfSystemProperty(named = "qa30.record", matches = "true")
class SegmentRecordings {
    static final Map<String, String> MIXES = Map.of(
            "base", "search:40,product:20,checkout:30,login:10",
            "mild", "search:45,product:20,checkout:25,login:10",
            "shift", "search:60,product:20,checkout:10,login:10");
    static final List<String> JVM_FLAGS = List.of(
            "-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints",
            "-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,io.canaryjudge.qa30.*::*",
            "-XX:+UseG1GC", "-Xms256m", "-Xmx256m");

    @Test
    void record() throws Exception {
        Path root = Path.of(System.getProperty("qa30.dir", "target/qa30")).toAbsolutePath();
        String rate = System.getProperty("qa30.rate", "300");
        String slices = System.getProperty("qa30.slices", "8");
        String sliceMillis = System.getProperty("qa30.sliceMillis", "10000");
        String warmup = System.getProperty("qa30.warmupMillis", "30000");
        List<Process> processes = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        int seed = Integer.parseInt(System.getProperty("qa30.seed", "1"));
        for (String spec : System.getProperty("qa30.pods", "b1:base,b2:base,b3:base,c1:shift").split(",")) {
            String[] parts = spec.split(":");
            List<String> options = List.of(parts).subList(2, parts.length);
            Path out = Files.createDirectories(root.resolve(parts[0]));
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(JVM_FLAGS);
            command.addAll(List.of("-cp", classPath(), SegmentPod.class.getName(), "output=" + out, "rate=" + rate,
                    "mix=" + MIXES.get(parts[1]), "slices=" + slices, "sliceMillis=" + sliceMillis,
                    "warmupMillis=" + warmup, "seed=" + seed++,
                    "taxFactor=" + (options.contains("tax2") ? 2 : 1), "rerank=" + options.contains("rerank"),
                    "event=" + System.getProperty("qa30.event", "cpu"),
                    "cpuIntervalNanos=" + System.getProperty("qa30.cpuIntervalNanos", "1000000")));
            Path log = root.resolve(parts[0] + ".log");
            logs.add(log);
            processes.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start());
        }
        long budget = Long.parseLong(warmup) + Long.parseLong(slices) * Long.parseLong(sliceMillis) + 180_000;
        for (Process p : processes) {
            if (!p.waitFor(budget, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
            }
            assertEquals(0, p.exitValue(), () -> "see " + logs);
        }
    }

    static String classPath() throws Exception {
        List<String> entries = new ArrayList<>();
        for (Class<?> type : List.of(SegmentPod.class, ShopPod.class, AsyncProfiler.class, JsonProperty.class,
                tools.jackson.databind.ObjectMapper.class, tools.jackson.core.JsonGenerator.class)) {
            entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        return String.join(File.pathSeparator, entries.stream().distinct().toList());
    }
}
