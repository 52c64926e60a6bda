package io.canaryjudge.heldout4;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The pod's housekeeping, every 3 s on its own thread: compact old rollup minutes, then a status summary. */
final class Housekeeping {
    static volatile long last;

    private Housekeeping() {
    }

    static void run(RollupAggregator rollups) {
        long checksum = rollups.compact(2);
        List<String> report = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            report.add(Long.toString(checksum * 31 + i, 36));
        }
        Collections.sort(report);
        last = checksum + report.get(0).hashCode() + rollups.openMinutes();
    }
}
