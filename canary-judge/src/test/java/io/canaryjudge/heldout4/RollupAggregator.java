package io.canaryjudge.heldout4;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-minute metric rollups keyed by service, route and status class, each with a latency histogram (a
 * {@link TreeMap} of log-scale buckets). The worker adds events; the housekeeping thread compacts old minutes.
 */
final class RollupAggregator {
    static final class Rollup {
        long count;
        long errors;
        long bytes;
        final TreeMap<Integer, long[]> latencyBuckets = new TreeMap<>();
        final HashMap<String, long[]> byCountry = new HashMap<>();
    }

    private final TreeMap<Long, HashMap<String, Rollup>> minutes = new TreeMap<>();
    private long compacted;

    synchronized void add(LogEvent e) {
        long minute = e.timestampMillis / 60_000;
        HashMap<String, Rollup> rollups = minutes.computeIfAbsent(minute, m -> new HashMap<>());
        String key = e.service + '|' + e.method + ' ' + e.path + '|' + (e.status / 100) + "xx|" + e.region;
        Rollup r = rollups.computeIfAbsent(key, k -> new Rollup());
        r.count++;
        r.bytes += e.bytes;
        if (e.status >= 500) {
            r.errors++;
        }
        int bucket = 64 - Long.numberOfLeadingZeros(Math.max(1, e.latencyMicros));
        r.latencyBuckets.computeIfAbsent(bucket, b -> new long[1])[0]++;
        r.byCountry.computeIfAbsent(e.country, c -> new long[2])[0]++;
    }

    /** Housekeeping: folds every minute but the newest {@code keep} into totals, computing their p99 on the way. */
    synchronized long compact(int keep) {
        long checksum = 0;
        while (minutes.size() > keep) {
            Map.Entry<Long, HashMap<String, Rollup>> oldest = minutes.pollFirstEntry();
            for (Iterator<Rollup> it = oldest.getValue().values().iterator(); it.hasNext(); ) {
                Rollup r = it.next();
                long target = (long) Math.ceil(r.count * 0.99);
                long seen = 0;
                for (Map.Entry<Integer, long[]> b : r.latencyBuckets.entrySet()) {
                    seen += b.getValue()[0];
                    if (seen >= target) {
                        checksum += b.getKey();
                        break;
                    }
                }
                checksum += r.count + r.errors + r.byCountry.size();
                compacted++;
            }
        }
        return checksum;
    }

    synchronized int openMinutes() {
        return minutes.size();
    }
}
