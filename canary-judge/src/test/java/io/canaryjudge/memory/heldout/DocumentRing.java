package io.canaryjudge.memory.heldout;

/** The last {@code capacity} documents indexed (medium-lived: ~3 minutes at 15 documents/s). */
final class DocumentRing {
    private final Document[] ring;

    DocumentRing(int capacity) {
        ring = new Document[capacity];
    }

    void add(Document d) {
        ring[d.id % ring.length] = d;
    }

    Document get(int id) {
        Document d = ring[id % ring.length];
        return d != null && d.id == id ? d : null;
    }
}
