package io.canaryjudge.heldout4;

import io.canaryjudge.scenario.ShopPod;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import one.profiler.AsyncProfiler;

/**
 * One pod of the held-out log-ingestion pipeline, run in its own JVM by {@link RecordHeldout4}: a worker thread
 * ingesting lines as fast as it can, a housekeeping thread compacting rollups every 3 s, and async-profiler
 * (Java API, in the pod) recording consecutive JFR slices (CPU and allocation in one session) into each window
 * folder in turn: {@code slice-KK.jfr.gz} plus {@code requests.csv} (lines ingested per slice), or with
 * {@code slices=1} one {@code window.jfr.gz} per window, to be cut with {@code compare --slice}.
 *
 * <p>Arguments {@code key=value}: {@code variant}, {@code seed}, {@code windows} (comma-separated folders, recorded
 * one after the other), {@code warmup} (seconds), {@code slices}, {@code slice} (seconds), {@code event}
 * ({@code cpu}; {@code itimer} when perf events are refused), {@code interval} (ns), {@code alloc} (bytes).
 */
public final class IngestPod {
    private IngestPod() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            o.put(a.substring(0, eq), a.substring(eq + 1));
        }
        Variant variant = Variant.of(o.get("variant"));
        long seed = Long.parseLong(o.get("seed"));
        List<Path> windows = new ArrayList<>();
        for (String w : o.get("windows").split(",")) {
            windows.add(Path.of(w));
        }
        long warmupMillis = Long.parseLong(o.getOrDefault("warmup", "25")) * 1000;
        int slices = Integer.parseInt(o.getOrDefault("slices", "8"));
        long sliceMillis = Long.parseLong(o.getOrDefault("slice", "10")) * 1000;
        String event = o.getOrDefault("event", "cpu");
        long interval = Long.parseLong(o.getOrDefault("interval", "10000000"));
        long alloc = Long.parseLong(o.getOrDefault("alloc", "524288"));

        RollupAggregator rollups = new RollupAggregator();
        IngestPipeline pipeline = new IngestPipeline(variant, seed, rollups);
        Thread worker = new Thread(pipeline, "ingest-worker");
        worker.start();
        ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rollup-housekeeping");
            t.setDaemon(true);
            return t;
        });
        if (variant != Variant.OTHER) {
            housekeeping.scheduleAtFixedRate(() -> Housekeeping.run(rollups), 3, 3, TimeUnit.SECONDS);
        }
        AsyncProfiler profiler = ShopPod.loadProfiler();
        Thread.sleep(warmupMillis);
        check(pipeline);

        List<Path> recorded = new ArrayList<>();
        for (Path window : windows) {
            Files.createDirectories(window);
            StringBuilder csv = new StringBuilder("profile,requests\n");
            for (int k = 0; k < slices; k++) {
                Path jfr = window.resolve(slices == 1 ? "window.jfr" : String.format("slice-%02d.jfr", k));
                String command = "start,event=" + event + ",interval=" + interval
                        + (alloc > 0 ? ",alloc=" + alloc : "") + ",jfr,file=" + jfr.toAbsolutePath();
                long before = pipeline.lines.get();
                profiler.execute(command);
                long end = System.currentTimeMillis() + sliceMillis;
                while (System.currentTimeMillis() < end) {
                    Thread.sleep(20);
                    check(pipeline);
                }
                profiler.execute("stop");
                long served = pipeline.lines.get() - before;
                csv.append(jfr.getFileName()).append(".gz,").append(served).append('\n');
                recorded.add(jfr);
            }
            if (slices > 1) {
                // One file per window is cut with `compare --slice`: a request count per file would not apply.
                Files.writeString(window.resolve("requests.csv"), csv, StandardCharsets.UTF_8);
            }
        }
        pipeline.running = false;
        worker.join(10_000);
        housekeeping.shutdownNow();
        for (Path jfr : recorded) {
            Path gz = jfr.resolveSibling(jfr.getFileName() + ".gz");
            try (InputStream in = Files.newInputStream(jfr);
                 OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
                in.transferTo(out);
            }
            Files.delete(jfr);
        }
        System.out.println("pod " + variant.id() + " seed " + seed + " done, lines " + pipeline.lines.get()
                + ", sink " + pipeline.sink);
    }

    private static void check(IngestPipeline pipeline) throws IOException {
        if (pipeline.failure != null) {
            throw new IOException("the worker failed", pipeline.failure);
        }
    }
}
