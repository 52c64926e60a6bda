package io.canaryjudge.qa77;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Go goroutine profiles with function names replaced byte for byte (same length, so the protobuf stays valid): a hung
 * handler's application frames made library-looking ({@code main.awaitAck} → {@code sync.awaitAck}), as a handler of
 * library code only ({@code httputil.ReverseProxy}, {@code http.FileServer}) would hang.
 */
public final class RenamedFrames {
    private RenamedFrames() {
    }

    /**
     * Renames, in every {@code goroutine-*.pb.gz} of {@code pod}, each {@code from} to its {@code to} (pairs: from, to,
     * …); the number of replacements per file, the same for every file or -1 when they differ.
     */
    public static int inGoroutineProfiles(Path pod, String... fromTo) throws IOException {
        int replaced = -2;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(pod, "goroutine-*.pb.gz")) {
            for (Path file : files) {
                byte[] profile;
                try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                    profile = in.readAllBytes();
                }
                int n = 0;
                for (int i = 0; i + 1 < fromTo.length; i += 2) {
                    n += rename(profile, fromTo[i], fromTo[i + 1]);
                }
                replaced = replaced == -2 || replaced == n ? n : -1;
                ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
                try (OutputStream out = new GZIPOutputStream(gzipped)) {
                    out.write(profile);
                }
                Files.write(file, gzipped.toByteArray());
            }
        }
        return replaced;
    }

    /** Replaces every occurrence of {@code from} by {@code to} (as long) in {@code bytes}; how many it replaced. */
    private static int rename(byte[] bytes, String from, String to) {
        byte[] a = from.getBytes(StandardCharsets.UTF_8);
        byte[] b = to.getBytes(StandardCharsets.UTF_8);
        if (a.length != b.length) {
            throw new IllegalArgumentException(from + " and " + to + " differ in length");
        }
        int n = 0;
        for (int i = 0; i + a.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + a.length, a, 0, a.length)) {
                System.arraycopy(b, 0, bytes, i, b.length);
                n++;
            }
        }
        return n;
    }
}
