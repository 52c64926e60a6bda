package io.canaryjudge.memory.heldout;

import java.util.List;

/** An indexed document as kept for rendering results: its first 80 terms. Lives ~3 minutes in the ring. */
final class Document {
    final int id;
    final long indexedAt;
    final String[] snippet;

    Document(int id, long indexedAt, List<String> terms) {
        this.id = id;
        this.indexedAt = indexedAt;
        this.snippet = terms.subList(0, Math.min(80, terms.size())).toArray(new String[0]);
    }
}
