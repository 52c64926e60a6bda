package io.canaryjudge.memory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Turns the raw folder {@link RecordMemoryScenarios} wrote into the small committed files under
 * {@code canary-judge/src/test/resources/memory/pods/POD/} — each pod folder a valid {@code compare}
 * instance:
 * <ul>
 *   <li>{@code heap.csv}: the heap after every collection (from the JVM's GC notifications), with the
 *       JVM's start as {@code # jvm_start_ms=};</li>
 *   <li>{@code live-NN.pb.gz}: the live objects of five consecutive one-minute recordings (block NN,
 *       minutes 5·(NN−1) to 5·NN−1 of the pod's life) as pprof {@code inuse_*} ({@link LivePprofWriter}),
 *       with {@code requests.csv} giving the requests served in each block;</li>
 *   <li>{@code prometheus.csv.gz}: every 10-second point Prometheus scraped of the pod's heap pools,
 *       live data size, start time and request counter — what the evaluation backfills into a real
 *       Prometheus to run the default heap queries;</li>
 *   <li>{@code pod.properties}: variant, track, scenario, JVM start.</li>
 * </ul>
 */
public final class AssembleMemoryRecordings {
    static final int BLOCK_MINUTES = 5;

    private AssembleMemoryRecordings() {
    }

    public static void main(String[] args) throws IOException {
        Path raw = Path.of(args[0]);
        Path out = Path.of(args.length > 1 ? args[1] : "canary-judge/src/test/resources/memory");
        Path pods = Files.createDirectories(out.resolve("pods"));
        Properties recording = load(raw.resolve("recording.properties"));
        try (Stream<Path> folders = Files.list(raw)) {
            for (Path pod : folders.filter(p -> Files.isRegularFile(p.resolve("pod.properties"))).sorted().toList()) {
                assemble(pod, Files.createDirectories(pods.resolve(pod.getFileName().toString())));
            }
        }
        try (OutputStream stream = Files.newOutputStream(out.resolve("recording.properties"))) {
            recording.store(stream, "memory scenarios: RecordMemoryScenarios, assembled by AssembleMemoryRecordings");
        }
    }

    private static void assemble(Path raw, Path pod) throws IOException {
        Properties props = load(raw.resolve("pod.properties"));
        Properties plan = load(raw.resolve("plan.properties"));
        long jvmStart = Long.parseLong(props.getProperty("jvm_start_ms"));
        long alloc = Long.parseLong(props.getProperty("alloc_interval_bytes"));
        Properties meta = new Properties();
        meta.setProperty("variant", props.getProperty("variant"));
        meta.setProperty("track", plan.getProperty("track"));
        meta.setProperty("scenario", plan.getProperty("scenario"));
        meta.setProperty("jvm_start_ms", Long.toString(jvmStart));
        meta.setProperty("alloc_interval_bytes", Long.toString(alloc));
        try (OutputStream stream = Files.newOutputStream(pod.resolve("pod.properties"))) {
            meta.store(stream, null);
        }
        List<String> heap = Files.readAllLines(raw.resolve("heap.csv"), StandardCharsets.UTF_8);
        heap.add(0, "# jvm_start_ms=" + jvmStart);
        Files.write(pod.resolve("heap.csv"), heap, StandardCharsets.UTF_8);

        long[][] requests = requestLog(raw.resolve("requests.log"));
        List<Path> minutes;
        try (Stream<Path> files = Files.list(raw.resolve("live"))) {
            minutes = files.filter(p -> p.getFileName().toString().endsWith(".jfr")).sorted().toList();
        }
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(pod.resolve("requests.csv"), StandardCharsets.UTF_8))) {
            csv.println("profile,requests");
            for (int from = 0; from + BLOCK_MINUTES <= minutes.size(); from += BLOCK_MINUTES) {
                List<Path> block = minutes.subList(from, from + BLOCK_MINUTES);
                long start = chunkStart(block.get(0));
                long end = chunkEnd(block.get(block.size() - 1));
                String name = String.format(Locale.ROOT, "live-%02d.pb.gz", from / BLOCK_MINUTES + 1);
                LivePprofWriter.convert(block, alloc, start, end - start, pod.resolve(name));
                long served = Math.round(cumulative(requests, end / 1_000_000) - cumulative(requests, start / 1_000_000));
                csv.println(name + "," + served);
            }
        }
        if (!Files.exists(raw.resolve("prometheus-raw.csv"))) {
            System.err.println(raw + ": no prometheus-raw.csv (the recording did not finish)");
            return;
        }
        try (InputStream in = Files.newInputStream(raw.resolve("prometheus-raw.csv"));
             OutputStream gz = new GZIPOutputStream(Files.newOutputStream(pod.resolve("prometheus.csv.gz")))) {
            in.transferTo(gz);
        }
        System.err.println("assembled " + pod);
    }

    /** JFR chunk header: start (bytes 32–39) and duration (40–47), nanoseconds. */
    private static long chunkStart(Path jfr) throws IOException {
        return header(jfr).getLong(32);
    }

    private static long chunkEnd(Path jfr) throws IOException {
        ByteBuffer header = header(jfr);
        return header.getLong(32) + header.getLong(40);
    }

    private static ByteBuffer header(Path jfr) throws IOException {
        try (InputStream in = Files.newInputStream(jfr)) {
            return ByteBuffer.wrap(in.readNBytes(68));
        }
    }

    /** (time ms, cumulative requests) rows of a pod's requests.log. */
    private static long[][] requestLog(Path log) throws IOException {
        List<long[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("timestamp")) {
                continue;
            }
            String[] f = line.split(",");
            rows.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])});
        }
        return rows.toArray(long[][]::new);
    }

    /** Requests served by time {@code millis}, linear between the log's rows. */
    static double cumulative(long[][] log, long millis) {
        if (millis <= log[0][0]) {
            return log[0][1];
        }
        for (int i = 1; i < log.length; i++) {
            if (millis <= log[i][0]) {
                double f = (double) (millis - log[i - 1][0]) / (log[i][0] - log[i - 1][0]);
                return log[i - 1][1] + f * (log[i][1] - log[i - 1][1]);
            }
        }
        return log[log.length - 1][1];
    }

    private static Properties load(Path file) throws IOException {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        }
        return props;
    }
}
