package io.canaryjudge.report;

import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.verdict.DataQuality;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.MetricComparison;
import io.canaryjudge.verdict.TypeQuality;
import io.canaryjudge.verdict.Verdict;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The verdict as a compact GitHub-flavoured Markdown comment for a pull request or a chat: the
 * result line, the incidents (at most {@value #ROWS} rows, no row wider than {@value #ROW_WIDTH}
 * characters as rendered, frame names abbreviated) and everything else folded in a {@code <details>} block.
 * Everything taken from profiles is escaped so it can neither break a table nor inject HTML.
 */
public final class VerdictMarkdown implements VerdictRenderer {
    /** Rows of the main table. */
    static final int ROWS = 5;
    /** Widest table row, in rendered characters: about what a PR comment shows without scrolling. */
    static final int ROW_WIDTH = 100;
    private static final int MIN_NAME = 24;
    /** Rows of the main table and the folded one together. */
    static final int MORE_ROWS = 25;

    private final ReportCells cells;

    public VerdictMarkdown(JudgeConfig config) {
        this.cells = new ReportCells(config);
    }

    @Override
    public String render(Verdict verdict) {
        StringBuilder out = new StringBuilder();
        String result = verdict.result() == null ? "UNKNOWN" : verdict.result().name();
        out.append("### ").append(icon(verdict)).append(' ').append(result).append(" · score ").append(verdict.score())
                .append("\n\n");
        String summary = verdict.summary() == null ? "" : verdict.summary().strip();
        if (summary.startsWith(result + ":")) {
            summary = summary.substring(result.length() + 1).strip();
        }
        if (!summary.isEmpty()) {
            out.append(prose(summary)).append("\n\n");
        }
        List<Row> rows = rows(verdict);
        if (!rows.isEmpty()) {
            table(out, rows.subList(0, Math.min(ROWS, rows.size())));
            out.append('\n');
            if (rows.stream().anyMatch(Row::failing)) {
                out.append("<sub>**bold**: fails the canary");
                out.append(rows.size() > ROWS ? " · " + (rows.size() - ROWS) + " more below" : "");
                out.append("</sub>\n\n");
            } else if (rows.size() > ROWS) {
                out.append("<sub>").append(rows.size() - ROWS).append(" more below</sub>\n\n");
            }
        }
        details(out, verdict, rows);
        if (verdict.id() != null || verdict.reportUrl() != null) {
            out.append("<sub>");
            if (verdict.reportUrl() != null) {
                out.append("[full report](")
                        .append(verdict.reportUrl().replace("(", "%28").replace(")", "%29").replace(" ", "%20"))
                        .append(')').append(verdict.id() != null ? " · " : "");
            }
            if (verdict.id() != null) {
                out.append("verdict ").append(escape(verdict.id()));
            }
            out.append("</sub>\n");
        }
        return out.toString();
    }

    /** One line of the main table, before the frame name is fitted. */
    private record Row(String frame, boolean failing, String type, String values, String change, String q,
                       List<String> callPath) {
    }

    private List<Row> rows(Verdict verdict) {
        List<Row> rows = new ArrayList<>();
        if (!verdict.incidents().isEmpty()) {
            for (Incident i : verdict.incidents()) {
                rows.add(new Row(i.entryFrame(), i.failing(), ReportCells.label(i.profileType(), i.measure()),
                        ReportCells.value(i.profileType(), i.measure(), ReportCells.unit(verdict, i), i.baseline()) + " → "
                                + ReportCells.value(i.profileType(), i.measure(), ReportCells.unit(verdict, i), i.canary()),
                        ReportTables.change(i.kind(), i.relativeChange()), ReportTables.q(i.qValue()), i.callPath()));
            }
            return rows;
        }
        for (Finding f : verdict.findings()) {
            rows.add(new Row(f.function(), f.failing(), ReportCells.label(f.profileType(), f.measure()),
                    cells.value(f, f.baseline()) + " → " + cells.value(f, f.canary()), cells.change(f),
                    ReportTables.q(f.qValue()), f.callPath()));
        }
        return rows;
    }

    /**
     * {@code | frame | type | before → after | change | q |}: the change in bold when it fails the
     * canary; the frame name gets what is left of {@link #ROW_WIDTH}.
     */
    private static void table(StringBuilder out, List<Row> rows) {
        out.append("| frame | type | before → after | change | q |\n|:--|:--|--:|--:|--:|\n");
        for (Row row : rows) {
            String change = escape(row.change);
            String rest = " | " + escape(row.type) + " | " + escape(row.values) + " | "
                    + (row.failing && !change.isEmpty() ? "**" + change + "**" : change) + " | " + escape(row.q) + " |";
            int budget = Math.max(MIN_NAME, ROW_WIDTH - renderedWidth("| " + rest));
            out.append("| ").append(code(row.frame, budget, true)).append(rest).append('\n');
        }
    }

    private void details(StringBuilder out, Verdict verdict, List<Row> rows) {
        StringBuilder inner = new StringBuilder();
        if (rows.size() > ROWS) {
            inner.append("**More changes**\n\n");
            table(inner, rows.subList(ROWS, Math.min(rows.size(), MORE_ROWS)));
            if (rows.size() > MORE_ROWS) {
                inner.append("\n").append(rows.size() - MORE_ROWS).append(" more in the full report.\n");
            }
            inner.append('\n');
        }
        // One line per call path: a change seen in several types (CPU and allocation) has one path, not one per type.
        Set<List<String>> paths = new HashSet<>();
        List<Row> withPaths = rows.stream().filter(r -> r.callPath.size() > 1 && paths.add(r.callPath)).limit(ROWS)
                .toList();
        if (!withPaths.isEmpty()) {
            inner.append("**Hottest call paths** (callers above, nearest last)\n\n");
            for (Row row : withPaths) {
                inner.append("- ").append(code(row.frame, 60, false)).append(" via ");
                List<String> path = row.callPath.subList(Math.max(0, row.callPath.size() - 4), row.callPath.size() - 1);
                for (int i = 0; i < path.size(); i++) {
                    inner.append(i == 0 ? "" : " › ").append(code(path.get(i), 40, false));
                }
                inner.append('\n');
            }
            inner.append('\n');
        }
        if (!verdict.hottest().isEmpty()) {
            inner.append("**Largest movers**\n\n| function | type | baseline → canary | change | q |\n|:--|:--|--:|--:|--:|\n");
            for (Finding f : verdict.hottest()) {
                String rest = " | " + escape(ReportCells.label(f.profileType(), f.measure()) + " " + ReportCells.measure(f)) + " | "
                        + escape(cells.value(f, f.baseline()) + " → " + cells.value(f, f.canary())) + " | "
                        + escape(cells.change(f)) + " | " + escape(ReportTables.q(f.qValue())) + " |";
                int budget = Math.max(MIN_NAME, ROW_WIDTH - renderedWidth("| " + rest));
                inner.append("| ").append(code(f.function(), budget, true)).append(rest).append('\n');
            }
            inner.append('\n');
        }
        DataQuality quality = verdict.dataQuality();
        if (quality != null && !quality.types().isEmpty()) {
            inner.append("**Data quality**\n\n");
            for (TypeQuality type : quality.types()) {
                inner.append("- ").append(escape(ReportCells.typeId(type.profileType()))).append(": baseline ")
                        .append(escape(ReportCells.group(type.baseline()))).append("; canary ")
                        .append(escape(ReportCells.group(type.canary()))).append('\n');
                for (String note : ReportCells.typeNotes(type)) {
                    inner.append("  - ").append(prose(note)).append('\n');
                }
            }
            quality.warnings().forEach(w -> inner.append("- ").append(prose(w)).append('\n'));
            quality.skipped().forEach(s -> inner.append("- skipped ").append(escape(s)).append('\n'));
            inner.append('\n');
        }
        if (!verdict.metrics().isEmpty()) {
            inner.append("**Metrics**\n\n| metric | baseline | canary | change | note |\n|:--|--:|--:|--:|:--|\n");
            for (MetricComparison metric : verdict.metrics()) {
                Double change = ReportCells.finite(metric.relativeChange());
                inner.append("| ").append(escape(ShortNames.display(metric.name(), 40)))
                        .append(" | ").append(escape(metric.text(metric.baseline())))
                        .append(" | ").append(escape(metric.text(metric.canary())))
                        .append(" | ").append(change == null ? "" : escape(ReportCells.signedPercent(change)))
                        .append(" | ").append(escape(ShortNames.display(metric.note() == null ? "" : metric.note(), 40)))
                        .append(" |\n");
            }
            inner.append('\n');
        }
        if (inner.length() > 0) {
            out.append("<details><summary>Details</summary>\n\n").append(inner).append("</details>\n\n");
        }
    }

    /**
     * How wide Markdown looks once rendered: tags, emphasis and code markers take no room, an entity or
     * a backslash escape is the one character it shows.
     */
    static int renderedWidth(String markdown) {
        String shown = markdown.replaceAll("</?(code|sub|b)>", "").replace("**", "").replace("`", "")
                .replaceAll("&(lt|gt|amp|quot|#\\d+);", "x").replaceAll("\\\\(.)", "$1");
        return shown.codePointCount(0, shown.length());
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
     * Markdown punctuation is backslash-escaped, line breaks become spaces (a table row is one line),
     * invisible and direction-changing characters are shown as {@code <U+XXXX>}.
     */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        ShortNames.visible(text).codePoints().forEach(c -> {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '\\', '`', '*', '_', '[', ']', '|', '#', '~', '!' -> out.append('\\').appendCodePoint(c);
                default -> out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /** The judge's sentences: names between backticks become (abbreviated) code, the rest is escaped. */
    static String prose(String text) {
        return ReportCells.prose(text, VerdictMarkdown::escape, name -> code(name, 60, false));
    }

    /**
     * A frame name as inline code, abbreviated and cut to {@code maxChars}. A code span shows its
     * content literally, so only a backtick (and, in a table, a pipe) needs care; names holding a
     * backtick or HTML metacharacters become {@code <code>} with HTML escaping instead, so no raw
     * markup reaches a renderer that treats code spans loosely.
     */
    static String code(String name, int maxChars, boolean inTable) {
        if (name == null) {
            return "";
        }
        String shown = ShortNames.display(name, maxChars);
        if (shown.chars().noneMatch(c -> c == '`' || c == '<' || c == '>' || c == '&')) {
            return "`" + (inTable ? shown.replace("|", "\\|") : shown) + "`";
        }
        StringBuilder out = new StringBuilder("<code>");
        shown.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '|' -> out.append("&#124;");
                case '\\', '`', '*', '_', '[', ']', '~' -> out.append('\\').appendCodePoint(c);
                default -> out.appendCodePoint(c);
            }
        });
        return out.append("</code>").toString();
    }
}
