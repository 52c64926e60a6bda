package io.canaryjudge.report;

import io.canaryjudge.report.flame.FlameDiff;
import io.canaryjudge.verdict.Verdict;
import java.util.List;
import java.util.Objects;

/**
 * Everything the report page shows, computed once from the verdict and the observations it was
 * judged on: small enough to store beside the verdict instead of the raw profiles
 * ({@link ReportJson}), complete enough to render the page again at any time.
 *
 * @param verdict  the verdict (incidents, findings, hottest functions, metrics, data quality)
 * @param flames   one merged call tree per profile type present in both groups, the judged types first
 * @param evidence per incident (or leading finding) each pod's and slice's value, for strip plots
 * @param context  what was compared: selectors, queries, window, file paths
 */
public record Report(Verdict verdict, List<FlameDiff> flames, List<IncidentEvidence> evidence,
                     AnalysisContext context) {
    public Report {
        Objects.requireNonNull(verdict, "verdict");
        flames = flames == null ? List.of() : List.copyOf(flames);
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
        context = context == null ? AnalysisContext.UNKNOWN : context;
    }

    /** A report of the verdict alone (no flame graph, no per-pod evidence): for verdicts stored without them. */
    public static Report of(Verdict verdict) {
        return new Report(verdict, List.of(), List.of(), AnalysisContext.UNKNOWN);
    }
}
