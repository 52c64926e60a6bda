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
    private final ReportPage page = new ReportPage();

    /** @param config unused: a page reads significance from the findings themselves (kept for {@link ReportFormat}) */
    public VerdictHtml(JudgeConfig config) {
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
