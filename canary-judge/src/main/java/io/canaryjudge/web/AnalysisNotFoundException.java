package io.canaryjudge.web;

/** No stored analysis has this id (never existed, or no longer kept); answered 404. */
public class AnalysisNotFoundException extends RuntimeException {
    public AnalysisNotFoundException(String id) {
        super("no analysis \"" + id + "\" is stored here (unknown id, or older than what this service keeps)");
    }
}
