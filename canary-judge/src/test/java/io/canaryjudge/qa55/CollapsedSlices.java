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

    /** A collapsed line with its value ×{@code factor} (rounded). */
    public static String scaled(String line, double factor) {
        int space = line.lastIndexOf(' ');
        return line.substring(0, space) + " " + Math.round(factor * Long.parseLong(line.substring(space + 1)));
    }
}
