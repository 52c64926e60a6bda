package io.canaryjudge.heldout.search;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.search.Query;

/**
 * Turns the user's query text into a Lucene query over title and body (title boosted), with the
 * classic query parser: its grammar (phrases, AND/OR, field prefixes) is what users type.
 */
public final class QueryPlanner {
    private final MultiFieldQueryParser parser;

    public QueryPlanner(Analyzer analyzer) {
        parser = new MultiFieldQueryParser(new String[] {"title", "body"}, analyzer,
                java.util.Map.of("title", 2.5f, "body", 1.0f));
    }

    public Query plan(String text) {
        try {
            return parser.parse(text);
        } catch (ParseException e) {
            throw new IllegalArgumentException("query \"" + text + "\" does not parse: " + e.getMessage(), e);
        }
    }
}
