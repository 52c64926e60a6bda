package io.canaryjudge.report;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.DataQuality;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.Measure;
import io.canaryjudge.verdict.MetricComparison;
import io.canaryjudge.verdict.TypeQuality;
import io.canaryjudge.verdict.Verdict;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** The tables of the report page: changes, largest movers, metrics, data quality, what was compared. */
final class ReportTables {
    static final String CHANGE_HEADER = "<table class=\"changes\"><thead><tr><th class=\"n c-num\">#</th>"
            + "<th class=\"wide\">frame · hottest call path</th><th class=\"c-kind\">kind</th><th class=\"c-type\">type</th>"
            + "<th class=\"n c-values\">before → after</th><th class=\"n c-change\">change · 95 % interval</th>"
            + "<th class=\"n c-q\">q</th></tr></thead><tbody>\n";
    /** Callers shown above a frame before the rest fold into "hottest call path". */
    private static final int CALLERS_SHOWN = 3;

    private ReportTables() {
    }

    /** @param unit the unit of the incident's amounts when they are per request ({@link ReportCells#unit}) */
    static void incidentRow(StringBuilder out, int n, Incident incident, String unit) {
        out.append(incident.failing() ? "<tr class=\"failing\">" : "<tr>")
                .append("<td class=\"n\">").append(n).append("</td><td class=\"wide\">").append(Html.frame(incident.entryFrame()));
        callPath(out, incident.callPath(), incident.entryFrame());
        if (incident.detail() != null && !incident.detail().isBlank()) {
            out.append("<div class=\"detail\">").append(Html.prose(incident.detail())).append("</div>");
        }
        out.append("</td><td>").append(kind(incident.kind(), incident.failing(), false)).append("</td><td>")
                .append(typeAndMeasure(incident.profileType(), incident.measure())).append("</td><td class=\"n\">")
                .append(Html.text(ReportCells.value(incident.profileType(), incident.measure(), unit, incident.baseline())))
                .append(" → ")
                .append(Html.text(ReportCells.value(incident.profileType(), incident.measure(), unit, incident.canary())))
                .append("</td><td class=\"n\"><b>").append(Html.text(change(incident.kind(), incident.relativeChange())))
                .append("</b>").append(interval(incident.profileType(), incident.measure(), unit, incident.ciLow(),
                        incident.ciHigh()))
                .append("</td><td class=\"n\">").append(Html.text(q(incident.qValue()))).append("</td></tr>\n");
    }

    static void findingRow(StringBuilder out, int n, Finding finding, ReportCells cells) {
        out.append(finding.failing() ? "<tr class=\"failing\">" : "<tr>")
                .append("<td class=\"n\">").append(n).append("</td><td class=\"wide\">").append(Html.frame(finding.function()));
        callPath(out, finding.callPath(), finding.function());
        out.append("</td><td>").append(kind(finding.kind(), finding.failing(), finding.jvmInternal())).append("</td><td>")
                .append(typeAndMeasure(finding.profileType(), finding.measure())).append("</td><td class=\"n\">")
                .append(Html.text(cells.value(finding, finding.baseline()))).append(" → ")
                .append(Html.text(cells.value(finding, finding.canary()))).append("</td><td class=\"n\"><b>")
                .append(Html.text(cells.change(finding))).append("</b>");
        if (cells.significant(finding)) {
            out.append(interval(finding.profileType(), finding.measure(), finding.valueUnit(), finding.ciLow(),
                    finding.ciHigh()));
        }
        out.append("</td><td class=\"n\">").append(Html.text(q(finding.qValue()))).append("</td></tr>\n");
    }

    /** The nearest callers on one line; opened, the whole hottest path (root first). */
    private static void callPath(StringBuilder out, List<String> path, String frame) {
        List<String> callers = !path.isEmpty() && path.get(path.size() - 1).equals(frame)
                ? path.subList(0, path.size() - 1) : path;
        if (callers.isEmpty()) {
            return;
        }
        out.append("<details class=\"callpath\"><summary>via ");
        int from = Math.max(0, callers.size() - CALLERS_SHOWN);
        if (from > 0) {
            out.append("… › ");
        }
        for (int i = from; i < callers.size(); i++) {
            out.append(Html.frame(callers.get(i), 48)).append(i < callers.size() - 1 ? " › " : "");
        }
        out.append("</summary><ol class=\"frames\">");
        for (String step : ReportCells.callPath(path)) {
            out.append("<li>").append(Html.frame(step)).append("</li>");
        }
        out.append("</ol></details>");
    }

    static String kind(FindingKind kind, boolean failing, boolean jvmInternal) {
        String name = kind == null ? "" : kind.name().toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder("<span class=\"kind k-").append(Html.text(name)).append("\">")
                .append(Html.text(name.replace('_', ' '))).append("</span>");
        if (failing) {
            out.append(" <span class=\"fails\">fails</span>");
        }
        if (jvmInternal) {
            out.append(" <span class=\"jvm\" title=\"JIT, GC, class loading or other JVM work: reported, not a code culprit\">jvm</span>");
        }
        return out.toString();
    }

    private static String typeAndMeasure(ProfileType type, Measure measure) {
        String words = measure == null ? "" : switch (measure) {
            case SELF -> "self";
            case INCLUSIVE -> "inclusive";
            case SELF_PER_REQUEST -> "self per request";
            case INCLUSIVE_PER_REQUEST -> "inclusive per request";
            case TOTAL_PER_REQUEST -> "total per request";
            case HEAP_GROWTH -> "heap after GC per hour";
            case HEAP_GROWTH_PER_REQUEST -> "heap after GC per 1,000 requests";
            case MEMORY_AREA_GROWTH -> "outside the heap, per hour";
        };
        return Html.text(ReportCells.typeId(type)) + (words.isEmpty() ? "" : "<div class=\"muted small\">" + words + "</div>");
    }

    static String change(FindingKind kind, Double relativeChange) {
        Double rel = ReportCells.finite(relativeChange);
        if (kind == FindingKind.NEW_HOT_PATH && rel == null) {
            return "new";
        }
        if (rel == null && ReportCells.risesFromZero(kind)) {
            return "from 0";
        }
        if (kind == FindingKind.VANISHED) {
            return "gone";
        }
        if (kind == FindingKind.UNCHANGED) {
            return "~";
        }
        return rel == null ? "" : ReportCells.signedPercent(rel);
    }

    /**
     * The 95 % interval of canary − baseline: percentage points for shares, else in the value's own unit
     * (per request, per 1,000 requests or per hour, as {@link ReportCells#per}).
     */
    static String interval(ProfileType type, Measure measure, String unit, Double low, Double high) {
        Double lo = ReportCells.finite(low);
        Double hi = ReportCells.finite(high);
        if (lo == null || hi == null) {
            return "";
        }
        if (type != null && type.countsSamples() && !ReportCells.per(measure).isEmpty()) {
            return ""; // sampled events per request are no amount: the cells read "—" (ReportCells.value)
        }
        String text;
        String per = ReportCells.per(measure);
        if (!per.isEmpty()) {
            text = signed(lo, ReportCells.amount(measure, unit, lo)) + " … "
                    + signed(hi, ReportCells.amount(measure, unit, hi)) + per;
        } else {
            text = String.format(Locale.ROOT, "%+.2f … %+.2f pp", lo * 100, hi * 100);
        }
        return "<div class=\"ci\" title=\"95 % interval of canary − baseline\">" + Html.text(text) + "</div>";
    }

    private static String signed(double value, String formatted) {
        return value >= 0 && !formatted.startsWith("+") ? "+" + formatted : formatted;
    }

    static String q(Double q) {
        Double v = ReportCells.finite(q);
        return v == null ? "" : ReportCells.probability(v);
    }

    static void movers(StringBuilder out, Verdict verdict, ReportCells cells) {
        if (verdict.hottest().isEmpty()) {
            return;
        }
        out.append("<section id=\"movers\">\n<h2>Largest movers <span class=\"muted\">the hottest functions of each type ")
                .append("by canary self share, changed or not (~: no credible, material change)</span></h2>\n")
                .append("<table class=\"movers\"><thead><tr><th class=\"wide\">function</th><th class=\"c-type\">type</th>")
                .append("<th class=\"n c-share\">baseline</th><th class=\"n c-share\">canary</th>")
                .append("<th class=\"n c-q\">change</th><th class=\"n c-q\">q</th><th class=\"c-kind\">kind</th>")
                .append("</tr></thead><tbody>\n");
        for (Finding f : verdict.hottest()) {
            out.append(f.failing() ? "<tr class=\"failing\">" : "<tr>").append("<td class=\"wide\">").append(Html.frame(f.function()))
                    .append("</td><td>").append(typeAndMeasure(f.profileType(), f.measure()))
                    .append("</td><td class=\"n\">").append(Html.text(cells.value(f, f.baseline())))
                    .append("</td><td class=\"n\">").append(Html.text(cells.value(f, f.canary())))
                    .append("</td><td class=\"n\">").append(Html.text(cells.change(f)))
                    .append("</td><td class=\"n\">").append(Html.text(q(f.qValue())))
                    .append("</td><td>").append(kind(f.kind(), f.failing(), f.jvmInternal())).append("</td></tr>\n");
        }
        out.append("</tbody></table>\n</section>\n");
    }

    static void metrics(StringBuilder out, Verdict verdict) {
        if (verdict.metrics().isEmpty()) {
            return;
        }
        out.append("<section id=\"metrics\">\n<h2>Metrics</h2>\n<table><thead><tr><th class=\"wide\">metric</th>")
                .append("<th class=\"n\">baseline</th><th class=\"n\">canary</th><th class=\"n\">change</th><th>note</th>")
                .append("</tr></thead><tbody>\n");
        for (MetricComparison metric : verdict.metrics()) {
            Double change = ReportCells.finite(metric.relativeChange());
            out.append("<tr><td class=\"wide\">").append(Html.text(metric.name())).append("</td><td class=\"n\">")
                    .append(Html.text(metric.text(metric.baseline()))).append("</td><td class=\"n\">")
                    .append(Html.text(metric.text(metric.canary()))).append("</td><td class=\"n\">")
                    .append(change == null ? "" : Html.text(ReportCells.signedPercent(change))).append("</td><td>")
                    .append(Html.text(metric.note())).append("</td></tr>\n");
        }
        out.append("</tbody></table>\n</section>\n");
    }

    static void quality(StringBuilder out, Verdict verdict) {
        DataQuality quality = verdict.dataQuality();
        out.append("<section id=\"quality\">\n<h2>Data quality <span class=\"muted\">what the verdict stands on</span></h2>\n");
        if (quality == null || quality.types().isEmpty()) {
            out.append("<p class=\"quiet\">No profile type had data in both groups.</p>\n");
        } else {
            out.append("<table class=\"quality\"><thead><tr><th>type</th><th>baseline</th><th>canary</th>")
                    .append("<th class=\"n\">functions tested</th><th class=\"n\">between-pod noise</th>")
                    .append("<th class=\"n\">overdispersion</th><th class=\"n\">detectable change (5 % / 1 % function)</th>")
                    .append("</tr></thead><tbody>\n");
            for (TypeQuality type : quality.types()) {
                Double cv = ReportCells.finite(type.betweenInstanceCv());
                Double od = ReportCells.finite(type.overdispersion());
                Double mdc5 = ReportCells.finite(type.minimumDetectableChange5pct());
                Double mdc1 = ReportCells.finite(type.minimumDetectableChange1pct());
                out.append("<tr><td>").append(Html.text(ReportCells.typeId(type.profileType())))
                        .append(type.judged() ? "" : " <span class=\"muted\">(not judged)</span>")
                        .append("</td><td>").append(Html.text(ReportCells.group(type.baseline())))
                        .append("</td><td>").append(Html.text(ReportCells.group(type.canary())))
                        .append("</td><td class=\"n\">").append(type.functionsTested())
                        .append("</td><td class=\"n\">").append(cv == null ? "" : ReportCells.noPodNoise(cv) ? "none beyond sampling"
                                : "CV " + Html.text(ReportCells.relativePercent(cv)))
                        .append("</td><td class=\"n\">").append(od == null ? "" : String.format(Locale.ROOT, "%.1f× binomial", od))
                        .append("</td><td class=\"n\">").append(mdc5 == null ? "" : "±" + Html.text(ReportCells.relativePercent(mdc5)))
                        .append(mdc1 == null ? "" : " / ±" + Html.text(ReportCells.relativePercent(mdc1)))
                        .append("</td></tr>\n");
            }
            out.append("</tbody></table>\n<ul class=\"notes\">\n");
            for (TypeQuality type : quality.types()) {
                // What each type's noise was learned from (pods, history, earlier analyses' lessons), as the text
                // and Markdown formats say it: the table's noise figure alone does not say what it rests on.
                if (type.noiseSource() != null) {
                    out.append("<li><b>").append(Html.text(ReportCells.typeId(type.profileType())))
                            .append("</b>: noise learned from ").append(Html.prose(type.noiseSource())).append("</li>\n");
                }
                for (String note : type.notes()) {
                    out.append("<li><b>").append(Html.text(ReportCells.typeId(type.profileType()))).append("</b>: ")
                            .append(Html.prose(note)).append("</li>\n");
                }
            }
            out.append("</ul>\n");
        }
        if (quality != null && !(quality.warnings().isEmpty() && quality.skipped().isEmpty())) {
            out.append("<ul class=\"warnings\">\n");
            quality.warnings().forEach(w -> out.append("<li>").append(Html.prose(w)).append("</li>\n"));
            quality.skipped().forEach(s -> out.append("<li>skipped ").append(Html.text(s)).append("</li>\n"));
            out.append("</ul>\n");
        }
        out.append("</section>\n");
    }

    static void context(StringBuilder out, AnalysisContext context) {
        out.append("<section id=\"analysis\">\n<h2>What was compared</h2>\n<dl class=\"context\">\n")
                .append("<dt>source</dt><dd>").append(Html.text(context.source())).append("</dd>\n");
        if (context.application() != null) {
            out.append("<dt>application</dt><dd><code>").append(Html.text(context.application())).append("</code></dd>\n");
        }
        selection(out, "baseline", context.baseline());
        selection(out, "canary", context.canary());
        if (context.start() != null || context.end() != null) {
            out.append("<dt>window</dt><dd>").append(Html.text(String.valueOf(context.start()))).append(" → ")
                    .append(Html.text(String.valueOf(context.end()))).append("</dd>\n");
        }
        if (!context.queries().isEmpty()) {
            out.append("<dt>queries</dt><dd>");
            for (AnalysisContext.Query query : context.queries()) {
                out.append("<div class=\"query\"><span class=\"muted\">").append(Html.text(query.system()))
                        .append("</span> <code>").append(Html.text(query.text())).append("</code></div>");
            }
            out.append("</dd>\n");
        }
        String link = pyroscopeLink(context);
        if (link != null) {
            out.append("<dt>Pyroscope</dt><dd><a rel=\"noopener noreferrer\" href=\"").append(Html.text(link))
                    .append("\">the same window in Pyroscope (comparison diff)</a></dd>\n");
        }
        out.append("</dl>\n</section>\n");
    }

    private static void selection(StringBuilder out, String group, AnalysisContext.Selection selection) {
        if (selection.selector() == null && selection.inputs().isEmpty()) {
            return;
        }
        out.append("<dt>").append(group).append("</dt><dd>");
        if (selection.selector() != null) {
            out.append("<code>").append(Html.text(selection.selector())).append("</code>");
        }
        if (!selection.inputs().isEmpty()) {
            out.append("<ul class=\"inputs\">");
            selection.inputs().forEach(i -> out.append("<li><code>").append(Html.text(i)).append("</code></li>"));
            out.append("</ul>");
        }
        out.append("</dd>\n");
    }

    /**
     * Pyroscope's comparison-diff view of the same window (baseline left, canary right), when a
     * Pyroscope URL (http or https only) and both groups' queries are known.
     */
    static String pyroscopeLink(AnalysisContext context) {
        String base = context.pyroscopeUrl();
        String left = context.baseline().pyroscopeQuery();
        String right = context.canary().pyroscopeQuery();
        if (base == null || left == null || right == null || context.start() == null || context.end() == null) {
            return null;
        }
        URI uri;
        try {
            uri = URI.create(base.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            return null;
        }
        String from = Long.toString(context.start().getEpochSecond());
        String until = Long.toString(context.end().getEpochSecond());
        String root = base.strip().replaceAll("/+$", "");
        return root + "/comparison-diff?query=" + encode(right) + "&from=" + from + "&until=" + until
                + "&leftQuery=" + encode(left) + "&leftFrom=" + from + "&leftUntil=" + until
                + "&rightQuery=" + encode(right) + "&rightFrom=" + from + "&rightUntil=" + until;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
