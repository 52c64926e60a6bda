package io.canaryjudge.judge;

import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.Measure;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns tests with q-values into findings: classifies them (credible and material, new or vanished),
 * attaches the hottest call path, recognises JVM-internal work, and orders them so the culprit comes
 * first — a function whose inclusive rise is explained by a callee's rise yields to that callee.
 */
final class FindingBuilder {
    /** A callee that carries at least this fraction of an ancestor's rise explains it. */
    private static final double EXPLAINS = 0.8;
    private static final int MAX_FINDINGS = 60;

    private FindingBuilder() {
    }

    /**
     * The findings, and the tests a rule explained as background work or that cannot fail the canary by their
     * frame class while their q-value passed ({@code explained}): the false-discovery family is recomputed
     * without them ({@link Judge}), so that an artefact's discovery does not lower the bar for other functions.
     * {@code untold}: new frames read as wrappers that could as well be added calls costing a new hot path's worth,
     * each said as its two readings ({@link MovedTimeCheck}).
     */
    record Built(List<Finding> findings, Set<FunctionTest> explained,
                 Map<ProfileType, Map<String, Double>> undecidedNewWork, List<String> untold) {
    }

    static Built build(List<FunctionTest> tests, double[] q, Map<ProfileType, TypeContext> contexts,
                       JudgeConfig config) {
        List<FindingDraft> drafts = new ArrayList<>();
        for (int i = 0; i < tests.size(); i++) {
            FunctionTest test = tests.get(i);
            FindingKind kind = classify(test, q[i]);
            if (kind != null) {
                drafts.add(new FindingDraft(test, q[i], kind));
            }
        }
        attachCallPaths(drafts, contexts);
        for (FindingDraft d : drafts) {
            boolean total = d.test.function().equals(Judge.TOTAL);
            d.frameClass = total ? FrameClass.APPLICATION : config.frames().classify(d.test.function());
            d.jvmInternal = !total && (d.frameClass.reportedApart() || d.path.onJvmThread());
            d.failing = Judge.failingKinds().contains(d.kind) && d.increase()
                    && config.failOnTypes().contains(d.test.type())
                    && (!d.jvmInternal || config.failOnJvmInternal())
                    && d.frameClass != FrameClass.PROFILER; // the profiler's own work is a setting, never code
        }
        drafts = dropInclusiveDuplicates(drafts);
        MovedTimeCheck.apply(drafts, contexts, new MovedTimeCheck.FamilyBar(tests, q, config));
        Map<ProfileType, Map<String, Double>> undecided = config.newPathConsistency().apply(drafts, contexts,
                config.frames());
        JvmWorkCheck.apply(drafts, contexts, config);
        checkTrafficShift(drafts, contexts);
        RequestMixCheck.apply(drafts, contexts, config.frames());
        checkSampler(drafts, contexts, config);
        markExplainedAncestors(drafts, config);
        withholdAncestorsOfBursts(drafts);

        drafts.sort(Comparator.comparingInt(FindingBuilder::rank)
                .thenComparing(Comparator.comparingDouble(FindingDraft::severity).reversed())
                .thenComparing(d -> d.test.function()));
        List<Finding> findings = new ArrayList<>();
        for (FindingDraft d : drafts) {
            if (findings.size() >= MAX_FINDINGS && !d.failing) {
                break;
            }
            findings.add(toFinding(d, contexts.get(d.test.type())));
        }
        Set<FunctionTest> explained = Collections.newSetFromMap(new IdentityHashMap<>());
        for (FindingDraft d : drafts) {
            boolean background = d.inconsistentNewPath || d.backgroundAncestor;
            boolean apart = !d.failing && d.jvmInternal && !config.failOnJvmInternal();
            if (background || apart) {
                explained.add(d.test);
            }
        }
        Set<String> untold = new LinkedHashSet<>();
        for (FindingDraft d : drafts) {
            if (!d.failing && d.untold != null) {
                untold.add(d.untold);
            }
        }
        return new Built(findings, explained, undecided, List.copyOf(untold));
    }

    /**
     * Order: failing culprits in application code, failing culprits in the JDK or libraries,
     * failing explained ancestors, other rises, then falls.
     */
    private static int rank(FindingDraft d) {
        if (d.failing) {
            if (d.explainedBy != null || d.test.function().equals(Judge.TOTAL)) {
                return 2; // the total and explained functions come after the functions that carry the change
            }
            return d.frameClass.application() ? 0 : 1; // JDK and library code: where a change lands, not where it is made
        }
        return d.increase() ? 3 : 4;
    }

    /**
     * Fixed costs (timers, background threads, pools) do not scale with requests. When canary pods
     * serve a much lower request rate than baseline pods (recorded here: 18 %), a fixed cost takes a
     * much larger share of a smaller total although its cost per second did not change. So under such
     * a traffic shift a rise does not FAIL when the function's cost per second (its share × the
     * group's total per second) stayed closer to the baseline's than per-request work would have
     * moved it (the midpoint between unchanged and the rate ratio ρ, on a log scale).
     * New hot paths still FAIL: new code is not a traffic effect.
     */
    private static void checkTrafficShift(List<FindingDraft> drafts, Map<ProfileType, TypeContext> contexts) {
        for (FindingDraft d : drafts) {
            if (!d.failing || d.kind != FindingKind.REGRESSION || d.test.measure().perRequest()) {
                continue;
            }
            TypeContext context = contexts.get(d.test.type());
            double rho = context.loadRatio;
            double tau = context.totalPerSecondRatio;
            if (!context.trafficShifted || !(tau > 0)) {
                continue;
            }
            String load = context.loadFromCpu
                    ? String.format(Locale.ROOT, "canary pods used %.0f %% of the baseline pods' CPU per "
                    + "second (no request counts: a lighter load)", rho * 100)
                    : String.format(Locale.ROOT, "canary pods served %.0f %% of the baseline pods' request "
                    + "rate", rho * 100);
            if (severeShift(context)) {
                // At a lighter load fixed-rate allocation keeps its bytes per second and per-request allocation
                // loses them, so no load effect makes a function allocate several times more per second. A canary
                // slowed by its own change serves fewer requests when saturated (recorded, qa42: an allocation-only
                // canary at 24-33 % of the rate, `Journal.serialize` 3.4 % -> 46 % of allocated bytes) and must
                // still fail. Allocation only: CPU at a lighter load is not bounded so (code the JIT compiles later
                // runs slower: recorded, qa42, `Audit.digest`'s SHA-256 +99 % of CPU in new-path canaries at 40 % of
                // the rate), nor is wall time (idle threads wait longer) or lock time. Application frames only: the
                // JDK's own allocation can rise per second at a lighter load (a queue's wait nodes, allocated when a
                // worker finds it empty, qa43), and the bound below leaves out the uncertainty of the per-second ratio.
                double lowestPerSecond = d.test.baseline() > 0
                        ? (d.test.baseline() + d.test.ciLow()) / d.test.baseline() * tau : Double.NaN;
                boolean allocation = d.test.type() == ProfileType.ALLOC_BYTES
                        || d.test.type() == ProfileType.ALLOC_OBJECTS;
                if (allocation && d.frameClass.application() && rho < 1
                        && lowestPerSecond >= LIGHTER_LOAD_PER_SECOND_RISE) {
                    d.caveat = String.format(Locale.ROOT, "Counted although the %s: its allocation per second rose at "
                            + "least %.1f-fold (its share's 95 %% interval), which a lighter load does not do in the "
                            + "application's own code (fixed-rate allocation "
                            + "keeps its bytes per second, per-request allocation loses them).", load, lowestPerSecond);
                    continue;
                }
                d.failing = false;
                d.caveat = "Not counted as a regression: " + load + ", and at loads that far apart shares move "
                        + "without any code change (recorded here at 18 % of the rate: fixed costs +229 %, a cache-bound "
                        + "function +43 %, request-path functions −17 to −39 %). Judge the canary at a comparable "
                        + "load" + (context.loadFromCpu ? ", or give request counts." : ".");
                continue;
            }
            if (d.test.baseline() <= 0) {
                // A frame no baseline pod showed, under the new-hot-path share (a new hot path is no REGRESSION and
                // still FAILs): at another rate the JIT compiles and inlines differently, so existing code shows frames
                // of its own (qa27: `LongAdder.add` under the request loop in every canary at 50-67 % of the rate, 2-10
                // samples, never in the baseline pods; an A/A canary at 67 % FAILed on it, with request counts).
                d.failing = false;
                d.caveat = "Not counted as a regression: " + load + ", absent from the baseline and under the "
                        + "new-hot-path share here; at another rate the JIT compiles and inlines differently, so existing "
                        + "code shows frames of its own.";
                continue;
            }
            double perSecondRatio = d.test.canary() / d.test.baseline() * tau;
            double band = Math.abs(Math.log((1 + rho) / 2));
            if (Math.abs(Math.log(perSecondRatio)) <= band) {
                d.failing = false;
                d.caveat = String.format(Locale.ROOT, "Not counted as a regression: %s and this "
                        + "function's cost per second changed by %+.0f %%, as a fixed cost (timer, background thread) "
                        + "does, not as per-request work would.", load, (perSecondRatio - 1) * 100);
            }
        }
    }

    /**
     * Canary pods serving under half (or over twice) the baseline pods' request rate, or, without request counts, using
     * under {@link TypeContext#TRAFFIC_SHIFT} of their CPU per second ({@link TypeContext#inferLoadFromCpu}): then no
     * share rise can be told from a load effect — cold caches, fixed costs spread over fewer requests (recorded
     * {@code low-rate} scenario, 18 %), code the JIT compiles later at a low rate — and rises are reported, not failed;
     * the verdict is INCONCLUSIVE when such a rise is all there is ({@link Judge}).
     */
    static boolean severeShift(TypeContext context) {
        double rho = context.loadRatio;
        // Without request counts the CPU ratio only bounds the load ratio from above (fixed costs do not fall with the
        // load, and a regression raises the CPU used): a canary at 58 % of the baseline's CPU per second had served 20 %
        // of its requests (qa27), where shares move as far as at any severe shift. So every such shift counts as severe.
        return context.trafficShifted
                && (context.loadFromCpu || rho < SEVERE_TRAFFIC_SHIFT || rho > 1 / SEVERE_TRAFFIC_SHIFT);
    }

    /**
     * CPU profiles taken by different kinds of sampler ({@link TypeContext#otherSampler}) give the same code other shares
     * function by function: the JDK's {@code jdk.ExecutionSample} walks only threads running Java code, a few per period,
     * async-profiler every thread its signal lands on, native and JVM frames included. Recorded (qa39): one build's
     * {@code Catalog.search} 92 % of CPU under async-profiler's itimer, 69 % under the JDK's sampler, and its
     * {@code Pricing.quote} "+548 % (4.4 % → 28.4 %)" FAILed. No CPU rise fails then; it is reported, and the verdict is
     * INCONCLUSIVE when such a rise is all there is ({@link Judge}). Other types (allocations) still decide.
     */
    private static void checkSampler(List<FindingDraft> drafts, Map<ProfileType, TypeContext> contexts,
                                     JudgeConfig config) {
        contexts.values().forEach(c -> c.samplerKeptRise = false); // build() runs twice: the last pass decides
        for (FindingDraft d : drafts) {
            TypeContext context = contexts.get(d.test.type());
            if (context == null || context.otherSampler == null) {
                continue;
            }
            // A credible rise another rule already kept from failing (a function the baseline's JVM inlined) is still
            // one the sampler may have made: the verdict says so.
            // Only rises that could have failed: CPU reported only (not in failOnTypes) or JVM-internal work decides nothing.
            boolean couldFail = config.failOnTypes().contains(d.test.type())
                    && (!d.jvmInternal || config.failOnJvmInternal()) && d.frameClass != FrameClass.PROFILER;
            context.samplerKeptRise |= couldFail && (d.kind == FindingKind.REGRESSION && d.increase() || d.failing);
            if (!d.failing) {
                continue;
            }
            d.failing = false;
            d.caveat = "Not counted as a regression: the groups' CPU profiles were taken by different samplers ("
                    + context.otherSampler + "), which give the same code other shares function by function; judge the "
                    + "canary against baseline pods recorded with the same profiler.";
        }
    }

    /** See {@link #severeShift}. */
    static final double SEVERE_TRAFFIC_SHIFT = 0.5;

    /**
     * A canary at a lighter load whose function's allocation per second (its share times the total's per-second ratio) is
     * at least this many times the baseline's, at the lower end of the 95 % interval, keeps failing under a severe
     * shift ({@link #checkTrafficShift}): twice, where a fixed cost stays near 1 and per-request work falls with the
     * load.
     */
    static final double LIGHTER_LOAD_PER_SECOND_RISE = 2.0;

    static String relative(double[] means) {
        if (means[0] <= 0) {
            return "from nothing";
        }
        return String.format(Locale.ROOT, "%+.0f %%", (means[1] / means[0] - 1) * 100);
    }

    private static FindingKind classify(FunctionTest test, double q) {
        if (Double.isNaN(q)) {
            return null;
        }
        Thresholds th = test.thresholds();
        if (q > th.maxQValue()) {
            return null;
        }
        double rel = test.relativeChange();
        if (test.measure() == Measure.TOTAL_PER_REQUEST) {
            return Math.abs(rel) >= th.minRelativeChange() ? FindingKind.COST_PER_REQUEST : null;
        }
        double b = test.baselineShare();
        double c = test.canaryShare();
        if (b < th.negligibleShare() && c >= th.newHotPathShare()) {
            return FindingKind.NEW_HOT_PATH;
        }
        if (c < th.negligibleShare() && b >= th.newHotPathShare()) {
            return FindingKind.VANISHED;
        }
        boolean material = test.absoluteShareChange() >= th.minAbsoluteChange()
                && (Double.isNaN(rel) || Math.abs(rel) >= th.minRelativeChange());
        if (!material) {
            return null;
        }
        return test.difference() > 0 ? FindingKind.REGRESSION : FindingKind.IMPROVEMENT;
    }

    private static void attachCallPaths(List<FindingDraft> drafts, Map<ProfileType, TypeContext> contexts) {
        Map<ProfileType, List<FindingDraft>> byType = new EnumMap<>(ProfileType.class);
        for (FindingDraft d : drafts) {
            if (!d.test.function().equals(Judge.TOTAL)) {
                byType.computeIfAbsent(d.test.type(), t -> new ArrayList<>()).add(d);
            }
        }
        for (Map.Entry<ProfileType, List<FindingDraft>> entry : byType.entrySet()) {
            TypeContext context = contexts.get(entry.getKey());
            List<FindingDraft> typeFindingDrafts = new ArrayList<>(entry.getValue());
            typeFindingDrafts.sort(Comparator.comparingDouble(FindingDraft::severity).reversed());
            // The most severe findings get their paths for the report; every rise that can fail gets one too, as the
            // checks that decide whether it fails (renamed or moved code at its call site, a rise that reaches up the
            // stack) read its path. Without it, a small new path among many changes (JDK 25's
            // ArraysSupport.hashCodeOfUnsigned, 0.5 % of CPU, beside hundreds of a JDK upgrade's findings) FAILed as
            // new code although its caller's own cost had fallen by as much.
            int top = Math.min(typeFindingDrafts.size(), Judge.callPathsPerType());
            List<FindingDraft> withPaths = new ArrayList<>(typeFindingDrafts.subList(0, top));
            for (FindingDraft d : typeFindingDrafts.subList(top, typeFindingDrafts.size())) {
                if (Judge.failingKinds().contains(d.kind) && d.increase()) {
                    withPaths.add(d);
                }
            }
            typeFindingDrafts = withPaths;
            for (int group = 0; group < 2; group++) {
                // Vanished functions only have paths in the baseline; everything else is shown as the canary runs it.
                int g = group;
                List<FindingDraft> forGroup = typeFindingDrafts.stream()
                        .filter(d -> (d.kind == FindingKind.VANISHED) == (g == 0)).toList();
                if (forGroup.isEmpty()) {
                    continue;
                }
                // Self and inclusive findings of one function share one path.
                List<String> functions = forGroup.stream().map(d -> d.test.function()).distinct().toList();
                int[] targets = functions.stream().mapToInt(context.functionIds::get).toArray();
                List<CallPaths.Path> paths = CallPaths.hottest(context.group(g), context.functionNames, targets);
                for (FindingDraft d : forGroup) {
                    d.path = paths.get(functions.indexOf(d.test.function()));
                }
            }
        }
    }

    /** When self and inclusive of one function both change and self carries the change, keep self only. */
    private static List<FindingDraft> dropInclusiveDuplicates(List<FindingDraft> drafts) {
        Map<String, FindingDraft> self = new HashMap<>();
        for (FindingDraft d : drafts) {
            if (d.test.measure().self()) {
                self.put(d.test.type() + " " + d.test.function(), d);
            }
        }
        List<FindingDraft> kept = new ArrayList<>();
        for (FindingDraft d : drafts) {
            boolean inclusive = d.test.measure() == Measure.INCLUSIVE || d.test.measure() == Measure.INCLUSIVE_PER_REQUEST;
            FindingDraft s = inclusive ? self.get(d.test.type() + " " + d.test.function()) : null;
            if (s != null && s.increase() == d.increase() && s.severity() >= EXPLAINS * d.severity()) {
                continue;
            }
            kept.add(d);
        }
        return kept;
    }

    /**
     * A rise of a function that is an ancestor of another rising finding carrying most of it is
     * explained by that callee: it is ordered after it, and when the callee is JVM-internal work
     * the ancestor's rise is JVM-internal too (a thread root whose JIT compiler thread got busier).
     */
    private static void markExplainedAncestors(List<FindingDraft> drafts, JudgeConfig config) {
        for (FindingDraft ancestor : drafts) {
            if (!ancestor.increase()) {
                continue;
            }
            FindingDraft best = null;
            for (FindingDraft callee : drafts) {
                if (callee == ancestor || !callee.increase() || callee.test.type() != ancestor.test.type()
                        || callee.test.function().equals(ancestor.test.function())
                        || callee.test.function().equals(Judge.TOTAL)) {
                    continue;
                }
                List<String> path = callee.path.frames();
                int position = path.indexOf(ancestor.test.function());
                boolean isAncestor = ancestor.test.function().equals(Judge.TOTAL)
                        || (position >= 0 && position < path.size() - 1);
                // An application function is where a change is made; a JDK callee carrying its rise
                // is where the cost lands: the application frame stays first.
                // Inside the JDK the entry point the application called (Pattern.compile) names the
                // change better than the internals it runs (Pattern.<init>): the ancestor stays first.
                boolean appOverPlatform = !callee.jvmInternal && !callee.frameClass.application();
                if (isAncestor && !appOverPlatform && callee.severity() >= EXPLAINS * ancestor.ownSeverity()
                        && (best == null || callee.severity() > best.severity())) {
                    best = callee;
                }
            }
            if (best != null && best.dearerCallee != null) {
                // A costless wrapper of a callee that itself got dearer carries the rise in its stacks, but the change is
                // the callee's: the verdict and the incidents name it (qa71), so the ancestor's row does too — "part of
                // the same change as `…Router.traced`" beside a FAIL named `…recommend` (qa80).
                String dearer = best.dearerCallee;
                FindingDraft named = null;
                for (FindingDraft callee : drafts) {
                    if (callee != ancestor && callee.increase() && callee.test.type() == ancestor.test.type()
                            && callee.test.function().equals(dearer)
                            && (named == null || callee.severity() > named.severity())) {
                        named = callee;
                    }
                }
                best = named != null ? named : best;
            }
            ancestor.explainedBy = best;
            // Not when the ancestor's own stacks carry its rise (JvmWorkCheck measured them): the JVM work below is
            // work it asked for (an exception's stack walk under the method that throws it, qa36), not a busier JVM.
            // Nor in a native allocation profile, where the JVM's and the C library's frames below are the allocation.
            boolean codeCarries = ancestor.applicationSeverity
                    >= JvmWorkCheck.APPLICATION_CARRIES * ancestor.severity() || ancestor.test.type().nativeAllocation();
            if (best != null && best.jvmInternal && !codeCarries && !ancestor.test.function().equals(Judge.TOTAL)) {
                ancestor.jvmInternal = true;
                ancestor.failing = ancestor.failing && config.failOnJvmInternal() && best.frameClass != FrameClass.PROFILER;
            }
        }
        // A JDK/library callee whose rise is carried up to a failing ancestor is listed after it.
        for (FindingDraft callee : drafts) {
            if (!callee.failing || callee.jvmInternal || callee.frameClass.application() || callee.explainedBy != null) {
                continue;
            }
            for (FindingDraft ancestor : drafts) {
                if (ancestor == callee || !ancestor.failing || ancestor.explainedBy != null
                        || ancestor.test.type() != callee.test.type()
                        || ancestor.test.function().equals(callee.test.function())
                        || ancestor.test.function().equals(Judge.TOTAL)) {
                    continue;
                }
                List<String> path = callee.path.frames();
                int position = path.indexOf(ancestor.test.function());
                if (position >= 0 && position < path.size() - 1 && callee.severity() >= EXPLAINS * ancestor.severity()) {
                    callee.explainedBy = ancestor;
                    break;
                }
            }
        }
    }

    /**
     * A rise carried by a new path that was withheld as one JVM's background work ({@link NewPathConsistency})
     * is that work too: the thread root or caller it runs under (java.lang.Thread.run inclusive) does not FAIL.
     */
    private static void withholdAncestorsOfBursts(List<FindingDraft> drafts) {
        for (FindingDraft d : drafts) {
            FindingDraft callee = d.explainedBy;
            for (int hops = 0; callee != null && hops < drafts.size(); hops++) {
                if (callee.inconsistentNewPath) {
                    d.backgroundAncestor = true;
                    if (d.failing) {
                        d.failing = false;
                        d.caveat = "Not counted as a regression: its rise is carried by `" + callee.test.function()
                                + "`, a new path withheld as background work (" + callee.caveat.replaceFirst(
                                        "^Not counted as [^:]*: ", "").replaceFirst(" — .*", "") + ").";
                    }
                    break;
                }
                callee = callee.explainedBy;
            }
        }
    }

    /**
     * The hottest functions of each type by canary self share, with their self comparison: the
     * finding when there is one, else an UNCHANGED row with its numbers (benchstat's "~").
     */
    static List<Finding> hottest(List<FunctionTest> tests, double[] q, List<Finding> findings, int perType,
                                 FrameClassifier frames) {
        Map<String, Finding> found = new HashMap<>();
        for (Finding f : findings) {
            found.putIfAbsent(f.profileType() + " " + f.measure() + " " + f.function(), f);
        }
        Map<ProfileType, List<Integer>> byType = new EnumMap<>(ProfileType.class);
        for (int i = 0; i < tests.size(); i++) {
            if (tests.get(i).measure() == Measure.SELF) {
                byType.computeIfAbsent(tests.get(i).type(), t -> new ArrayList<>()).add(i);
            }
        }
        List<Finding> rows = new ArrayList<>();
        for (List<Integer> indexes : byType.values()) {
            indexes.sort(Comparator.comparingDouble((Integer i) -> tests.get(i).canary()).reversed());
            for (int i : indexes.subList(0, Math.min(perType, indexes.size()))) {
                FunctionTest t = tests.get(i);
                Finding existing = found.get(t.type() + " " + t.measure() + " " + t.function());
                if (existing != null) {
                    rows.add(existing);
                    continue;
                }
                rows.add(new Finding(t.type(), t.function(), FindingKind.UNCHANGED, t.measure(),
                        finite(t.baseline()), finite(t.canary()), finite(t.relativeChange()), finite(t.difference()),
                        finite(t.pValue()), finite(q[i]), finite(t.ciLow()), finite(t.ciHigh()), false,
                        frames.classify(t.function()).reportedApart(), List.of(),
                        "No credible, material change (" + String.format(Locale.ROOT, "q = %.3g", q[i]) + ")."));
            }
        }
        return rows;
    }

    private static Finding toFinding(FindingDraft d, TypeContext context) {
        FunctionTest t = d.test;
        double rel = t.relativeChange();
        // Per-request amounts are in the inputs' unit (samples for collapsed cpu); shares have none.
        String unit = t.measure().perRequest() && context != null ? context.unit : null;
        // A costless wrapper's dearer callee with no row of its own (markExplainedAncestors found none) is named, but
        // "(listed first)" would point at a row that is not there (qa80b).
        boolean unlisted = d.explainedBy != null && d.explainedBy.dearerCallee != null
                && !d.explainedBy.test.function().equals(d.explainedBy.dearerCallee);
        String explanation = Summaries.explain(t, d.kind, d.q, d.failing, d.jvmInternal, d.path.frames(),
                d.explainedBy == null ? null : d.explainedBy.dearerCallee != null ? d.explainedBy.dearerCallee
                        : d.explainedBy.test.function(), !unlisted, d.caveat, d.frameClass, unit,
                context == null ? null : context.analysis.rawGroupShares(t.function(), t.measure()));
        // The bound is 3φ/N in samples: without sample counts (pprof live or allocation bytes with no count column)
        // N is bytes, and "bounds its baseline share below 0.00000011 %" claimed a precision no count supports.
        if (t.neverInBaseline() && d.increase() && (context == null || context.samplesKnown)) {
            explanation += String.format(Locale.ROOT, " It ran in no baseline observation: sampling alone "
                    + "bounds its baseline share below %s (95 %%).", Summaries.share(t.baselineBound()));
        }
        return new Finding(t.type(), t.function(), d.kind, t.measure(),
                finite(t.baseline()), finite(t.canary()), finite(rel), finite(t.difference()),
                finite(t.pValue()), finite(d.q), finite(t.ciLow()), finite(t.ciHigh()),
                d.failing, d.jvmInternal, d.path.frames(), explanation, false, unit);
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
