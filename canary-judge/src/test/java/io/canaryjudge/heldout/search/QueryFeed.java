package io.canaryjudge.heldout.search;

import java.util.SplittableRandom;

/**
 * The query text users send: mostly one or two words (OR), some required pairs, phrases and
 * title-only queries, words from the catalogue's Zipf vocabulary. Seeded per pod. In
 * {@link #narrow narrow} mode it sends only single-word title queries (a skewed warm-up).
 */
public final class QueryFeed {
    private final Corpus corpus;
    private final SplittableRandom random;
    private volatile boolean narrow;

    public QueryFeed(Corpus corpus, long seed) {
        this.corpus = corpus;
        this.random = new SplittableRandom(seed);
    }

    /** When true, only single-word title queries. */
    public void narrow(boolean value) {
        narrow = value;
    }

    public String next() {
        if (narrow) {
            return "title:" + corpus.word(random);
        }
        int kind = random.nextInt(100);
        String a = corpus.word(random);
        String b = corpus.word(random);
        if (kind < 45) {
            return a + " " + b;
        } else if (kind < 65) {
            return a;
        } else if (kind < 80) {
            return "+" + a + " +" + b;
        } else if (kind < 92) {
            return "\"" + a + " " + b + "\"";
        }
        return "title:" + a + " " + b;
    }
}
