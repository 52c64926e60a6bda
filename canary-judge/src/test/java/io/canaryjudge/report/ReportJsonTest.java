package io.canaryjudge.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canaryjudge.verdict.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The stored form of a report: written and read back unchanged, and bad documents named precisely. */
class ReportJsonTest {
    private final ReportJson json = new ReportJson();

    @Test
    void reportOfARecordedScenarioReadsBackEqual() throws Exception {
        Report report = ReportFixtures.report(ReportFixtures.scenario("new-hot-path"));
        assertThat(report.flames()).isNotEmpty();
        assertThat(report.evidence()).isNotEmpty();
        Report read = json.read(json.write(report));
        assertThat(read).isEqualTo(report);
        assertThat(json.write(read)).isEqualTo(json.write(report));
    }

    @Test
    void hostileReportWithContextReadsBackEqual() throws Exception {
        ReportFixtures.Groups groups = ReportFixtures.hostile();
        AnalysisContext context = new AnalysisContext("pyroscope", "checkout</script>",
                new AnalysisContext.Selection("{service_name=\"checkout\",hash=\"a\\\"b\"}",
                        "process_cpu:cpu:nanoseconds:cpu:nanoseconds{service_name=\"checkout\"}", List.of("pod-1")),
                new AnalysisContext.Selection("{service_name=\"checkout\",hash=\"\u202Ec\"}", null, List.of()),
                Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-25T10:10:00Z"),
                List.of(new AnalysisContext.Query("pyroscope", "SelectMergeProfile {…}")), "http://pyroscope:4040");
        Report report = new ReportBuilder().build(ReportFixtures.judge(groups), groups.baseline(), groups.canary(),
                io.canaryjudge.judge.JudgeConfig.defaults(), context);
        assertThat(json.read(json.write(report))).isEqualTo(report);
    }

    @Test
    void verdictJsonReadsBackEqual() throws Exception {
        Verdict verdict = ReportFixtures.judge(ReportFixtures.scenario("aa"));
        VerdictJson verdictJson = new VerdictJson();
        assertThat(verdictJson.read(verdictJson.render(verdict))).isEqualTo(verdict);
        Verdict hostile = ReportFixtures.judge(ReportFixtures.hostile());
        assertThat(verdictJson.read(verdictJson.render(hostile))).isEqualTo(hostile);
    }

    /** What the store keeps per report, measured on the recorded scenario (3 profile types, 3 pods a side). */
    @Test
    void storedReportIsSmall() throws Exception {
        Report report = ReportFixtures.report(ReportFixtures.scenario("new-hot-path"));
        byte[] raw = json.write(report).getBytes(StandardCharsets.UTF_8);
        assertThat(raw.length).isLessThan(200_000);
        assertThat(gzip(raw).length).isLessThan(40_000);
    }

    @Test
    void badDocumentsAreNamedPrecisely() throws Exception {
        String good = json.write(ReportFixtures.report(ReportFixtures.scenario("aa")));
        assertThatThrownBy(() -> json.read("not json")).isInstanceOf(InvalidReportException.class)
                .hasMessageStartingWith("report: not JSON");
        assertThatThrownBy(() -> json.read("[]")).hasMessage("report: expected an object, got []");
        assertThatThrownBy(() -> json.read("{\"format\":\"other\"}"))
                .hasMessage("report.format: expected \"canary-judge-report\", got \"other\"");
        assertThatThrownBy(() -> json.read(good.replace("\"version\":1", "\"version\":2")))
                .hasMessage("report.version: this judge reads version 1, got 2");
        assertThatThrownBy(() -> json.read(good.replace("\"parent\":[-1,0,", "\"parent\":[-1,7,")))
                .hasMessage("report.flames[0].parent[1]: expected the index of an earlier node, got 7");
        assertThatThrownBy(() -> json.read(good.replace("\"result\":\"PASS\"", "\"result\":\"MAYBE\"")))
                .hasMessageStartingWith("report.verdict.result: \"MAYBE\" must be one of: [PASS, FAIL, INCONCLUSIVE]");
        assertThatThrownBy(() -> json.read(good.replaceFirst("\"canaryTotal\":\\[1\\.0", "\"canaryTotal\":[\"x\"")))
                .hasMessage("report.flames[0].canaryTotal[0]: expected a share in [0, 1], got \"x\"");
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }
}
