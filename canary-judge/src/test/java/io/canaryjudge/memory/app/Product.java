package io.canaryjudge.memory.app;

/** A catalogue entry as a row mapper would build it; about 2 KB with its description. */
record Product(int id, String name, String description, long[] priceHistory) {
}
