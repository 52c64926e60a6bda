package io.canaryjudge.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.DataQuality;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.GroupQuality;
import io.canaryjudge.verdict.Measure;
import io.canaryjudge.verdict.MetricComparison;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.TypeQuality;
import io.canaryjudge.verdict.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The four renderers on a verdict built by hand, with hostile names and values that do not exist. */
class VerdictRenderersTest {
    private static final String HOSTILE = "com.evil.<script>alert('x')</script>|Name.run";

    static Verdict verdict() {
        Finding regression = new Finding(ProfileType.CPU, "com.shop.PriceCalculator.applyDiscounts", FindingKind.REGRESSION,
                Measure.INCLUSIVE, 0.081, 0.124, 0.53, 0.043, 0.0004, 0.002, 0.02, 0.06, true, false,
                List.of("java.lang.Thread.run", "com.shop.Checkout.handle", "com.shop.PriceCalculator.applyDiscounts"),
                "canary spends 12.4 % of CPU in applyDiscounts vs 8.1 % in baseline (+53 %, q = 0.002)");
        Finding noise = new Finding(ProfileType.CPU, "com.shop.Cart.total", FindingKind.REGRESSION, Measure.SELF,
                0.010, 0.011, 0.10, 0.001, 0.3, 0.4, -0.001, 0.003, false, false, List.of(), null);
        Finding hotPath = new Finding(ProfileType.CPU, HOSTILE, FindingKind.NEW_HOT_PATH, Measure.SELF,
                0.0, 0.06, null, 0.06, null, null, null, null, true, false, List.of("main", HOSTILE),
                "new hot path <b>takes</b> 6.0 %");
        Finding weird = new Finding(ProfileType.ALLOC_BYTES, "byte[]", FindingKind.IMPROVEMENT, Measure.SELF_PER_REQUEST,
                2048.0, 1024.0, -0.5, Double.NaN, Double.NaN, Double.POSITIVE_INFINITY, null, null, false, false,
                List.of(), "");
        GroupQuality base = new GroupQuality(2, 4, 0, 12_345, 1.2e11);
        GroupQuality can = new GroupQuality(2, 4, 1, -1, Double.NaN);
        DataQuality quality = new DataQuality(List.of(
                new TypeQuality(ProfileType.CPU, true, base, can, 321, 0.12, Double.NaN, 0.4, 0.15,
                        List.of("only 2 pods per side: between-pod noise is a rough estimate")),
                new TypeQuality(ProfileType.ALLOC_BYTES, true, base, can, 12, null, 3.5, null, null, List.of())),
                List.of("canary JVMs are young: warm-up excluded"), List.of("b/notes.csv: not a profile: text"));
        return new Verdict("7d1c", Result.FAIL, false, 12, "FAIL: canary spends more CPU in `applyDiscounts` and `<b>evil</b>`",
                List.of(regression, hotPath, noise, weird),
                List.of(new MetricComparison("error_ratio", 0.001, Double.NaN, null, "no canary data")),
                quality, null);
    }

    @Test
    void metricValuesAreShownInTheirUnits() {
        Verdict verdict = new Verdict("9a2e", Result.FAIL, false, 0, "FAIL: error_ratio …", List.of(),
                List.of(new MetricComparison("error_ratio", 0.0, 0.05, null, "worse", io.canaryjudge.verdict.MetricUnit.RATIO),
                        new MetricComparison("latency_p99", 0.0995, 1.25, 11.56, "reported only",
                                io.canaryjudge.verdict.MetricUnit.SECONDS)),
                new DataQuality(List.of(), List.of(), List.of()), null);

        String text = new VerdictText(JudgeConfig.defaults()).render(verdict);
        assertThat(text).containsPattern("error_ratio +0 % +5 % ").containsPattern("latency_p99 +99.5 ms +1.25 s ");
        String markdown = new VerdictMarkdown(JudgeConfig.defaults()).render(verdict);
        assertThat(markdown).contains("| error\\_ratio | 0 % | 5 % |").contains("| latency\\_p99 | 99.5 ms | 1.25 s |");
        String html = new VerdictHtml(JudgeConfig.defaults()).render(verdict);
        assertThat(html).contains("<td class=\"n\">99.5 ms</td><td class=\"n\">1.25 s</td>");
        JsonNode metrics = JsonMapper.builder().build().readTree(new VerdictJson().render(verdict)).get("metrics");
        assertThat(metrics.get(0).get("unit").asString()).isEqualTo("ratio");
        assertThat(metrics.get(1).get("unit").asString()).isEqualTo("seconds");
    }

    @Test
    void jsonHasTheContractFieldsAndNoNaN() {
        String json = new VerdictJson().render(verdict());
        assertThat(json).doesNotContain("NaN").doesNotContain("Infinity");
        JsonNode root = JsonMapper.builder().build().readTree(json);
        assertThat(root.propertyNames()).contains("id", "result", "pass", "score", "summary", "findings", "metrics",
                "dataQuality", "reportUrl");
        assertThat(root.get("id").asString()).isEqualTo("7d1c");
        assertThat(root.get("result").asString()).isEqualTo("FAIL");
        assertThat(root.get("pass").asBoolean()).isFalse();
        assertThat(root.get("score").asInt()).isEqualTo(12);
        assertThat(root.get("reportUrl").isNull()).isTrue();
        JsonNode first = root.get("findings").get(0);
        assertThat(first.get("profileType").asString()).isEqualTo("cpu");
        assertThat(first.get("kind").asString()).isEqualTo("REGRESSION");
        assertThat(first.get("measure").asString()).isEqualTo("INCLUSIVE");
        assertThat(first.get("baseline").asDouble()).isEqualTo(0.081);
        assertThat(first.get("canary").asDouble()).isEqualTo(0.124);
        assertThat(first.get("relativeChange").asDouble()).isEqualTo(0.53);
        assertThat(first.get("pValue").asDouble()).isEqualTo(0.0004);
        assertThat(first.get("qValue").asDouble()).isEqualTo(0.002);
        assertThat(first.get("failing").asBoolean()).isTrue();
        assertThat(first.get("callPath")).hasSize(3);
        assertThat(first.get("explanation").asString()).contains("applyDiscounts");
        JsonNode hotPath = root.get("findings").get(1);
        assertThat(hotPath.get("relativeChange").isNull()).isTrue();
        assertThat(hotPath.get("function").asString()).isEqualTo(HOSTILE);
        JsonNode weird = root.get("findings").get(3);
        assertThat(weird.get("profileType").asString()).isEqualTo("alloc_bytes");
        assertThat(weird.get("absoluteChange").isNull()).isTrue();
        assertThat(weird.get("pValue").isNull()).isTrue();
        assertThat(weird.get("qValue").isNull()).isTrue();
        JsonNode cpu = root.get("dataQuality").get("types").get(0);
        assertThat(cpu.get("profileType").asString()).isEqualTo("cpu");
        assertThat(cpu.get("baseline").get("samples").asLong()).isEqualTo(12_345);
        assertThat(cpu.get("canary").get("samples").isNull()).isTrue();
        assertThat(cpu.get("canary").get("total").isNull()).isTrue();
        assertThat(cpu.get("overdispersion").isNull()).isTrue();
        assertThat(root.get("dataQuality").get("skipped").get(0).asString()).contains("notes.csv");
        assertThat(root.get("metrics").get(0).get("canary").isNull()).isTrue();
    }

    @Test
    void textStartsWithTheSummaryAndAlignsTheChangeColumn() {
        String text = new VerdictText(JudgeConfig.defaults()).render(verdict());
        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).isEqualTo("FAIL: canary spends more CPU in `applyDiscounts` and `<b>evil</b>` (score 12)");
        assertThat(text).doesNotContain("NaN").doesNotContain("Infinity");
        int header = indexOfLineStartingWith(lines, "  function");
        String headerLine = lines.get(header);
        int changeEnd = headerLine.indexOf("change") + "change".length();
        // right-aligned: every row's change cell ends where the header's does
        assertThat(lines.get(header + 1).substring(0, changeEnd)).endsWith("+53.0%").startsWith("  com.shop.PriceCalculator");
        assertThat(lines.get(header + 2).substring(0, changeEnd)).endsWith("new");
        assertThat(lines.get(header + 3).substring(0, changeEnd)).endsWith(" ~").contains("com.shop.Cart.total");
        assertThat(lines.get(header + 3)).contains("q=0.400");
        int qStart = headerLine.indexOf(" q ") + 1;
        assertThat(lines.get(header + 1).substring(qStart)).startsWith("q=0.002");
        assertThat(lines.get(header + 1)).contains("8.10%").contains("12.40%").contains("FAILS");
        assertThat(text).contains("[1] smallest change these data detect");
        assertThat(text).contains("only 2 pods per side");
        assertThat(text).contains("skipped b/notes.csv: not a profile");
        assertThat(text).contains("call path: java.lang.Thread.run > com.shop.Checkout.handle");
        assertThat(text).contains("2.00 KiB/req").contains("1.00 KiB/req");
        assertThat(text).contains("12,345 samples");
    }

    @Test
    void tildeFollowsThePerFunctionQValueThreshold() {
        JudgeConfig lenient = JudgeConfig.defaults().withThresholds(
                new io.canaryjudge.judge.Thresholds(0.5, 0.05, 0.001, 0.001, 0.0005, 0.005));
        String text = new VerdictText(lenient).render(verdict());
        assertThat(text.lines().filter(l -> l.contains("com.shop.Cart.total")).findFirst().orElseThrow())
                .contains("+10.0%").doesNotContain(" ~ ");
    }

    @Test
    void markdownEscapesNamesAndKeepsTablesIntact() {
        String markdown = new VerdictMarkdown(JudgeConfig.defaults()).render(verdict());
        assertThat(markdown).startsWith("### ❌ FAIL · score 12\n\ncanary spends more CPU in `applyDiscounts` and "
                + "<code>&lt;b&gt;evil&lt;/b&gt;</code>\n");
        assertThat(markdown).doesNotContain("<script>").contains("&lt;script&gt;");
        assertThat(markdown).contains("| frame | type | before → after | change | q |");
        // every table row has 6 unescaped pipes: a name's "|" must not split the row
        markdown.lines().filter(l -> l.startsWith("| ")).forEach(row ->
                assertThat(row.replace("\\|", "").chars().filter(c -> c == '|').count()).as(row).isEqualTo(6L));
        assertThat(markdown).contains("| **+53.0%** |").contains("| \\~ |");
        assertThat(markdown).contains("<details><summary>Details</summary>");
        assertThat(markdown).doesNotContain("NaN");
    }

    @Test
    void htmlIsSelfContainedAndEscapesEverything() {
        String html = new VerdictHtml(JudgeConfig.defaults()).render(verdict());
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        assertThat(html).contains("<span class=\"badge\" id=\"result\">FAIL</span>")
                .contains("<p class=\"summary\" id=\"summary\">canary spends more CPU in <code class=\"frame\" "
                        + "title=\"applyDiscounts\">applyDiscounts</code> and <code class=\"frame\" "
                        + "title=\"&lt;b&gt;evil&lt;/b&gt;\">&lt;b&gt;evil&lt;/b&gt;</code></p>");
        assertThat(html).doesNotContain("<b>evil").doesNotContain("src=").doesNotContain("@import").doesNotContain("url(");
        assertThat(html).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;|Name.run");
        assertThat(html).contains("<tr class=\"failing\">").contains("hottest call path").doesNotContain("explanation");
        assertThat(html).contains("title=\"com.shop.Checkout.handle\"");
        assertThat(html).contains("only 2 pods per side").contains("skipped b/notes.csv");
        assertThat(html).contains(">~<").doesNotContain("NaN");
    }

    @Test
    void formatIdsRoundTrip() {
        for (ReportFormat format : ReportFormat.values()) {
            assertThat(ReportFormat.fromId(format.id())).isEqualTo(format);
            assertThat(format.renderer(JudgeConfig.defaults()).render(verdict())).isNotBlank();
        }
    }

    private static int indexOfLineStartingWith(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no line starts with \"" + prefix + "\"");
    }

    @Test
    void aTypicalPodSpreadOfZeroIsNoNoiseBeyondSamplingNotACvOfZero() {
        GroupQuality group = new GroupQuality(3, 18, 0, 6_376, 6.4e10);
        TypeQuality quiet = new TypeQuality(ProfileType.CPU, true, group, group, 165, 0.0, 1.0, 0.49, 1.5, List.of());
        List<String> notes = ReportCells.typeNotes(quiet);
        assertThat(String.join("\n", notes)).doesNotContain("CV 0.0%")
                .contains("165 functions tested; no between-pod noise beyond sampling (pods differ no more than "
                        + "sampling alone makes them)");
        // One slice a pod (3 pods, 3 observations): no slices to compare pods with, so none are named.
        GroupQuality unsliced = new GroupQuality(3, 3, 0, 6_376, 6.4e10);
        assertThat(String.join("\n", ReportCells.typeNotes(new TypeQuality(ProfileType.CPU, true, unsliced, unsliced,
                165, 0.0, 1.0, 0.49, 1.5, List.of())))).doesNotContain("slices");
        StringBuilder html = new StringBuilder();
        ReportTables.quality(html, new Verdict("v", Result.FAIL, false, 0, "FAIL", List.of(), List.of(),
                new DataQuality(List.of(quiet), List.of(), List.of()), null));
        assertThat(html.toString()).doesNotContain("CV 0.0%").contains("none beyond sampling");
        TypeQuality noisy = new TypeQuality(ProfileType.CPU, true, group, group, 165, 0.04, 1.0, 0.49, 1.5, List.of());
        assertThat(String.join("\n", ReportCells.typeNotes(noisy))).contains("between-pod noise CV 4.0%");
    }

    @Test
    void textGivesACallPathTheExplanationAlreadyGivesOnce() {
        List<String> path = List.of("java.lang.Thread.run", "com.shop.Checkout.handle", "com.shop.PriceCalculator.applyDiscounts");
        Finding explained = new Finding(ProfileType.CPU, "com.shop.PriceCalculator.applyDiscounts", FindingKind.REGRESSION,
                Measure.SELF, 0.18, 0.39, 1.12, 0.21, 1e-6, 2e-4, 0.17, 0.24, true, false, path,
                "Canary spends 39.0 % of CPU in `com.shop.PriceCalculator.applyDiscounts` vs 18.0 % in baseline (+112 %, "
                        + "q = 2.0e-04). Hottest path: " + String.join(" → ", path) + ".");
        String text = new VerdictText(JudgeConfig.defaults()).render(new Verdict("v", Result.FAIL, false, 0, "FAIL",
                List.of(explained), List.of(), null, null));
        assertThat(text).contains("Hottest path: java.lang.Thread.run → com.shop.Checkout.handle").doesNotContain("call path:");
    }
}
