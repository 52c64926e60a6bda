package io.canaryjudge.store;

/**
 * A stored analysis whose row cannot be turned back into a verdict: its verdict or report is not gzip, not JSON,
 * or lacks what the verdict needs (damaged by hand or by the disk, or written by an incompatible version). Not a
 * failing database and not an unknown id: the message names the analysis, the document and what is wrong.
 */
public class UnreadableAnalysisException extends RuntimeException {
    public UnreadableAnalysisException(String id, String problem, Throwable cause) {
        super("stored analysis " + id + " cannot be read: " + problem, cause);
    }
}
