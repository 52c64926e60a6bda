package io.canaryjudge.report;

import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.verdict.Verdict;

/**
 * The verdict alone as a self-contained report page ({@link ReportPage} with inlined assets): for
 * callers that have no observations, e.g. a verdict stored before reports were. With the
 * observations, build a {@link Report} ({@link ReportBuilder}) and render that: it adds the diff
 * flame graph and the per-pod evidence.
 */
public final class VerdictHtml implements VerdictRenderer {
    private final ReportPage page;

    /** @param config the judge's configuration: its per-function q thresholds decide which changes read "~" */
    public VerdictHtml(JudgeConfig config) {
        this.page = new ReportPage(config);
    }

    @Override
    public String render(Verdict verdict) {
        return page.render(Report.of(verdict), ReportAssets.inline());
    }

    /** Escapes text for HTML element content and quoted attribute values (see {@link Html#text}). */
    static String escape(String text) {
        return Html.text(text);
    }
}
