package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A window-long merge in one canary pod is steady there, so only the baseline's own windows (pods and
 * history) can tell it from new code: {@link IntermittentWork}.
 */
class IntermittentWorkTest {
    private static final String THREAD = "java.lang.Thread.run;com.shop.index.MergeThread.run;com.shop.index.SegmentMerger.merge";
    /** The canary's merge: stored fields. */
    private static final String MERGE_FIELDS = THREAD + ";com.shop.index.StoredFieldsWriter.merge";
    /** The merge a history JVM ran: another step under the same thread. */
    private static final String MERGE_TERMS = THREAD + ";com.shop.index.SegmentMerger.mergeTerms";
    private static final String NEW_CODE = "java.lang.Thread.run;com.shop.Handler.route1;com.shop.AuditTrail.serializeSnapshot";

    private final Judge judge = new Judge();
    private final JudgeConfig config = JudgeConfig.defaults().withMaxDetectableChange(null);

    /** 6 other baseline JVMs as history, the first running {@code historyExtra} all window. */
    private static List<Observation> history(SyntheticService service, Map<String, Double> historyExtra) {
        List<Observation> history = new ArrayList<>(service.group("h", service.shares, 5, 8, 2_000, 0.06, 1.5,
                SyntheticService.none()));
        history.addAll(service.group("hm", service.shares, 1, 8, 2_000, 0.06, 1.5, historyExtra));
        return history;
    }

    /** One canary pod (Argo's usual layout) running {@code extra} in all 8 slices: steady by its slices. */
    private static List<Observation> canary(SyntheticService service, Map<String, Double> extra) {
        return service.group("cm", service.shares, 1, 8, 2_000, 0.06, 1.5, extra);
    }

    @Test
    void aWindowLongMergeTheHistoryRanNowAndThenIsReportedNotFailed() {
        SyntheticService service = new SyntheticService(120, 31);
        List<Observation> baseline = service.group("b", service.shares, 2, 8, 2_000, 0.06, 1.5, SyntheticService.none());
        List<Observation> canary = canary(service, Map.of(MERGE_FIELDS, 0.03));
        List<Observation> history = history(service, Map.of(MERGE_TERMS, 0.02));

        Verdict verdict = judge.judge(baseline, canary, history, config);
        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.PASS);
        Finding merge = verdict.findings().stream()
                .filter(f -> f.function().equals("com.shop.index.StoredFieldsWriter.merge")).findFirst().orElseThrow();
        assertThat(merge.kind()).isEqualTo(FindingKind.NEW_HOT_PATH);
        assertThat(merge.failing()).isFalse();
        assertThat(merge.explanation()).contains("runs under `com.shop.index.MergeThread.run`")
                .contains("the baseline ran in 1 of its 8 windows").contains("intermittent");
        assertThat(verdict.findings()).noneMatch(Finding::failing);

        // The rule off: the same data FAILs on the merge (it was withheld by this rule, nothing else).
        Verdict without = judge.judge(baseline, canary, history,
                config.withNewPathConsistency(new NewPathConsistency(0.5, 0.5, 0)));
        assertThat(without.result()).as(without.summary()).isEqualTo(Result.FAIL);
        assertThat(without.findings().get(0).callPath()).contains("com.shop.index.MergeThread.run");
    }

    @Test
    void aMergeNoBaselineWindowEverRanIsUndecidedBesideFewWindowsAndFailsBesideMany() {
        // Nothing in the baseline's past shows the thread, in 8 windows: such work may come in a fifth of windows
        // and still not show there, so the one canary pod's merge is as likely background work as new code.
        SyntheticService service = new SyntheticService(120, 32);
        List<Observation> baseline = service.group("b", service.shares, 2, 8, 2_000, 0.06, 1.5, SyntheticService.none());
        List<Observation> canary = canary(service, Map.of(MERGE_FIELDS, 0.03));
        List<Observation> history = history(service, SyntheticService.none());

        Verdict verdict = judge.judge(baseline, canary, history, config);
        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.INCONCLUSIVE);
        assertThat(verdict.summary()).contains("`com.shop.index.MergeThread.run` under `java.lang.Thread.run`");
        assertThat(verdict.findings()).noneMatch(Finding::failing);

        // 15 windows without it: by the data, new code (the ambiguity docs/EVALUATION.md states), and it FAILs.
        List<Observation> longer = new ArrayList<>(history);
        longer.addAll(service.group("h2", service.shares, 7, 8, 2_000, 0.06, 1.5, SyntheticService.none()));
        Verdict fails = judge.judge(baseline, canary, longer, config);
        assertThat(fails.result()).as(fails.summary()).isEqualTo(Result.FAIL);
        assertThat(fails.findings().get(0).kind()).isEqualTo(FindingKind.NEW_HOT_PATH);
        // So do the 8 windows with the rule off (newThreadMinBaselineWindows: 0).
        Verdict off = judge.judge(baseline, canary, history, config.withNewPathConsistency(new NewPathConsistency(
                1.0, 0.5, NewPathConsistency.DEFAULTS.intermittentRatio(), 0)));
        assertThat(off.result()).as(off.summary()).isEqualTo(Result.FAIL);
    }

    /**
     * No current baseline window ran the merge, but an earlier analysis's baseline ran it in one of its three
     * pods: its lesson tells the merge from new code; new code under a steady caller still FAILs beside it.
     */
    @Test
    void aMergeOnlyAnEarlierAnalysisBaselineRanIsReportedNotFailed() {
        SyntheticService service = new SyntheticService(120, 37);
        List<Observation> earlierBaseline = new ArrayList<>(service.group("e", service.shares, 2, 8, 2_000, 0.06, 1.5,
                SyntheticService.none()));
        earlierBaseline.addAll(service.group("em", service.shares, 1, 8, 2_000, 0.06, 1.5, Map.of(MERGE_TERMS, 0.02)));
        List<Observation> earlierCanary = service.group("ec", service.shares, 2, 8, 2_000, 0.06, 1.5, SyntheticService.none());
        LearnedNoise learned = judge.judge(earlierBaseline, earlierCanary, List.of(), LearnedNoise.empty(), config).taught();
        assertThat(learned.intermittent(io.canaryjudge.profile.ProfileType.CPU, "com.shop.index.MergeThread.run"))
                .isEqualTo(new LearnedNoise.Windows(1, 2));
        assertThat(learned.intermittent(io.canaryjudge.profile.ProfileType.CPU, "com.shop.Handler.route1")).isNull();

        List<Observation> baseline = service.group("b", service.shares, 3, 8, 2_000, 0.06, 1.5, SyntheticService.none());
        List<Observation> canary = canary(service, Map.of(MERGE_FIELDS, 0.03));
        Verdict verdict = judge.judge(baseline, canary, List.of(), learned, config).verdict();
        assertThat(verdict.findings()).noneMatch(Finding::failing);
        assertThat(verdict.findings()).anySatisfy(f -> {
            assertThat(f.function()).isEqualTo("com.shop.index.StoredFieldsWriter.merge");
            assertThat(f.explanation()).contains("runs under `com.shop.index.MergeThread.run`, which the baselines of 1 "
                    + "earlier analyses ran in 1 of their windows and not in 2");
        });
        // Without the lesson the same data FAIL on the merge (beside the rule for new threads, off here: 3 baseline
        // windows would leave it undecided).
        Verdict without = judge.judge(baseline, canary, List.of(), config.withNewPathConsistency(
                new NewPathConsistency(1.0, 0.5, NewPathConsistency.DEFAULTS.intermittentRatio(), 0)));
        assertThat(without.result()).as(without.summary()).isEqualTo(Result.FAIL);

        List<Observation> newCode = service.group("c", service.shares, 1, 8, 2_000, 0.06, 1.5, Map.of(NEW_CODE, 0.01));
        Verdict fails = judge.judge(baseline, newCode, List.of(), learned, config).verdict();
        assertThat(fails.result()).as(fails.summary()).isEqualTo(Result.FAIL);
        assertThat(fails.findings().get(0).function()).isEqualTo("com.shop.AuditTrail.serializeSnapshot");
    }

    @Test
    void newCodeUnderASteadyCallerFailsBesideTheHistorysMerges() {
        SyntheticService service = new SyntheticService(120, 33);
        List<Observation> baseline = service.group("b", service.shares, 2, 8, 2_000, 0.06, 1.5, SyntheticService.none());
        List<Observation> canary = service.group("c", service.shares, 2, 8, 2_000, 0.06, 1.5, Map.of(NEW_CODE, 0.01));
        List<Observation> history = history(service, Map.of(MERGE_TERMS, 0.02));

        Verdict verdict = judge.judge(baseline, canary, history, config);
        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.FAIL);
        assertThat(verdict.findings().get(0).function()).isEqualTo("com.shop.AuditTrail.serializeSnapshot");
        assertThat(verdict.findings().get(0).kind()).isEqualTo(FindingKind.NEW_HOT_PATH);
    }

    @Test
    void newCodeUnderOneFrameSomeJvmsInlineStillFails() {
        // The caller of the new code is a frame that some baseline JVMs inline away (its cost then shows in
        // its own caller): one intermittent frame, not a thread's chain of them.
        String helper = "java.lang.Thread.run;com.shop.Handler.route1;com.shop.Feature.prepare";
        String inlined = "java.lang.Thread.run;com.shop.Handler.route1";
        SyntheticService service = new SyntheticService(120, 34);
        List<Observation> baseline = service.group("b", service.shares, 2, 8, 2_000, 0.06, 1.5, Map.of(helper, 0.02));
        List<Observation> history = new ArrayList<>(service.group("h", service.shares, 3, 8, 2_000, 0.06, 1.5,
                Map.of(helper, 0.02)));
        history.addAll(service.group("hi", service.shares, 3, 8, 2_000, 0.06, 1.5, Map.of(inlined, 0.02)));
        List<Observation> canary = service.group("c", service.shares, 2, 8, 2_000, 0.06, 1.5,
                Map.of(helper, 0.02, helper + ";com.shop.AuditTrail.serializeSnapshot", 0.01));

        Verdict verdict = judge.judge(baseline, canary, history, config);
        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.FAIL);
        assertThat(verdict.findings().get(0).function()).isEqualTo("com.shop.AuditTrail.serializeSnapshot");
    }

    @Test
    void withoutHistoryABaselinePodThatRanTheMergeIsEnough() {
        SyntheticService service = new SyntheticService(120, 35);
        List<Observation> baseline = new ArrayList<>(service.group("b", service.shares, 2, 8, 2_000, 0.06, 1.5,
                SyntheticService.none()));
        baseline.addAll(service.group("bm", service.shares, 1, 8, 2_000, 0.06, 1.5, Map.of(MERGE_TERMS, 0.03)));
        List<Observation> canary = service.group("c", service.shares, 1, 8, 2_000, 0.06, 1.5, Map.of(MERGE_FIELDS, 0.03));

        Verdict verdict = judge.judge(baseline, canary, List.of(), config);
        assertThat(verdict.findings()).noneMatch(Finding::failing);
        assertThat(verdict.findings()).anySatisfy(f -> {
            assertThat(f.function()).isEqualTo("com.shop.index.StoredFieldsWriter.merge");
            assertThat(f.explanation()).contains("the baseline ran in 1 of its 3 windows");
        });
    }

    @Test
    void oneOfTwoCanaryPodsWindowLongMergeIsWithheldByThePodCount() {
        // No history, no baseline pod ran it: only the pod count separates it from new code (2 of 2 needed).
        SyntheticService service = new SyntheticService(120, 36);
        List<Observation> baseline = service.group("b", service.shares, 2, 8, 2_000, 0.06, 1.5, SyntheticService.none());
        List<Observation> canary = new ArrayList<>(service.group("c", service.shares, 1, 8, 2_000, 0.06, 1.5,
                SyntheticService.none()));
        canary.addAll(canary(service, Map.of(MERGE_FIELDS, 0.03)));

        Verdict verdict = judge.judge(baseline, canary, List.of(), config);
        assertThat(verdict.findings()).noneMatch(Finding::failing);
        assertThat(verdict.findings()).anySatisfy(f -> {
            assertThat(f.function()).isEqualTo("com.shop.index.StoredFieldsWriter.merge");
            assertThat(f.explanation()).contains("new in 1 of 2 canary pods");
        });
        // Half the pods (the earlier default) let it FAIL.
        Verdict half = judge.judge(baseline, canary, List.of(),
                config.withNewPathConsistency(new NewPathConsistency(0.5, 0.5)));
        assertThat(half.result()).as(half.summary()).isEqualTo(Result.FAIL);
    }
}
