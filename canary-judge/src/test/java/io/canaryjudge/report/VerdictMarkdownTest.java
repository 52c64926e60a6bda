package io.canaryjudge.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.judge.JudgeConfig;
import java.util.List;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

/** The Markdown summary for pull-request comments and chat, on real verdicts and hostile names. */
class VerdictMarkdownTest {
    private final VerdictMarkdown markdown = new VerdictMarkdown(JudgeConfig.defaults());

    @Test
    void resultLineThenAtMostFiveRowsThenDetails() throws Exception {
        String text = markdown.render(ReportFixtures.judge(ReportFixtures.scenario("new-hot-path")).withReportUrl(
                "https://judge.example/reports/test-verdict"));
        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).isEqualTo("### ❌ FAIL · score 0");
        assertThat(lines.get(2)).startsWith("new hot path under `i.c.s.shop.AuditTrail.serializeSnapshot`");
        int details = lines.indexOf("<details><summary>Details</summary>");
        assertThat(details).isPositive();
        List<String> mainRows = lines.subList(0, details).stream().filter(l -> l.startsWith("| ")).toList();
        assertThat(mainRows.get(0)).isEqualTo("| frame | type | before → after | change | q |");
        assertThat(mainRows).hasSizeLessThanOrEqualTo(1 + VerdictMarkdown.ROWS);
        assertThat(mainRows.get(1)).startsWith("| `i.c.s.shop.AuditTrail.serializeSnapshot` |").contains("| **new** |");
        assertThat(text).contains("</details>").contains("[full report](https://judge.example/reports/test-verdict)");
    }

    @Test
    void everyTableRowFitsAPullRequestComment() throws Exception {
        for (ReportFixtures.Groups groups : List.of(ReportFixtures.scenario("new-hot-path"), ReportFixtures.scenario("aa"),
                ReportFixtures.hostile())) {
            String text = markdown.render(ReportFixtures.judge(groups));
            text.lines().filter(l -> l.startsWith("|")).forEach(row ->
                    assertThat(rendered(row).codePointCount(0, rendered(row).length())).as(row)
                            .isLessThanOrEqualTo(VerdictMarkdown.ROW_WIDTH));
        }
    }

    /** The row as a reader sees it: HTML tags and entities resolved by a real parser, Markdown markers gone. */
    private static String rendered(String row) {
        String text = Jsoup.parse(row).body().wholeText();
        return text.replace("**", "").replace("`", "").replaceAll("\\\\(.)", "$1");
    }

    @Test
    void hostileNamesCannotBreakTablesOrInjectHtml() throws Exception {
        String text = markdown.render(ReportFixtures.judge(ReportFixtures.hostile()));
        assertThat(text).doesNotContain("<script").doesNotContain("<img").doesNotContain("<b ").doesNotContain("</style")
                .doesNotContain("\u202E").doesNotContain("\u2028").contains("&lt;script&gt;alert");
        // tags the renderer writes itself are the only raw ones
        assertThat(text.replaceAll("</?(code|details|summary|sub)>", "")).doesNotContain("<");
        text.lines().filter(l -> l.startsWith("| ")).forEach(row -> {
            long pipes = row.replace("\\|", "").chars().filter(c -> c == '|').count();
            assertThat(pipes).as(row).isIn(6L);
        });
    }

    @Test
    void oneChangeSeenInSeveralTypesListsItsCallPathOnce() {
        List<String> path = List.of("java.lang.Thread.run", "com.shop.Batch.serialize", "com.shop.AuditTrail.snapshot");
        List<io.canaryjudge.verdict.Incident> incidents = new java.util.ArrayList<>();
        for (io.canaryjudge.profile.ProfileType type : List.of(io.canaryjudge.profile.ProfileType.ALLOC_BYTES,
                io.canaryjudge.profile.ProfileType.ALLOC_OBJECTS, io.canaryjudge.profile.ProfileType.CPU)) {
            incidents.add(new io.canaryjudge.verdict.Incident(type, "com.shop.AuditTrail.snapshot",
                    io.canaryjudge.verdict.FindingKind.NEW_HOT_PATH, io.canaryjudge.verdict.Measure.INCLUSIVE, 0.0, 0.07,
                    null, null, null, 1e-9, true, path, List.of("com.shop.AuditTrail.snapshot"), null,
                    "new hot path under `com.shop.AuditTrail.snapshot`"));
        }
        io.canaryjudge.verdict.Verdict verdict = new io.canaryjudge.verdict.Verdict("v", io.canaryjudge.verdict.Result.FAIL,
                false, 0, "FAIL: new hot path under `com.shop.AuditTrail.snapshot`.", List.of(), List.of(), null, null,
                List.of(), incidents);
        List<String> pathLines = markdown.render(verdict).lines().filter(l -> l.startsWith("- `")).toList();
        assertThat(pathLines).hasSize(1);
        assertThat(pathLines.get(0)).contains("AuditTrail.snapshot").contains("Batch.serialize");
    }
}
