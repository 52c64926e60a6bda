package io.canaryjudge.verdict;

import java.util.List;

/**
 * The judge's answer (docs/API.md, "The verdict"). {@code pass} is true only for PASS; findings are
 * ordered most severe first, the failing ones first.
 *
 * @param id         identifier under which the verdict is stored; assigned by the caller
 * @param result     PASS, FAIL or INCONCLUSIVE
 * @param pass       {@code result == PASS}
 * @param score      0..100: 100 clean, 75..99 PASS with non-failing concerns, 50 INCONCLUSIVE, 0..49 FAIL
 * @param summary    one sentence a person reads first
 * @param findings   most severe first
 * @param metrics    request metrics compared (empty when no metrics source)
 * @param dataQuality what the verdict stands on
 * @param reportUrl  where the HTML report is served; null when none
 * @param hottest    the hottest functions of each judged type (by canary self share) with their
 *                   comparison, changed or not — what a person scans first; kind UNCHANGED when
 *                   there was no credible, material change
 * @param incidents  one entry per change, named by its entry frame, most severe (failing) first
 */
public record Verdict(String id, Result result, boolean pass, int score, String summary, List<Finding> findings,
                      List<MetricComparison> metrics, DataQuality dataQuality, String reportUrl,
                      List<Finding> hottest, List<Incident> incidents) {
    public Verdict {
        findings = List.copyOf(findings);
        metrics = List.copyOf(metrics);
        hottest = hottest == null ? List.of() : List.copyOf(hottest);
        incidents = incidents == null ? List.of() : List.copyOf(incidents);
    }

    /** A verdict without incidents. */
    public Verdict(String id, Result result, boolean pass, int score, String summary, List<Finding> findings,
                   List<MetricComparison> metrics, DataQuality dataQuality, String reportUrl,
                   List<Finding> hottest) {
        this(id, result, pass, score, summary, findings, metrics, dataQuality, reportUrl, hottest, List.of());
    }

    /** A verdict without the hottest-functions listing. */
    public Verdict(String id, Result result, boolean pass, int score, String summary, List<Finding> findings,
                   List<MetricComparison> metrics, DataQuality dataQuality, String reportUrl) {
        this(id, result, pass, score, summary, findings, metrics, dataQuality, reportUrl, List.of());
    }

    public Verdict withId(String newId) {
        return new Verdict(newId, result, pass, score, summary, findings, metrics, dataQuality, reportUrl, hottest,
                incidents);
    }

    public Verdict withSummary(String newSummary) {
        return new Verdict(id, result, pass, score, newSummary, findings, metrics, dataQuality, reportUrl, hottest,
                incidents);
    }

    public Verdict withReportUrl(String url) {
        return new Verdict(id, result, pass, score, summary, findings, metrics, dataQuality, url, hottest, incidents);
    }

    public Verdict withDataQuality(DataQuality quality) {
        return new Verdict(id, result, pass, score, summary, findings, metrics, quality, reportUrl, hottest,
                incidents);
    }

    public Verdict withMetrics(List<MetricComparison> newMetrics) {
        return new Verdict(id, result, pass, score, summary, findings, newMetrics, dataQuality, reportUrl, hottest,
                incidents);
    }
}
