package io.canaryjudge.qa55;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Modelled changes to a recorded pod's committed slices ({@code *.collapsed.gz}, one {@code frame;…;frame value} line a
 * stack): a copy of the pod's directory with every collapsed line rewritten, its other files (requests.csv) as they are.
 */
public final class CollapsedSlices {
    private CollapsedSlices() {
    }

    /** {@code source}'s pod directory copied to {@code target}, each collapsed line through {@code rewrite}. */
    public static Path rewrite(Path source, Path target, UnaryOperator<String> rewrite) throws IOException {
        Files.createDirectories(target);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(source)) {
            for (Path file : files) {
                if (!file.getFileName().toString().endsWith(".collapsed.gz")) {
                    Files.copy(file, target.resolve(file.getFileName()));
                    continue;
                }
                List<String> lines = new ArrayList<>();
                try (BufferedReader in = new BufferedReader(new InputStreamReader(
                        new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        lines.add(rewrite.apply(line));
                    }
                }
                try (Writer out = new OutputStreamWriter(new GZIPOutputStream(
                        Files.newOutputStream(target.resolve(file.getFileName()))), StandardCharsets.UTF_8)) {
                    out.write(String.join("\n", lines) + "\n");
                }
            }
        }
        return target;
    }

    /**
     * {@code source}'s pod directory with {@code share} of every stack's value through {@code callee} moved under a new
     * frame {@code wrapper} put above the callee's first (outermost) frame, and {@code own} × the moved value in the
     * wrapper's own frame (a stack ending in it): a tracing wrapper around some of the calls, as
     * bench/qa65-partial-wrapper.py (the reviewer's {@code partial.py}) models it. Other stacks stay as they are.
     */
    public static Path wrapped(Path source, Path target, String callee, String wrapper, double share, double own)
            throws IOException {
        return rewrite(source, target, line -> wrapped(line, callee, wrapper, share, own));
    }

    /** One collapsed line as {@link #wrapped(Path, Path, String, String, double, double)} rewrites it. */
    static String wrapped(String line, String callee, String wrapper, double share, double own) {
        int space = line.lastIndexOf(' ');
        if (space < 0) {
            return line;
        }
        // where the callee's first frame starts (characters), -1 when the stack does not pass through it
        int at = -1;
        for (int start = 0; start <= space; ) {
            int end = line.indexOf(';', start);
            if (end < 0 || end > space) {
                end = space;
            }
            if (line.substring(start, end).equals(callee)) {
                at = start;
                break;
            }
            start = end + 1;
        }
        if (at < 0) {
            return line;
        }
        long value = Long.parseLong(line.substring(space + 1));
        long moved = Math.round(value * share);
        List<String> lines = new ArrayList<>();
        if (value - moved > 0) {
            lines.add(line.substring(0, space) + " " + (value - moved));
        }
        if (moved > 0) {
            lines.add(line.substring(0, at) + wrapper + ";" + line.substring(at, space) + " " + moved);
            long ownValue = Math.round(moved * own);
            if (ownValue > 0) {
                lines.add(line.substring(0, at) + wrapper + " " + ownValue);
            }
        }
        return String.join("\n", lines);
    }

    /** A collapsed line with its value ×{@code factor} (rounded). */
    public static String scaled(String line, double factor) {
        int space = line.lastIndexOf(' ');
        return line.substring(0, space) + " " + Math.round(factor * Long.parseLong(line.substring(space + 1)));
    }
}
