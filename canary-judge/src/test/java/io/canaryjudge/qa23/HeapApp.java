package io.canaryjudge.qa23;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JVM whose heap after GC a collector reports: a steady live set, short-lived garbage, medium-lived
 * "receipts" that are promoted and die in the old generation (so old collections come every few minutes), and per
 * mode a leak (bytes per minute kept forever) or a bounded cache that fills while the JVM warms up.
 * Args: mode(stable|leak|cache) seconds [leakBytesPerMinute] [cacheBytes].
 */
public final class HeapApp {
    static volatile Object sink;
    static final List<byte[]> LIVE = new ArrayList<>();
    static final List<byte[]> LEAK = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        long seconds = Long.parseLong(args[1]);
        long leakPerMinute = args.length > 2 ? Long.parseLong(args[2]) : 1_572_864; // 1.5 MiB/min
        long cacheBytes = args.length > 3 ? Long.parseLong(args[3]) : 24L << 20;
        long receiptBytesPerSecond = Long.getLong("receipts", 150_000);
        long receiptMillis = Long.getLong("receiptMillis", 90_000);
        long garbagePerSecond = Long.getLong("garbage", 20L << 20);
        for (int i = 0; i < 16 * 16; i++) {
            LIVE.add(new byte[64 * 1024]); // 16 MiB live set
        }
        int entry = 16 * 1024;
        int cacheEntries = (int) (cacheBytes / entry);
        Map<Integer, byte[]> cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, byte[]> eldest) {
                return size() > cacheEntries;
            }
        };
        ArrayDeque<long[]> receiptTimes = new ArrayDeque<>();
        ArrayDeque<byte[]> receipts = new ArrayDeque<>();
        java.util.Random random = new java.util.Random(args.length > 4 ? Long.parseLong(args[4]) : System.nanoTime());
        long start = System.currentTimeMillis();
        long end = start + seconds * 1000;
        long tick = 50; // ms
        double leakDebt = 0;
        double receiptDebt = 0;
        long keys = 1;
        while (System.currentTimeMillis() < end) {
            long now = System.currentTimeMillis();
            // short-lived garbage
            long garbage = garbagePerSecond * tick / 1000;
            for (long b = 0; b < garbage; b += 4096) {
                sink = new byte[4096];
            }
            receiptDebt += receiptBytesPerSecond * tick / 1000.0;
            while (receiptDebt >= 2048) {
                receipts.add(new byte[2048]);
                receiptTimes.add(new long[] {now});
                receiptDebt -= 2048;
            }
            while (!receiptTimes.isEmpty() && now - receiptTimes.peek()[0] > receiptMillis) {
                receiptTimes.poll();
                receipts.poll();
            }
            if (mode.equals("leak")) {
                leakDebt += leakPerMinute * tick / 60_000.0;
                while (leakDebt >= 1024) {
                    LEAK.add(new byte[1024]);
                    leakDebt -= 1024;
                }
            } else if (mode.equals("cache")) {
                // requests over a key space twice the cache: misses fill it (fast at first), then it only churns
                for (int r = 0; r < 1; r++) {
                    int key = random.nextInt(cacheEntries + cacheEntries / 4);
                    if (cache.get(key) == null) {
                        cache.put(key, new byte[entry]);
                    }
                }
            }
            long sleep = tick - (System.currentTimeMillis() - now);
            if (sleep > 0) {
                Thread.sleep(sleep);
            }
        }
        System.out.println("done " + mode + " live=" + LIVE.size() + " leak=" + LEAK.size() + " cache=" + cache.size());
    }
}
