package io.canaryjudge.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * UTF-8 text (the verdict and report JSON documents) as gzip bytes and back. JSON of a verdict compresses
 * about tenfold (repeated field names, package prefixes of function names), which is what keeps a stored
 * verdict with its report small. Reading is bounded: a damaged or hostile row cannot inflate past
 * {@link #MAX_TEXT_BYTES}.
 */
final class CompressedText {
    /** Largest document read back, in bytes of UTF-8: far above a real verdict or report (tens of KB to a few MB). */
    static final int MAX_TEXT_BYTES = 64 * 1024 * 1024;

    private CompressedText() {
    }

    static byte[] compress(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(64, text.length() / 8));
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes, 8192)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compress in memory", e);
        }
        return bytes.toByteArray();
    }

    /**
     * @param what names the document in the error, e.g. {@code verdict of analysis 5b0c…}
     * @throws IllegalStateException naming the document when the bytes are not gzip or inflate past the bound
     */
    static String decompress(byte[] compressed, String what) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), 8192)) {
            ByteArrayOutputStream text = new ByteArrayOutputStream((int) Math.min(compressed.length * 8L, 1 << 20));
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (text.size() + (long) n > MAX_TEXT_BYTES) {
                    throw new IllegalStateException(what + ": inflates to more than " + MAX_TEXT_BYTES + " bytes");
                }
                text.write(buffer, 0, n);
            }
            return text.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(what + ": not readable gzip (" + e.getMessage() + ")", e);
        }
    }
}
