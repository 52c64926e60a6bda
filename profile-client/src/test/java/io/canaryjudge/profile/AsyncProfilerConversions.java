package io.canaryjudge.profile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import one.convert.Arguments;
import one.convert.JfrToFlame;
import one.convert.JfrToOtlp;
import one.convert.JfrToPprof;
import one.jfr.JfrReader;

/**
 * async-profiler's own converters (tools.profiler:jfr-converter) run on a fixture recording: a
 * second real producer of pprof and collapsed stacks for the readers' tests, and a producer of OTLP profiles.
 */
public final class AsyncProfilerConversions {
    private AsyncProfilerConversions() {
    }

    /** Inflates {@code jfr-parser/<recording>} into {@code dir} (the converters read plain files). */
    public static Path recording(String recording, Path dir) throws IOException {
        Path jfr = dir.resolve(recording.replace(".gz", ""));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(SharedFixtures.folder("jfr-parser").resolve(recording)))) {
            Files.copy(in, jfr);
        }
        return jfr;
    }

    /** async-profiler's pprof of a recording, with converter arguments such as {@code --cpu --total --threads}. */
    public static byte[] pprof(Path jfr, String... args) throws IOException {
        try (JfrReader reader = new JfrReader(jfr.toString())) {
            JfrToPprof converter = new JfrToPprof(reader, new Arguments(args));
            converter.convert();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            converter.dump(out);
            return out.toByteArray();
        }
    }

    /** async-profiler's OTLP profiles (OpenTelemetry's profiles signal, protobuf {@code ProfilesData}) of a recording. */
    public static byte[] otlp(Path jfr, String... args) throws IOException {
        try (JfrReader reader = new JfrReader(jfr.toString())) {
            JfrToOtlp converter = new JfrToOtlp(reader, new Arguments(args));
            converter.convert();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            converter.dump(out);
            return out.toByteArray();
        }
    }

    /** async-profiler's collapsed stacks of a recording. */
    public static String collapsed(Path jfr, String... args) throws IOException {
        String[] withOutput = Arrays.copyOf(args, args.length + 2);
        withOutput[args.length] = "-o";
        withOutput[args.length + 1] = "collapsed";
        try (JfrReader reader = new JfrReader(jfr.toString())) {
            JfrToFlame converter = new JfrToFlame(reader, new Arguments(withOutput));
            converter.convert();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            converter.dump(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
