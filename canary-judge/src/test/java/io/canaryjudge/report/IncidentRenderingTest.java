package io.canaryjudge.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.Measure;
import io.canaryjudge.verdict.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Incidents come first in text and Markdown, compactly, with hostile names kept on their line and escaped. */
class IncidentRenderingTest {
    private static final String EVIL = "com.evil.<b>x</b>|`Name`\nrun";

    private static Verdict withIncidents(int count) {
        Verdict base = VerdictRenderersTest.verdict();
        List<Incident> incidents = new ArrayList<>();
        incidents.add(new Incident(ProfileType.CPU, "com.shop.AuditTrail.serializeSnapshot", FindingKind.NEW_HOT_PATH,
                Measure.INCLUSIVE, 0.0, 0.066, null, 0.05, 0.08, 1e-12, true,
                List.of("java.lang.Thread.run", "com.shop.AuditTrail.serializeSnapshot"),
                List.of("com.shop.AuditTrail.serializeSnapshot", "tools.jackson.core.json.UTF8JsonGenerator.writeString"),
                "Below it: Jackson +5.1 % of CPU (most in `tools.jackson.core.json.UTF8JsonGenerator.writeString`).",
                "new hot path under `com.shop.AuditTrail.serializeSnapshot`, 6.6 % of CPU, mostly Jackson"));
        for (int i = 1; i < count; i++) {
            incidents.add(new Incident(ProfileType.ALLOC_BYTES, EVIL, FindingKind.REGRESSION, Measure.INCLUSIVE, 0.1,
                    0.12, 0.2, null, null, 0.003, false, List.of(), List.of(EVIL), "Below it: <i>x</i>.",
                    "`" + EVIL + "` +20 % (10 % → 12 % of allocated bytes with its callees, q = 0.003)"));
        }
        return new Verdict(base.id(), base.result(), base.pass(), base.score(), base.summary(), base.findings(),
                base.metrics(), base.dataQuality(), base.reportUrl(), base.hottest(), incidents);
    }

    @Test
    void textListsIncidentsBeforeTheTables() {
        String text = new VerdictText(JudgeConfig.defaults()).render(withIncidents(2));
        List<String> lines = text.lines().toList();

        int incidents = lines.indexOf("incidents:");
        assertThat(incidents).isPositive().isLessThan(lines.indexOf(lines.stream()
                .filter(l -> l.startsWith("cpu (")).findFirst().orElseThrow()));
        assertThat(lines.get(incidents + 1)).isEqualTo("  1. FAIL cpu: new hot path under "
                + "`com.shop.AuditTrail.serializeSnapshot`, 6.6 % of CPU, mostly Jackson");
        assertThat(lines.get(incidents + 2)).startsWith("     Below it: Jackson +5.1 % of CPU");
        assertThat(lines.get(incidents + 3)).as("a non-failing incident: one line, its name kept on it")
                .startsWith("  2.      alloc_bytes: `com.evil.<b>x</b>|`Name` run` +20 %");
        assertThat(lines.get(incidents + 4)).isEmpty();
    }

    @Test
    void manyIncidentsAreCountedNotListed() {
        String text = new VerdictText(JudgeConfig.defaults()).render(withIncidents(12));
        assertThat(text).contains("  8. ").doesNotContain("  9. ")
                .contains("  … 4 more, every finding is in the tables below");
        String markdown = new VerdictMarkdown(JudgeConfig.defaults()).render(withIncidents(12));
        int details = markdown.indexOf("<details>");
        assertThat(details).isPositive();
        assertThat(markdown.substring(0, details).lines().filter(l -> l.startsWith("| ")).count())
                .as("header and at most five rows before the folded rest")
                .isLessThanOrEqualTo(1 + VerdictMarkdown.ROWS);
        assertThat(markdown).contains("more below");
    }

    @Test
    void markdownListsIncidentsFirstAndEscapesThem() {
        String markdown = new VerdictMarkdown(JudgeConfig.defaults()).render(withIncidents(2));

        List<String> rows = markdown.lines().filter(l -> l.startsWith("| ")).toList();
        assertThat(rows.get(0)).isEqualTo("| frame | type | before → after | change | q |");
        assertThat(rows.get(1)).as("the lead incident is the first row")
                .startsWith("| `c.shop.AuditTrail.serializeSnapshot` | cpu |").contains("**new**");
        assertThat(markdown).doesNotContain("<b>x</b>").doesNotContain("<i>").contains("&lt;b&gt;x&lt;/b&gt;");
        assertThat(rows).as("a hostile name cannot split a table row: every row has the header's cells")
                .allSatisfy(row -> assertThat(row.replace("\\|", "").chars().filter(c -> c == '|').count())
                        .isEqualTo(6));
    }

    /** A memory-growth interval is in the unit of its values (bytes per 1,000 requests or per hour), as the finding says it. */
    @Test
    void memoryGrowthIntervalIsInTheUnitOfItsValues() {
        Verdict base = VerdictRenderersTest.verdict();
        List<Incident> incidents = List.of(
                new Incident(ProfileType.LIVE_BYTES, "com.shop.SessionRegistry.register", FindingKind.MEMORY_GROWTH,
                        Measure.HEAP_GROWTH_PER_REQUEST, 225.0 * 1024, 826.0 * 1024, null, 518.0 * 1024, 683.0 * 1024,
                        null, true, List.of(), List.of("com.shop.SessionRegistry.register"), "",
                        "canary retains +826 KiB per 1,000 requests after GC"),
                new Incident(ProfileType.LIVE_BYTES, "<heap>", FindingKind.MEMORY_GROWTH, Measure.HEAP_GROWTH,
                        0.0, 60.0 * (1 << 20), null, 40.0 * (1 << 20), 80.0 * (1 << 20), null, true, List.of(),
                        List.of("<heap>"), "", "canary retains +10 MiB per 10 min after GC"));
        Verdict verdict = new Verdict(base.id(), base.result(), base.pass(), base.score(), base.summary(), base.findings(),
                base.metrics(), base.dataQuality(), base.reportUrl(), base.hottest(), incidents);

        List<String> intervals = org.jsoup.Jsoup.parse(new VerdictHtml(JudgeConfig.defaults()).render(verdict))
                .select("#changes > table .ci").eachText();

        assertThat(intervals).containsExactly("+518 KiB … +683 KiB/1k req", "+40.0 MiB … +80.0 MiB/h");
        // growth from a baseline within noise of zero has no relative change: it reads "from 0", as a share rising from 0
        assertThat(new VerdictMarkdown(JudgeConfig.defaults()).render(verdict).lines()
                .filter(l -> l.contains("`<heap>`") || l.contains("&lt;heap&gt;")).findFirst().orElseThrow())
                .contains("from 0");
    }

    @Test
    void jsonWritesEveryIncidentField() {
        JsonNode root = JsonMapper.builder().build().readTree(new VerdictJson().render(withIncidents(2)));
        JsonNode first = root.get("incidents").get(0);
        assertThat(first.get("entryFrame").asString()).isEqualTo("com.shop.AuditTrail.serializeSnapshot");
        assertThat(first.get("kind").asString()).isEqualTo("NEW_HOT_PATH");
        assertThat(first.get("relativeChange").isNull()).isTrue();
        assertThat(first.get("failing").asBoolean()).isTrue();
        assertThat(first.get("functions")).hasSize(2);
        assertThat(root.get("incidents").get(1).get("entryFrame").asString()).isEqualTo(EVIL);
        assertThat(root.get("findings").get(0).has("entryFrame")).isTrue();
    }
}
