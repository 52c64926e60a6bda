package io.canaryjudge.profile.heap;

/** A {@code heap.csv} that cannot be read; the message names the file, the line and the problem. */
public final class InvalidHeapCsvException extends Exception {
    public InvalidHeapCsvException(String message) {
        super(message);
    }
}
