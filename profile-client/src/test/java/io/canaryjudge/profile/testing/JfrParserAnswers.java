package io.canaryjudge.profile.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Pyroscope-style pprof from the answer key of Grafana's jfr-parser (the parser inside Pyroscope) in
 * {@code ../shared/fixtures/jfr-parser}: each {@code *_expected_collapsed.txt.gz} is what Pyroscope
 * makes of one JFR event type — stacks root first with Pyroscope's frame names
 * ({@code java/lang/Thread.run:748}) and values {@code [v1 v2]} in the columns its file name lists
 * ({@code memory_alloc_in_new_tlab_objects__count+alloc_in_new_tlab_bytes__bytes}). Written as one pprof
 * with those columns and the period type Pyroscope gives that profile ({@code memory} → {@code space/bytes},
 * {@code block}/{@code mutex} → {@code block/count}/{@code mutex/count}, {@code process_cpu} →
 * {@code cpu/nanoseconds}, {@code wall} → {@code wall/nanoseconds}): the profiles Pyroscope would store
 * for the recording, for the stand-in to serve.
 */
public final class JfrParserAnswers {
    private static final Pattern NAME = Pattern.compile("_\\d+_(process_cpu|wall|memory|block|mutex)_(.+)_expected_collapsed");

    private JfrParserAnswers() {
    }

    /** The pprof (raw protobuf) of one answer-key file. */
    public static byte[] pprof(Path expectedCollapsed) {
        Matcher name = NAME.matcher(expectedCollapsed.getFileName().toString());
        if (!name.find()) {
            throw new IllegalArgumentException("not a jfr-parser answer key name: " + expectedCollapsed.getFileName());
        }
        PprofMessage m = new PprofMessage();
        for (String column : name.group(2).split("\\+")) {
            int split = column.lastIndexOf("__");
            m.sampleTypes.add(new PprofMessage.ValueType(column.substring(0, split), column.substring(split + 2)));
        }
        m.periodType = switch (name.group(1)) {
            case "process_cpu" -> new PprofMessage.ValueType("cpu", "nanoseconds");
            case "wall" -> new PprofMessage.ValueType("wall", "nanoseconds");
            case "memory" -> new PprofMessage.ValueType("space", "bytes");
            default -> new PprofMessage.ValueType(name.group(1), "count");
        };
        Map<String, Long> locationOf = new HashMap<>();
        for (String line : lines(expectedCollapsed)) {
            if (line.isBlank()) {
                continue;
            }
            int open = line.lastIndexOf(" [");
            if (open < 0 || !line.endsWith("]")) {
                throw new IllegalArgumentException("not a collapsed line with [values]: " + line);
            }
            String[] values = line.substring(open + 2, line.length() - 1).trim().split("\\s+");
            if (values.length != m.sampleTypes.size()) {
                throw new IllegalArgumentException(values.length + " values for " + m.sampleTypes.size() + " columns: " + line);
            }
            String[] frames = line.substring(0, open).split(";");
            long[] locations = new long[frames.length];
            for (int i = 0; i < frames.length; i++) {
                String frame = frames[i];
                long id = locationOf.computeIfAbsent(frame, f -> {
                    long next = locationOf.size() + 1L;
                    m.functions.put(next, new PprofMessage.Function(next, f, f, "", 0));
                    m.locations.put(next, new PprofMessage.Location(next, 0, 0, List.of(new PprofMessage.Line(next, 0)), false));
                    return next;
                });
                locations[frames.length - 1 - i] = id; // pprof: leaf first
            }
            long[] parsed = new long[values.length];
            for (int i = 0; i < values.length; i++) {
                parsed[i] = Long.parseLong(values[i]);
            }
            m.samples.add(new PprofMessage.Sample(locations, parsed, List.of()));
        }
        return m.encode();
    }

    private static List<String> lines(Path gz) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            return new ArrayList<>(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + gz, e);
        }
    }
}
