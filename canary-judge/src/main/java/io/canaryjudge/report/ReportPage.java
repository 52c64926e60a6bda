package io.canaryjudge.report;

import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.report.flame.FlameDiff;
import io.canaryjudge.verdict.DataQuality;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.TypeQuality;
import io.canaryjudge.verdict.Verdict;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The report page a release engineer reads: the result and the one-line summary first, then what
 * changed (incidents with their change, interval and q), the diff flame graph, each incident's
 * per-pod evidence, the largest movers, metrics, data quality and exactly what was compared. Pure:
 * the same report gives the same page. The flame graph is drawn by {@code report.js} from the JSON
 * embedded in the page; the rest is plain HTML and inline SVG, readable without scripts.
 *
 * <p>Served by the service at {@code /reports/{id}} with {@link ReportAssets#served}, written by
 * {@code compare --format html} with {@link ReportAssets#inline} (one self-contained file).
 */
public final class ReportPage {
    /** The embedded data: non-ASCII escaped so U+2028/U+2029 and bidi controls travel as {@code \\uXXXX}. */
    private static final JsonMapper PAGE_JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    /** Rows of the "What changed" table before the rest move into a collapsed list. */
    static final int CHANGE_ROWS = 8;

    private final ReportCells cells;

    /** A page for a stored report: a listed finding is credible by construction, only UNCHANGED rows read "~". */
    public ReportPage() {
        this(null);
    }

    /** @param config the judge's configuration, whose per-function q thresholds decide which changes read "~" */
    public ReportPage(JudgeConfig config) {
        this.cells = new ReportCells(config);
    }

    public String render(Report report, ReportAssets assets) {
        Verdict verdict = report.verdict();
        String result = verdict.result() == null ? "UNKNOWN" : verdict.result().name();
        StringBuilder out = new StringBuilder(64 * 1024);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
                .append(Html.text(assets.contentSecurityPolicy())).append("\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"referrer\" content=\"no-referrer\">\n")
                .append("<link rel=\"icon\" href=\"data:,\">\n") // no favicon request
                .append("<title>").append(Html.text(result)).append(" · canary-judge")
                .append(verdict.id() == null ? "" : " · " + Html.text(verdict.id())).append("</title>\n")
                .append(assets.styleTag()).append("\n</head>\n<body>\n");
        header(out, verdict, result);
        out.append("<main>\n");
        changes(out, report);
        flame(out, report);
        evidence(out, report);
        HeapChart.section(out, verdict);
        ReportTables.movers(out, verdict, cells);
        ReportTables.metrics(out, verdict);
        ReportTables.quality(out, verdict);
        ReportTables.context(out, report.context());
        out.append("</main>\n<footer>canary-judge report");
        if (verdict.id() != null) {
            out.append(" · verdict <code>").append(Html.text(verdict.id())).append("</code>");
        }
        out.append("</footer>\n");
        out.append("<script type=\"application/json\" id=\"report-data\">").append(pageData(report)).append("</script>\n");
        out.append(assets.scriptTag()).append("\n</body>\n</html>\n");
        return out.toString();
    }

    private static void header(StringBuilder out, Verdict verdict, String result) {
        out.append("<header class=\"verdict ").append(Html.text(result)).append("\">\n<div class=\"headline\">")
                .append("<span class=\"badge\" id=\"result\">").append(Html.text(result)).append("</span>")
                .append("<span class=\"score\">score ").append(verdict.score()).append(" / 100</span></div>\n");
        String summary = verdict.summary() == null ? "" : verdict.summary().strip();
        if (summary.startsWith(result + ":")) {
            summary = summary.substring(result.length() + 1).strip();
        }
        out.append("<p class=\"summary\" id=\"summary\">").append(Html.prose(summary)).append("</p>\n");
        List<String> facts = new ArrayList<>();
        if (verdict.dataQuality() != null) {
            for (TypeQuality type : verdict.dataQuality().types()) {
                if (facts.size() == 2) {
                    break;
                }
                String fact = "<b>" + Html.text(ReportCells.typeId(type.profileType())) + "</b> baseline "
                        + Html.text(ReportCells.group(type.baseline())) + " · canary " + Html.text(ReportCells.group(type.canary()));
                Double mdc = ReportCells.finite(type.minimumDetectableChange5pct());
                if (mdc != null) {
                    fact += " · detects ±" + Html.text(ReportCells.relativePercent(mdc)) + " in a function at 5 %";
                }
                facts.add(fact);
            }
        }
        if (!facts.isEmpty()) {
            out.append("<ul class=\"facts\">");
            facts.forEach(f -> out.append("<li>").append(f).append("</li>"));
            out.append("</ul>\n");
        }
        out.append("</header>\n");
    }

    /** Incidents; without them the findings; without those one line saying nothing changed. */
    private void changes(StringBuilder out, Report report) {
        Verdict verdict = report.verdict();
        out.append("<section id=\"changes\">\n");
        if (!verdict.incidents().isEmpty()) {
            out.append("<h2>Incidents <span class=\"muted\">one row per change, named by the frame where the cost enters</span></h2>\n");
            out.append(ReportTables.CHANGE_HEADER);
            int n = 0;
            for (Incident incident : verdict.incidents()) {
                ReportTables.incidentRow(out, ++n, incident, ReportCells.unit(verdict, incident));
            }
            out.append("</tbody></table>\n");
            if (!verdict.findings().isEmpty()) {
                out.append("<details class=\"more\"><summary>All ").append(verdict.findings().size())
                        .append(" findings behind them</summary>\n").append(ReportTables.CHANGE_HEADER);
                n = 0;
                for (Finding finding : verdict.findings()) {
                    ReportTables.findingRow(out, ++n, finding, cells);
                }
                out.append("</tbody></table></details>\n");
            }
        } else if (!verdict.findings().isEmpty()) {
            out.append("<h2>What changed <span class=\"muted\">credible changes, the ones that fail first</span></h2>\n")
                    .append(ReportTables.CHANGE_HEADER);
            List<Finding> findings = verdict.findings();
            for (int i = 0; i < Math.min(CHANGE_ROWS, findings.size()); i++) {
                ReportTables.findingRow(out, i + 1, findings.get(i), cells);
            }
            out.append("</tbody></table>\n");
            if (findings.size() > CHANGE_ROWS) {
                out.append("<details class=\"more\"><summary>").append(findings.size() - CHANGE_ROWS)
                        .append(" more findings</summary>\n").append(ReportTables.CHANGE_HEADER);
                for (int i = CHANGE_ROWS; i < findings.size(); i++) {
                    ReportTables.findingRow(out, i + 1, findings.get(i), cells);
                }
                out.append("</tbody></table></details>\n");
            }
        } else if (judgedNothing(verdict)) {
            // "no change" would read as a clean bill; with no type, heap or metric judged nothing was compared
            out.append("<h2>What changed</h2>\n<p class=\"quiet\">Nothing was compared: no profile type, heap or request"
                    + " metric had data to judge in both groups (Data quality below says what is missing).</p>\n");
        } else {
            out.append("<h2>What changed</h2>\n<p class=\"quiet\">No credible, material change in any judged profile type.")
                    .append(verdict.hottest().isEmpty() ? "" : " The largest movers are listed below.").append("</p>\n");
        }
        out.append("</section>\n");
    }

    /** No profile type judged, no memory-growth check judged and no request metric compared. */
    private static boolean judgedNothing(Verdict verdict) {
        DataQuality quality = verdict.dataQuality();
        return verdict.metrics().isEmpty() && (quality == null
                || quality.types().stream().noneMatch(TypeQuality::judged) && (quality.memory() == null || !quality.memory().judged()));
    }

    private static void flame(StringBuilder out, Report report) {
        out.append("<section id=\"flame-section\">\n<h2>Where the cost moved <span class=\"muted\">diff flame graph: canary vs baseline, ")
                .append("each group's share of its own total</span></h2>\n");
        if (report.flames().isEmpty()) {
            out.append("<p class=\"quiet\">No flame graph: this report was made from the verdict alone, without the profiles.</p>\n")
                    .append("</section>\n");
            return;
        }
        out.append("""
                <div class="flame-toolbar">
                <span class="flame-types" id="flame-types" role="group" aria-label="profile type"></span>
                <label>width <select id="flame-width"><option value="both">both groups</option>\
                <option value="canary">canary</option><option value="baseline">baseline</option></select></label>
                <input type="search" id="flame-search" placeholder="search frames, e.g. Checkout" aria-label="search frames">
                <span id="flame-matches" class="muted"></span>
                <button type="button" id="flame-reset">reset zoom</button>
                </div>
                <div class="legend"><span class="sw rise"></span>rose <span class="sw fall"></span>fell \
                <span class="sw same"></span>unchanged (within ±10 % or 0.1 pp) <span class="sw new"></span>new in canary \
                <span class="sw gone"></span>gone in canary <span class="sw mark"></span>flagged by the judge \
                <span class="muted">· paler = smaller · hover: numbers · click: zoom · Esc: reset</span>
                <div class="muted" id="flame-scale"></div></div>
                <div id="flame-details" class="flame-details" aria-live="polite">Hover a frame for its numbers; click it to zoom in.</div>
                <div id="flame-graph" class="flame-graph"></div>
                <noscript><p class="quiet">The flame graph is drawn by JavaScript; everything else on this page works without it.</p></noscript>
                """);
        int dropped = report.flames().stream().mapToInt(FlameDiff::droppedNodes).sum();
        if (dropped > 0) {
            out.append("<p class=\"muted small\">Frames under ")
                    .append(Html.text(ReportCells.percent(report.flames().get(0).minShare())))
                    .append(" of both groups are folded into their callers (").append(ReportCells.count(dropped))
                    .append(" call paths).</p>\n");
        }
        out.append("</section>\n");
    }

    private static void evidence(StringBuilder out, Report report) {
        if (report.evidence().isEmpty()) {
            return;
        }
        out.append("<section id=\"evidence\">\n<h2>Pod by pod <span class=\"muted\">big dots: each pod over all its slices; ")
                .append("small dots: single slices; bar: mean of pods (raw shares, before the judge's normalisation)</span></h2>\n")
                .append("<div class=\"strips\">\n");
        for (IncidentEvidence e : report.evidence()) {
            out.append("<figure class=\"strip-figure\"><figcaption>").append(Html.frame(e.function(), 70))
                    .append(" <span class=\"muted\">").append(Html.text(ReportCells.typeId(e.profileType()))).append(", ")
                    .append(Html.text(StripPlot.measureWords(e.measure()))).append("</span></figcaption>")
                    .append(StripPlot.svg(e, ReportCells.unit(report.verdict(), e.profileType()))).append("</figure>\n");
        }
        out.append("</div>\n</section>\n");
    }

    /** The flame graphs and the frames to outline, as JSON that cannot end the script element. */
    static String pageData(Report report) {
        ObjectNode root = PAGE_JSON.createObjectNode();
        ArrayNode flames = root.putArray("flames");
        report.flames().forEach(f -> flames.add(ReportJson.flame(f)));
        ArrayNode marks = root.putArray("marks");
        Verdict verdict = report.verdict();
        String lead = null;
        for (Incident incident : verdict.incidents()) {
            if (incident.profileType() != null && incident.entryFrame() != null) {
                marks.addObject().put("profileType", incident.profileType().id()).put("function", incident.entryFrame())
                        .put("failing", incident.failing());
                lead = lead == null ? incident.profileType().id() : lead;
            }
        }
        for (Finding finding : verdict.findings()) {
            if (finding.profileType() != null && finding.function() != null) {
                marks.addObject().put("profileType", finding.profileType().id()).put("function", finding.function())
                        .put("failing", finding.failing());
                lead = lead == null ? finding.profileType().id() : lead;
            }
        }
        root.put("lead", lead);
        return scriptSafe(PAGE_JSON.writeValueAsString(root));
    }

    /**
     * JSON inside {@code <script>}: {@code <}, {@code >} and {@code &} only occur inside strings, where
     * {@code \\u003c} means the same, so no {@code </script>} or {@code <!--} can appear.
     */
    static String scriptSafe(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }
}
