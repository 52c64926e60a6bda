package io.canaryjudge.store;

/** How saving one analysis ended, as far as the caller waited (the store's timeout, the caller's deadline). */
public enum SaveOutcome {
    /** Stored: {@code GET /api/v1/analyses/{id}} and its report link find it. */
    SAVED,
    /** Not stored (the database refused, failed or was unreachable); logged and counted by the store. */
    FAILED,
    /** Still being saved when the answer was due; it may yet be stored, or fail (then logged and counted). */
    STILL_SAVING
}
