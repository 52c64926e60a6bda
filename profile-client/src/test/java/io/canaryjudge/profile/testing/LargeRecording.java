package io.canaryjudge.profile.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Makes a large multi-chunk JFR recording for benchmarks ({@code bench/collapse-vs-converter.sh}):
 * records {@link CallTreeWorkload} with async-profiler once (CPU + allocation), then appends
 * copies of that recording until the file reaches the wanted size. Concatenated JFR chunks are a
 * valid recording (the JDK writes long recordings the same way), so the result reads like hours of
 * one service: every chunk repeats its own constant pools, as real rotated chunks do.
 *
 * <p>Usage: {@code LargeRecording OUT.jfr MIN_MEGABYTES [SECONDS]}; run it with
 * {@code -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints} for exact inlined frames.
 */
public final class LargeRecording {
    private LargeRecording() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: LargeRecording OUT.jfr MIN_MEGABYTES [SECONDS]");
            System.exit(64);
        }
        Path out = Path.of(args[0]).toAbsolutePath();
        long minBytes = Long.parseLong(args[1]) << 20;
        Duration seconds = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 20);

        Path seed = out.resolveSibling(out.getFileName() + ".seed");
        Files.createDirectories(out.getParent());
        WorkloadRecording.Recording recording = WorkloadRecording.record(seed, seconds,
                WorkloadRecording.DEFAULT_CPU_INTERVAL, 256 * 1024, CallTreeWorkload::step);
        byte[] chunk = Files.readAllBytes(recording.jfr());
        long copies = Math.max(1, (minBytes + chunk.length - 1) / chunk.length);
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        try (OutputStream file = Files.newOutputStream(partial)) {
            for (long i = 0; i < copies; i++) {
                file.write(chunk);
            }
        }
        Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING);
        Files.delete(seed);
        System.err.printf("%s: %d copies of a %d-byte, %d s recording = %d bytes%n",
                out, copies, chunk.length, seconds.toSeconds(), Files.size(out));
    }
}
