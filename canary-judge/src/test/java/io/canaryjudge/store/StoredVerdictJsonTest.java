package io.canaryjudge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.report.InvalidReportException;
import io.canaryjudge.report.VerdictJson;
import io.canaryjudge.verdict.DataQuality;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.GroupQuality;
import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.Measure;
import io.canaryjudge.verdict.MetricComparison;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.TypeQuality;
import io.canaryjudge.verdict.Verdict;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The verdict JSON as the store keeps it, read back ({@link VerdictJson#read}): real verdicts come back exactly;
 * values that do not exist come back absent; replicas one version apart read each other's verdicts.
 */
class StoredVerdictJsonTest {
    private final VerdictJson writer = new VerdictJson();
    private final VerdictJson reader = writer;

    static Stream<Arguments> realVerdicts() {
        return Stream.of(Arguments.of("example", RealVerdicts.example()), Arguments.of("aa", RealVerdicts.aa()),
                Arguments.of("alloc-regression", RealVerdicts.allocRegression()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("realVerdicts")
    void aRealVerdictReadsBackToTheSameDocumentAndTheSameRecord(String name, String json) {
        Verdict read = reader.read(json);

        assertThat(writer.render(read)).isEqualTo(json);
        assertThat(reader.read(writer.render(read))).isEqualTo(read);
        assertThat(read.findings().size() + read.hottest().size()).isPositive();
        assertThat(read.dataQuality().types()).isNotEmpty();
    }

    @Test
    void theExampleCarriesIncidentsFindingsHottestAndDataQualityThroughTheRoundTrip() {
        Verdict read = reader.read(RealVerdicts.example());

        assertThat(read.result()).isEqualTo(Result.FAIL);
        assertThat(read.incidents()).isNotEmpty();
        assertThat(read.incidents().get(0).failing()).isTrue();
        assertThat(read.incidents().get(0).callPath()).isNotEmpty();
        assertThat(read.findings().get(0).failing()).isTrue();
        assertThat(read.findings().get(0).callPath()).isNotEmpty();
        assertThat(read.findings().get(0).ciLow()).isNotNull();
        assertThat(read.hottest()).isNotEmpty();
        assertThat(read.findings().get(0).function()).isEqualTo("io.canaryjudge.scenario.shop.PriceCalculator.applyDiscounts");
        TypeQuality cpu = read.dataQuality().types().stream().filter(t -> t.profileType() == ProfileType.CPU)
                .findFirst().orElseThrow();
        assertThat(cpu.baseline().instances()).isEqualTo(2);
        assertThat(cpu.canary().observations()).isEqualTo(10);
        assertThat(cpu.baseline().samples()).isPositive();
    }

    @Test
    void aVerdictBuiltByHandComesBackEqualWithAbsentNumbersAbsent() {
        String hostile = "com.evil.<script>alert('x')</script>\u202e|Name.run \"quoted\"";
        Finding regression = new Finding(ProfileType.CPU, "com.shop.PriceCalculator.applyDiscounts",
                FindingKind.REGRESSION, Measure.INCLUSIVE, 0.081, 0.124, 0.53, 0.043, 4.0e-4, 0.002, 0.02, 0.06, true,
                false, List.of("java.lang.Thread.run", "com.shop.PriceCalculator.applyDiscounts"), "explained");
        Finding newPath = new Finding(ProfileType.ALLOC_BYTES, hostile, FindingKind.NEW_HOT_PATH,
                Measure.SELF_PER_REQUEST, 0.0, 2048.5, null, 2048.5, null, null, null, null, true, true,
                List.of(hostile), null);
        Incident incident = new Incident(ProfileType.CPU, "com.shop.Checkout.handle", FindingKind.REGRESSION,
                Measure.INCLUSIVE, 0.2, 0.4, 1.0, 0.15, 0.25, 1.0e-12, true, List.of("main", "com.shop.Checkout.handle"),
                List.of("com.shop.Checkout.handle", "com.fasterxml.jackson.Writer.write"), "mostly Jackson", "summary");
        DataQuality quality = new DataQuality(List.of(new TypeQuality(ProfileType.CPU, true,
                new GroupQuality(2, 10, 0, 26_000, 2.6e11), new GroupQuality(2, 9, 1, -1, 1.0e9), 120, 0.04, null,
                0.31, 0.12, List.of("note"))), List.of("warning"), List.of("b/notes.csv: not a profile"));
        Verdict verdict = new Verdict("5b0c", Result.FAIL, false, 3, "FAIL: " + hostile, List.of(regression, newPath),
                List.of(new MetricComparison("error_ratio", 0.001, null, null, "no canary data",
                        io.canaryjudge.verdict.MetricUnit.RATIO)), quality,
                "http://judge/reports/5b0c", List.of(regression), List.of(incident));

        assertThat(reader.read(writer.render(verdict))).isEqualTo(verdict);
    }

    @Test
    void valuesWrittenAsNullReadAsNotKnown() {
        Verdict verdict = new Verdict("x", Result.INCONCLUSIVE, false, 50, "s", List.of(new Finding(ProfileType.CPU,
                "f", FindingKind.IMPROVEMENT, Measure.SELF, 1.0, Double.NaN, Double.POSITIVE_INFINITY, null, null,
                null, null, null, false, false, List.of(), null)), List.of(),
                new DataQuality(List.of(new TypeQuality(ProfileType.WALL, false, new GroupQuality(0, 0, 0, -1,
                        Double.NaN), null, 0, null, null, null, null, List.of())), List.of(), List.of()), null);

        Verdict read = reader.read(writer.render(verdict));

        assertThat(read.findings().get(0).canary()).isNull();
        assertThat(read.findings().get(0).relativeChange()).isNull();
        assertThat(read.dataQuality().types().get(0).baseline().samples()).isEqualTo(-1);
        assertThat(read.dataQuality().types().get(0).baseline().total()).isNaN();
        assertThat(read.dataQuality().types().get(0).canary()).isNull();
        assertThat(writer.render(read)).isEqualTo(writer.render(verdict));
    }

    @Test
    void fieldsItDoesNotKnowAreIgnoredAndMissingOnesReadAsAbsent() {
        Verdict read = reader.read("""
                {"id": "a", "result": "PASS", "pass": true, "score": 100, "someday": {"new": [1, 2]},
                 "findings": [{"function": "f", "kind": "IMPROVEMENT", "future": true}]}""");

        assertThat(read.result()).isEqualTo(Result.PASS);
        assertThat(read.findings().get(0).function()).isEqualTo("f");
        assertThat(read.findings().get(0).profileType()).isNull();
        assertThat(read.incidents()).isEmpty();
        // Written back, a missing data quality is the empty object the contract always has.
        assertThat(writer.tree(read).get("dataQuality").get("types").size()).isZero();
    }

    @Test
    void aWrongValueIsRefusedNamingItsPath() {
        assertThatThrownBy(() -> reader.read("{\"result\": \"FAIL\", \"findings\": [{}, {\"qValue\": \"x\"}]}"))
                .isInstanceOf(InvalidReportException.class)
                .hasMessageStartingWith("verdict.findings[1].qValue: ");
        assertThatThrownBy(() -> reader.read("{\"result\": \"FAIL\", \"incidents\": [{\"kind\": \"MEMORY_LEAK\"}]}"))
                .hasMessageStartingWith("verdict.incidents[0].kind: \"MEMORY_LEAK\"");
        assertThatThrownBy(() -> reader.read("{\"result\": \"MAYBE\"}")).hasMessageStartingWith("verdict.result: ");
        assertThatThrownBy(() -> reader.read("{\"result\": \"PASS\", \"dataQuality\": {\"types\": "
                + "[{\"profileType\": \"heap\"}]}}"))
                .hasMessageStartingWith("verdict.dataQuality.types[0].profileType: ");
        assertThatThrownBy(() -> reader.read("[1]")).hasMessageStartingWith("verdict: ");
        assertThatThrownBy(() -> reader.read("{\"result\": ")).hasMessageStartingWith("verdict: not JSON");
    }
}
