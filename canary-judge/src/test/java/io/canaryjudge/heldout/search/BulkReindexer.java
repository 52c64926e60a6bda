package io.canaryjudge.heldout.search;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;

/**
 * A different program: a batch job that rebuilds a small index from scratch, merges it into one
 * segment and archives every index file zstd-compressed. Same libraries as the search service,
 * almost none of the same functions: the canary of the "different program" scenario runs this.
 */
public final class BulkReindexer {
    private static final int DOCUMENTS_PER_BATCH = 400;
    private final Corpus corpus;
    private int next;

    public BulkReindexer(Corpus corpus) {
        this.corpus = corpus;
    }

    /** Indexes, merges and archives one batch; returns the documents indexed (the job's "requests"). */
    public long runBatch() throws IOException {
        long archived = 0;
        try (ByteBuffersDirectory directory = new ByteBuffersDirectory();
             IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(new StandardAnalyzer()))) {
            for (int i = 0; i < DOCUMENTS_PER_BATCH; i++) {
                int id = next++ % Corpus.DOCUMENTS;
                Document doc = new Document();
                doc.add(new TextField("all", corpus.title(id) + " " + corpus.body(id), Field.Store.YES));
                writer.addDocument(doc);
            }
            writer.forceMerge(1);
            writer.commit();
            for (String file : directory.listAll()) {
                try (IndexInput input = directory.openInput(file, IOContext.READONCE)) {
                    byte[] bytes = new byte[(int) input.length()];
                    input.readBytes(bytes, 0, bytes.length);
                    archived += Zstd.compress(bytes, 3).length;
                }
            }
        }
        return archived > 0 ? DOCUMENTS_PER_BATCH : 0;
    }
}
