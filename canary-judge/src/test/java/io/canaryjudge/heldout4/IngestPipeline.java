package io.canaryjudge.heldout4;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The log-ingestion / metrics-rollup pipeline's worker: parse, enrich, fingerprint, aggregate each line; per
 * batch serialise (Jackson), compress (Deflater) and sign (SHA-256). {@link #lines} counts the lines served.
 */
final class IngestPipeline implements Runnable {
    static final int BATCH = 400;

    private final Variant variant;
    private final LogLineGenerator generator;
    private final LineParser parser = new LineParser();
    private final GeoEnricher enricher = new GeoEnricher();
    private final SessionFingerprint fingerprint;
    private final RollupAggregator rollups;
    private final BatchSerializer serializer;
    private final BatchCompressor compressor;
    private final BatchSigner signer = new BatchSigner();
    private final ArchiveBenchmark archive;
    final AtomicLong lines = new AtomicLong();
    volatile boolean running = true;
    volatile Throwable failure;
    long sink;

    IngestPipeline(Variant variant, long seed, RollupAggregator rollups) {
        this.variant = variant;
        this.generator = new LogLineGenerator(seed);
        this.rollups = rollups;
        this.fingerprint = new SessionFingerprint(variant.fingerprintRounds());
        this.serializer = new BatchSerializer(variant == Variant.NEWPATH ? new AuditTrail(1) : null);
        this.compressor = new BatchCompressor(variant == Variant.ALLOC);
        this.archive = variant == Variant.OTHER ? new ArchiveBenchmark(seed) : null;
    }

    @Override
    public void run() {
        try {
            while (running) {
                if (archive != null) {
                    sink += archive.round();
                    lines.addAndGet(BATCH);
                } else {
                    processBatch();
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void processBatch() {
        List<LogEvent> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            LogEvent e = parser.parse(generator.next());
            if (e == null) {
                continue;
            }
            enricher.enrich(e);
            e.fingerprint = fingerprint.compute(e);
            rollups.add(e);
            batch.add(e);
        }
        byte[] json = serializer.serialize(batch);
        byte[] compressed = compressor.compress(json);
        byte[] signature = signer.sign(compressed, json);
        sink += signature[0] + compressed.length;
        lines.addAndGet(BATCH);
    }
}
