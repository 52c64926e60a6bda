package io.canaryjudge.judge;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.Measure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Groups the findings that one change explains into one {@link Incident}, named at its <b>entry
 * frame</b>: the deepest application frame where the canary's extra (or saved) cost enters, with the
 * library, JDK and operating-system frames below it as detail. A release engineer fixes code in
 * their application, so a new Jackson serialisation path under {@code AuditTrail.serializeSnapshot}
 * is one incident at {@code serializeSnapshot} ("mostly Jackson"), not 25 Jackson rows.
 *
 * <ol>
 * <li>{@link IncidentGroups}: each finding gets an owner frame, findings with one owner form a group,
 *     and groups that are parts of one change merge.
 * <li>An incident fails when one of its findings fails. The entry frame's inclusive shares, relative
 *     change and interval describe it; its q-value is the entry frame's own (failing) row's, else the smallest of
 *     its (failing) findings' ({@code Draft.quotedRow}).
 * </ol>
 * Findings keep every row, reordered: the failing ones incident by incident, each incident's entry
 * frame first (a row is added for it when it has none), so the first failing finding names the lead
 * incident's entry frame; then the rest, incident by incident.
 */
final class IncidentBuilder {
    /**
     * An incident whose failing rows include new paths is said as a new hot path unless its largest new path grew by at
     * most this many times the entry frame's own factor: code the baseline ran rarely that rose with its caller, which
     * is then the regression (truly new code has no baseline share, so no factor).
     */
    static final double SCALED_WITH_THE_ENTRY = 3;

    private IncidentBuilder() {
    }

    /**
     * The reordered findings and the incidents, most severe (failing) first; {@code costlessWrappers}: the new frames
     * said as wrappers with no cost of their own ({@link Summaries#costlessWrapper}), which are no rise.
     */
    record Built(List<Finding> findings, List<Incident> incidents, List<CostlessWrapper> costlessWrappers) {
    }

    /** A new frame of {@code type} that wraps old code and costs nothing beside it: its row is no rise (qa67). */
    record CostlessWrapper(ProfileType type, String frame) {
        boolean is(Finding f) {
            return f.profileType() == type && f.function().equals(frame) && f.kind() == FindingKind.NEW_HOT_PATH;
        }
    }

    static Built build(List<Finding> findings, List<FunctionTest> tests, double[] q,
                       Map<ProfileType, TypeContext> contexts, JudgeConfig config) {
        FrameClassifier classifier = config.frames();
        Map<ProfileType, List<Integer>> byType = new EnumMap<>(ProfileType.class);
        List<Integer> totals = new ArrayList<>();
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            if (f.function().equals(Judge.TOTAL)) {
                totals.add(i);
            } else if (contexts.containsKey(f.profileType())
                    && contexts.get(f.profileType()).functionIds.containsKey(f.function())) {
                byType.computeIfAbsent(f.profileType(), t -> new ArrayList<>()).add(i);
            }
        }
        Map<String, Integer> testIndex = new HashMap<>();
        for (int i = 0; i < tests.size(); i++) {
            FunctionTest t = tests.get(i);
            testIndex.putIfAbsent(t.type() + " " + t.measure() + " " + t.function(), i);
        }
        List<Draft> drafts = new ArrayList<>();
        for (Map.Entry<ProfileType, List<Integer>> entry : byType.entrySet()) {
            TypeContext context = contexts.get(entry.getKey());
            FrameClass[] classes = new FrameClass[context.functionNames.length];
            for (int f = 0; f < classes.length; f++) {
                classes[f] = classifier.classify(context.functionNames[f]);
                if (classes[f].application() && config.ignored(context.functionNames[f])) {
                    // A function the configuration ignores is not tested and never named: a change below it
                    // enters at the application frame above it, as if it were library code.
                    classes[f] = FrameClass.LIBRARY;
                }
            }
            List<Draft> typeDrafts = new ArrayList<>();
            for (IncidentGroups.Group g : IncidentGroups.of(entry.getKey(), entry.getValue(), findings, context, classes, config)) {
                Draft d = new Draft(g.type, context.functionNames[g.owner], classes[g.owner], g.items, g.path,
                        g.means, config.thresholdsFor(context.functionNames[g.owner]));
                d.ownChange = g.ownChange;
                d.callers = g.callers;
                typeDrafts.add(d);
            }
            // The detail says where the change went: below the entry frame, or below the new path's top frame.
            // The split is of raw shares; the entry frame's own split (the frames after the detail frames) gives the
            // raw inclusive share that the incident's normalised one is scaled from (toIncident).
            int n = typeDrafts.size();
            int[] frames = new int[2 * n];
            for (int k = 0; k < n; k++) {
                frames[k] = context.functionIds.get(typeDrafts.get(k).detailFrame(findings));
                frames[n + k] = context.functionIds.get(typeDrafts.get(k).entryFrame);
            }
            List<Map<Integer, double[]>> below = CostOwners.below(context.current(), classes.length, frames);
            for (int k = 0; k < n; k++) {
                Draft d = typeDrafts.get(k);
                d.split = below.get(k);
                d.rawEntry = new double[2];
                below.get(n + k).values().forEach(v -> {
                    d.rawEntry[0] += v[0];
                    d.rawEntry[1] += v[1];
                });
                d.entryId = context.functionIds.get(d.entryFrame);
                if (d.entryIsNew()) {
                    wrapped(d, context, classes, config);
                }
                d.perSecond = Summaries.hasRate(d.type) ? context.perSecondPerPod(d.entryId) : null;
                d.nodeJsThread = d.perSecond != null && context.nodeJsThread();
                d.perRequest = Summaries.hasRate(d.type) ? null : context.perRequestPerPod(d.entryId);
                d.totalPerRequest = d.perRequest == null ? null : context.perRequestPerPod(-1);
                d.unit = context.unit;
                d.names = context.functionNames;
                d.classifier = classifier;
                d.direction = direction(d.items, findings);
            }
            drafts.addAll(typeDrafts);
        }
        attachTotals(totals, drafts, findings, config, contexts);
        for (Draft d : drafts) {
            if (d.entryClass == null && d.failing(findings) && contexts.containsKey(d.type)) {
                // A failing cost per request that joined no rising incident names no method by itself: say where the
                // extra cost per request went, or that it is spread over the profile.
                TypeContext context = contexts.get(d.type);
                boolean[] application = new boolean[context.functionNames.length];
                for (int f = 0; f < application.length; f++) {
                    String name = context.functionNames[f];
                    application[f] = classifier.classify(name).application() && !config.ignored(name);
                }
                d.wentTo = PerRequestRise.words(PerRequestRise.carrier(context, application,
                        oldApplication(context, classifier, config)), context.unit);
            }
        }
        List<Incident> incidents = new ArrayList<>();
        List<Draft> ordered = new ArrayList<>(drafts);
        ordered.sort(Comparator.comparing((Draft d) -> !d.failing(findings))
                .thenComparing(Comparator.comparingDouble(Draft::severity).reversed())
                .thenComparing(d -> d.entryFrame));
        List<CostlessWrapper> costless = new ArrayList<>();
        for (Draft d : ordered) {
            d.incident = d.toIncident(findings, tests, q, testIndex);
            incidents.add(d.incident);
            if (d.costless) {
                costless.add(new CostlessWrapper(d.type, d.entryFrame));
            }
        }
        return new Built(reorder(findings, ordered, tests, q, testIndex), incidents, costless);
    }

    /**
     * A new entry frame that wraps code the baseline ran (a request filter, an interceptor, a decorator around the
     * router): its whole inclusive share is no new path's size — "new hot path under `RequestFilter.doFilter`, 75.7 %
     * of CPU" for a filter whose signature check and header parsing cost 4 % (recorded, qa34). Its size and detail
     * are then what runs beside the wrapped code, and the wrapped frame (the hottest one) is named.
     */
    private static void wrapped(Draft d, TypeContext context, FrameClass[] classes, JudgeConfig config) {
        boolean[] old = new boolean[classes.length];
        boolean any = false;
        for (int f = 0; f < classes.length; f++) {
            if (f != d.entryId && classes[f].application()) {
                double[] means = context.analysis.inclusiveGroupMeans(f);
                old[f] = means[0] >= config.thresholdsFor(context.functionNames[f]).negligibleShare();
                any |= old[f];
            }
        }
        if (!any) {
            return;
        }
        Map<Integer, double[]> beside = CostOwners.besideOldCode(context.current(), d.entryId, old);
        double[] besideRaw = new double[2];
        beside.values().forEach(v -> {
            besideRaw[0] += v[0];
            besideRaw[1] += v[1];
        });
        double wrappedRaw = d.rawEntry[1] - besideRaw[1];
        // Old code it calls on top of its parent's direct calls is new work, not wrapped: a new `Quotes.recompute`
        // recording the audit entry once more failed as "new hot path under `Quotes.recompute`, 0.0 % of allocated
        // bytes beside `AuditLog.record`, which it wraps (32.6 % with it); 0 B of allocated bytes per request" (qa62).
        if (!(wrappedRaw > 0)
                || CostOwners.extraOldWork(context.current(), d.entryId, old,
                (parent, callee) -> MovedTimeCheck.dearerAt(context, parent, callee, d.entryId))
                >= PerRequestRise.CARRIES * wrappedRaw) {
            return;
        }
        // The wrapped frame named: the old application frame the entry calls directly with the most canary cost.
        Map<Integer, double[]> callees = context.analysis.calleeEdgeValues(d.entryId).inclusive();
        double hottest = 0;
        for (Map.Entry<Integer, double[]> e : callees.entrySet()) {
            double canary = context.analysis.priorMeans(e.getValue())[1];
            if (old[e.getKey()] && canary > hottest) {
                hottest = canary;
                d.wrapped = context.functionNames[e.getKey()];
            }
        }
        if (d.wrapped != null) {
            d.split = beside;
            d.rawBeside = besideRaw[1];
        }
    }

    /**
     * Cost-per-request findings join the lead rising incident of their type, or stand alone at {@code <total>}.
     * A failing one never joins JVM work that cannot fail ({@code failOnJvmInternal} off): code carries it
     * ({@link JvmWorkCheck}), and named at a JIT frame it read as if JIT compilation failed the canary. Nor does it join
     * an incident whose entry frame carries less than {@link PerRequestRise#CARRIES} of its rise per request: qa55's
     * pods, a canary allocating +43 % per request (110 KiB → 157 KiB, 96 % of it under {@code AuditLog.record}) beside
     * a small rise elsewhere ({@code Quotes.stock} 789 B → 3.26 KiB per request) read "FAIL: `Quotes.stock` +187 % …"
     * and said the cost per request nowhere (qa58). It then stands alone and says where its rise went, after the
     * failing incidents named for methods.
     */
    private static void attachTotals(List<Integer> totals, List<Draft> drafts, List<Finding> findings,
                                     JudgeConfig config, Map<ProfileType, TypeContext> contexts) {
        for (int i : totals) {
            Finding total = findings.get(i);
            boolean codeOnly = total.failing() && !config.failOnJvmInternal();
            TypeContext context = total.failing() ? contexts.get(total.profileType()) : null;
            double[] whole = context == null ? null : context.perRequestPerPod(-1);
            boolean[] old = whole == null ? null : oldApplication(context, config.frames(), config);
            Draft lead = null;
            for (Draft d : drafts) {
                if (d.type == total.profileType() && d.entryClass != null && direction(d.items, findings) > 0
                        && !(codeOnly && d.entryClass.reportedApart())
                        && carries(context, d, whole, old)
                        && increase(total) && (lead == null || d.failing(findings) && !lead.failing(findings)
                        || d.failing(findings) == lead.failing(findings) && d.severity() > lead.severity())) {
                    lead = d;
                }
            }
            if (lead != null) {
                lead.items.add(i);
                lead.items.sort(Comparator.naturalOrder());
            } else {
                drafts.add(new Draft(total.profileType(), Judge.TOTAL, null, new ArrayList<>(List.of(i)), List.of(),
                        null, config.thresholds()));
            }
        }
    }

    /**
     * Whether an incident's entry frame, with its callees, carries at least {@link PerRequestRise#CARRIES} of the rise
     * of the whole profile's cost per request ({@code whole}, {baseline, canary}); true when the requests are not
     * counted (the finding is then not a failing one to place) or the cost per request did not rise.
     */
    private static boolean carries(TypeContext context, Draft d, double[] whole, boolean[] old) {
        if (context == null || whole == null || !(whole[1] > whole[0])) {
            return true;
        }
        Integer id = context.functionIds.get(d.entryFrame);
        double[] own = id == null ? null : context.perRequestPerPod(id);
        return own == null
                || PerRequestRise.carried(context, id, own, old) >= PerRequestRise.CARRIES * (whole[1] - whole[0]);
    }

    /**
     * Application frames (not ignored) the baseline ran, at least {@code negligibleShare} with their callees: the old
     * code a new frame may wrap ({@link #wrapped}, {@link PerRequestRise#carried}).
     */
    private static boolean[] oldApplication(TypeContext context, FrameClassifier classifier, JudgeConfig config) {
        boolean[] old = new boolean[context.functionNames.length];
        for (int f = 0; f < old.length; f++) {
            String name = context.functionNames[f];
            old[f] = classifier.classify(name).application() && !config.ignored(name)
                    && context.analysis.inclusiveGroupMeans(f)[0] >= config.thresholdsFor(name).negligibleShare();
        }
        return old;
    }

    /** +1 when the findings' most severe change is a rise, −1 when a fall. */
    static int direction(List<Integer> items, List<Finding> findings) {
        Finding lead = null;
        for (int i : items) {
            Finding f = findings.get(i);
            if (lead == null || (f.failing() && !lead.failing())
                    || (f.failing() == lead.failing() && magnitude(f) > magnitude(lead))) {
                lead = f;
            }
        }
        return lead == null || increase(lead) ? 1 : -1;
    }

    private static double magnitude(Finding f) {
        return f.absoluteChange() == null || f.measure().perRequest() ? 0 : Math.abs(f.absoluteChange());
    }

    static boolean increase(Finding f) {
        if (f.kind() == FindingKind.NEW_HOT_PATH) {
            return true;
        }
        if (f.kind() == FindingKind.VANISHED) {
            return false;
        }
        return f.canary() != null && f.baseline() != null && f.canary() > f.baseline();
    }

    /** Failing rows incident by incident, entry frame first; then the others incident by incident. */
    private static List<Finding> reorder(List<Finding> findings, List<Draft> ordered, List<FunctionTest> tests,
                                         double[] q, Map<String, Integer> testIndex) {
        List<Finding> out = new ArrayList<>();
        Set<Integer> placed = new LinkedHashSet<>();
        for (Draft d : ordered) {
            if (!d.incident.failing()) {
                continue;
            }
            if (d.entryClass != null) {
                Integer row = d.entryRow(findings);
                out.add(d.entryFinding(row == null ? null : findings.get(row), tests, q, testIndex));
                if (row != null) {
                    placed.add(row);
                }
            }
            for (int i : d.items) {
                if (findings.get(i).failing() && placed.add(i)) {
                    out.add(findings.get(i));
                }
            }
        }
        for (Draft d : ordered) {
            for (int i : d.items) {
                if (placed.add(i)) {
                    out.add(findings.get(i));
                }
            }
        }
        for (int i = 0; i < findings.size(); i++) {
            if (placed.add(i)) {
                out.add(findings.get(i)); // findings of types without a context: kept in place, last
            }
        }
        return out;
    }

    /** One incident before it becomes an {@link Incident}. */
    private static final class Draft {
        final ProfileType type;
        final String entryFrame;
        /** Null for the {@code <total>} (cost per request) incident. */
        final FrameClass entryClass;
        final List<Integer> items;
        final List<String> path;
        final double[] means;
        Summaries.Below below;
        /** Leaf function → {baseline, canary} raw share below the detail frame; null for the total. */
        Map<Integer, double[]> split;
        /** The entry frame's raw inclusive share, {baseline, canary}. */
        double[] rawEntry;
        int entryId;
        /** The entry frame's wall or lock amount a second per pod, {baseline, canary}; null for other types. */
        double[] perSecond;
        /** The wall time is Node's one JavaScript thread's ({@link TypeContext#nodeJsThread}). */
        boolean nodeJsThread;
        String[] names;
        FrameClassifier classifier;
        int direction;
        double ownChange;
        final Thresholds thresholds;
        Incident incident;
        /** The entry frame's value with its callees per request, {baseline, canary}; null unless counted. */
        double[] perRequest;
        /** The whole profile's value per request, {baseline, canary}; null unless counted. */
        double[] totalPerRequest;
        /** The type's value unit (nanoseconds, bytes, samples). */
        String unit;
        /** Old application code a new entry frame wraps (its hottest such callee), or null; {@link #wrapped}. */
        String wrapped;
        /** The new entry frame's raw canary share beside the code it wraps. */
        double rawBeside;
        /** Said as a wrapper with no cost of its own ({@link #toIncident}). */
        boolean costless;
        /** For a failing {@code <total>} incident: where the rise of the cost per request went ({@link PerRequestRise}). */
        String wentTo;
        /** Application frames under which the entry frame's library did the extra work; empty for one entry frame. */
        List<String> callers = List.of();

        Draft(ProfileType type, String entryFrame, FrameClass entryClass, List<Integer> items, List<String> path,
              double[] means, Thresholds thresholds) {
            this.thresholds = thresholds;
            this.type = type;
            this.entryFrame = entryFrame;
            this.entryClass = entryClass;
            this.items = new ArrayList<>(items);
            this.path = path;
            this.means = means;
        }

        boolean failing(List<Finding> findings) {
            return items.stream().anyMatch(i -> findings.get(i).failing());
        }

        /**
         * Entry frame's change beyond the incidents below it ({@link IncidentGroups}); −1 for the total, last: a failing
         * method leads (qa50's `Scoring.score` beside CPU per request +24 % that it carries less than half of).
         */
        double severity() {
            return means == null ? -1 : ownChange;
        }

        /** The entry frame's own row: the failing one, else the inclusive one, else any; null when it has none. */
        Integer entryRow(List<Finding> findings) {
            Integer best = null;
            for (int i : items) {
                Finding f = findings.get(i);
                if (!f.function().equals(entryFrame)) {
                    continue;
                }
                if (best == null || score(f) > score(findings.get(best))) {
                    best = i;
                }
            }
            return best;
        }

        private static int score(Finding f) {
            return (f.failing() ? 2 : 0) + (f.measure().self() ? 0 : 1);
        }

        Incident toIncident(List<Finding> findings, List<FunctionTest> tests, double[] q,
                            Map<String, Integer> testIndex) {
            boolean failing = failing(findings);
            Double minQ = null;
            Double newPath = null;
            List<String> functions = new ArrayList<>();
            if (entryClass != null) {
                functions.add(entryFrame);
            }
            Finding quoted = quotedRow(findings, failing);
            if (quoted != null) {
                minQ = quoted.qValue();
            }
            String qOwner = quoted == null ? null : quoted.function();
            for (int i : items) {
                Finding f = findings.get(i);
                if (f.kind() == FindingKind.NEW_HOT_PATH && f.canary() != null && (!failing || f.failing())) {
                    newPath = newPath == null ? f.canary() : Math.max(newPath, f.canary());
                }
                if (!functions.contains(f.function())) {
                    functions.add(f.function());
                }
            }
            FindingKind kind = kind(findings, failing);
            if (kind == FindingKind.NEW_HOT_PATH && entryIsNew()) {
                newPath = means[1]; // the new code is the entry frame itself: its whole inclusive share
            }
            if (entryClass == null) {
                Finding total = findings.get(items.get(0));
                String summary = Summaries.incident(total, kind, null, newPath, minQ, null, null, null, null)
                        + (wentTo == null || !increase(total) ? "" : wentTo);
                return new Incident(type, entryFrame, kind, total.measure(), total.baseline(), total.canary(),
                        total.relativeChange(), total.ciLow(), total.ciHigh(), minQ, failing, List.of(), functions,
                        null, summary);
            }
            Finding entry = entryComparison(tests, q, testIndex, kind, failing);
            if (kind == FindingKind.NEW_HOT_PATH && newPath != null && rawEntry[1] > 0) {
                // Said as a share of the canary's own CPU, as a profile viewer shows it: the normalised share (size
                // factors) passes 100 % when the new path displaced most of the profile — "new hot path under
                // `ScriptRules.groovyRule`, 103.3 % of CPU" for a script compiled per request (half the canary's CPU).
                newPath = wrapped != null ? rawBeside : entryIsNew() ? rawEntry[1] : newPath / scale(entry.canary(), rawEntry[1]);
            }
            // A rise to more than the whole profile in normalised shares (one function took most of the CPU from every
            // other: 40 % -> 95 % of the samples read "11.7 % -> 324.7 % of CPU") is said in the shares sampled, with
            // the normalised change beside them.
            boolean beyondWhole = kind == FindingKind.REGRESSION && rawEntry != null && rawEntry[0] > 0
                    && rawEntry[1] > 0 && (exceedsWhole(entry.baseline()) || exceedsWhole(entry.canary()));
            if (split != null) {
                // Said in the incident's own units: its headline shares are normalised (size factors), the split
                // raw, and "19.5 % → 41.3 % of CPU … Below it: its own code +14.3 % of CPU" did not add up.
                below = Summaries.below(type, entryId, split, names, classifier, direction, beyondWhole
                        ? new double[] {1, 1}
                        : new double[] {scale(entry.baseline(), rawEntry[0]), scale(entry.canary(), rawEntry[1])});
            }
            String around = wrapped == null ? null : String.format(Locale.ROOT, " beside `%s`, which it wraps (%s with it)",
                    wrapped, Summaries.share(rawEntry[1]));
            // The incident's q is its most credible finding's: said with that function's name when it is not the entry
            // frame's own, as "`applyDiscounts` -4.2 % (20.2 % → 19.3 % …, q = 0.005)" quoted a kernel frame's fall
            // below it beside a change of its own whose interval held zero (recorded low-rate scenario, qa38).
            String qOf = qOwner == null || qOwner.equals(entryFrame) ? null : qOwner;
            String summary = beyondWhole
                    ? Summaries.sampledShares(entry, rawEntry[0], rawEntry[1], entryClass, minQ, qOf, below)
                    : Summaries.incident(entry, kind, entryClass, newPath, minQ, qOf, below,
                    ownCodeRoseMore(findings, entry), around);
            Finding gone = kind == FindingKind.VANISHED ? largestVanished(findings) : null;
            boolean entryRuns = entry.canary() == null || entry.canary() > 0;
            if (gone != null && !gone.function().equals(entryFrame) && entryRuns) {
                // the entry frame still runs: what vanished is below it (a JIT-inlined JDK helper, a removed call).
                // When the entry frame is gone too (another program), "`caller` gone under `entry`" named its own
                // caller as below it: the entry frame is then said to be gone.
                summary = Summaries.vanishedUnder(gone, entryFrame, entryClass);
            }
            Finding rose = kind == FindingKind.REGRESSION && failing && entry.relativeChange() != null
                    && entry.relativeChange() < 0 ? likeliestFailingRise(findings) : null;
            if (rose != null) {
                // A failing rise below an entry frame whose cost with its callees fell: "`Script.score` -48 % (14.1 % →
                // 7.2 % …, q = 6.0e-04)" quoted the entry's fall as the FAIL, with the q of the rise below it (qa29).
                summary = Summaries.roseUnderFallingEntry(rose, entry, entryClass);
            }
            if (!callers.isEmpty()) {
                summary = Summaries.crossCutting(classifier.label(entryFrame), callers) + summary;
            }
            costless = kind == FindingKind.NEW_HOT_PATH && wrapped != null && !failing
                    && rawBeside < thresholds.negligibleShare();
            if (costless) {
                // A wrapper that costs nothing beside what it wraps is no hot path: "new hot path under
                // `Quotes.traced`, 0.0 % of allocated bytes beside `…`, which it wraps (62.0 % with it); 0 B of
                // allocated bytes per request" read as a new cost that was not counted (qa62).
                // The cross-cutting caller prefix stays: it says where the wrapper runs, which the wrapper's words do not.
                summary = (callers.isEmpty() ? "" : Summaries.crossCutting(classifier.label(entryFrame), callers))
                        + Summaries.costlessWrapper(type, entryFrame, entryClass, wrapped, rawEntry[1]);
            } else if (perRequest != null && totalPerRequest != null) {
                // A new path is said by its own size (its raw share of the canary's cost per request), not by its entry
                // frame's: "new hot path under `Router.dispatch`, 4.6 % of CPU; 15.9 µs → 15.4 µs of CPU per request"
                // read as if the new access-log line had made requests cheaper.
                summary += kind == FindingKind.NEW_HOT_PATH && newPath != null
                        ? Summaries.newPerRequest(type, unit, newPath * totalPerRequest[1])
                        : Summaries.perRequest(type, unit, perRequest);
            }
            if (perSecond != null) {
                summary += Summaries.rate(type, perSecond, nodeJsThread);
            }
            return new Incident(type, entryFrame, kind, entry.measure(), entry.baseline(), entry.canary(),
                    entry.relativeChange(), entry.ciLow(), entry.ciHigh(), minQ, failing, path, functions,
                    below == null ? null : below.text(), summary);
        }

        /**
         * The row whose q-value the incident quotes: of a failing incident's failing rows (else of all its tested rows),
         * the entry frame's own with the smallest q, else the smallest q of any — said with its function's name.
         * An incident merged from several groups quoted the smallest q of all its rows, whether failing or not:
         * "`Normalizer.normalize` +35 % (18.8 % → 25.3 % …, q = 7.8e-24 for `VarHandleGuards.guard_LIL_V`)", a JDK
         * frame's new path that no rule failed, beside the failing row of the method it names (recorded qa50 pods).
         */
        private Finding quotedRow(List<Finding> findings, boolean failing) {
            Finding entry = null;
            Finding any = null;
            boolean anyFailingTested = failing && items.stream().map(findings::get)
                    .anyMatch(f -> f.failing() && f.qValue() != null);
            for (int i : items) {
                Finding f = findings.get(i);
                if (f.qValue() == null || anyFailingTested && !f.failing()) {
                    continue;
                }
                if (f.function().equals(entryFrame) && (entry == null || f.qValue() < entry.qValue())) {
                    entry = f;
                }
                if (any == null || f.qValue() < any.qValue()) {
                    any = f;
                }
            }
            return entry != null ? entry : any;
        }

        /** The incident's failing rise with the smallest q-value in another function than the entry frame, or null. */
        private Finding likeliestFailingRise(List<Finding> findings) {
            Finding best = null;
            for (int i : items) {
                Finding f = findings.get(i);
                if (f.failing() && !f.function().equals(entryFrame) && f.qValue() != null
                        && (f.relativeChange() == null || f.relativeChange() > 0)
                        && (best == null || f.qValue() < best.qValue())) {
                    best = f;
                }
            }
            return best;
        }

        private static boolean exceedsWhole(Double normalisedShare) {
            return normalisedShare != null && normalisedShare > 1;
        }

        /** Normalised over raw share of the entry frame: 1 when either is missing. */
        private static double scale(Double normalised, double raw) {
            return normalised == null || !(normalised > 0) || !(raw > 0) ? 1 : normalised / raw;
        }

        /** The incident's vanished finding with the largest baseline share, or null. */
        private Finding largestVanished(List<Finding> findings) {
            Finding largest = null;
            for (int i : items) {
                Finding f = findings.get(i);
                if (f.kind() == FindingKind.VANISHED && f.baseline() != null
                        && (largest == null || f.baseline() > largest.baseline())) {
                    largest = f;
                }
            }
            return largest;
        }

        private FindingKind kind(List<Finding> findings, boolean failing) {
            if (failing) {
                boolean newPath = false;
                boolean regression = false;
                Finding largestNew = null;
                for (int i : items) {
                    Finding f = findings.get(i);
                    newPath |= f.failing() && f.kind() == FindingKind.NEW_HOT_PATH;
                    regression |= f.failing() && f.kind() == FindingKind.REGRESSION;
                    if (f.failing() && f.kind() == FindingKind.NEW_HOT_PATH && f.canary() != null
                            && (largestNew == null || f.canary() > largestNew.canary())) {
                        largestNew = f;
                    }
                }
                if (newPath && regression && !entryIsNew() && scaledWithTheEntry(largestNew)) {
                    // What reads as new below the entry frame grew by the entry frame's own factor: code the baseline
                    // ran rarely, shown by a method that became 200 times dearer (regex paths 0.04 % -> 9.5 %, the
                    // method 0.85 % -> 144 %, normalised). It was said "new hot path under `ScriptRules.renderReceipt`,
                    // 5.6 % of CPU"; the method rose.
                    return FindingKind.REGRESSION;
                }
                return newPath || entryIsNew() ? FindingKind.NEW_HOT_PATH
                        : regression ? FindingKind.REGRESSION : FindingKind.COST_PER_REQUEST;
            }
            Finding lead = null;
            for (int i : items) {
                Finding f = findings.get(i);
                if (lead == null || magnitude(f) > magnitude(lead)) {
                    lead = f;
                }
            }
            return lead.kind();
        }

        /**
         * The frame whose cost the detail splits: for a new hot path the top frame of the path (the new
         * finding with the largest canary share), else the entry frame. Under a busy entry frame the
         * new path's own mix is what matters, not how the rest of the frame's cost shifted.
         */
        String detailFrame(List<Finding> findings) {
            boolean failing = failing(findings);
            if (kind(findings, failing) != FindingKind.NEW_HOT_PATH || entryIsNew()) {
                return entryFrame;
            }
            Finding top = null;
            for (int i : items) {
                Finding f = findings.get(i);
                if (f.kind() == FindingKind.NEW_HOT_PATH && (!failing || f.failing()) && f.canary() != null
                        && (top == null || f.canary() > top.canary())) {
                    top = f;
                }
            }
            return top == null ? entryFrame : top.function();
        }

        /**
         * Whether a new-path finding's growth factor (canary over baseline share) is at most
         * {@link #SCALED_WITH_THE_ENTRY} times the entry frame's own: a path the baseline never ran has none.
         */
        private boolean scaledWithTheEntry(Finding newPath) {
            if (newPath == null || newPath.baseline() == null || !(newPath.baseline() > 0) || means == null
                    || !(means[0] > 0) || !(means[1] > means[0])) {
                return false;
            }
            return newPath.canary() / newPath.baseline() <= SCALED_WITH_THE_ENTRY * (means[1] / means[0]);
        }

        /** The entry frame itself is new: negligible in the baseline, a new hot path's share in the canary. */
        boolean entryIsNew() {
            return means != null && means[0] < thresholds.negligibleShare() && means[1] >= thresholds.newHotPathShare();
        }

        /**
         * The entry frame's inclusive comparison as a finding: its inclusive test when it has one, else
         * the group means of the noise model with a normal 95 % interval (no test, no q).
         */
        Finding entryComparison(List<FunctionTest> tests, double[] q, Map<String, Integer> testIndex,
                                FindingKind kind, boolean failing) {
            Integer t = testIndex.get(type + " " + Measure.INCLUSIVE + " " + entryFrame);
            if (t != null) {
                FunctionTest test = tests.get(t);
                return new Finding(type, entryFrame, kind, Measure.INCLUSIVE, finite(test.baseline()),
                        finite(test.canary()), finite(test.relativeChange()), finite(test.difference()),
                        finite(test.pValue()), finite(q[t]), finite(test.ciLow()), finite(test.ciHigh()), failing,
                        entryClass.reportedApart(), path, "", true);
            }
            double diff = means[1] - means[0];
            return new Finding(type, entryFrame, kind, Measure.INCLUSIVE, means[0], means[1],
                    means[0] > 0 ? means[1] / means[0] - 1 : null, diff, null, null,
                    finite(diff - 1.96 * means[2]), finite(diff + 1.96 * means[2]), failing, entryClass.reportedApart(),
                    path, "", true);
        }

        /**
         * The entry frame's failing self rise when its inclusive cost rose by less (time moved into its frame from its
         * callees, as where a JVM inlined one of them, beside a rise of its own): or null.
         */
        Finding ownCodeRoseMore(List<Finding> findings, Finding entry) {
            if (entry.absoluteChange() == null) {
                return null;
            }
            for (int i : items) {
                Finding f = findings.get(i);
                if (f.failing() && f.measure().self() && f.function().equals(entryFrame) && f.absoluteChange() != null
                        && f.absoluteChange() > entry.absoluteChange()) {
                    return f;
                }
            }
            return null;
        }

        /** The row that names this failing incident's entry frame first in {@code findings}. */
        Finding entryFinding(Finding existing, List<FunctionTest> tests, double[] q, Map<String, Integer> testIndex) {
            String sentence = "Entry frame of a failing change: " + incident.summary() + ".";
            // An entry frame whose cost fell while a rise below it fails the canary names the change, but its row is
            // not a failing regression: "`Script.score` REGRESSION -48 %, failing" read as if the fall failed (qa29).
            if (existing != null) {
                String explanation = existing.failing() ? existing.explanation() : sentence + " " + existing.explanation();
                return existing.marked(existing.failing() || !fellUnderARise(existing), explanation, true);
            }
            Finding comparison = entryComparison(tests, q, testIndex, incident.kind(), true);
            String own = comparison.qValue() == null ? "not tested on its own"
                    : "its own inclusive test alone: " + Summaries.qText(comparison.qValue());
            return comparison.marked(!fellUnderARise(comparison), sentence + " Added to name it (" + own
                    + "); the findings it explains follow.", true);
        }

        /** Whether the entry frame's row is a fall, in an incident that a rise (below it) makes a regression. */
        private boolean fellUnderARise(Finding row) {
            return incident.kind() == FindingKind.REGRESSION && row.relativeChange() != null && row.relativeChange() < 0;
        }
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
