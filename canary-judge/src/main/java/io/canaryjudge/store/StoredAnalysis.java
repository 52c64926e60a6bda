package io.canaryjudge.store;

import io.canaryjudge.report.Report;
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
 * @param report         what the report page shows (flame graphs, per-pod evidence, what was compared); null when
 *                       the analysis kept none. Stores keep it as compressed report JSON beside the verdict, never
 *                       the raw profiles
 */
public record StoredAnalysis(String id, Instant completedAt, Duration elapsed, String application, String namespace,
                             String source, String config, Instant windowStart, Instant windowEnd,
                             Map<String, String> baselineLabels, Map<String, String> canaryLabels,
                             List<String> profileTypes, Verdict verdict, Report report) {
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

    /** An analysis without a report. */
    public StoredAnalysis(String id, Instant completedAt, Duration elapsed, String application, String namespace,
                          String source, String config, Instant windowStart, Instant windowEnd,
                          Map<String, String> baselineLabels, Map<String, String> canaryLabels,
                          List<String> profileTypes, Verdict verdict) {
        this(id, completedAt, elapsed, application, namespace, source, config, windowStart, windowEnd, baselineLabels,
                canaryLabels, profileTypes, verdict, null);
    }

    /** The same analysis with another report (null: none). */
    public StoredAnalysis withReport(Report newReport) {
        return new StoredAnalysis(id, completedAt, elapsed, application, namespace, source, config, windowStart,
                windowEnd, baselineLabels, canaryLabels, profileTypes, verdict, newReport);
    }
}
