package io.canaryjudge.report;

import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.DataQuality;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.MetricComparison;
import io.canaryjudge.verdict.TypeQuality;
import io.canaryjudge.verdict.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The verdict for a terminal, in the spirit of benchstat: the result and summary first, then the
 * incidents (one line each, named at their entry frame; a failing one with where its cost went), then per
 * profile type an aligned table (function, measure, baseline and canary share, change — "~" when not
 * significant —, q-value, kind), its data-quality notes as numbered footnotes, then why the failing
 * findings fail and where they are called from, then warnings and skipped inputs.
 */
public final class VerdictText implements VerdictRenderer {
    private static final List<String> HEADER = List.of("function", "measure", "baseline", "canary", "change", "q", "kind");
    private static final boolean[] RIGHT = {false, false, true, true, true, false, false};

    private final ReportCells cells;

    public VerdictText(JudgeConfig config) {
        this.cells = new ReportCells(config);
    }

    /** The first line of every report: result, score and summary, on one line. */
    public static String headline(Verdict verdict) {
        return oneLine(ReportCells.headline(verdict));
    }

    @Override
    public String render(Verdict verdict) {
        StringBuilder out = new StringBuilder();
        out.append(oneLine(ReportCells.headline(verdict))).append('\n');
        if (verdict.id() != null) {
            out.append("verdict ").append(oneLine(verdict.id())).append('\n');
        }
        if (!verdict.incidents().isEmpty()) {
            out.append("\nincidents:\n");
            List<Incident> shown = verdict.incidents().subList(0, Math.min(ReportCells.INCIDENTS_SHOWN,
                    verdict.incidents().size()));
            int n = 0;
            for (Incident incident : shown) {
                out.append("  ").append(++n).append(". ").append(incident.failing() ? "FAIL " : "     ")
                        .append(ReportCells.label(incident.profileType(), incident.measure())).append(": ")
                        .append(oneLine(String.valueOf(incident.summary()))).append('\n');
                if (incident.failing() && incident.detail() != null) {
                    out.append("     ").append(oneLine(incident.detail())).append('\n');
                }
            }
            if (shown.size() < verdict.incidents().size()) {
                out.append("  … ").append(verdict.incidents().size() - shown.size())
                        .append(" more, every finding is in the tables below\n");
            }
        }
        int footnote = 0;
        for (Map.Entry<ProfileType, List<Finding>> entry : ReportCells.findingsByType(verdict).entrySet()) {
            TypeQuality quality = ReportCells.typeQuality(verdict, entry.getKey());
            // memory growth alone (no live-object profile judged) is not a live_bytes table
            boolean memoryOnly = quality == null && !entry.getValue().isEmpty()
                    && entry.getValue().stream().allMatch(f -> f.measure() != null && f.measure().memoryGrowth());
            out.append('\n').append(memoryOnly ? "memory growth" : ReportCells.typeTitle(entry.getKey(), quality));
            if (quality != null) {
                out.append("  baseline: ").append(ReportCells.group(quality.baseline()))
                        .append("  canary: ").append(ReportCells.group(quality.canary()));
            }
            out.append('\n');
            // The type's findings, then its hottest functions not already listed ("~" = no change).
            List<Finding> rows = new ArrayList<>(entry.getValue());
            for (Finding hot : verdict.hottest()) {
                if (hot.profileType() == entry.getKey() && !rows.contains(hot)) {
                    rows.add(hot);
                }
            }
            if (rows.isEmpty()) {
                out.append("  no findings\n");
            } else {
                TextTable table = new TextTable(HEADER, RIGHT);
                for (Finding finding : rows) {
                    table.add(List.of(finding.function() == null ? "" : oneLine(finding.function()), ReportCells.measure(finding),
                            cells.value(finding, finding.baseline()), cells.value(finding, finding.canary()),
                            cells.change(finding), ReportCells.qValue(finding.qValue()), ReportCells.kind(finding)));
                }
                table.lines("  ").forEach(line -> out.append(line).append('\n'));
            }
            if (quality != null) {
                for (String note : ReportCells.typeNotes(quality)) {
                    out.append("  [").append(++footnote).append("] ").append(oneLine(note)).append('\n');
                }
            }
        }
        List<Finding> explained = verdict.findings().stream()
                .filter(f -> f.failing() || f.explanation() != null && !f.explanation().isBlank())
                .toList();
        if (!explained.isEmpty()) {
            out.append("\nwhy:\n");
            int n = 0;
            for (Finding finding : explained) {
                out.append("  ").append(++n).append(". ").append(ReportCells.label(finding.profileType(), finding.measure())).append(' ')
                        .append(oneLine(String.valueOf(finding.function()))).append(finding.failing() ? " (FAILS)" : "").append('\n');
                if (finding.explanation() != null && !finding.explanation().isBlank()) {
                    out.append("     ").append(oneLine(finding.explanation())).append('\n');
                }
                List<String> path = ReportCells.callPath(finding);
                // The explanation's "Hottest path: a → b → c." already gives a path of up to six frames: not twice.
                if (!path.isEmpty() && (finding.explanation() == null
                        || !finding.explanation().contains(String.join(" → ", path)))) {
                    out.append("     call path: ").append(oneLine(String.join(" > ", path))).append('\n');
                }
            }
        }
        if (!verdict.metrics().isEmpty()) {
            out.append("\nmetrics:\n");
            TextTable table = new TextTable(List.of("metric", "baseline", "canary", "change", "note"),
                    false, true, true, true, false);
            for (MetricComparison metric : verdict.metrics()) {
                table.add(List.of(metric.name(), metric.text(metric.baseline()), metric.text(metric.canary()),
                        metric.relativeChange() == null || ReportCells.finite(metric.relativeChange()) == null ? ""
                                : ReportCells.signedPercent(metric.relativeChange()),
                        metric.note() == null ? "" : oneLine(metric.note())));
            }
            table.lines("  ").forEach(line -> out.append(line).append('\n'));
        }
        DataQuality quality = verdict.dataQuality();
        if (quality != null && !(quality.warnings().isEmpty() && quality.skipped().isEmpty())) {
            out.append("\ndata quality:\n");
            for (String warning : quality.warnings()) {
                out.append("  [").append(++footnote).append("] ").append(oneLine(warning)).append('\n');
            }
            for (String skipped : quality.skipped()) {
                out.append("  [").append(++footnote).append("] skipped ").append(oneLine(skipped)).append('\n');
            }
        }
        if (verdict.reportUrl() != null) {
            out.append("\nreport: ").append(verdict.reportUrl()).append('\n');
        }
        return out.toString();
    }


    /** Keeps a table or footnote on its lines: control characters (newlines, escapes) become spaces. */
    static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return out.toString();
    }
}
