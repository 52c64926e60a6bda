package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class JudgeTest {
    private final Judge judge = new Judge();
    private final JudgeConfig config = JudgeConfig.defaults();

    @Test
    void sameCodeDoesNotFailAcrossSeeds() {
        int fails = 0;
        for (int seed = 0; seed < 20; seed++) {
            SyntheticService service = new SyntheticService(120, seed);
            List<Observation> baseline = service.group("b", service.shares, 3, 5, 20_000, 0.05, 2, SyntheticService.none());
            List<Observation> canary = service.group("c", service.shares, 3, 5, 20_000, 0.05, 2, SyntheticService.none());
            Verdict verdict = judge.judge(baseline, canary, config);
            assertThat(verdict.result()).isNotEqualTo(Result.INCONCLUSIVE);
            if (verdict.result() == Result.FAIL) {
                fails++;
            }
        }
        assertThat(fails).as("A/A false FAILs out of 20").isLessThanOrEqualTo(1);
    }

    @Test
    void materialRegressionFailsWithTheCulpritFirst() {
        SyntheticService service = new SyntheticService(120, 42);
        int target = 6; // about 4 % of CPU
        List<Observation> baseline = service.group("b", service.shares, 3, 5, 20_000, 0.05, 2, SyntheticService.none());
        List<Observation> canary = service.group("c", service.withChange(target, 0.5), 3, 5, 20_000, 0.05, 2,
                SyntheticService.none());
        Verdict verdict = judge.judge(baseline, canary, config);

        assertThat(verdict.result()).isEqualTo(Result.FAIL);
        assertThat(verdict.pass()).isFalse();
        Finding first = verdict.findings().get(0);
        assertThat(first.function()).isEqualTo(service.functions[target]);
        assertThat(first.kind()).isEqualTo(FindingKind.REGRESSION);
        assertThat(first.failing()).isTrue();
        assertThat(first.relativeChange()).isBetween(0.3, 0.7);
        assertThat(first.callPath()).endsWith(service.functions[target]).startsWith("java.lang.Thread.run");
        assertThat(verdict.summary()).startsWith("FAIL").contains(service.functions[target]);
        assertThat(verdict.hottest()).contains(first);
        assertThat(verdict.score()).isLessThan(50);
    }

    private static final String ENCODE = "java.lang.Thread.run;com.shop.Codec.encode";
    private static final String WRITE_VARINT = ENCODE + ";com.shop.Codec.writeVarint";

    /** Self shares of the two frames: {@code encode}'s own code and its callee {@code writeVarint}. */
    private static Map<String, Double> codec(double encodeSelf, double writeVarintSelf) {
        Map<String, Double> extra = SyntheticService.none();
        extra.put(ENCODE, encodeSelf);
        extra.put(WRITE_VARINT, writeVarintSelf);
        return extra;
    }

    /**
     * Three pods per side (one pod per side until issue 10: with one pod per side and pod noise of 5 %, a
     * doubling of a 2 % function is within what chance does, and the judge no longer FAILs it).
     */
    @Test
    void codeThatOneJvmInlinedAndTheOtherDidNotIsReportedNotFailed() {
        SyntheticService service = new SyntheticService(120, 11);
        // Inlined: writeVarint's samples land in encode's frame (async-profiler: encode's self time).
        Map<String, Double> inlined = codec(0.0296, 0.0004);
        Map<String, Double> notInlined = codec(0.01, 0.02);
        for (Map<String, Double>[] sides : List.of(new Map[] {notInlined, inlined}, new Map[] {inlined, notInlined})) {
            List<Observation> baseline = service.group("b", service.shares, 3, 10, 20_000, 0.05, 2, sides[0]);
            List<Observation> canary = service.group("c", service.shares, 3, 10, 20_000, 0.05, 2, sides[1]);
            Verdict verdict = judge.judge(baseline, canary, config);

            assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.PASS);
            Finding moved = verdict.findings().stream()
                    .filter(f -> f.function().startsWith("com.shop.Codec") && f.measure() == io.canaryjudge.verdict.Measure.SELF
                            && f.canary() > f.baseline())
                    .findFirst().orElseThrow();
            assertThat(moved.failing()).isFalse();
            assertThat(moved.explanation()).containsAnyOf("its callee `com.shop.Codec.writeVarint`",
                    "its caller `com.shop.Codec.encode`");
        }
    }

    /** Three pods per side, as {@link #codeThatOneJvmInlinedAndTheOtherDidNotIsReportedNotFailed}. */
    @Test
    void aRealRegressionInTheCalleeStillFails() {
        SyntheticService service = new SyntheticService(120, 11);
        List<Observation> baseline = service.group("b", service.shares, 3, 10, 20_000, 0.05, 2, codec(0.01, 0.02));
        List<Observation> canary = service.group("c", service.shares, 3, 10, 20_000, 0.05, 2, codec(0.01, 0.04));
        Verdict verdict = judge.judge(baseline, canary, config);

        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.FAIL);
        assertThat(verdict.findings().get(0).function()).isEqualTo("com.shop.Codec.writeVarint");
    }

    @Test
    void newHotPathIsReportedAndFails() {
        SyntheticService service = new SyntheticService(120, 7);
        List<Observation> baseline = service.group("b", service.shares, 3, 5, 20_000, 0.05, 2, SyntheticService.none());
        List<Observation> canary = service.group("c", service.shares, 3, 5, 20_000, 0.05, 2,
                Map.of("java.lang.Thread.run;com.shop.Handler.route1;com.shop.AuditTrail.serializeSnapshot", 0.05));
        Verdict verdict = judge.judge(baseline, canary, config);

        assertThat(verdict.result()).isEqualTo(Result.FAIL);
        Finding first = verdict.findings().get(0);
        assertThat(first.function()).isEqualTo("com.shop.AuditTrail.serializeSnapshot");
        assertThat(first.kind()).isEqualTo(FindingKind.NEW_HOT_PATH);
        assertThat(first.relativeChange()).isNull();
        assertThat(first.baseline()).isZero();
    }

    @Test
    void improvementOfOneFunctionDoesNotFailTheOthers() {
        int fails = 0;
        for (int seed = 100; seed < 110; seed++) {
            SyntheticService service = new SyntheticService(120, seed);
            List<Observation> baseline = service.group("b", service.shares, 3, 5, 20_000, 0.05, 2, SyntheticService.none());
            // The hottest function gets 43 % cheaper: every other raw share rises.
            List<Observation> canary = service.group("c", service.withChange(0, -0.43), 3, 5, 20_000, 0.05, 2,
                    SyntheticService.none());
            Verdict verdict = judge.judge(baseline, canary, config);
            if (verdict.result() == Result.FAIL) {
                fails++;
            }
            assertThat(verdict.findings()).anyMatch(f -> f.kind() == FindingKind.IMPROVEMENT
                    && f.function().equals(service.functions[0]));
        }
        assertThat(fails).isLessThanOrEqualTo(1);
    }

    @Test
    void jitCompilerWorkInAYoungCanaryIsReportedButDoesNotFail() {
        SyntheticService service = new SyntheticService(120, 9);
        String jit = "thread_start;CompileBroker::compiler_thread_loop;C2Compiler::compile_method";
        List<Observation> baseline = service.group("b", service.shares, 3, 5, 20_000, 0.05, 2, Map.of(jit, 0.01));
        List<Observation> canary = service.group("c", service.shares, 3, 5, 20_000, 0.05, 2, Map.of(jit, 0.05));
        Verdict verdict = judge.judge(baseline, canary, config);

        assertThat(verdict.result()).isEqualTo(Result.PASS);
        assertThat(verdict.findings()).anyMatch(f -> f.jvmInternal() && !f.failing()
                && f.function().equals("C2Compiler::compile_method"));
        assertThat(verdict.score()).isBetween(75, 99);

        Verdict strict = judge.judge(baseline, canary, config.withFailOnJvmInternal(true));
        assertThat(strict.result()).isEqualTo(Result.FAIL);
    }

    @Test
    void ignoredFunctionsAreNeverFindings() {
        SyntheticService service = new SyntheticService(120, 42);
        List<Observation> baseline = service.group("b", service.shares, 3, 5, 20_000, 0.05, 2, SyntheticService.none());
        List<Observation> canary = service.group("c", service.withChange(6, 0.5), 3, 5, 20_000, 0.05, 2,
                SyntheticService.none());
        Verdict verdict = judge.judge(baseline, canary,
                config.withIgnore(List.of(Pattern.compile(Pattern.quote(service.functions[6])))));
        assertThat(verdict.findings()).noneMatch(f -> f.function().equals(service.functions[6]));
    }

    @Test
    void tooFewObservationsIsInconclusive() {
        SyntheticService service = new SyntheticService(120, 1);
        List<Observation> baseline = service.group("b", service.shares, 1, 1, 20_000, 0.05, 2, SyntheticService.none());
        List<Observation> canary = service.group("c", service.shares, 1, 1, 20_000, 0.05, 2, SyntheticService.none());
        Verdict verdict = judge.judge(baseline, canary, config);
        assertThat(verdict.result()).isEqualTo(Result.INCONCLUSIVE);
        assertThat(verdict.score()).isEqualTo(50);
        assertThat(verdict.summary()).contains("observation");
        assertThat(verdict.dataQuality().types()).anyMatch(t -> t.profileType() == ProfileType.CPU && !t.judged());
    }

    @Test
    void emptyCanaryIsInconclusive() {
        SyntheticService service = new SyntheticService(50, 1);
        List<Observation> baseline = service.group("b", service.shares, 2, 3, 20_000, 0.05, 2, SyntheticService.none());
        Verdict verdict = judge.judge(baseline, List.of(), config);
        assertThat(verdict.result()).isEqualTo(Result.INCONCLUSIVE);
    }

    @Test
    void passCarriesTheMinimumDetectableChange() {
        SyntheticService service = new SyntheticService(120, 3);
        List<Observation> baseline = service.group("b", service.shares, 3, 5, 20_000, 0.05, 2, SyntheticService.none());
        List<Observation> canary = service.group("c", service.shares, 3, 5, 20_000, 0.05, 2, SyntheticService.none());
        Verdict verdict = judge.judge(baseline, canary, config);
        assertThat(verdict.hottest()).hasSize(8)
                .allMatch(f -> f.kind() == FindingKind.UNCHANGED && !f.failing() && f.qValue() != null);
        assertThat(verdict.hottest().get(0).canary()).isGreaterThanOrEqualTo(verdict.hottest().get(7).canary());
        var cpu = verdict.dataQuality().types().get(0);
        assertThat(cpu.minimumDetectableChange5pct()).isNotNull().isBetween(0.05, 0.5);
        assertThat(cpu.betweenInstanceCv()).isNotNull().isBetween(0.0, 0.2);

        Verdict demanding = judge.judge(baseline, canary, config.withMaxDetectableChange(0.01));
        assertThat(demanding.result()).isEqualTo(Result.INCONCLUSIVE);
    }

    @Test
    void onePodPerSideStillDetectsALargeRegressionAndSaysSo() {
        SyntheticService service = new SyntheticService(150, 11);
        List<Observation> baseline = service.group("b", service.shares, 1, 10, 50_000, 0.0, 1, SyntheticService.none());
        List<Observation> canary = service.group("c", service.withChange(10, 0.3), 1, 10, 50_000, 0.0, 1,
                SyntheticService.none());
        Verdict verdict = judge.judge(baseline, canary, config);
        assertThat(verdict.result()).isEqualTo(Result.FAIL);
        assertThat(verdict.findings().get(0).function()).isEqualTo(service.functions[10]);
        assertThat(verdict.dataQuality().types().get(0).notes()).anyMatch(n -> n.contains("pod"));
    }
}
