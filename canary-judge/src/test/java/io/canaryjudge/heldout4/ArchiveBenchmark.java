package io.canaryjudge.heldout4;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** The {@code other} build: a different program (a sort / checksum / archive benchmark) under the same pod. */
final class ArchiveBenchmark {
    private final SplittableRandom random;
    private final Deflater deflater = new Deflater(9);
    private final byte[] out = new byte[1 << 20];

    ArchiveBenchmark(long seed) {
        random = new SplittableRandom(seed);
    }

    long round() {
        long[] values = new long[40_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextLong(1_000_000_000L);
        }
        Arrays.sort(values);
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 8);
        for (long v : values) {
            bytes.putLong(v);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes.array());
        deflater.reset();
        deflater.setInput(bytes.array());
        deflater.finish();
        long n = 0;
        while (!deflater.finished()) {
            n += deflater.deflate(out);
        }
        StringBuilder manifest = new StringBuilder();
        for (int i = 0; i < values.length; i += 400) {
            manifest.append(String.format("%08x:%d%n", values[i] & 0xffffffffL, i));
        }
        return crc.getValue() + n + manifest.length();
    }
}
