package io.canaryjudge.memory.heldout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Held-out application for the memory-growth check: a small document indexer / search service,
 * written after the judge's memory check was tuned and never used to tune it. One JVM is one pod.
 *
 * <p>About 30 requests per second, half of them "index a document" (tokenise, add to a bounded
 * inverted index, keep the document in a ring of the last ~3 minutes) and half "search"
 * (tokenise a query, intersect postings, cache the result in a bounded LRU, render a response).
 * Variant from {@code -Dheldout.variant=stable|leak|slow-warm|bigger-flat}:
 * <ul>
 *   <li>{@code stable}: the above;</li>
 *   <li>{@code leak}: each request also remembers ~404 bytes in {@link QueryStats}, never cleared
 *       (30 req/s x 60 s x 404 B = 0.69 MiB/min retained);</li>
 *   <li>{@code slow-warm}: a new bounded {@link SnippetCache} of 21,600 entries of ~1.46 KB that one
 *       request at a time fills to ~30 MiB in its first 12 minutes, then evicts as it inserts;</li>
 *   <li>{@code bigger-flat}: a 60 MiB {@link SynonymTable} loaded once at start.</li>
 * </ul>
 * Writes {@code heap.csv} (heap after every collection, see {@link HeapLog}) and
 * {@code requests.log} (requests served per minute) into {@code -Dheldout.dir}.
 */
public final class SearchService {

    public static void main(String[] args) throws Exception {
        String variant = System.getProperty("heldout.variant", "stable");
        Path dir = Path.of(System.getProperty("heldout.dir", "."));
        double rate = Double.parseDouble(System.getProperty("heldout.rate", "30"));
        long minutes = Long.parseLong(System.getProperty("heldout.minutes", "1000000"));
        long seed = Long.parseLong(System.getProperty("heldout.seed", Long.toString(System.nanoTime())));
        Files.createDirectories(dir);
        HeapLog.start(dir.resolve("heap.csv"));

        SearchService service = new SearchService(variant, seed);
        long periodNanos = (long) (1e9 / rate);
        long start = System.nanoTime();
        long next = start;
        long served = 0;
        long lastLogMinute = 0;
        StringBuilder log = new StringBuilder("minute,requests\n");
        while (true) {
            long now = System.nanoTime();
            long minute = (now - start) / 60_000_000_000L;
            if (minute >= minutes) {
                break;
            }
            if (minute > lastLogMinute) {
                log.append(lastLogMinute).append(',').append(served).append('\n');
                Files.writeString(dir.resolve("requests.log"), log);
                lastLogMinute = minute;
            }
            if (now < next) {
                LockSupport.parkNanos(next - now);
                continue;
            }
            service.handle();
            served++;
            next += periodNanos;
            if (now - next > 1_000_000_000L) {
                next = now; // fell behind by more than a second: do not burst to catch up
            }
        }
        System.out.println("served " + served + " requests (" + service.sink + ")");
    }

    private final String variant;
    private final SplittableRandom random;
    private final Vocabulary vocabulary;
    private final InvertedIndex index = new InvertedIndex(24_000, 48);
    private final DocumentRing documents = new DocumentRing(2_700);
    private final ResultCache results = new ResultCache(3_000);
    private final QueryStats queryStats = new QueryStats();
    private final SnippetCache snippets = new SnippetCache(21_600);
    private final SynonymTable synonyms;
    private int nextDocId;
    long sink;

    SearchService(String variant, long seed) {
        this.variant = variant;
        this.random = new SplittableRandom(seed);
        this.vocabulary = new Vocabulary(60_000, random.split());
        this.synonyms = variant.equals("bigger-flat") ? SynonymTable.load(60, random.split()) : null;
        if (!List.of("stable", "leak", "slow-warm", "bigger-flat").contains(variant)) {
            throw new IllegalArgumentException("unknown variant " + variant);
        }
    }

    void handle() {
        String body;
        if (random.nextBoolean()) {
            body = indexDocument();
        } else {
            body = search();
        }
        sink += body.length();
        if (variant.equals("leak")) {
            queryStats.remember(body, random);
        } else if (variant.equals("slow-warm")) {
            snippets.put(nextDocId, body, random);
        } else if (synonyms != null) {
            sink += synonyms.lookup(random.nextInt(1 << 20));
        }
    }

    private String indexDocument() {
        int words = 150 + random.nextInt(150);
        StringBuilder text = new StringBuilder(words * 8);
        for (int i = 0; i < words; i++) {
            text.append(vocabulary.zipfWord()).append(i % 17 == 16 ? ". " : " ");
        }
        List<String> terms = Tokenizer.terms(text.toString());
        int docId = nextDocId++;
        index.add(docId, terms);
        documents.add(new Document(docId, System.currentTimeMillis(), terms));
        return Renderer.indexed(docId, terms);
    }

    private String search() {
        int n = 1 + random.nextInt(3);
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < n; i++) {
            q.append(vocabulary.zipfWord()).append(' ');
        }
        String query = q.toString().trim();
        int[] hits = results.get(query);
        if (hits == null) {
            hits = index.query(Tokenizer.terms(query));
            results.put(query, hits);
        }
        List<Document> docs = new ArrayList<>();
        for (int id : hits) {
            Document d = documents.get(id);
            if (d != null) {
                docs.add(d);
            }
        }
        return Renderer.results(query, docs);
    }
}
