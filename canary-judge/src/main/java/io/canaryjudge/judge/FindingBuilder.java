package io.canaryjudge.judge;

import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.Measure;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    private static final class Draft {
        final FunctionTest test;
        final double q;
        final FindingKind kind;
        CallPaths.Path path = new CallPaths.Path(List.of(), false);
        boolean jvmInternal;
        /** Whose code the function is (FrameClassifier); APPLICATION for the total. */
        FrameClass frameClass = FrameClass.APPLICATION;
        boolean failing;
        Draft explainedBy;
        String caveat;

        Draft(FunctionTest test, double q, FindingKind kind) {
            this.test = test;
            this.q = q;
            this.kind = kind;
        }

        double severity() {
            return test.absoluteShareChange();
        }

        boolean increase() {
            return test.difference() > 0;
        }
    }

    static List<Finding> build(List<FunctionTest> tests, double[] q, Map<ProfileType, Judge.TypeContext> contexts,
                               JudgeConfig config) {
        List<Draft> drafts = new ArrayList<>();
        for (int i = 0; i < tests.size(); i++) {
            FunctionTest test = tests.get(i);
            FindingKind kind = classify(test, q[i]);
            if (kind != null) {
                drafts.add(new Draft(test, q[i], kind));
            }
        }
        attachCallPaths(drafts, contexts);
        for (Draft d : drafts) {
            boolean total = d.test.function().equals(Judge.TOTAL);
            d.frameClass = total ? FrameClass.APPLICATION : config.frames().classify(d.test.function());
            d.jvmInternal = !total && (d.frameClass.reportedApart() || d.path.onJvmThread());
            d.failing = Judge.failingKinds().contains(d.kind) && d.increase()
                    && config.failOnTypes().contains(d.test.type())
                    && (!d.jvmInternal || config.failOnJvmInternal())
                    && d.frameClass != FrameClass.PROFILER; // the profiler's own work is a setting, never code
        }
        drafts = dropInclusiveDuplicates(drafts);
        checkTheRiseReachesTheCaller(drafts, contexts);
        checkTrafficShift(drafts, contexts);
        markExplainedAncestors(drafts, config);

        drafts.sort(Comparator.comparingInt(FindingBuilder::rank)
                .thenComparing(Comparator.comparingDouble(Draft::severity).reversed())
                .thenComparing(d -> d.test.function()));
        List<Finding> findings = new ArrayList<>();
        for (Draft d : drafts) {
            if (findings.size() >= MAX_FINDINGS && !d.failing) {
                break;
            }
            findings.add(toFinding(d));
        }
        return findings;
    }

    /**
     * Order: failing culprits in application code, failing culprits in the JDK or libraries,
     * failing explained ancestors, other rises, then falls.
     */
    private static int rank(Draft d) {
        if (d.failing) {
            if (d.explainedBy != null || d.test.function().equals(Judge.TOTAL)) {
                return 2; // the total and explained functions come after the functions that carry the change
            }
            return d.frameClass.application() ? 0 : 1; // JDK and library code: where a change lands, not where it is made
        }
        return d.increase() ? 3 : 4;
    }

    /**
     * A cost that only moved between functions did not grow: when a JVM inlines or compiles code
     * differently, self time shifts between a function and its callees, or a callee appears as its
     * own frame, while the caller's inclusive cost stays put (seen in the recorded A/A: one JDK
     * function's self share doubled in every canary JVM while its inclusive share fell). So a rise
     * FAILs only if it reaches up the stack: a self rise must show in the function's inclusive value,
     * and any rise in its caller's inclusive value (the caller on the hottest path), each by at
     * least {@value #REACHES} of it — unless that caller is too noisy to tell (the check needs the
     * caller's rise to fall short by more than two standard errors of the noise model). With few
     * pods a caller's inclusive cost (a whole subtree) is often too noisy, so the two sides of the
     * move are checked directly as well: a rise whose caller's own cost fell by as much
     * ({@link #fellBy}), or, for a self rise, whose direct callee's cost did, moved rather than grew.
     * And a function that was all but absent from the baseline — as an inlined frame is — FAILs only
     * if its caller's inclusive cost rose credibly with it ({@link #absentFromBaseline}, {@link #roseCredibly}).
     */
    private static void checkTheRiseReachesTheCaller(List<Draft> drafts, Map<ProfileType, Judge.TypeContext> contexts) {
        Map<ProfileType, Map<Integer, BitSet>> callees = directCalleesOfFailingSelfRises(drafts, contexts);
        for (Draft d : drafts) {
            if (!d.failing || d.test.function().equals(Judge.TOTAL)) {
                continue;
            }
            Judge.TypeContext context = contexts.get(d.test.type());
            if (d.test.measure().self()) {
                int id = context.functionIds.get(d.test.function());
                double[] own = context.analysis.inclusiveGroupMeans(id);
                String callee = calleeItMovedFrom(context, id, callees.get(d.test.type()).get(id), d);
                if (callee != null) {
                    d.failing = false;
                    d.caveat = String.format(java.util.Locale.ROOT, "Not counted as a regression: its callee `%s` "
                            + "got correspondingly cheaper (self %s), so the callee's code ran in this frame — "
                            + "a JVM that inlined it where the others did not — rather than got more expensive.",
                            callee, relative(context.analysis.selfGroupMeans(context.functionIds.get(callee))));
                    continue;
                }
                if (fallsShort(own, d, context)) {
                    d.failing = false;
                    d.caveat = String.format(java.util.Locale.ROOT, "Not counted as a regression: its inclusive cost "
                            + "(with its callees) did not rise with it (%s), so time moved into it from its callees "
                            + "— a JIT inlining or compilation difference between JVMs — rather than grew.",
                            relative(own));
                    continue;
                }
            }
            List<String> path = d.path.frames();
            if (path.size() >= 2 && path.get(path.size() - 1).equals(d.test.function())) {
                String caller = path.get(path.size() - 2);
                Integer callerId = context.functionIds.get(caller);
                if (callerId != null) {
                    double[] callerMeans = context.analysis.inclusiveGroupMeans(callerId);
                    double[] callerSelf = context.analysis.selfGroupMeans(callerId);
                    if (fallsShort(callerMeans, d, context)) {
                        d.failing = false;
                        d.caveat = String.format(java.util.Locale.ROOT, "Not counted as a regression: its caller `%s` "
                                + "did not get more expensive with it (inclusive %s), so the time moved between "
                                + "functions — a JIT inlining or compilation difference between JVMs — rather than grew.",
                                caller, relative(callerMeans));
                    } else if (fellBy(callerSelf, d)) {
                        d.failing = false;
                        d.caveat = String.format(java.util.Locale.ROOT, "Not counted as a regression: its caller `%s` "
                                + "spent correspondingly less in its own code (self %s), so the code ran in this frame "
                                + "instead of the caller's — a JVM that did not inline it where the others did — "
                                + "rather than got more expensive.", caller, relative(callerSelf));
                    } else if (absentFromBaseline(context, d) && !roseCredibly(callerMeans)) {
                        d.failing = false;
                        d.caveat = String.format(java.util.Locale.ROOT, "Not counted as a regression: it was all but "
                                + "absent from the baseline (self %s), as a function is where a JVM inlined it, and "
                                + "its caller `%s`, whose inclusive cost inlining cannot change, did not get credibly "
                                + "more expensive with it (inclusive %s) — so its code may have moved out of the "
                                + "caller's frame rather than got more expensive.",
                                relative(context.analysis.selfGroupMeans(context.functionIds.get(d.test.function()))),
                                caller, relative(callerMeans));
                    }
                }
            }
        }
    }

    /**
     * Whether an inclusive value ({baseline, canary, standard error of the difference}) rose by
     * less than {@value #REACHES} of the finding's rise, by more than two standard errors. Raw
     * shares are compositional: an ancestor holding share A can only rise by Δ·(1 − A)/(1 − p).
     */
    private static boolean fallsShort(double[] inclusive, Draft d, Judge.TypeContext context) {
        double rise = d.test.difference();
        double expected = context.analysis.rawShares()
                ? rise * Math.max(0, 1 - inclusive[0]) / Math.max(1e-9, 1 - d.test.baseline())
                : rise;
        return inclusive[1] - inclusive[0] + 2 * inclusive[2] < REACHES * expected;
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
    private static void checkTrafficShift(List<Draft> drafts, Map<ProfileType, Judge.TypeContext> contexts) {
        for (Draft d : drafts) {
            if (!d.failing || d.kind != FindingKind.REGRESSION || d.test.measure().perRequest() || d.test.baseline() <= 0) {
                continue;
            }
            Judge.TypeContext context = contexts.get(d.test.type());
            double rho = context.requestRateRatio;
            double tau = context.totalPerSecondRatio;
            boolean shifted = rho < Judge.TRAFFIC_SHIFT || rho > 1 / Judge.TRAFFIC_SHIFT;
            if (!shifted || !(tau > 0)) {
                continue;
            }
            double perSecondRatio = d.test.canary() / d.test.baseline() * tau;
            double band = Math.abs(Math.log((1 + rho) / 2));
            if (Math.abs(Math.log(perSecondRatio)) <= band) {
                d.failing = false;
                d.caveat = String.format(java.util.Locale.ROOT, "Not counted as a regression: canary pods served %.0f %% "
                        + "of the baseline pods' request rate and this function's cost per second changed by %+.0f %%, "
                        + "as a fixed cost (timer, background thread) does, not as per-request work would.",
                        rho * 100, (perSecondRatio - 1) * 100);
            }
        }
    }

    /**
     * Whether the finding's function was all but absent from the baseline: its baseline self cost
     * under {@value #INLINED_TRACE} of the canary's. That is what inlining does to a frame — an
     * inlined function keeps only a trace of its self time (recorded A/A: {@code HashMap.hash} at
     * 0.03 % in JVMs that inlined it, 1.9 % in those that did not) — so only such a rise can have
     * come wholly out of its caller's frame, and only for such a rise is the evidence that it did not
     * ({@link #roseCredibly}) asked for.
     */
    private static boolean absentFromBaseline(Judge.TypeContext context, Draft d) {
        double[] self = context.analysis.selfGroupMeans(context.functionIds.get(d.test.function()));
        return self[0] < INLINED_TRACE * self[1];
    }

    /**
     * Whether a value ({baseline, canary, standard error of the difference}) rose by more than
     * {@value #CREDIBLE_STANDARD_ERRORS} standard errors of the noise model. Inlining moves time
     * between a caller's frame and its callees' but leaves the caller's inclusive cost unchanged, so
     * a rise that could be inlining counts only when the caller's inclusive cost rose credibly too:
     * the burden of proof that {@link #fallsShort} puts on the move is put on the rise instead. With
     * one pod per side a large caller's pod noise hides its fall (simulated JIT flips, docs/EVALUATION.md).
     */
    private static boolean roseCredibly(double[] means) {
        return means[1] - means[0] > CREDIBLE_STANDARD_ERRORS * means[2];
    }

    /**
     * Whether a value ({baseline, canary, standard error}) fell by at least {@value #MOVED_FROM_CALLER}
     * of the finding's rise and by more than {@value #MOVED_STANDARD_ERRORS} standard error of the
     * noise model: applied to a caller's own (self) cost, the signature of inlining that differs
     * between JVMs. Inlined, a callee's samples land in its caller's frame; a JVM that did not inline
     * it shows the callee's self time rise and the caller's fall by the same amount while the caller's
     * inclusive cost stays put — which a noisy caller's inclusive value cannot show with few pods, and
     * its self value can. Simulated with 5 % of functions inlined or not by a coin flip per JVM
     * (docs/EVALUATION.md, "JIT flips").
     */
    private static boolean fellBy(double[] means, Draft d) {
        double fall = means[0] - means[1];
        return fall >= MOVED_FROM_CALLER * d.test.difference() && fall > MOVED_STANDARD_ERRORS * means[2];
    }

    /**
     * The direct callee (in any observation's stacks) whose inclusive cost fell by at least
     * {@value #MOVED_FROM_CALLER} of the finding's self rise, beyond noise, or null: the other side of
     * {@link #fellBy} on the caller — a JVM that inlined the callee shows its time in this frame. (This
     * function's own inclusive value, which stays put, says the same, but it aggregates a whole
     * subtree and is too noisy to tell with few pods.)
     */
    private static String calleeItMovedFrom(Judge.TypeContext context, int function, BitSet callees, Draft d) {
        for (int g = callees.nextSetBit(0); g >= 0; g = callees.nextSetBit(g + 1)) {
            if (g != function && (fellBy(context.analysis.selfGroupMeans(g), d)
                    || fellBy(context.analysis.inclusiveGroupMeans(g), d))) {
                return context.functionNames[g];
            }
        }
        return null;
    }

    /**
     * For every function with a failing self rise, its direct callees in any observation's stacks,
     * per profile type: one pass over each type's stacks for all of them together.
     */
    private static Map<ProfileType, Map<Integer, BitSet>> directCalleesOfFailingSelfRises(
            List<Draft> drafts, Map<ProfileType, Judge.TypeContext> contexts) {
        Map<ProfileType, Map<Integer, BitSet>> byType = new EnumMap<>(ProfileType.class);
        for (Draft d : drafts) {
            if (d.failing && d.test.measure().self() && !d.test.function().equals(Judge.TOTAL)) {
                int id = contexts.get(d.test.type()).functionIds.get(d.test.function());
                byType.computeIfAbsent(d.test.type(), t -> new HashMap<>()).putIfAbsent(id, new BitSet());
            }
        }
        for (Map.Entry<ProfileType, Map<Integer, BitSet>> entry : byType.entrySet()) {
            Map<Integer, BitSet> callees = entry.getValue();
            for (TypedObservation o : contexts.get(entry.getKey()).observations) {
                Profile profile = o.profile;
                for (int s = 0, stacks = profile.stackCount(); s < stacks; s++) {
                    for (int depth = profile.stackDepth(s) - 1; depth >= 1; depth--) { // frames leaf first: depth − 1 is the callee
                        BitSet set = callees.get(o.globalIds[profile.stackFunction(s, depth)]);
                        if (set != null) {
                            set.set(o.globalIds[profile.stackFunction(s, depth - 1)]);
                        }
                    }
                }
            }
        }
        return byType;
    }

    /**
     * How many standard errors (of the noise model) the fall must exceed to count as moved code.
     * One, not two: with a single canary pod a large caller's pod noise hides most moves at two
     * (simulated JIT flips, 3 + 1 pods: A/A 3.0 % at two, 2.2 % at one), and a real regression's
     * caller rarely falls by half the rise and one standard error (detection fell ≤ 1.4 points in
     * every cell of the evaluation).
     */
    private static final double MOVED_STANDARD_ERRORS = 1;

    /** Below this fraction of its canary self cost, a function's baseline frame looks inlined (see {@link #absentFromBaseline}). */
    private static final double INLINED_TRACE = 0.1;

    /** Standard errors a caller's inclusive rise must exceed to back a rise that may be inlining ({@link #roseCredibly}). */
    private static final double CREDIBLE_STANDARD_ERRORS = 2;

    /** Share of a self rise that its caller's self must lose for the rise to count as moved code. */
    private static final double MOVED_FROM_CALLER = 0.5;

    /** A rise must reach its caller by at least this fraction to count (multi-caller functions carry less). */
    private static final double REACHES = 0.3;

    private static String relative(double[] means) {
        if (means[0] <= 0) {
            return "from nothing";
        }
        return String.format(java.util.Locale.ROOT, "%+.0f %%", (means[1] / means[0] - 1) * 100);
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

    private static void attachCallPaths(List<Draft> drafts, Map<ProfileType, Judge.TypeContext> contexts) {
        Map<ProfileType, List<Draft>> byType = new EnumMap<>(ProfileType.class);
        for (Draft d : drafts) {
            if (!d.test.function().equals(Judge.TOTAL)) {
                byType.computeIfAbsent(d.test.type(), t -> new ArrayList<>()).add(d);
            }
        }
        for (Map.Entry<ProfileType, List<Draft>> entry : byType.entrySet()) {
            Judge.TypeContext context = contexts.get(entry.getKey());
            List<Draft> typeDrafts = new ArrayList<>(entry.getValue());
            typeDrafts.sort(Comparator.comparingDouble(Draft::severity).reversed());
            typeDrafts = typeDrafts.subList(0, Math.min(typeDrafts.size(), Judge.callPathsPerType()));
            for (int group = 0; group < 2; group++) {
                // Vanished functions only have paths in the baseline; everything else is shown as the canary runs it.
                int g = group;
                List<Draft> forGroup = typeDrafts.stream()
                        .filter(d -> (d.kind == FindingKind.VANISHED) == (g == 0)).toList();
                if (forGroup.isEmpty()) {
                    continue;
                }
                // Self and inclusive findings of one function share one path.
                List<String> functions = forGroup.stream().map(d -> d.test.function()).distinct().toList();
                int[] targets = functions.stream().mapToInt(context.functionIds::get).toArray();
                List<CallPaths.Path> paths = CallPaths.hottest(context.group(g), context.functionNames, targets);
                for (Draft d : forGroup) {
                    d.path = paths.get(functions.indexOf(d.test.function()));
                }
            }
        }
    }

    /** When self and inclusive of one function both change and self carries the change, keep self only. */
    private static List<Draft> dropInclusiveDuplicates(List<Draft> drafts) {
        Map<String, Draft> self = new HashMap<>();
        for (Draft d : drafts) {
            if (d.test.measure().self()) {
                self.put(d.test.type() + " " + d.test.function(), d);
            }
        }
        List<Draft> kept = new ArrayList<>();
        for (Draft d : drafts) {
            boolean inclusive = d.test.measure() == Measure.INCLUSIVE || d.test.measure() == Measure.INCLUSIVE_PER_REQUEST;
            Draft s = inclusive ? self.get(d.test.type() + " " + d.test.function()) : null;
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
    private static void markExplainedAncestors(List<Draft> drafts, JudgeConfig config) {
        for (Draft ancestor : drafts) {
            if (!ancestor.increase()) {
                continue;
            }
            Draft best = null;
            for (Draft callee : drafts) {
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
                if (isAncestor && !appOverPlatform && callee.severity() >= EXPLAINS * ancestor.severity()
                        && (best == null || callee.severity() > best.severity())) {
                    best = callee;
                }
            }
            ancestor.explainedBy = best;
            if (best != null && best.jvmInternal && !ancestor.test.function().equals(Judge.TOTAL)) {
                ancestor.jvmInternal = true;
                ancestor.failing = ancestor.failing && config.failOnJvmInternal() && best.frameClass != FrameClass.PROFILER;
            }
        }
        // A JDK/library callee whose rise is carried up to a failing ancestor is listed after it.
        for (Draft callee : drafts) {
            if (!callee.failing || callee.jvmInternal || callee.frameClass.application() || callee.explainedBy != null) {
                continue;
            }
            for (Draft ancestor : drafts) {
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
                        "No credible, material change (" + String.format(java.util.Locale.ROOT, "q = %.3g", q[i]) + ")."));
            }
        }
        return rows;
    }

    private static Finding toFinding(Draft d) {
        FunctionTest t = d.test;
        double rel = t.relativeChange();
        return new Finding(t.type(), t.function(), d.kind, t.measure(),
                finite(t.baseline()), finite(t.canary()), finite(rel), finite(t.difference()),
                finite(t.pValue()), finite(d.q), finite(t.ciLow()), finite(t.ciHigh()),
                d.failing, d.jvmInternal, d.path.frames(),
                Summaries.explain(t, d.kind, d.q, d.failing, d.jvmInternal, d.path.frames(),
                        d.explainedBy == null ? null : d.explainedBy.test.function(), d.caveat, d.frameClass));
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
