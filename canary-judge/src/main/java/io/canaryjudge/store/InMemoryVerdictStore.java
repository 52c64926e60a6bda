package io.canaryjudge.store;

import io.canaryjudge.report.ReportJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * The zero-setup store: the most recent analyses in this process's memory, oldest dropped first. Lost on
 * restart and not shared between replicas. Reports are kept as gzipped report JSON (tens of KB each, not the
 * hundreds of KB their trees take on the heap), so memory stays near capacity × (verdict + 50 KB).
 */
public final class InMemoryVerdictStore implements VerdictStore {
    private final int capacity;
    private final Map<String, Kept> analyses = new LinkedHashMap<>();
    private final ReportJson reportJson = new ReportJson();

    /** An analysis without its report, and the report as gzipped JSON (null when none). */
    private record Kept(StoredAnalysis analysis, byte[] report) {
    }

    /** @param capacity analyses kept; the oldest goes when one more arrives */
    public InMemoryVerdictStore(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public Mono<Void> save(StoredAnalysis analysis) {
        return Mono.fromRunnable(() -> {
            byte[] report = analysis.report() == null ? null : gzip(reportJson.write(analysis.report()));
            Kept kept = new Kept(analysis.withReport(null), report);
            synchronized (analyses) {
                analyses.put(analysis.id(), kept);
                while (analyses.size() > capacity) {
                    analyses.remove(analyses.keySet().iterator().next());
                }
            }
        });
    }

    @Override
    public Mono<StoredAnalysis> find(String id) {
        return Mono.fromSupplier(() -> {
            Kept kept;
            synchronized (analyses) {
                kept = analyses.get(id);
            }
            if (kept == null) {
                return null;
            }
            return kept.report() == null ? kept.analysis()
                    : kept.analysis().withReport(reportJson.read(gunzip(kept.report())));
        });
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return bytes.toByteArray();
    }

    private static String gunzip(byte[] gzipped) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // our own bytes: cannot happen
        }
    }
}
