package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileBuilder;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.SampleType;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules that turn tests into a verdict: new paths, vetoes, different programs, clear answers. */
class JudgeRulesTest {
    private final Judge judge = new Judge();
    private final JudgeConfig config = JudgeConfig.defaults();

    @Test
    void newLeafUnderLargeCallerFails() {
        SyntheticService service = new SyntheticService(120, 14);
        // Handler.route1 holds about a fifth of the CPU; the new leaf is 1 % of the canary under it.
        String path = "java.lang.Thread.run;com.shop.Handler.route1;com.shop.AuditTrail.serializeSnapshot";
        List<Observation> baseline = service.group("b", service.shares, 3, 5, 20_000, 0.06, 1.5, SyntheticService.none());
        List<Observation> canary = service.group("c", service.shares, 3, 5, 20_000, 0.06, 1.5, Map.of(path, 0.01));
        Verdict verdict = judge.judge(baseline, canary, config);

        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.FAIL);
        Finding first = verdict.findings().get(0);
        assertThat(first.function()).isEqualTo("com.shop.AuditTrail.serializeSnapshot");
        assertThat(first.kind()).isEqualTo(FindingKind.NEW_HOT_PATH);
        assertThat(first.callPath()).containsExactly("java.lang.Thread.run", "com.shop.Handler.route1",
                "com.shop.AuditTrail.serializeSnapshot");
    }

    /** One JVM's segment merge: 12 % of its CPU in 2 of its 8 slices (3 % of the pod), in no other JVM. */
    private static final String MERGE = "java.lang.Thread.run;com.shop.index.MergeThread.run;com.shop.index.SegmentMerger.merge";

    @Test
    void aBurstInOnePodsTwoSlicesIsReportedNotFailed() {
        SyntheticService service = new SyntheticService(120, 21);
        List<Observation> baseline = service.group("b", service.shares, 3, 8, 2_000, 0.06, 1.5, SyntheticService.none());
        List<Observation> canary = new ArrayList<>(service.group("c", service.shares, 2, 8, 2_000, 0.06, 1.5,
                SyntheticService.none()));
        List<Map<String, Double>> slices = new ArrayList<>();
        for (int s = 0; s < 8; s++) {
            slices.add(s == 3 || s == 4 ? Map.of(MERGE, 0.12) : Map.of());
        }
        canary.addAll(service.pod("c-pod-2", service.shares, slices, 2_000, 0.06, 1.5));
        Verdict verdict = judge.judge(baseline, canary, config);

        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.PASS);
        Finding merge = mergeFinding(verdict);
        assertThat(merge.kind()).isEqualTo(FindingKind.NEW_HOT_PATH);
        assertThat(merge.failing()).isFalse();
        assertThat(merge.explanation()).contains("new in 1 of 3 canary pods, 2 of 8 slices")
                .contains("background work in some JVMs");
        // The consistency rule off: the same data FAILs (the finding was withheld by it, nothing else).
        Verdict without = judge.judge(baseline, canary, config.withNewPathConsistency(new NewPathConsistency(0, 0)));
        assertThat(without.result()).as(without.summary()).isEqualTo(Result.FAIL);
    }

    @Test
    void aWindowLongMergeInTwoOfThreeCanaryPodsIsReportedNotFailed() {
        SyntheticService service = new SyntheticService(120, 24);
        List<Observation> baseline = service.group("b", service.shares, 3, 8, 2_000, 0.06, 1.5, SyntheticService.none());
        List<Observation> canary = new ArrayList<>(service.group("c", service.shares, 2, 8, 2_000, 0.06, 1.5,
                Map.of(MERGE, 0.03)));
        canary.addAll(service.group("d", service.shares, 1, 8, 2_000, 0.06, 1.5, SyntheticService.none()));
        Verdict verdict = judge.judge(baseline, canary, config);

        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.PASS);
        Finding merge = mergeFinding(verdict);
        assertThat(merge.failing()).isFalse();
        assertThat(merge.explanation()).contains("new in 2 of 3 canary pods, 16 of 16 slices")
                .contains("background work in some JVMs");
        // With a strict majority of the pods (the rule before every pod was asked), the same data FAILs.
        Verdict majority = judge.judge(baseline, canary, config.withNewPathConsistency(new NewPathConsistency(0.6, 0.5)));
        assertThat(majority.result()).as(majority.summary()).isEqualTo(Result.FAIL);
    }

    @Test
    void aCanaryPodWithTooFewSamplesToShowANewPathDoesNotWithholdIt() {
        SyntheticService service = new SyntheticService(120, 25);
        List<Observation> baseline = service.group("b", service.shares, 3, 8, 2_000, 0.06, 1.5, SyntheticService.none());
        List<Observation> canary = new ArrayList<>(service.group("c", service.shares, 2, 8, 2_000, 0.06, 1.5,
                Map.of(MERGE, 0.01)));
        // A third canary pod that barely served: 8 × 20 samples, where a 1 % path expects 1.6.
        canary.addAll(service.group("d", service.shares, 1, 8, 20, 0.06, 1.5, SyntheticService.none()));
        Verdict verdict = judge.judge(baseline, canary, config);

        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.FAIL);
        assertThat(verdict.findings().get(0).kind()).isEqualTo(FindingKind.NEW_HOT_PATH);
        assertThat(verdict.findings().get(0).callPath()).contains("com.shop.index.MergeThread.run");
    }

    private static Finding mergeFinding(Verdict verdict) {
        return verdict.findings().stream()
                .filter(f -> f.function().equals("com.shop.index.SegmentMerger.merge")).findFirst().orElseThrow();
    }

    @Test
    void aPathInEveryCanaryPodsSlicesFails() {
        SyntheticService service = new SyntheticService(120, 22);
        List<Observation> baseline = service.group("b", service.shares, 3, 8, 2_000, 0.06, 1.5, SyntheticService.none());
        List<Observation> canary = service.group("c", service.shares, 3, 8, 2_000, 0.06, 1.5, Map.of(MERGE, 0.01));
        Verdict verdict = judge.judge(baseline, canary, config);

        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.FAIL);
        assertThat(verdict.findings().get(0).kind()).isEqualTo(FindingKind.NEW_HOT_PATH);
        assertThat(verdict.findings().get(0).callPath()).contains("com.shop.index.MergeThread.run");
    }

    /** New code on a request path: under a handler every baseline pod runs. */
    private static final String AUDIT = "java.lang.Thread.run;com.shop.Handler.route1;com.shop.AuditTrail.serializeSnapshot";

    @Test
    void aSteadyPathUnderAHandlerInASingleCanaryPodFailsAndABurstDoesNot() {
        SyntheticService service = new SyntheticService(120, 23);
        List<Observation> baseline = service.group("b", service.shares, 2, 8, 2_000, 0.06, 1.5, SyntheticService.none());
        List<Observation> steady = service.group("c", service.shares, 1, 8, 2_000, 0.06, 1.5, Map.of(AUDIT, 0.01));
        Verdict verdict = judge.judge(baseline, steady, config.withMaxDetectableChange(null));
        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.FAIL);
        assertThat(verdict.findings().get(0).kind()).isEqualTo(FindingKind.NEW_HOT_PATH);
        assertThat(verdict.findings().get(0).callPath()).contains("com.shop.Handler.route1");

        // One pod, so the slices alone decide: 2 of 8 is a burst.
        List<Map<String, Double>> slices = new ArrayList<>();
        for (int s = 0; s < 8; s++) {
            slices.add(s < 2 ? Map.of(MERGE, 0.04) : Map.of());
        }
        List<Observation> burst = service.pod("c-pod-0", service.shares, slices, 2_000, 0.06, 1.5);
        Verdict burstVerdict = judge.judge(baseline, burst, config.withMaxDetectableChange(null));
        assertThat(burstVerdict.result()).as(burstVerdict.summary()).isEqualTo(Result.PASS);
        assertThat(burstVerdict.findings()).anySatisfy(f -> {
            assertThat(f.function()).isEqualTo("com.shop.index.SegmentMerger.merge");
            assertThat(f.failing()).isFalse();
            assertThat(f.explanation()).contains("new in 1 of 1 canary pod, 2 of 8 slices");
        });
    }

    @Test
    void newWorkOnAThreadOfItsOwnInTheOneCanaryPodIsInconclusiveBesideFewBaselineWindows() {
        SyntheticService service = new SyntheticService(120, 23);
        List<Observation> baseline = service.group("b", service.shares, 2, 8, 2_000, 0.06, 1.5, SyntheticService.none());
        List<Observation> steady = service.group("c", service.shares, 1, 8, 2_000, 0.06, 1.5, Map.of(MERGE, 0.01));
        Verdict verdict = judge.judge(baseline, steady, List.of(), config.withMaxDetectableChange(null));

        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.INCONCLUSIVE);
        assertThat(verdict.summary()).contains("on a thread no baseline window ran (`com.shop.index.MergeThread.run` "
                + "under `java.lang.Thread.run`)").contains("two or more canary pods, or with history");
        Finding merge = mergeFinding(verdict);
        assertThat(merge.failing()).isFalse();
        assertThat(merge.explanation()).contains("Not judged as a new hot path")
                .contains("2 baseline windows (pods and history) are too few to call such work new");

        // Beside 15 baseline windows that never ran it, the same canary FAILs: such work would have shown.
        List<Observation> history = service.group("h", service.shares, 13, 8, 2_000, 0.06, 1.5, SyntheticService.none());
        Verdict withHistory = judge.judge(baseline, steady, history, config.withMaxDetectableChange(null));
        assertThat(withHistory.result()).as(withHistory.summary()).isEqualTo(Result.FAIL);
        assertThat(withHistory.findings().get(0).kind()).isEqualTo(FindingKind.NEW_HOT_PATH);
        assertThat(withHistory.findings().get(0).callPath()).contains("com.shop.index.MergeThread.run");
    }

    @Test
    void aDipOfAStubElsewhereDoesNotVetoARealRise() {
        SyntheticService service = new SyntheticService(120, 15);
        String own = "java.lang.Thread.run;com.shop.Handler.route0;com.shop.Pricing.total";
        String ownStub = own + ";.itable stub";
        String elsewhere = "java.lang.Thread.run;com.shop.Handler.route3;com.shop.Cache.get;.itable stub";
        Map<String, Double> before = new HashMap<>(Map.of(own, 0.04, ownStub, 0.004, elsewhere, 0.06));
        Map<String, Double> after = new HashMap<>(Map.of(own, 0.07, ownStub, 0.004, elsewhere, 0.04));
        List<Observation> baseline = service.group("b", service.shares, 3, 5, 20_000, 0.04, 1.5, before);
        List<Observation> canary = service.group("c", service.shares, 3, 5, 20_000, 0.04, 1.5, after);
        Verdict verdict = judge.judge(baseline, canary, config);

        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.FAIL);
        assertThat(verdict.findings().get(0).function()).isEqualTo("com.shop.Pricing.total");
    }

    @Test
    void differentProgramFails() throws Exception {
        List<Profile> kafka = new ArrayList<>();
        for (var file : SharedFixtures.kafkaPprofSlices()) {
            kafka.add(ProfileFiles.read(file, ReadOptions.defaults()).get(0));
        }
        Profile fastSlow = ProfileFiles.read(SharedFixtures.folder("jfr-parser").resolve("FastSlow_2024_01_16_180855.jfr.gz"),
                ReadOptions.defaults()).get(0);
        List<Observation> baseline = List.of(new Observation("kafka-0", kafka.get(0)), new Observation("kafka-1", kafka.get(1)));
        List<Observation> other = List.of(new Observation("fast-slow-a", fastSlow), new Observation("fast-slow-b", fastSlow));
        Verdict verdict = judge.judge(baseline, other, config.withJudgedTypes(java.util.EnumSet.of(ProfileType.CPU)));

        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.FAIL);
        Finding first = verdict.findings().get(0);
        assertThat(first.kind()).isEqualTo(FindingKind.DIFFERENT_PROGRAM);
        assertThat(first.canary()).isGreaterThan(0.9);
        assertThat(verdict.summary()).startsWith("FAIL: the canary does not resemble the baseline").contains("FastSlow.fib");

        List<Observation> mixed = List.of(new Observation("kafka-2", kafka.get(2)), new Observation("fast-slow", fastSlow));
        Verdict half = judge.judge(baseline, mixed, config.withJudgedTypes(java.util.EnumSet.of(ProfileType.CPU)));
        assertThat(half.result()).as(half.summary()).isEqualTo(Result.FAIL);
        assertThat(half.findings().get(0).function()).containsAnyOf("FastSlow", Judge.TOTAL);
    }

    @Test
    void sameProgramIsNotADifferentProgram() throws Exception {
        List<Observation> slices = new ArrayList<>();
        int i = 0;
        for (var file : SharedFixtures.kafkaPprofSlices()) {
            slices.add(new Observation("kafka-" + i++, ProfileFiles.read(file, ReadOptions.defaults()).get(0)));
        }
        Verdict verdict = judge.judge(slices.subList(0, 2), slices.subList(2, 4), config.withMaxDetectableChange(null));
        assertThat(verdict.findings()).noneMatch(f -> f.kind() == FindingKind.DIFFERENT_PROGRAM);
    }

    @Test
    void zeroSampleProfileIsListedInDataQuality() {
        SyntheticService service = new SyntheticService(120, 16);
        List<Observation> baseline = new ArrayList<>(service.group("b", service.shares, 3, 5, 20_000, 0.05, 1.5,
                SyntheticService.none()));
        baseline.add(new Observation("b-pod-0", new ProfileBuilder("empty-slice.pb.gz", ProfileFormat.PPROF,
                List.of(SampleType.of(ProfileType.CPU)), 64).build()));
        List<Observation> canary = service.group("c", service.shares, 3, 5, 20_000, 0.05, 1.5, SyntheticService.none());
        Verdict verdict = judge.judge(baseline, canary, config);

        assertThat(verdict.dataQuality().warnings())
                .anyMatch(w -> w.contains("1 baseline profile(s) hold no cpu samples") && w.contains("empty-slice.pb.gz"));
    }

    @Test
    void anEmptySliceOfAFileIsNamedAsThatSliceNotAsTheFile() {
        // The file's other slices were judged: "…/window.jfr.gz were left out" said the whole file was (heldout4).
        SyntheticService service = new SyntheticService(120, 16);
        List<Observation> baseline = new ArrayList<>(service.group("b", service.shares, 3, 5, 20_000, 0.05, 1.5,
                SyntheticService.none()));
        long start = 1_795_000_000_000_000_000L;
        Profile judged = baseline.get(0).profile();
        ProfileBuilder empty = new ProfileBuilder("b9/window.jfr.gz", ProfileFormat.JFR, judged.sampleTypes(), 64);
        empty.interval(start + 10_000_000_000L, 10_074_000_000L);
        baseline.add(new Observation("b-pod-9", copy(judged, "b9/window.jfr.gz", start)));
        baseline.add(new Observation("b-pod-9", empty.build()));
        List<Observation> canary = service.group("c", service.shares, 3, 5, 20_000, 0.05, 1.5, SyntheticService.none());

        assertThat(judge.judge(baseline, canary, config).dataQuality().warnings()).anyMatch(w ->
                w.contains("1 baseline profile(s) hold no cpu samples") && w.contains("b9/window.jfr.gz (the slice 10–20.074 s into it)"));
    }

    @Test
    void uniformSlowdownPerRequestFailsOnItsOwnFamily() {
        SyntheticService service = new SyntheticService(120, 17);
        // Same traffic (requests per slice), twice the CPU per slice: every share unchanged.
        List<Observation> baseline = withRequests(service.group("b", service.shares, 2, 5, 10_000, 0.05, 1.5,
                SyntheticService.none()), 50_000);
        List<Observation> canary = withRequests(service.group("c", service.shares, 2, 5, 20_000, 0.05, 1.5,
                SyntheticService.none()), 50_000);
        Verdict verdict = judge.judge(baseline, canary, config);

        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.FAIL);
        Finding first = verdict.findings().get(0);
        assertThat(first.kind()).isEqualTo(FindingKind.COST_PER_REQUEST);
        // About 10,000 samples × 10 ms over 50,000 requests = 2 ms per request.
        assertThat(verdict.summary()).matches("FAIL: CPU per request \\+\\d+ % \\([12]\\.\\d\\d ms → [34]\\.\\d\\d ms, q = .*");
        assertThat(verdict.dataQuality().types().get(0).notes())
                .anyMatch(n -> n.matches("CPU per request: baseline [12]\\.\\d\\d ms, canary [34]\\.\\d\\d ms \\(\\+\\d+\\.\\d %\\)"));
    }

    /**
     * An allocation-heavy service whose GC threads hold 60 % of its CPU; the canary does 50 % more work per request,
     * its code and the GC its allocations cause alike. Its code's own cost per request rose as much as the total,
     * so this is no JVM work of a young JVM, though the code carries only 40 % of the rise.
     */
    @Test
    void costPerRequestThatCodeCarriesInProportionFailsThoughGcHoldsMostOfTheCpu() {
        SyntheticService service = new SyntheticService(120, 27);
        String gc = "thread_native_entry;Thread::call_run;WorkerThread::run;G1EvacuateRegionsTask::work;"
                + "G1ParScanThreadState::trim_queue_to_threshold";
        List<Observation> baseline = withRequests(service.group("b", service.shares, 3, 5, 10_000, 0.03, 1.5,
                Map.of(gc, 1.5)), 50_000);
        List<Observation> canary = withRequests(service.group("c", service.shares, 3, 5, 15_000, 0.03, 1.5,
                Map.of(gc, 1.5)), 50_000);
        Verdict verdict = judge.judge(baseline, canary, config);

        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.FAIL);
        assertThat(verdict.findings()).as(verdict.summary())
                .anyMatch(f -> f.kind() == FindingKind.COST_PER_REQUEST && f.failing() && !f.jvmInternal());
    }

    /**
     * The canary pods served 30 % of the baseline's request rate with the same CPU: the cost per request (+233 %) is
     * not compared at loads that far apart, and shares are unchanged; the verdict does not fail, but its summary says
     * what rose and why it was not compared, instead of reading as "nothing rose".
     */
    @Test
    void aPerRequestRiseNotComparedAtAShiftedRateIsSaidInTheSummary() {
        SyntheticService service = new SyntheticService(120, 28);
        List<Observation> baseline = withRequests(service.group("b", service.shares, 3, 5, 10_000, 0.03, 1.5,
                SyntheticService.none()), 50_000);
        List<Observation> canary = withRequests(service.group("c", service.shares, 3, 5, 10_000, 0.03, 1.5,
                SyntheticService.none()), 15_000);
        Verdict verdict = judge.judge(baseline, canary, config);

        assertThat(verdict.result()).as(verdict.summary()).isNotEqualTo(Result.FAIL);
        assertThat(verdict.summary()).containsPattern("; CPU per request \\+2[0-9]{2} % not compared: the canary pods "
                + "served 30 % of the baseline pods' request rate, at which load alone moves costs per request\\.$");
    }

    @Test
    void costPerRequestThatJitCompilationCarriesIsReportedNotFailed() {
        SyntheticService service = new SyntheticService(120, 26);
        // Young canary JVMs: C2 compiling on top of the same code, half as much CPU again for the same requests.
        String compiling = "thread_native_entry;Thread::call_run;JavaThread::thread_main_inner;"
                + "CompileBroker::compiler_thread_loop;CompileBroker::invoke_compiler_on_method;C2Compiler::compile_method;"
                + "Compile::Compile;Compile::Optimize;PhaseIdealLoop::build_and_optimize";
        List<Observation> baseline = withRequests(service.group("b", service.shares, 3, 5, 10_000, 0.03, 1.5,
                SyntheticService.none()), 50_000);
        List<Observation> canary = withRequests(service.group("c", service.shares, 3, 5, 10_000, 0.03, 1.5,
                Map.of(compiling, 0.5)), 50_000);
        Verdict verdict = judge.judge(baseline, canary, config);

        assertThat(verdict.result()).as(verdict.summary()).isNotEqualTo(Result.FAIL);
        Finding perRequest = verdict.findings().stream().filter(f -> f.kind() == FindingKind.COST_PER_REQUEST)
                .findFirst().orElseThrow();
        assertThat(perRequest.failing()).isFalse();
        assertThat(perRequest.jvmInternal()).isTrue();
        assertThat(perRequest.explanation()).contains("JVM work carries the rise");
        // With the JVM's work counted, the same rise FAILs.
        Verdict counted = judge.judge(baseline, canary, config.withFailOnJvmInternal(true));
        assertThat(counted.result()).as(counted.summary()).isEqualTo(Result.FAIL);
        assertThat(counted.findings()).anyMatch(f -> f.kind() == FindingKind.COST_PER_REQUEST && f.failing());
    }

    @Test
    void aFailingCostPerRequestIsNotNamedAtJvmWorkThatRoseBesideIt() {
        SyntheticService service = new SyntheticService(120, 27);
        String compiling = "thread_native_entry;Thread::call_run;JavaThread::thread_main_inner;"
                + "CompileBroker::compiler_thread_loop;CompileBroker::invoke_compiler_on_method;C2Compiler::compile_method;"
                + "Compile::Compile;Compile::Optimize;PhaseIdealLoop::build_and_optimize";
        // Young canaries: every function twice as slow per request (shares unchanged), and C2 compiling beside it.
        List<Observation> baseline = withRequests(service.group("b", service.shares, 3, 5, 10_000, 0.03, 1.5,
                Map.of(compiling, 0.005)), 50_000);
        List<Observation> canary = withRequests(service.group("c", service.shares, 3, 5, 20_000, 0.03, 1.5,
                Map.of(compiling, 0.3)), 50_000);
        Verdict verdict = judge.judge(baseline, canary, config);

        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.FAIL);
        assertThat(verdict.summary()).startsWith("FAIL: CPU per request +").doesNotContain("JIT compilation");
        assertThat(verdict.incidents()).anySatisfy(i -> {
            assertThat(i.entryFrame()).isEqualTo("PhaseIdealLoop::build_and_optimize");
            assertThat(i.failing()).isFalse();
        });
    }

    @Test
    void costPerRequestIsAlwaysShownInReadableUnits() {
        SyntheticService service = new SyntheticService(120, 18);
        List<Observation> baseline = withRequests(service.group("b", service.shares, 3, 5, 2_000, 0.05, 1.5,
                SyntheticService.none()), 4_000_000);
        List<Observation> canary = withRequests(service.group("c", service.shares, 3, 5, 2_000, 0.05, 1.5,
                SyntheticService.none()), 4_000_000);
        Verdict verdict = judge.judge(baseline, canary, config.withMaxDetectableChange(null));

        // 2,000 samples × 10 ms over 4,000,000 requests: 5 µs each, never "0.0 µs".
        assertThat(verdict.dataQuality().types().get(0).notes())
                .anyMatch(n -> n.matches("CPU per request: baseline [45]\\.\\d\\d µs, canary [45]\\.\\d\\d µs .*"));
        assertThat(Summaries.amount(45.0, ProfileType.CPU)).isEqualTo("45 ns");
        assertThat(Summaries.amount(1_234.0, ProfileType.CPU)).isEqualTo("1.23 µs");
        assertThat(Summaries.amount(3_072.0, ProfileType.ALLOC_BYTES)).isEqualTo("3.00 KiB");
        assertThat(Summaries.amount(0.25, ProfileType.ALLOC_OBJECTS)).isEqualTo("0.250");
    }

    @Test
    void passThatCouldNotSeeAMaterialChangeIsInconclusive() {
        SyntheticService service = new SyntheticService(120, 19);
        List<Observation> baseline = service.group("b", service.shares, 6, 1, 200, 0.05, 1.5, SyntheticService.none());
        List<Observation> canary = service.group("c", service.shares, 6, 1, 200, 0.05, 1.5, SyntheticService.none());
        Verdict verdict = judge.judge(baseline, canary, config);

        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.INCONCLUSIVE);
        assertThat(verdict.summary()).contains("could only detect a change of")
                // the type as the rest of the summary names it ("5 % of CPU"), not its id ("5 % of cpu")
                .contains("in a function at 5 % of CPU (required: 75 %)");
        assertThat(verdict.dataQuality().types().get(0).notes())
                .anyMatch(n -> n.contains("in a function at 5 % of CPU (maxDetectableChange: 75 %)"));
        // six pods of 200 samples a side: sampling, not the pods, limits what they show, and the summary says how many
        // samples would do (it said only "collect more samples per pod")
        assertThat(verdict.summary()).matches(".*; collect about [0-9.]+× the samples per pod \\(now 2\\d\\d a baseline pod,"
                + " 2\\d\\d a canary pod\\): a longer window or a higher sampling rate\\.");
        double scale = Double.parseDouble(verdict.summary().replaceAll(".*collect about ([0-9.]+)× .*", "$1"));
        Verdict configured = judge.judge(baseline, canary, config.withMaxDetectableChange(null));
        assertThat(configured.result()).isEqualTo(Result.PASS);

        // The same service with that many samples per pod can show +75 %; with two thirds of them it could not.
        for (double factor : new double[] {1.1, 0.67}) {
            int samples = (int) Math.round(200 * scale * factor);
            Verdict more = judge.judge(service.group("b", service.shares, 6, 1, samples, 0.05, 1.5, SyntheticService.none()),
                    service.group("c", service.shares, 6, 1, samples, 0.05, 1.5, SyntheticService.none()), config);
            double mdc = more.dataQuality().types().get(0).minimumDetectableChange5pct();
            assertThat(mdc).as("%d samples a pod (%.2f of the advice)", samples, factor).is(new org.assertj.core.api.Condition<>(
                    m -> factor > 1 ? m <= 0.75 : m > 0.75, factor > 1 ? "at most 75 %" : "above 75 %"));
        }
    }

    @Test
    void onePodASideWithoutHistoryIsToldToAddPodsOrHistoryNotSlices() {
        // One JVM a side: every function's noise rests on the prior; more slices or samples would not teach it.
        SyntheticService service = new SyntheticService(120, 19);
        Verdict verdict = judge.judge(service.group("b", service.shares, 1, 8, 20_000, 0.05, 1.5, SyntheticService.none()),
                service.group("c", service.shares, 1, 8, 20_000, 0.05, 1.5, SyntheticService.none()), config);

        assertThat(verdict.summary()).startsWith("INCONCLUSIVE: ").contains("these data could not detect any rise")
                .endsWith("; collect more pods per side, or give earlier windows or other pods of the baseline version as history.");
    }

    /** Unknown sample counts are named by the input that lacks them: a pprof alloc profile is not collapsed input. */
    @Test
    void unknownSampleCountsAreNamedByTheInputKindThatLacksThem() {
        JudgeConfig allocOnly = config.withJudgedTypes(java.util.EnumSet.of(ProfileType.ALLOC_BYTES))
                .withMaxDetectableChange(null);

        List<String> pprof = judge.judge(allocations("b", ProfileFormat.PPROF), allocations("c", ProfileFormat.PPROF),
                allocOnly).dataQuality().types().get(0).notes();
        List<String> collapsed = judge.judge(allocations("b", ProfileFormat.COLLAPSED),
                allocations("c", ProfileFormat.COLLAPSED), allocOnly).dataQuality().types().get(0).notes();

        assertThat(pprof).anyMatch(n -> n.startsWith("sample counts unknown (pprof profiles without a sample or count "
                + "column for alloc_bytes)")).noneMatch(n -> n.contains("collapsed"));
        assertThat(collapsed).anyMatch(n -> n.startsWith("sample counts unknown (collapsed input without a sample value"));
    }

    /** Three pods of three slices of allocated bytes in 20 functions, with no sample count (as Go's alloc_space alone). */
    private static List<Observation> allocations(String group, ProfileFormat format) {
        java.util.Random random = new java.util.Random(group.hashCode());
        List<Observation> observations = new ArrayList<>();
        for (int pod = 0; pod < 3; pod++) {
            for (int slice = 0; slice < 3; slice++) {
                ProfileBuilder builder = new ProfileBuilder(group + "-" + pod + "-" + slice, format,
                        List.of(SampleType.of(ProfileType.ALLOC_BYTES)), 64);
                try {
                    int root = builder.function("java.lang.Thread.run");
                    for (int f = 0; f < 20; f++) {
                        int[] frames = {builder.function("com.shop.Alloc.site" + f), root};
                        builder.add(builder.stack(frames, 2, 0), 0,
                                Math.round((f + 1) * 1_000_000 * (1 + 0.05 * random.nextGaussian())));
                    }
                } catch (io.canaryjudge.profile.InvalidProfileException e) {
                    throw new IllegalStateException(e);
                }
                observations.add(new Observation(group + "-pod-" + pod, builder.build()));
            }
        }
        return observations;
    }

    private static List<Observation> withRequests(List<Observation> observations, long requests) {
        return observations.stream().map(o -> new Observation(o.instance(), withInterval(o.profile()), requests)).toList();
    }

    /** The synthetic profiles carry no duration; per-request costs need one (rates are compared). */
    private static Profile withInterval(Profile profile) {
        return copy(profile, profile.source(), 1_795_000_000_000_000_000L);
    }

    /** The profile's first column under another source, as a 10 s slice from {@code startEpochNanos}. */
    private static Profile copy(Profile profile, String source, long startEpochNanos) {
        ProfileBuilder builder = new ProfileBuilder(source, profile.format(), profile.sampleTypes(), 64);
        try {
            for (int s = 0; s < profile.stackCount(); s++) {
                int depth = profile.stackDepth(s);
                int[] frames = new int[depth];
                for (int d = 0; d < depth; d++) {
                    frames[d] = builder.function(profile.functionName(profile.stackFunction(s, d)));
                }
                builder.add(builder.stack(frames, depth, 0), 0, profile.value(s, 0));
            }
        } catch (io.canaryjudge.profile.InvalidProfileException e) {
            throw new IllegalStateException(e);
        }
        builder.addSampleCount(0, profile.sampleCount(0));
        builder.interval(startEpochNanos, 10_000_000_000L);
        return builder.build();
    }
}
