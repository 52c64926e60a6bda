package io.canaryjudge.report;

import io.canaryjudge.verdict.Verdict;

/** Turns a verdict into one document; pure (no I/O, no clock), so the CLI and the HTTP layer share it. */
@FunctionalInterface
public interface VerdictRenderer {
    String render(Verdict verdict);
}
