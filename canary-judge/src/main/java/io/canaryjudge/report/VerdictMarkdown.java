package io.canaryjudge.report;

import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.DataQuality;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.MetricComparison;
import io.canaryjudge.verdict.TypeQuality;
import io.canaryjudge.verdict.Verdict;
import java.util.List;
import java.util.Map;

/**
 * The verdict as GitHub-flavoured Markdown for a CI comment: the same content as {@link VerdictText},
 * incidents as a numbered list, findings as tables. Everything taken from profiles (function names can contain {@code <}, {@code |},
 * {@code *}) is escaped so it cannot break the table or inject HTML.
 */
public final class VerdictMarkdown implements VerdictRenderer {
    private final ReportCells cells;

    public VerdictMarkdown(JudgeConfig config) {
        this.cells = new ReportCells(config);
    }

    @Override
    public String render(Verdict verdict) {
        StringBuilder out = new StringBuilder();
        out.append("### ").append(icon(verdict)).append(' ').append(prose(ReportCells.headline(verdict))).append("\n\n");
        if (!verdict.incidents().isEmpty()) {
            out.append("#### Incidents\n\n");
            List<Incident> shown = verdict.incidents().subList(0, Math.min(ReportCells.INCIDENTS_SHOWN,
                    verdict.incidents().size()));
            int n = 0;
            for (Incident incident : shown) {
                out.append(++n).append(". ").append(incident.failing() ? "**FAIL** · " : "")
                        .append(escape(ReportCells.typeId(incident.profileType()))).append(" · ")
                        .append(prose(String.valueOf(incident.summary()))).append('\n');
                if (incident.failing() && incident.detail() != null) {
                    out.append("   ").append(prose(incident.detail())).append('\n');
                }
            }
            if (shown.size() < verdict.incidents().size()) {
                out.append("\n").append(verdict.incidents().size() - shown.size())
                        .append(" more; every finding is in the tables below.\n");
            }
            out.append('\n');
        }
        for (Map.Entry<ProfileType, List<Finding>> entry : ReportCells.findingsByType(verdict).entrySet()) {
            TypeQuality quality = ReportCells.typeQuality(verdict, entry.getKey());
            out.append("#### ").append(escape(ReportCells.typeTitle(entry.getKey()))).append("\n\n");
            if (quality != null) {
                out.append("Baseline: ").append(ReportCells.group(quality.baseline()))
                        .append(" · canary: ").append(ReportCells.group(quality.canary())).append("\n\n");
            }
            if (entry.getValue().isEmpty()) {
                out.append("No findings.\n\n");
            } else {
                out.append("| function | measure | baseline | canary | change | q | kind |\n");
                out.append("|:--|:--|--:|--:|--:|:--|:--|\n");
                for (Finding finding : entry.getValue()) {
                    out.append("| ").append(code(finding.function()))
                            .append(" | ").append(ReportCells.measure(finding))
                            .append(" | ").append(escape(cells.value(finding, finding.baseline())))
                            .append(" | ").append(escape(cells.value(finding, finding.canary())))
                            .append(" | ").append(escape(cells.change(finding)))
                            .append(" | ").append(escape(ReportCells.qValue(finding.qValue())))
                            .append(" | ").append(finding.failing() ? "**" + escape(ReportCells.kind(finding)) + "**"
                                    : escape(ReportCells.kind(finding)))
                            .append(" |\n");
                }
                out.append('\n');
            }
            if (quality != null) {
                for (String note : ReportCells.typeNotes(quality)) {
                    out.append("- ").append(escape(note)).append('\n');
                }
                out.append('\n');
            }
        }
        List<Finding> explained = verdict.findings().stream()
                .filter(f -> f.failing() || f.explanation() != null && !f.explanation().isBlank())
                .toList();
        if (!explained.isEmpty()) {
            out.append("#### Why\n\n");
            int n = 0;
            for (Finding finding : explained) {
                out.append(++n).append(". ").append(escape(ReportCells.typeId(finding.profileType()))).append(' ')
                        .append(code(finding.function())).append(finding.failing() ? " **fails**" : "");
                if (finding.explanation() != null && !finding.explanation().isBlank()) {
                    out.append(": ").append(prose(finding.explanation()));
                }
                out.append('\n');
                List<String> path = ReportCells.callPath(finding);
                if (!path.isEmpty()) {
                    out.append("   <details><summary>call path</summary>\n\n");
                    for (String frame : path) {
                        out.append("   - ").append(code(frame)).append('\n');
                    }
                    out.append("\n   </details>\n");
                }
            }
            out.append('\n');
        }
        if (!verdict.metrics().isEmpty()) {
            out.append("#### Metrics\n\n| metric | baseline | canary | change | note |\n|:--|--:|--:|--:|:--|\n");
            for (MetricComparison metric : verdict.metrics()) {
                Double change = ReportCells.finite(metric.relativeChange());
                out.append("| ").append(escape(metric.name()))
                        .append(" | ").append(ReportCells.number(metric.baseline()))
                        .append(" | ").append(ReportCells.number(metric.canary()))
                        .append(" | ").append(change == null ? "" : escape(ReportCells.signedPercent(change)))
                        .append(" | ").append(escape(metric.note()))
                        .append(" |\n");
            }
            out.append('\n');
        }
        DataQuality quality = verdict.dataQuality();
        if (quality != null && !(quality.warnings().isEmpty() && quality.skipped().isEmpty())) {
            out.append("#### Data quality\n\n");
            quality.warnings().forEach(w -> out.append("- ").append(escape(w)).append('\n'));
            quality.skipped().forEach(s -> out.append("- skipped ").append(escape(s)).append('\n'));
            out.append('\n');
        }
        if (verdict.id() != null || verdict.reportUrl() != null) {
            out.append("<sub>");
            if (verdict.id() != null) {
                out.append("verdict ").append(escape(verdict.id()));
            }
            if (verdict.reportUrl() != null) {
                out.append(verdict.id() != null ? " · " : "").append("[full report](")
                        .append(verdict.reportUrl().replace("(", "%28").replace(")", "%29").replace(" ", "%20"))
                        .append(')');
            }
            out.append("</sub>\n");
        }
        return out.toString();
    }

    private static String icon(Verdict verdict) {
        if (verdict.result() == null) {
            return "";
        }
        return switch (verdict.result()) {
            case PASS -> "✅";
            case FAIL -> "❌";
            case INCONCLUSIVE -> "⚠️";
        };
    }


    /**
     * Escapes text for a Markdown paragraph or table cell: HTML metacharacters become entities,
     * Markdown punctuation is backslash-escaped, line breaks become spaces (a table row is one line).
     */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '\\', '`', '*', '_', '[', ']', '|', '#', '~', '!' -> out.append('\\').appendCodePoint(c);
                default -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c);
            }
        });
        return out.toString();
    }

    /**
     * The judge's sentences: text between backticks (the judge quotes function names that way) becomes
     * code, the rest is escaped; with an odd number of backticks everything is escaped.
     */
    static String prose(String text) {
        return ReportCells.prose(text, VerdictMarkdown::escape, VerdictMarkdown::code);
    }

    /**
     * A function name as inline code. Inside a code span Markdown escapes do not work, so names
     * are wrapped in {@code <code>} with HTML escaping instead; a table pipe is an entity.
     */
    static String code(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder("<code>");
        text.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '|' -> out.append("&#124;");
                case '\\', '`', '*', '_', '[', ']', '~' -> out.append('\\').appendCodePoint(c);
                default -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c);
            }
        });
        return out.append("</code>").toString();
    }
}
