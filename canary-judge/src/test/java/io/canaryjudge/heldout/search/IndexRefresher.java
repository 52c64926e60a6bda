package io.canaryjudge.heldout.search;

import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The service's background thread: every {@code periodMillis} it re-indexes a few edited documents
 * and publishes them to new searches (Lucene flushes and merges segments as a result), the way a
 * catalogue service keeps its index fresh while it serves.
 */
public final class IndexRefresher implements Runnable {
    private static final int EDITS_PER_ROUND = 3;
    private final CatalogueIndex index;
    private final long periodMillis;
    private final SplittableRandom random;
    private volatile boolean running = true;
    private int revision;

    public IndexRefresher(CatalogueIndex index, long periodMillis, long seed) {
        this.index = index;
        this.periodMillis = periodMillis;
        this.random = new SplittableRandom(seed);
    }

    public void stop() {
        running = false;
    }

    @Override
    public void run() {
        try {
            while (running) {
                revision++;
                for (int i = 0; i < EDITS_PER_ROUND; i++) {
                    index.update(random.nextInt(Corpus.DOCUMENTS), revision);
                }
                index.refresh();
                TimeUnit.MILLISECONDS.sleep(periodMillis);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("index refresh failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
