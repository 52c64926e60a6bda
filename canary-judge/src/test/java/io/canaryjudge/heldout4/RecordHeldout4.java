package io.canaryjudge.heldout4;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Records the fourth held-out set: each pod is its own JVM ({@link IngestPod}) under async-profiler.
 * Six baseline JVMs record an earlier window ({@code history/bK}) and then the judged window
 * ({@code baseline/bK}); three canary JVMs per variant record the judged window ({@code VARIANT/cK}).
 * At most {@code parallel} JVMs record at once; the order interleaves baseline and canary pods so that a drift
 * of the (shared) machine's load does not line up with one group.
 *
 * <p>Run: {@code Heldout4RecordTest} with {@code -Dheldout4.record=true} (see docs/heldout4.md), or this main
 * with the test class path: {@code out=DIR parallel=2 warmup=25 canaryWarmup=50 slices=1 slice=60 event=cpu}.
 */
public final class RecordHeldout4 {
    /** JVM flags of every pod. */
    public static final List<String> JVM_FLAGS = List.of(
            "-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints", "-XX:ActiveProcessorCount=1",
            "-XX:+UseG1GC", "-Xms256m", "-Xmx256m");
    static final int BASELINE_PODS = 6;
    static final int CANARY_PODS = 3;
    static final List<Variant> CANARIES = List.of(Variant.AA, Variant.SLOW20, Variant.SLOW50, Variant.NEWPATH,
            Variant.ALLOC, Variant.OTHER);

    private RecordHeldout4() {
    }

    public static void main(String[] args) throws Exception {
        java.util.Map<String, String> o = new java.util.HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            o.put(a.substring(0, eq), a.substring(eq + 1));
        }
        record(Path.of(o.getOrDefault("out", "canary-judge/src/test/resources/heldout4")),
                Integer.parseInt(o.getOrDefault("parallel", "2")), o.getOrDefault("warmup", "25"),
                o.getOrDefault("canaryWarmup", "50"), o.getOrDefault("slices", "1"), o.getOrDefault("slice", "60"),
                o.getOrDefault("event", "cpu"), o.getOrDefault("only", ""));
    }

    /** One pod to record: its arguments for {@link IngestPod} and its log. */
    record Job(String name, List<String> arguments) {
    }

    static List<Job> jobs(Path out, String warmup, String canaryWarmup, String slices, String slice, String event) {
        List<String> common = List.of("slices=" + slices, "slice=" + slice, "event=" + event,
                "interval=10000000", "alloc=4194304");
        List<Job> baseline = new ArrayList<>();
        for (int b = 1; b <= BASELINE_PODS; b++) {
            List<String> a = new ArrayList<>(List.of("variant=baseline", "seed=" + (1000 + b), "warmup=" + warmup,
                    "windows=" + out.resolve("history/b" + b).toAbsolutePath() + ","
                            + out.resolve("baseline/b" + b).toAbsolutePath()));
            a.addAll(common);
            baseline.add(new Job("baseline-b" + b, a));
        }
        List<Job> canary = new ArrayList<>();
        for (int c = 1; c <= CANARY_PODS; c++) {
            for (Variant v : CANARIES) {
                List<String> a = new ArrayList<>(List.of("variant=" + v.id(), "seed=" + (2000 + 10 * c + v.ordinal()),
                        "warmup=" + canaryWarmup, "windows=" + out.resolve(v.id() + "/c" + c).toAbsolutePath()));
                a.addAll(common);
                canary.add(new Job(v.id() + "-c" + c, a));
            }
        }
        // Interleave: one baseline JVM (long: two windows) every three canary JVMs.
        List<Job> all = new ArrayList<>();
        int bi = 0;
        for (int i = 0; i < canary.size(); i++) {
            if (i % 3 == 0 && bi < baseline.size()) {
                all.add(baseline.get(bi++));
            }
            all.add(canary.get(i));
        }
        while (bi < baseline.size()) {
            all.add(baseline.get(bi++));
        }
        return all;
    }

    static void record(Path out, int parallel, String warmup, String canaryWarmup, String slices, String slice,
                       String event, String only) throws Exception {
        Path logs = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "heldout4-logs"));
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<Future<?>> futures = new ArrayList<>();
        for (Job job : jobs(out, warmup, canaryWarmup, slices, slice, event)) {
            if (!only.isEmpty() && !job.name().matches(only)) {
                continue;
            }
            futures.add(pool.submit(() -> {
                run(job, logs.resolve(job.name() + ".log"));
                return null;
            }));
        }
        pool.shutdown();
        for (Future<?> f : futures) {
            f.get();
        }
    }

    static void run(Job job, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        // No extra `nice` here: the pods inherit the recorder's niceness (run the recorder under `nice`); a pod
        // niced below the machine's other work gets a few % of a core and a few hundred samples a minute.
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.add("-cp");
        command.add(classPath());
        command.add(IngestPod.class.getName());
        command.addAll(job.arguments());
        System.out.println(java.time.Instant.now() + " start " + job.name());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(20, TimeUnit.MINUTES)) {
                throw new IOException(job.name() + " did not finish; log " + log);
            }
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        if (p.exitValue() != 0) {
            throw new IOException(job.name() + " exited " + p.exitValue() + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        System.out.println(java.time.Instant.now() + " done " + job.name() + ": " + Files.readString(log).strip());
    }

    static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String type : List.of(IngestPod.class.getName(), "one.profiler.AsyncProfiler",
                "tools.jackson.databind.json.JsonMapper", "tools.jackson.core.JsonGenerator",
                "com.fasterxml.jackson.annotation.JsonProperty")) {
            try {
                Class<?> c = Class.forName(type);
                entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (ClassNotFoundException | URISyntaxException e) {
                // not on this class path (the annotations are optional for the streaming generator)
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
