package io.canaryjudge.memory.app;

/**
 * The change of {@code bigger-flat}: a lookup table of 48 MiB loaded once at start-up and never
 * changed — a larger heap that does not grow.
 */
final class RegionTable {
    private static volatile long[][] table;

    private RegionTable() {
    }

    static synchronized void load() {
        if (table != null) {
            return;
        }
        long[][] rows = new long[196_608][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new long[30]; // 256 bytes per row with its header
            rows[i][0] = i;
        }
        table = rows;
    }
}
