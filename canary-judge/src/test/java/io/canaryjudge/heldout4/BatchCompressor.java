package io.canaryjudge.heldout4;

import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Compresses a serialised batch with {@link Deflater}. The {@code alloc} build keeps a defensive copy of part of
 * the batch's bytes first (allocation only: a copy costs little CPU beside deflating it).
 */
final class BatchCompressor {
    private final Deflater deflater = new Deflater(1);
    private final boolean defensiveCopy;
    long copiedChecksum;

    BatchCompressor(boolean defensiveCopy) {
        this.defensiveCopy = defensiveCopy;
    }

    byte[] compress(byte[] input) {
        if (defensiveCopy) {
            // keeps the batch's first 40 % for a retry: about +50 % of this method's own bytes
            byte[] retained = Arrays.copyOfRange(input, 0, Math.max(1, input.length * 2 / 5));
            copiedChecksum += retained[retained.length - 1];
        }
        deflater.reset();
        deflater.setInput(input);
        deflater.finish();
        byte[] buffer = new byte[Math.max(64, input.length / 2)];
        int n = 0;
        while (!deflater.finished()) {
            if (n == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
            n += deflater.deflate(buffer, n, buffer.length - n);
        }
        return Arrays.copyOf(buffer, n);
    }
}
