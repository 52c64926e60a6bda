package io.canaryjudge.heldout.search;

import java.sql.SQLException;
import java.util.List;
import org.apache.lucene.search.Query;

/**
 * One search request: parse the query, search the index, load the hits' rows from the store,
 * re-rank, format and compress the response. Returns a value derived from the response so the
 * JIT cannot drop any step.
 */
public final class SearchRequestHandler {
    private static final int TOP_HITS = 20;
    private final QueryPlanner planner;
    private final CatalogueIndex index;
    private final RecordStore store;
    private final ResultRanker ranker;
    private final ResponseFormatter formatter;
    private final PayloadCompressor compressor;

    public SearchRequestHandler(CatalogueIndex index, RecordStore store, SearchVariant variant) {
        this.planner = new QueryPlanner(index.analyzer());
        this.index = index;
        this.store = store;
        this.ranker = new ResultRanker(variant.rerankFactor());
        this.formatter = new ResponseFormatter(variant.copyPayloads());
        this.compressor = new PayloadCompressor(variant.compressionLevel());
    }

    public long handle(String queryText) throws SQLException {
        Query query = planner.plan(queryText);
        CatalogueIndex.Hits hits = index.search(query, TOP_HITS);
        List<RecordStore.Row> rows = store.load(hits.ids());
        float[] scores = ranker.rerank(rows, hits.ids(), hits.scores());
        byte[] body = formatter.format(queryText, rows, scores);
        byte[] compressed = compressor.compress(body);
        return compressed.length + (compressed.length > 0 ? compressed[compressed.length / 2] : 0);
    }
}
