package io.canaryjudge.store;

import io.canaryjudge.noise.NoiseLessons;
import io.canaryjudge.report.ReportJson;
import io.canaryjudge.report.VerdictJson;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * The zero-setup store: the most recent analyses in this process's memory, oldest dropped first. Lost on
 * restart and not shared between replicas. Retention is its capacity, applied on every save. Reports are kept as
 * gzipped report JSON (tens of KB each, not the hundreds of KB their trees take on the heap), so memory stays
 * near capacity × (verdict + 50 KB). Verdicts are bounded by bytes as well as by count: uploads with long part names
 * or many pods make verdicts of megabytes, and a thousand of them would exhaust a small heap.
 */
public final class InMemoryVerdictStore implements VerdictStore {
    /**
     * Most bytes the kept analyses may take, counted as each report's gzipped size plus twice its verdict's JSON
     * length (a verdict's objects on the heap take about twice its JSON's characters): 128 MiB, some 2,000 typical
     * analyses, so the count ({@code canary-judge.store.capacity}) is what bounds ordinary use.
     */
    public static final long DEFAULT_MAX_BYTES = 128L << 20;

    private final int capacity;
    private final long maxBytes;
    private final Map<String, Kept> analyses = new LinkedHashMap<>();
    private long keptBytes;
    private final ReportJson reportJson = new ReportJson();
    private final VerdictJson verdictJson = new VerdictJson();
    /**
     * Applications whose lessons are kept in memory, the most recently analysed: 24 lessons of a 1,000-function
     * service take about 2 MB parsed (docs/BENCHMARKS.md "Learned noise"), so at most some 130 MB.
     */
    static final int LEARNED_SERVICES = 64;
    /** Per service, least recently analysed first: what its analyses' baselines taught of each function's noise. */
    private final Map<String, NoiseLessons> learned = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, NoiseLessons> eldest) {
            return size() > LEARNED_SERVICES;
        }
    };

    /** An analysis without its report, the report as gzipped JSON (null when none), and the bytes both count. */
    private record Kept(StoredAnalysis analysis, byte[] report, long bytes) {
    }

    /** @param capacity analyses kept; the oldest goes when one more arrives */
    public InMemoryVerdictStore(int capacity) {
        this(capacity, DEFAULT_MAX_BYTES);
    }

    /**
     * @param capacity analyses kept; the oldest goes when one more arrives
     * @param maxBytes most bytes kept (see {@link #DEFAULT_MAX_BYTES}); the oldest go first, the newest always stays
     */
    public InMemoryVerdictStore(int capacity, long maxBytes) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1, was " + maxBytes);
        }
        this.capacity = capacity;
        this.maxBytes = maxBytes;
    }

    @Override
    public Mono<SaveOutcome> save(StoredAnalysis analysis) {
        return Mono.fromCallable(() -> {
            byte[] report = analysis.report() == null ? null
                    : CompressedText.compress(reportJson.write(analysis.report()));
            long bytes = (report == null ? 0 : report.length) + 2L * verdictJson.render(analysis.verdict()).length();
            Kept kept = new Kept(analysis.withReport(null), report, bytes);
            synchronized (analyses) {
                Kept replaced = analyses.remove(analysis.id()); // saved again: now the newest, not in its old place
                analyses.put(analysis.id(), kept);
                keptBytes += bytes - (replaced == null ? 0 : replaced.bytes());
                while (analyses.size() > capacity || keptBytes > maxBytes && analyses.size() > 1) {
                    keptBytes -= analyses.remove(analyses.keySet().iterator().next()).bytes();
                }
            }
            return SaveOutcome.SAVED;
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
            return kept.report() == null ? kept.analysis() : kept.analysis().withReport(
                    reportJson.read(CompressedText.decompress(kept.report(), "report of analysis " + id)));
        });
    }

    @Override
    public Mono<StoredAnalysis> findVerdict(String id) {
        return Mono.fromSupplier(() -> {
            synchronized (analyses) {
                Kept kept = analyses.get(id);
                return kept == null ? null : kept.analysis();
            }
        });
    }

    @Override
    public Mono<String> check() {
        return Mono.fromSupplier(() -> {
            synchronized (analyses) {
                return "in memory: " + analyses.size() + " of at most " + capacity + " analyses kept, "
                        + (keptBytes >> 20) + " of at most " + (maxBytes >> 20) + " MiB";
            }
        });
    }

    @Override
    public Mono<NoiseLessons> noiseLessons(String service) {
        return Mono.fromSupplier(() -> {
            synchronized (learned) {
                return learned.getOrDefault(service, NoiseLessons.empty());
            }
        });
    }

    @Override
    public Mono<Void> learn(String service, NoiseLessons.Lesson lesson) {
        return Mono.fromRunnable(() -> {
            synchronized (learned) {
                learned.put(service, learned.getOrDefault(service, NoiseLessons.empty()).with(lesson));
            }
        });
    }

    /** Nothing to do: the capacity is enforced on every save. */
    @Override
    public Mono<Long> removeExpired(Instant now) {
        return Mono.just(0L);
    }
}
