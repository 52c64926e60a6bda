package io.canaryjudge.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.Measure;
import io.canaryjudge.verdict.Verdict;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The report page parsed with a real HTML parser (jsoup): structure, escaping, embedded data, links. */
class ReportPageTest {
    private final ReportPage page = new ReportPage();

    @Test
    void hostileNamesInjectNoElementOrAttribute() throws Exception {
        Report report = ReportFixtures.report(ReportFixtures.hostile());
        for (ReportAssets assets : List.of(ReportAssets.inline(), ReportAssets.served("../report-assets/"))) {
            String html = page.render(report, assets);
            Document doc = Jsoup.parse(html);

            assertThat(doc.select("script")).hasSize(2);
            assertThat(doc.select("script#report-data").attr("type")).isEqualTo("application/json");
            assertThat(doc.select("img, iframe, object, embed, base, form, svg script, math")).isEmpty();
            assertThat(doc.select("style")).hasSize(assets.inlined() ? 1 : 0);
            assertThat(doc.select("link[rel=stylesheet]")).hasSize(assets.inlined() ? 0 : 1);
            for (Element element : doc.getAllElements()) {
                for (Attribute attribute : element.attributes()) {
                    assertThat(attribute.getKey()).as("attribute of <" + element.tagName() + ">").doesNotStartWith("on");
                }
                if (element.hasAttr("href")) {
                    assertThat(element.attr("href")).doesNotStartWithIgnoringCase("javascript");
                }
            }
            // the names are there as text, abbreviated in cells, whole in titles
            assertThat(doc.text()).contains("<script>alert").contains(ReportFixtures.STYLE_BREAK)
                    .contains(ReportFixtures.SCRIPT_BREAK).contains("\"quoted\"'single'").contains("<U+202E>gnp.exe");
            assertThat(doc.select("[title]").eachAttr("title")).contains(ReportFixtures.STYLE_BREAK)
                    .anyMatch(t -> t.startsWith("com.evil.Longxxx") && t.length() > 10_000);
            assertThat(html).doesNotContain("\u202E").doesNotContain("\u2028");
            assertThat(doc.select("svg.strip title").eachText()).anyMatch(t -> t.startsWith(ReportFixtures.HOSTILE_POD + ": "));

            // the embedded data cannot end its script element, and parses back to the real names
            String data = doc.select("script#report-data").first().data();
            assertThat(data).doesNotContain("<").doesNotContain(">").doesNotContain("\u2028");
            JsonNode root = JsonMapper.builder().build().readTree(data);
            List<String> names = root.get("flames").get(0).get("names").valueStream().map(JsonNode::asString).toList();
            assertThat(names).contains(ReportFixtures.RTL, ReportFixtures.SCRIPT_BREAK, ReportFixtures.SEPARATORS);
        }
    }

    @Test
    void resultAndSummaryComeFirst() throws Exception {
        Document doc = Jsoup.parse(page.render(ReportFixtures.report(ReportFixtures.scenario("new-hot-path")),
                ReportAssets.inline()));
        Element first = doc.body().child(0);
        assertThat(first.tagName()).isEqualTo("header");
        assertThat(first.classNames()).contains("verdict", "FAIL");
        assertThat(first.select("#result").text()).isEqualTo("FAIL");
        assertThat(first.select("#summary").text()).startsWith("new hot path under i.c.s.shop.AuditTrail.serializeSnapshot");
        assertThat(first.select("#summary code.frame").attr("title"))
                .isEqualTo("io.canaryjudge.scenario.shop.AuditTrail.serializeSnapshot");
        Element changes = doc.select("main > section").first();
        assertThat(changes.id()).isEqualTo("changes");
        assertThat(changes.select("tbody tr.failing")).isNotEmpty();
        assertThat(changes.select("td .ci").first().text()).matches("[+-]\\d+\\.\\d\\d … [+-]\\d+\\.\\d\\d pp");
        assertThat(doc.select("#evidence svg.strip")).isNotEmpty();
        assertThat(doc.select("#analysis").text()).contains("baselines/session-3/pod-1");
    }

    /** Incidents (filled by the judge) lead the table, get the strip plots and the Markdown rows. */
    @Test
    void incidentsLeadTheTableAndGetTheEvidence() throws Exception {
        String audit = "io.canaryjudge.scenario.shop.AuditTrail.serializeSnapshot";
        ReportFixtures.Groups groups = ReportFixtures.scenario("new-hot-path");
        Verdict judged = ReportFixtures.judge(groups);
        Incident incident = new Incident(ProfileType.CPU, audit, FindingKind.NEW_HOT_PATH, Measure.INCLUSIVE, 0.0, 0.153,
                null, 0.14, 0.165, 1e-12, true, List.of("java.lang.Thread.run",
                "io.canaryjudge.scenario.shop.ShopWorker.run", "io.canaryjudge.scenario.shop.ShopRequestHandler.handle", audit),
                List.of(audit, "java.lang.Long.toHexString"), "mostly `java.lang.Long.toHexString` and string building",
                "new hot path");
        Verdict verdict = new Verdict(judged.id(), judged.result(), judged.pass(), judged.score(), judged.summary(),
                judged.findings(), judged.metrics(), judged.dataQuality(), null, judged.hottest(), List.of(incident));
        Report report = new ReportBuilder().build(verdict, groups.baseline(), groups.canary(), JudgeConfig.defaults(),
                AnalysisContext.files(groups.baselinePaths(), groups.canaryPaths()));

        assertThat(report.evidence()).hasSize(1);
        IncidentEvidence evidence = report.evidence().get(0);
        assertThat(evidence.function()).isEqualTo(audit);
        assertThat(evidence.measure()).isEqualTo(Measure.INCLUSIVE);
        assertThat(evidence.baseline()).hasSize(3).allMatch(p -> p.value() == 0 && p.slices().size() == 5);
        assertThat(evidence.canary()).hasSize(3).allMatch(p -> p.value() > 0.13 && p.value() < 0.18 && p.slices().size() == 5);

        Document doc = Jsoup.parse(page.render(report, ReportAssets.inline()));
        assertThat(doc.select("#changes h2").text()).startsWith("Incidents");
        Element row = doc.select("#changes > table tbody tr").first();
        assertThat(row.classNames()).contains("failing");
        assertThat(row.select("code.frame").first().attr("title")).isEqualTo(audit);
        assertThat(row.select(".detail").text()).isEqualTo("mostly j.lang.Long.toHexString and string building");
        assertThat(row.select(".ci").text()).isEqualTo("+14.00 … +16.50 pp");
        assertThat(row.select("details.callpath summary").text())
                .isEqualTo("via j.lang.Thread.run › i.c.s.shop.ShopWorker.run › i.c.s.shop.ShopRequestHandler.handle");
        assertThat(doc.select("#changes details.more > summary").text()).startsWith("All ").endsWith("findings behind them");
        assertThat(doc.select("#evidence svg.strip circle.pod")).hasSize(6);

        String markdown = new VerdictMarkdown(JudgeConfig.defaults()).render(verdict);
        assertThat(markdown).contains("| `i.c.s.shop.AuditTrail.serializeSnapshot` | cpu | 0.00% → 15.30% | **new** | 1.0e-12 |");
        assertThat(new ReportJson().read(new ReportJson().write(report))).isEqualTo(report);
    }

    @Test
    void passPageShowsTheLargestMoversAndTheFlameGraph() throws Exception {
        Document doc = Jsoup.parse(page.render(ReportFixtures.report(ReportFixtures.scenario("aa")), ReportAssets.inline()));
        assertThat(doc.select("#result").text()).isEqualTo("PASS");
        assertThat(doc.select("#movers tbody tr")).hasSizeGreaterThan(5);
        assertThat(doc.select("#flame-graph")).hasSize(1);
        assertThat(doc.select("#quality tbody tr")).hasSizeGreaterThanOrEqualTo(1);
        assertThat(doc.select("#quality").text()).contains("detectable change");
    }

    /** An INCONCLUSIVE verdict that judged nothing must not read as "no change": nothing was compared. */
    @Test
    void aVerdictThatJudgedNothingSaysNothingWasCompared() throws Exception {
        Verdict nothing = new Verdict("0a1b", io.canaryjudge.verdict.Result.INCONCLUSIVE, false, 50,
                "INCONCLUSIVE: data missing: the baseline pods with cpu profiles could not be listed", List.of(), List.of(),
                new io.canaryjudge.verdict.DataQuality(List.of(), List.of("missing: the baseline pods with cpu profiles"
                        + " could not be listed"), List.of(), null), null);

        String changes = Jsoup.parse(new VerdictHtml(JudgeConfig.defaults()).render(nothing)).select("#changes").text();

        assertThat(changes).contains("Nothing was compared").doesNotContain("No credible, material change");
        // a verdict that judged its types and found nothing keeps saying so
        assertThat(Jsoup.parse(new VerdictHtml(JudgeConfig.defaults()).render(ReportFixtures.judge(ReportFixtures.scenario("aa"))))
                .select("#changes").text()).doesNotContain("Nothing was compared");
    }

    @Test
    void verdictAlonePageSaysWhatIsMissing() throws Exception {
        Document doc = Jsoup.parse(new VerdictHtml(JudgeConfig.defaults())
                .render(ReportFixtures.judge(ReportFixtures.scenario("aa"))));
        assertThat(doc.select("#flame-section").text()).contains("No flame graph");
        assertThat(doc.select("#flame-graph")).isEmpty();
        assertThat(doc.select("#evidence")).isEmpty();
    }

    /** A self-contained page's Content-Security-Policy allows exactly its own inline script and style. */
    @Test
    void inlineAssetsAreAllowedByHashAndNothingElse() throws Exception {
        Document doc = Jsoup.parse(page.render(ReportFixtures.report(ReportFixtures.scenario("aa")), ReportAssets.inline()));
        String csp = doc.select("meta[http-equiv=Content-Security-Policy]").attr("content");
        String script = doc.select("script:not([type])").first().data();
        String style = doc.select("style").first().data();
        assertThat(csp).startsWith("default-src 'none'; ")
                .contains("script-src 'sha256-" + sha256(script) + "'")
                .contains("style-src 'sha256-" + sha256(style) + "'")
                .doesNotContain("unsafe");
        assertThat(ReportAssets.served("/report-assets/").contentSecurityPolicy())
                .contains("script-src 'self'").doesNotContain("unsafe");
    }

    @Test
    void pyroscopeLinkOpensTheSameWindowWhenConfigured() throws Exception {
        ReportFixtures.Groups groups = ReportFixtures.scenario("aa");
        AnalysisContext.Selection baseline = new AnalysisContext.Selection("{service_name=\"shop\",hash=\"a\"}",
                "process_cpu:cpu:nanoseconds:cpu:nanoseconds{service_name=\"shop\",hash=\"a\"}", List.of());
        AnalysisContext.Selection canary = new AnalysisContext.Selection("{service_name=\"shop\",hash=\"b\"}",
                "process_cpu:cpu:nanoseconds:cpu:nanoseconds{service_name=\"shop\",hash=\"b\"}", List.of());
        Instant start = Instant.parse("2026-11-25T10:00:00Z");
        Instant end = Instant.parse("2026-11-25T10:10:00Z");
        for (String url : List.of("http://pyroscope.observability:4040/", "javascript:alert(1)//")) {
            AnalysisContext context = new AnalysisContext("pyroscope", "shop", baseline, canary, start, end,
                    List.of(new AnalysisContext.Query("pyroscope", baseline.pyroscopeQuery())), url);
            Report report = new ReportBuilder().build(ReportFixtures.judge(groups), groups.baseline(), groups.canary(),
                    JudgeConfig.defaults(), context);
            Document doc = Jsoup.parse(page.render(report, ReportAssets.inline()));
            List<String> links = doc.select("#analysis a").eachAttr("href");
            if (url.startsWith("http")) {
                assertThat(links).containsExactly("http://pyroscope.observability:4040/comparison-diff?query="
                        + "process_cpu%3Acpu%3Ananoseconds%3Acpu%3Ananoseconds%7Bservice_name%3D%22shop%22%2Chash%3D%22b%22%7D"
                        + "&from=1795600800&until=1795601400"
                        + "&leftQuery=process_cpu%3Acpu%3Ananoseconds%3Acpu%3Ananoseconds%7Bservice_name%3D%22shop%22%2Chash%3D%22a%22%7D"
                        + "&leftFrom=1795600800&leftUntil=1795601400"
                        + "&rightQuery=process_cpu%3Acpu%3Ananoseconds%3Acpu%3Ananoseconds%7Bservice_name%3D%22shop%22%2Chash%3D%22b%22%7D"
                        + "&rightFrom=1795600800&rightUntil=1795601400");
                assertThat(doc.select("#analysis").text()).contains("{service_name=\"shop\",hash=\"a\"}")
                        .contains("2026-11-25T10:00:00Z");
            } else {
                assertThat(links).isEmpty();
            }
        }
    }

    private static String sha256(String text) throws Exception {
        return Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
