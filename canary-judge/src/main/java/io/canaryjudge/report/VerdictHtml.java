package io.canaryjudge.report;

import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.DataQuality;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.MetricComparison;
import io.canaryjudge.verdict.TypeQuality;
import io.canaryjudge.verdict.Verdict;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The verdict as one self-contained HTML page (inline CSS, no scripts, no external assets, so it
 * can be archived as a CI artifact or served as {@code /reports/{id}}). Every text from the verdict
 * is HTML-escaped: function names come from uploaded profiles and must not inject markup.
 */
public final class VerdictHtml implements VerdictRenderer {
    private static final String STYLE = """
            body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;\
            padding:0 1rem;color:#1f2328}
            h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}
            .PASS{color:#1a7f37}.FAIL{color:#cf222e}.INCONCLUSIVE{color:#9a6700}
            table{border-collapse:collapse;margin:.5rem 0;width:100%}
            th,td{border-bottom:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
            td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            tr.failing td{background:#ffebe9}
            code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all}
            details ol{margin:.3rem 0;padding-left:1.5rem}
            .muted{color:#656d76;font-weight:normal}ul.notes{color:#656d76;font-size:.9rem}
            p.summary{font-size:1.1rem}
            """;

    private final ReportCells cells;

    public VerdictHtml(JudgeConfig config) {
        this.cells = new ReportCells(config);
    }

    @Override
    public String render(Verdict verdict) {
        String result = verdict.result() == null ? "UNKNOWN" : verdict.result().name();
        StringBuilder out = new StringBuilder(8192);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>canary-judge: ").append(escape(result))
                .append(verdict.id() == null ? "" : " " + escape(verdict.id())).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        out.append("<h1 class=\"").append(escape(result)).append("\">").append(escape(result))
                .append(" <span class=\"muted\">score ").append(verdict.score()).append("</span></h1>\n");
        if (verdict.summary() != null && !verdict.summary().isBlank()) {
            out.append("<p class=\"summary\">").append(prose(verdict.summary())).append("</p>\n");
        }
        if (verdict.id() != null) {
            out.append("<p class=\"muted\">verdict <code>").append(escape(verdict.id())).append("</code></p>\n");
        }
        for (Map.Entry<ProfileType, List<Finding>> entry : ReportCells.findingsByType(verdict).entrySet()) {
            TypeQuality quality = ReportCells.typeQuality(verdict, entry.getKey());
            out.append("<h2>").append(escape(ReportCells.typeTitle(entry.getKey()))).append("</h2>\n");
            if (quality != null) {
                out.append("<p>Baseline: ").append(escape(ReportCells.group(quality.baseline())))
                        .append(" · canary: ").append(escape(ReportCells.group(quality.canary()))).append("</p>\n");
            }
            if (entry.getValue().isEmpty()) {
                out.append("<p>No findings.</p>\n");
            } else {
                findings(out, entry.getValue());
            }
            if (quality != null) {
                List<String> notes = ReportCells.typeNotes(quality);
                if (!notes.isEmpty()) {
                    out.append("<ul class=\"notes\">\n");
                    notes.forEach(n -> out.append("<li>").append(escape(n)).append("</li>\n"));
                    out.append("</ul>\n");
                }
            }
        }
        if (!verdict.metrics().isEmpty()) {
            out.append("<h2>Metrics</h2>\n<table>\n<thead><tr><th>metric</th><th class=\"n\">baseline</th>")
                    .append("<th class=\"n\">canary</th><th class=\"n\">change</th><th>note</th></tr></thead>\n<tbody>\n");
            for (MetricComparison metric : verdict.metrics()) {
                Double change = ReportCells.finite(metric.relativeChange());
                out.append("<tr><td>").append(escape(metric.name())).append("</td><td class=\"n\">")
                        .append(ReportCells.number(metric.baseline())).append("</td><td class=\"n\">").append(ReportCells.number(metric.canary()))
                        .append("</td><td class=\"n\">").append(change == null ? "" : escape(ReportCells.signedPercent(change)))
                        .append("</td><td>").append(escape(metric.note())).append("</td></tr>\n");
            }
            out.append("</tbody>\n</table>\n");
        }
        DataQuality quality = verdict.dataQuality();
        out.append("<h2>Data quality</h2>\n");
        if (quality == null || quality.warnings().isEmpty() && quality.skipped().isEmpty()) {
            out.append("<p>No warnings; no inputs skipped.</p>\n");
        } else {
            out.append("<ul>\n");
            quality.warnings().forEach(w -> out.append("<li>").append(escape(w)).append("</li>\n"));
            quality.skipped().forEach(s -> out.append("<li>skipped ").append(escape(s)).append("</li>\n"));
            out.append("</ul>\n");
        }
        out.append("<p class=\"muted\">canary-judge · \"~\": no significant difference.</p>\n</body>\n</html>\n");
        return out.toString();
    }

    private void findings(StringBuilder out, List<Finding> findings) {
        out.append("<table>\n<thead><tr><th>function</th><th>measure</th><th class=\"n\">baseline</th>")
                .append("<th class=\"n\">canary</th><th class=\"n\">change</th><th class=\"n\">q</th><th>kind</th>")
                .append("<th>explanation</th></tr></thead>\n<tbody>\n");
        for (Finding finding : findings) {
            out.append(finding.failing() ? "<tr class=\"failing\">" : "<tr>")
                    .append("<td><code>").append(escape(finding.function())).append("</code>");
            List<String> path = ReportCells.callPath(finding);
            if (!path.isEmpty()) {
                out.append("<details><summary>call path</summary><ol>");
                path.forEach(frame -> out.append("<li><code>").append(escape(frame)).append("</code></li>"));
                out.append("</ol></details>");
            }
            out.append("</td><td>").append(escape(ReportCells.measure(finding)))
                    .append("</td><td class=\"n\">").append(escape(cells.value(finding, finding.baseline())))
                    .append("</td><td class=\"n\">").append(escape(cells.value(finding, finding.canary())))
                    .append("</td><td class=\"n\">").append(escape(cells.change(finding)))
                    .append("</td><td class=\"n\">").append(escape(ReportCells.qValue(finding.qValue())))
                    .append("</td><td>").append(finding.failing() ? "<strong>" : "")
                    .append(escape(ReportCells.kind(finding))).append(finding.failing() ? "</strong>" : "")
                    .append("</td><td>").append(prose(finding.explanation())).append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }


    /** The judge's sentences: text between backticks becomes {@code <code>}, everything escaped. */
    static String prose(String text) {
        return ReportCells.prose(text, VerdictHtml::escape, part -> "<code>" + escape(part) + "</code>");
    }

    /** Escapes text for HTML element content and double- or single-quoted attribute values. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.appendCodePoint(Character.isISOControl(c) && c != '\n' && c != '\t' ? ' ' : c);
            }
        });
        return out.toString();
    }
}
