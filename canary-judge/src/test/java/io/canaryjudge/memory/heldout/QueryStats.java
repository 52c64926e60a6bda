package io.canaryjudge.memory.heldout;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The {@code leak} variant's defect: per-request statistics appended to a static list that is never
 * cleared. 384-byte records (400 bytes with the array header) plus a 4-byte reference: ~404 bytes per
 * request, 0.69 MiB per minute at 30 requests/s.
 */
final class QueryStats {
    private static final List<byte[]> ALL = new ArrayList<>();

    void remember(String response, SplittableRandom random) {
        byte[] record = new byte[384];
        record[0] = (byte) response.length();
        record[383] = (byte) random.nextInt();
        ALL.add(record);
    }
}
