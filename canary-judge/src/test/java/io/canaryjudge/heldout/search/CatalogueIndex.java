package io.canaryjudge.heldout.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * The Lucene index of the catalogue: title and body as analysed text (English stemming), the
 * document id stored and as doc values. Searches go through a {@link SearcherManager} so the
 * background {@link IndexRefresher} can update documents and publish new segments while requests
 * search, as a live search service does.
 */
public final class CatalogueIndex implements AutoCloseable {
    private final Analyzer analyzer = new EnglishAnalyzer();
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Corpus corpus;

    public CatalogueIndex(Corpus corpus) throws IOException {
        this.corpus = corpus;
        IndexWriterConfig config = new IndexWriterConfig(analyzer);
        config.setRAMBufferSizeMB(16);
        writer = new IndexWriter(directory, config);
        for (int id = 0; id < Corpus.DOCUMENTS; id++) {
            writer.addDocument(document(id, 0));
        }
        writer.commit();
        searchers = new SearcherManager(writer, null);
    }

    public Analyzer analyzer() {
        return analyzer;
    }

    /** Ids of the top {@code n} documents for {@code query}, best first, with their Lucene scores. */
    public Hits search(Query query, int n) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                TopDocs top = searcher.search(query, n);
                int[] ids = new int[top.scoreDocs.length];
                float[] scores = new float[ids.length];
                for (int i = 0; i < ids.length; i++) {
                    ScoreDoc hit = top.scoreDocs[i];
                    ids[i] = searcher.storedFields().document(hit.doc).getField("id").numericValue().intValue();
                    scores[i] = hit.score;
                }
                return new Hits(ids, scores);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Re-indexes document {@code id} as its {@code revision}-th edit (what the background refresher does). */
    public void update(int id, int revision) throws IOException {
        writer.updateDocument(new Term("key", Integer.toString(id)), document(id, revision));
    }

    /** Makes updates visible to new searches. */
    public void refresh() throws IOException {
        searchers.maybeRefresh();
    }

    private Document document(int id, int revision) {
        Document doc = new Document();
        doc.add(new StringField("key", Integer.toString(id), Field.Store.NO));
        doc.add(new StoredField("id", id));
        doc.add(new IntPoint("rev", revision));
        doc.add(new NumericDocValuesField("popularity", (id * 7919L) % 1000));
        doc.add(new TextField("title", corpus.title(id), Field.Store.NO));
        doc.add(new TextField("body", revision == 0 ? corpus.body(id) : corpus.body(id + revision * 100_003),
                Field.Store.NO));
        return doc;
    }

    @Override
    public void close() throws IOException {
        searchers.close();
        writer.close();
        directory.close();
    }

    /**
     * Search results: document ids and scores, best first.
     *
     * @param ids    catalogue ids
     * @param scores Lucene (BM25) scores, same order
     */
    public record Hits(int[] ids, float[] scores) {
    }
}
