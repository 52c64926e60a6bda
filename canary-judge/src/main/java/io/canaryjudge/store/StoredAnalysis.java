package io.canaryjudge.store;

import io.canaryjudge.verdict.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A completed analysis as kept for {@code GET /api/v1/analyses/{id}} and the report: the verdict and what
 * was asked, so a report can show the exact selectors and window the verdict stands on. Times and the elapsed
 * duration are kept to the microsecond (what PostgreSQL's {@code timestamptz} holds), so the answer to the request
 * and every later read of the analysis, from any store, say the same.
 *
 * @param id             the verdict's id
 * @param completedAt    when the verdict was reached
 * @param elapsed        time from receiving the request to the verdict
 * @param application    the application judged
 * @param namespace      the namespace asked for, or null
 * @param source         the profile source's name ({@code pyroscope}, {@code local}, {@code upload})
 * @param config         the named config used, or null for the defaults
 * @param windowStart    start of the analysed window (null for uploads, which carry no window)
 * @param windowEnd      end of the analysed window
 * @param baselineLabels the baseline selector's label matchers
 * @param canaryLabels   the canary selector's label matchers
 * @param profileTypes   the profile type ids fetched
 * @param verdict        the full verdict (all findings, hottest functions, incidents)
 * @param reportJson     the report document (flame graphs, per-pod evidence: the report model's JSON) the report
 *                       page is rendered from, or null when the analysis has none; stores keep it beside the
 *                       verdict (compressed in the database), never the raw profiles
 */
public record StoredAnalysis(String id, Instant completedAt, Duration elapsed, String application, String namespace,
                             String source, String config, Instant windowStart, Instant windowEnd,
                             Map<String, String> baselineLabels, Map<String, String> canaryLabels,
                             List<String> profileTypes, Verdict verdict, String reportJson) {
    public StoredAnalysis {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(completedAt, "completedAt");
        Objects.requireNonNull(verdict, "verdict");
        completedAt = completedAt.truncatedTo(ChronoUnit.MICROS);
        windowStart = windowStart == null ? null : windowStart.truncatedTo(ChronoUnit.MICROS);
        windowEnd = windowEnd == null ? null : windowEnd.truncatedTo(ChronoUnit.MICROS);
        elapsed = elapsed == null ? null : elapsed.truncatedTo(ChronoUnit.MICROS);
        baselineLabels = Map.copyOf(baselineLabels);
        canaryLabels = Map.copyOf(canaryLabels);
        profileTypes = List.copyOf(profileTypes);
    }

    /** An analysis without a report document. */
    public StoredAnalysis(String id, Instant completedAt, Duration elapsed, String application, String namespace,
                          String source, String config, Instant windowStart, Instant windowEnd,
                          Map<String, String> baselineLabels, Map<String, String> canaryLabels,
                          List<String> profileTypes, Verdict verdict) {
        this(id, completedAt, elapsed, application, namespace, source, config, windowStart, windowEnd, baselineLabels,
                canaryLabels, profileTypes, verdict, null);
    }
}
