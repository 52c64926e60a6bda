package io.canaryjudge.judge;

import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.FindingKind;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Rises that may be time that only moved between frames — JIT inlining that differs between JVMs —
 * rather than grew: such a rise is reported, not failed, when there is evidence of the move at the
 * same call site. A material new path (a function no baseline observation ran, at least
 * {@code newHotPathShare} of the canary) FAILs whatever its caller, when most canary pods and slices ran it
 * ({@link NewPathConsistency}).
 */
final class MovedTimeCheck {
    private MovedTimeCheck() {
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
    static void apply(List<FindingDraft> drafts, Map<ProfileType, TypeContext> contexts, FamilyBar bar) {
        Map<ProfileType, Map<Integer, BitSet>> callees = directCalleesOfFailingSelfRises(drafts, contexts);
        // Callers' call sites, per type: many findings (self, inclusive, their callees) share one caller.
        Map<ProfileType, CallSites> callSites = new EnumMap<>(ProfileType.class);
        for (FindingDraft d : drafts) {
            if (!d.failing || d.test.function().equals(Judge.TOTAL)) {
                continue;
            }
            TypeContext context = contexts.get(d.test.type());
            CallSites sites = callSites.computeIfAbsent(d.test.type(), t -> new CallSites(context, new HashMap<>()));
            Replacement replaced = replacement(context, d, bar, sites);
            if (replaced != null) {
                d.caveat = replaced.text(d);
                if (!replaced.costsMore()) {
                    d.failing = false;
                    d.untold = replaced.untold();
                    d.dearerCallee = replaced.dearer() ? replaced.gone() : null;
                    continue;
                }
            }
            if (!d.test.measure().self() && d.increase() && !d.test.neverInBaseline()
                    && !bar.config().frames().classify(d.test.function()).application()) {
                String moved = workMovedUnder(context, sites, d);
                if (moved != null) {
                    d.failing = false;
                    d.caveat = moved;
                    continue;
                }
            }
            if (d.kind == FindingKind.NEW_HOT_PATH && d.test.neverInBaseline()) {
                continue; // a material path no baseline observation ran fails whatever its caller
            }
            if (TypeContext.eventDriven(d.test.type())) {
                // A lock wait is charged to the call that waited (monitor enter, park), from a stack walk that lists
                // inlined frames: JIT placement does not move it between frames. And every wait of a request passes
                // through its handler, whose inclusive share of a lock profile is near 100 % in both groups and so
                // cannot "rise with it": a new synchronized section on the request path (recorded: 0.2 % -> 4 % of
                // lock wait, 2.8 -> 52 ms a second) was "all but absent from the baseline, as an inlined function".
                continue;
            }
            if (d.increase() && !d.test.neverInBaseline()) {
                int id = context.functionIds.get(d.test.function());
                TypeAnalysis.PartedPaths parted = context.analysis.partedPaths(id, d.test.measure().self(), INLINED_TRACE);
                if (onlyAttributedElsewhere(context, parted, d)) {
                    d.failing = false;
                    d.caveat = String.format(Locale.ROOT, "Not counted as a regression: most of its rise (%s) is on "
                            + "call paths the baseline did not take, below `%s`, and the paths through the frames "
                            + "where they part from the baseline's did not get more expensive with it (%s): code there "
                            + "was attributed to other frames in this JVM (inlining, debug information), not made "
                            + "more expensive.", FindingBuilder.relative(context.analysis.priorMeans(parted.fresh())),
                            context.functionNames[parted.parting()],
                            FindingBuilder.relative(context.analysis.priorMeans(parted.through())));
                    continue;
                }
            }
            if (d.test.measure().self()) {
                int id = context.functionIds.get(d.test.function());
                double[] own = context.analysis.inclusiveGroupMeans(id);
                String callee = calleeItMovedFrom(context, sites, id, callees.get(d.test.type()).get(id), d);
                if (callee != null) {
                    d.failing = false;
                    d.caveat = String.format(Locale.ROOT, "Not counted as a regression: its callee `%s` "
                            + "got correspondingly cheaper (self %s), so the callee's code ran in this frame — "
                            + "a JVM that inlined it where the others did not — rather than got more expensive.",
                            callee, FindingBuilder.relative(context.analysis.selfGroupMeans(context.functionIds.get(callee))));
                    continue;
                }
                if (fallsShort(own, d, context)) {
                    d.failing = false;
                    d.caveat = String.format(Locale.ROOT, "Not counted as a regression: its inclusive cost "
                            + "(with its callees) did not rise with it (%s), so time moved into it from its callees "
                            + "— a JIT inlining or compilation difference between JVMs — rather than grew.",
                            FindingBuilder.relative(own));
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
                        d.caveat = String.format(Locale.ROOT, "Not counted as a regression: its caller `%s` "
                                + "did not get more expensive with it (inclusive %s), so the time moved between "
                                + "functions — a JIT inlining or compilation difference between JVMs — rather than grew.",
                                caller, FindingBuilder.relative(callerMeans));
                    } else if (fellBy(callerSelf, d)) {
                        d.failing = false;
                        d.caveat = String.format(Locale.ROOT, "Not counted as a regression: its caller `%s` "
                                + "spent correspondingly less in its own code (self %s), so the code ran in this frame "
                                + "instead of the caller's — a JVM that did not inline it where the others did — "
                                + "rather than got more expensive.", caller, FindingBuilder.relative(callerSelf));
                    } else if (absentFromBaseline(context, d) && (d.test.neverInBaseline() || ranUnder(context, sites, callerId, d))
                            && !roseCredibly(callerMeans)) {
                        d.failing = false;
                        d.caveat = String.format(Locale.ROOT, "Not counted as a regression: it was all but "
                                + "absent from the baseline (self %s), as a function is where a JVM inlined it, and "
                                + "its caller `%s`, whose inclusive cost inlining cannot change, did not get credibly "
                                + "more expensive with it (inclusive %s) — so its code may have moved out of the "
                                + "caller's frame rather than got more expensive.",
                                FindingBuilder.relative(context.analysis.selfGroupMeans(context.functionIds.get(d.test.function()))),
                                caller, FindingBuilder.relative(callerMeans));
                    }
                }
            }
        }
    }

    /**
     * Whether a rise was only attributed to the finding's frame: most of it ({@value #MOSTLY_MOVED}) is on call paths
     * the baseline all but never took, and the paths through the frames where they part from the baseline's rose by
     * less than that fresh part by more than two standard errors (prior noise; shares compositional as in
     * {@link #fallsShort}). A rise in code lifts every path through its callers by as much; code that a JVM's compiled
     * form attributes to other frames (C2's debug information for inlined code, which differs between JVMs) moves
     * samples onto new paths and leaves the paths above them unchanged. Recorded (qa50, one JVM of 26 of one build):
     * a Reactor sort's comparisons attributed to a Guava ordering and an application lambda under it ({@code
     * lambda$render$4}, 0.1 → 5.3 % of CPU in its own code, on paths through {@code TimSort.binarySort} no other JVM
     * had), a stream sum's loop attributed to an {@code IntPipeline} search; the sort's and the sum's paths did not
     * change. A rise on paths the baseline ran is never asked, so a real change in existing code is not excused.
     */
    private static boolean onlyAttributedElsewhere(TypeContext context, TypeAnalysis.PartedPaths parted, FindingDraft d) {
        double[] fresh = context.analysis.priorMeans(parted.fresh());
        double freshRise = fresh[1] - fresh[0];
        if (parted.parting() < 0 || freshRise < MOSTLY_MOVED * d.test.difference()) {
            return false;
        }
        double[] through = context.analysis.priorMeans(parted.through());
        // Raw shares: cost Δ added on the fresh paths (near 0 in the baseline) lifts them to Δ/(1+Δ) and the parting
        // paths by Δ(1 − through₀)/(1+Δ), i.e. by the fresh rise × (1 − through₀). Not fallsShort's d/(1 − b): that
        // recovers the added share from a function's own rise, which here is already the fresh paths' rise.
        double expected = context.analysis.rawShares()
                ? freshRise * Math.max(0, 1 - through[0]) / Math.max(1e-9, 1 - fresh[0])
                : freshRise;
        // And the parting paths must not have risen credibly at all: a path that rose with part of the rise is code that
        // got more expensive there, whatever frames it is attributed to.
        return through[1] - through[0] + 2 * through[2] < expected && !roseCredibly(through);
    }

    /**
     * Why the finding is code that took the place of code gone from the same call site — a method renamed, moved
     * or rewritten at the same cost — or null. New code is new only where it adds cost: a release that renames
     * {@code fingerprint} to {@code digest} shows a "new hot path" as large as the function (recorded shop pods,
     * renamed: 14.2 % of CPU) beside a vanished one as large, and their caller's cost unchanged.
     *
     * <p>The new code enters at the first frame of the finding's hottest path that the baseline all but never ran
     * (inclusive under {@value #INLINED_TRACE} of the canary's), under a caller the baseline did run. At that caller's
     * call sites ({@link TypeAnalysis#calleeEdgeValues}) the callees new there and the callees that all but vanished
     * there (each by more than {@value #CREDIBLE_STANDARD_ERRORS} standard errors of the prior) are taken together —
     * steady code on both sides, as renamed code is: what vanished ran in every baseline pod and what is new runs in
     * every canary pod (background work that one JVM ran, a merge or a burst, replaces nothing), the new costing
     * within a factor of {@value #MAX_REPLACEMENT_RATIO} of what vanished, either way (more is new work; much less
     * replaced something else, as another program's thread beside the baseline's vanished workers) — with the caller's
     * own cost when it rose (a JVM that inlined a vanished callee ran its code in the caller's frame): pod by pod, that
     * sum is what the renamed code costs, and it is compared between the groups as the largest vanished function was,
     * at the noise the judge learned for it ({@link TypeAnalysis#asOneFunction}). The finding stays failing unless something
     * vanished there and that net change is not a material rise ({@code minRelativeChange} and
     * {@code minAbsoluteChange} of the finding's thresholds) that passes the bar one discovery must pass in the
     * family ({@link FamilyBar}): renamed code is judged as it would have been under its old name — or, when what it
     * adds is itself a new hot path's worth ({@code newHotPathShare} of the total), at p ≤ {@code maxQValue} on its own,
     * as a new path's presence is. Code moved out of the caller's own frame into a new callee (nothing gone under the
     * caller, its own cost fallen credibly by about what the new callee costs) is judged the same way, the caller's
     * own cost standing for what vanished. Code added
     * beside unchanged siblings removes nothing and still FAILs, whatever its caller's size; a rewrite that costs
     * more than what it replaced FAILs on the net.
     */
    private static Replacement replacement(TypeContext context, FindingDraft d, FamilyBar bar, CallSites sites) {
        if (!d.increase()) {
            return null;
        }
        List<String> path = d.path.frames();
        int entry = -1;
        for (int k = 1; k < path.size() && entry < 0; k++) {
            Integer id = context.functionIds.get(path.get(k));
            if (id != null) {
                double[] inclusive = context.analysis.inclusiveGroupMeans(id);
                if (inclusive[0] < INLINED_TRACE * inclusive[1]) {
                    entry = k;
                }
            }
        }
        if (entry < 0) {
            return null;
        }
        String caller = path.get(entry - 1);
        Integer callerId = context.functionIds.get(caller);
        if (callerId == null) {
            return null;
        }
        int[] group = context.units.group();
        Map<Integer, double[]> edges = sites.of(callerId);
        Integer newFrame = context.functionIds.get(path.get(entry));
        boolean besideWrapped = newFrame != null && !path.get(entry).equals(d.test.function());
        double[] callSites = new double[context.units.pods()]; // per pod: what is new and what is gone at this caller
        boolean addedAny = false;
        String largestGone = null;
        double largestFall = 0;
        double[] goneMeans = null;
        boolean largestPartly = false;
        double stillDirect = 0; // baseline share of partly wrapped callees' calls the caller still makes directly
        double[] newPerPod = new double[callSites.length];
        double[] keptDirect = new double[callSites.length]; // per pod: wrapped callees' direct cost that did not fall
        double keptStillDirect = 0;
        String wrappedCallee = null; // the wrapped callee with the largest baseline cost at the caller
        double largestWrapped = 0;
        double[] wrappedMeans = null;
        boolean anyGone = false;
        double[] wrappedPerPod = new double[callSites.length]; // per pod: every wrapped callee's direct cost at the caller
        Set<Integer> wrappedIds = new HashSet<>(); // the wrapped callees and what is new at the caller
        Set<Integer> goneIds = new HashSet<>(); // callees gone from under the caller
        int wrappedId = -1;
        double[] own = {-1}; // the new frame's own cost beside old code (ownNewCode), once asked
        for (Map.Entry<Integer, double[]> e : edges.entrySet()) {
            double[] m = context.analysis.priorMeans(e.getValue());
            boolean isNew = m[0] < INLINED_TRACE * m[1];
            // Gone code that was steady — in every baseline pod — as renamed code is; background work one JVM ran is not.
            boolean gone = m[1] < INLINED_TRACE * m[0] && m[0] - m[1] > CREDIBLE_STANDARD_ERRORS * m[2]
                    && inEveryPod(e.getValue(), group, 0);
            // A new frame around only some of an old callee's calls — sampled tracing, `if (sampled) traced(() -> x())
            // else x()` — takes that share of the calls from the caller, which still makes the rest: the callee's
            // direct cost there fell without vanishing. The calls it took are the code it replaced (the new frame and
            // the callee at this call site together are what the caller ran before); only vanished callees counted,
            // so a wrapper around a fifth of `Quotes$$Lambda.accept`'s calls FAILed as a new hot path (q = 1.5e-149)
            // while one around all of them passed (qa65). The fall is what is gone: a new method that calls old code
            // once more leaves the caller's direct calls as they were, replaces nothing, and still FAILs.
            // The structure, not the fall, says which callee the new frame wraps (qa67): an old callee the caller ran
            // in every baseline pod that the new frame now calls directly. Its direct cost there falls when the callee
            // costs what it did (`partly`); when the callee itself got dearer, its direct cost may rise while the new
            // frame takes some of its calls (the audit log 1.8 times as dear, a fifth of its calls traced), and when
            // the new frame takes few calls (5 %) the fall is within noise: both FAILed as a new hot path at the size
            // of what the wrapper runs, beside the callee's own rise.
            boolean wrappedOld = !isNew && !gone && newFrame != null && inEveryPod(e.getValue(), group, 0)
                    && sites.edge(newFrame, e.getKey())[1] > 0;
            boolean partly = wrappedOld && m[0] > m[1];
            // One whose direct cost did not fall counts only as old application code (a renamed `writeCents` calling
            // `Long.toString` as its caller also does is no wrapper of it), and only where nothing is gone (below).
            boolean kept = wrappedOld && !partly
                    && bar.config().frames().classify(context.functionNames[e.getKey()]).application();
            if (!isNew && !gone && !partly && !kept) {
                continue;
            }
            if (kept || partly || isNew) {
                wrappedIds.add(e.getKey());
            }
            if (kept || partly) {
                for (int u = 0; u < callSites.length; u++) {
                    wrappedPerPod[u] += e.getValue()[u];
                }
                if (m[0] > largestWrapped) {
                    largestWrapped = m[0];
                    wrappedCallee = context.functionNames[e.getKey()];
                    wrappedId = e.getKey();
                    wrappedMeans = m;
                }
            }
            if (kept) {
                for (int u = 0; u < callSites.length; u++) {
                    keptDirect[u] += e.getValue()[u];
                }
                keptStillDirect += m[1];
                continue;
            }
            if (partly && besideWrapped) {
                return null; // as a wholly wrapped callee: what runs below the wrapper is judged as it is
            }
            // The new frame wraps the gone callee — a filter, an interceptor, a decorator put between the caller and
            // code that still runs, now under it — so the callee moved and nothing was replaced. The wrapper's own
            // row is judged by the call site's net (a pure wrapper costs nothing), but what it runs beside the wrapped
            // callee (an HMAC of every request, a header parsed) is new work: recorded pods with a new request
            // filter, +4 % of CPU in SHA-256 and header parsing, passed as "renamed at the same cost" (qa34).
            boolean wrapper = partly || (gone && wraps(sites, newFrame, e.getKey(), m));
            if (gone && besideWrapped && wrapper) {
                return null;
            }
            // The wrapper's own row: what it runs beside the old code it wraps is new code, and when that alone is a new
            // hot path's worth it is one, whatever the call site's net says (a decorator allocating 7 % of the canary's
            // bytes in its own frame around half of `Quotes$$Lambda.accept`'s calls read INCONCLUSIVE by the net, qa65).
            if (wrapper && !besideWrapped && own[0] < 0) {
                own[0] = ownNewCode(context, bar, newFrame);
            }
            if (wrapper && !besideWrapped && own[0] >= d.test.thresholds().newHotPathShare()) {
                return null;
            }
            anyGone |= gone;
            if (gone) {
                goneIds.add(e.getKey());
            }
            addedAny |= isNew;
            if (isNew) {
                for (int u = 0; u < callSites.length; u++) {
                    newPerPod[u] += e.getValue()[u];
                }
            }
            for (int u = 0; u < callSites.length; u++) {
                callSites[u] += e.getValue()[u];
            }
            if (partly) {
                stillDirect += m[1];
            }
            if ((gone || partly) && m[0] - m[1] > largestFall) {
                largestFall = m[0] - m[1];
                largestGone = context.functionNames[e.getKey()];
                goneMeans = m;
                largestPartly = partly;
            }
        }
        // The caller's own code is what the new frame may have replaced: a JVM that calls a method its warm peers
        // compile away — a young canary whose interpreted or C1 code calls the native `Object.clone` that C2
        // intrinsifies, an allocation the baseline's JVMs charge to the caller's frame — and a JDK or library release
        // that moves code out of a method into a new callee (JDK 25's StringLatin1.hashCode calls
        // ArraysSupport.hashCodeOfUnsigned for the loop JDK 17 ran in its own frame) show a new callee and the caller's
        // own cost fallen by about as much, at the same call site, with nothing (or little: the kernel's interrupt
        // frames under the old loop) gone under it. So the caller's own cost, when it fell credibly and was steady (in
        // every baseline pod), counts as gone code, as a vanished callee does.
        double[] callerSelf = context.analysis.podValues(callerId, true);
        double[] callerSelfMeans = context.analysis.priorMeans(callerSelf);
        double callerFall = callerSelfMeans[0] - callerSelfMeans[1];
        // Credibly, and most of it: code moved out of a frame leaves the frame's own cost a fraction of what it was (JDK
        // 25's hashCode 0.53 → 0.03 % of CPU in the caller's frame; a young canary's array clone, most of the caller's
        // own allocation). Two standard errors alone let a large caller's chance dip of a tenth or a fifth excuse code
        // that was simply added under it (1 % new paths in the tuning simulator went uncaught in 1–4 of 60 cases).
        boolean callerOwnGone = callerFall > CREDIBLE_STANDARD_ERRORS * callerSelfMeans[2]
                && callerFall >= MOSTLY_MOVED * callerSelfMeans[0]
                && inEveryPod(callerSelf, group, 0);
        boolean callerOwnLargest = callerOwnGone && callerFall > largestFall;
        if (callerOwnLargest) {
            largestGone = caller;
            goneMeans = callerSelfMeans;
        }
        // Nothing gone under the caller and its own cost as it was: the new frame is paired by structure with the old
        // callees it calls that the caller called directly in every baseline pod — their direct cost there, fallen or
        // not, counts with it, and the call site's net decides (qa67).
        boolean structural = !anyGone && !callerOwnGone && wrappedCallee != null;
        boolean tookCalls = true;
        Reading reading = null;
        if (structural) {
            // As for a callee whose direct cost fell (above): what runs below the wrapper is judged as it is, and the
            // wrapper's own code beside old code, when a new hot path's worth, is one.
            if (besideWrapped) {
                return null;
            }
            if (own[0] < 0) {
                own[0] = ownNewCode(context, bar, newFrame);
            }
            if (own[0] >= d.test.thresholds().newHotPathShare()) {
                return null;
            }
            reading = tookCalls(context, d.test.thresholds(), wrappedPerPod, newPerPod, wrappedIds, wrappedId);
            tookCalls = reading.wrapper();
            for (int u = 0; u < callSites.length; u++) {
                callSites[u] += keptDirect[u];
            }
            stillDirect += keptStillDirect;
            if (largestGone == null) {
                largestGone = wrappedCallee;
                goneMeans = wrappedMeans;
            }
            largestPartly = true;
        }
        if (anyGone && wrappedCallee != null && edges.containsKey(newFrame)) {
            // Beside code gone from the same caller (a renamed sibling) the new frame was paired by the fall of an old
            // callee it calls, without asking the direct calls' ratio: a new `Quotes.recompute` asking `Quotes.stock`
            // once more on half the requests, beside `Quotes.quote` renamed, PASSed at 2+2 (the same canary without the
            // rename FAILs, q = 0.009; qa80). Added calls by the ratio, the new frame is new work, judged as it is —
            // unless the callee got dearer, as for the structural pairing.
            // Only beside code gone from under the caller (anyGone): the caller's own fallen cost (code a JVM or JDK
            // moved into a new callee) is no renamed sibling. What the new frame runs of a gone callee it now wraps
            // moved with it and is no added work: counted, it made a harmless wrapper of the renamed `Quotes.quote`
            // (beside 5 % of `Quotes.stock`'s calls) a new hot path at 2+2 and 3+1 (qa80b).
            double[] added = edges.get(newFrame).clone();
            Map<Integer, double[]> below = sites.of(newFrame);
            for (int g : goneIds) {
                double[] movedUnder = below.get(g);
                if (movedUnder != null) {
                    for (int u = 0; u < added.length; u++) {
                        added[u] = Math.max(0, added[u] - movedUnder[u]);
                    }
                }
            }
            Set<Integer> excluded = new HashSet<>(wrappedIds);
            excluded.addAll(goneIds);
            Reading beside = tookCalls(context, d.test.thresholds(), wrappedPerPod, added, excluded, wrappedId);
            if (!beside.wrapper() && dearerCallee(context, wrappedPerPod, callSites) == null) {
                return null;
            }
            // Read as a wrapper only because the readings cannot be told apart: as for the structural pairing, the
            // verdict names both (below) rather than PASS (qa80b).
            reading = beside;
        }
        if (largestGone == null || !addedAny || !inEveryPod(newPerPod, group, 1)) {
            return null;
        }
        // A rename or a rewrite costs about what it replaced, within a factor of two either way. New code at more than
        // twice that is new work, which the new-path rule exists to catch (a compression level that took a JNI
        // library's 0.26 % to 0.81 % of CPU); at less than half, it replaced something else (another program's
        // thread beside the baseline's vanished workers).
        double[] newMeans = context.analysis.priorMeans(newPerPod);
        double newShare = newMeans[1];
        double goneShare = context.analysis.priorMeans(callSites)[0] - newMeans[0] - stillDirect
                + (callerOwnGone ? callerFall : 0);
        // Beside the caller's own fallen cost the pairing is the stack's own (the new frame sits in the caller that lost
        // it): new code at less than half of that fall replaced nothing else, and the net change below says it fell.
        boolean likeSized = !(newShare > MAX_REPLACEMENT_RATIO * goneShare
                || (!callerOwnGone && goneShare > MAX_REPLACEMENT_RATIO * newShare));
        // Paired by structure, a wrapper is judged by the net whatever the callee's fall: around 5 % of the calls the
        // fall is within the pods' noise (qa65: 3 of 6 such canaries FAILed as a new hot path).
        if (!likeSized && !structural) {
            return null;
        }
        // A JVM that inlined a callee (one that still ran the same code) shows it gone and its caller's own cost up by
        // as much: that part of the fall moved into the caller's frame, not to the new code — so it counts with them.
        // When the caller's own cost is the gone code, it counts with them as well.
        if (callerSelfMeans[1] > callerSelfMeans[0] || callerOwnGone) {
            for (int u = 0; u < callSites.length; u++) {
                callSites[u] += callerSelf[u];
            }
        }
        double[] net = context.analysis.asOneFunction(callSites, context.functionIds.get(largestGone));
        double change = net[1] - net[0];
        Thresholds th = d.test.thresholds();
        boolean material = change >= th.minRelativeChange() * net[0] && change >= th.minAbsoluteChange();
        double alpha = bar.alpha(d.test.type(), 0.5 * (net[0] + net[1]), th);
        // What the new code adds beyond what it replaced is itself a new hot path's worth: credible on its own, as a
        // new path's presence is, it FAILs (a compression level that took a JNI library's 0.26 % to 0.81 % of CPU).
        boolean newPathWorth = change >= th.newHotPathShare() && net[2] <= th.maxQValue();
        boolean costsMore = material && (net[2] <= alpha || newPathWorth);
        if (structural && !tookCalls) {
            // Not a wrapper by what the callee's direct calls did (tookCalls): the new frame adds calls to old code
            // (qa62's `recompute` asking `Quotes.stock` once more on half the requests, 0.41 % of allocated bytes, passed
            // as "a wrapper around some of its calls" while the direct calls did not fall, qa71) — unless the callee got
            // dearer (below), it is new work, judged as it is.
            double[] dearer = change > 0 ? dearerCallee(context, wrappedPerPod, callSites) : null;
            return dearer == null ? null : new Replacement(wrappedCallee, caller, dearer,
                    context.analysis.priorMeans(callSites), false, false, false, true, null);
        }
        if (structural && change > 0) {
            // The wrapped callee and the new frame together cost more than the callee did. Either the callee got dearer
            // (a wrapper around some of its calls then runs its dearer calls), or the new frame adds calls to it (qa62's
            // `recompute`: new work calling old code). Profiles hold no call counts; what they do show is the callee's
            // direct calls against the rest of the profile: the same for added calls, dearer when the callee is. Only
            // then is the rise the callee's — judged in its own rows and the cost per request, over both paths — and
            // the new frame judged by its own cost (under newHotPathShare here, above).
            double[] dearer = dearerCallee(context, wrappedPerPod, callSites);
            if (dearer != null) {
                return new Replacement(wrappedCallee, caller, dearer, context.analysis.priorMeans(callSites), false,
                        false, false, true, null);
            }
            if (costsMore && !likeSized) {
                return null; // new work beside calls the caller still makes: a new hot path
            }
        }
        // Read as a wrapper only because the data cannot tell the readings apart, while the added calls' reading would
        // be a new hot path (qa80: `AuditLog.record` asked once more on 10 % of requests, 4.5 % of allocated bytes,
        // PASSed as a wrapper at 2+2 and 3+1): a PASS would claim the canary fine, so the verdict is INCONCLUSIVE.
        String untold = reading != null && reading.untold() && !costsMore
                ? reading.text(path.get(entry), wrappedCallee, Summaries.label(d.test.type())) : null;
        return new Replacement(largestGone, caller, goneMeans, net, costsMore, callerOwnLargest,
                largestPartly && !callerOwnLargest, false, untold);
    }

    /**
     * The wrapped callees' direct cost at the caller relative to the rest of the profile (what neither they nor the
     * new frame run there), {baseline, canary} as ratios, when it rose credibly — by {@value #CREDIBLE_STANDARD_ERRORS}
     * standard errors of the prior noise of both parts, and by at least {@value #DEARER_BY} — else null. The
     * rest stands for the requests served: a new frame taking a share f of the calls of a callee that got r times as
     * dear leaves the direct calls at (1 − f)·r times the rest's ratio (the audit log ×1.8 with a fifth traced: ×1.44);
     * a new method that adds calls leaves them as they were (×1.0 in qa62's `recompute`).
     *
     * @param direct per pod, the wrapped callees' direct cost at the caller
     * @param site   per pod, that and what is new at the caller
     */
    private static double[] dearerCallee(TypeContext context, double[] direct, double[] site) {
        double[] d = context.analysis.priorMeans(direct);
        double[] n = context.analysis.priorMeans(site);
        if (!(d[0] > 0 && d[1] > 0) || !(n[0] < 1 && n[1] < 1)) {
            return null;
        }
        double before = d[0] / (1 - n[0]);
        double after = d[1] / (1 - n[1]);
        // Relative standard errors of the two parts, at their mean levels (the prior's SE is of the difference).
        double relative = Math.hypot(d[2] / (0.5 * (d[0] + d[1])), n[2] / (1 - 0.5 * (n[0] + n[1])));
        boolean credible = Math.log(after / before) > CREDIBLE_STANDARD_ERRORS * relative
                && after - before >= DEARER_BY * before;
        return credible ? new double[] {before, after} : null;
    }

    /**
     * Whether a new frame paired by structure with old callees of its caller ({@code wrapped}: their direct cost there
     * per pod) took some of their calls — is a wrapper — rather than added calls to them. Profiles hold no call counts;
     * the direct calls' ratio to the rest of the profile (what runs through neither the wrapped callees nor what is new
     * at the caller: it stands for the requests served) tells them apart: a wrapper around a share f of the calls leaves
     * it at (1 − f) of what it was, added calls leave it as it was (qa62's {@code recompute}: {@code Quotes.stock}'s
     * ratio 0.0085 → 0.0085 with half as many calls again under the new frame; the audit log's 0.91 → 0.91). The normalised
     * shares cannot say it: a new method that adds a fifth of the bytes under a large callee lowers the callee's direct
     * share (48.4 → 35.8 %) as a wrapper would (qa67's "Not fixed" 8).
     *
     * <p>A wrapper when the ratio fell by {@value #CREDIBLE_STANDARD_ERRORS} standard errors (at the noise the judge
     * has for the largest wrapped callee, never narrower than the prior, and the rest's), or when the two readings
     * cannot be told apart: what the new frame runs, were it all added calls, would raise the call site by less than
     * {@code minRelativeChange} of what it was, by less than {@code minAbsoluteChange} of the total, or by less than
     * those standard errors — a wrapper's fall could not have been credible then, so its absence says nothing (a
     * wrapper around 5 % of {@code Quotes$$Lambda.accept}'s calls, 2.4 % of bytes, qa67).
     * Otherwise added calls only when the ratio stands {@value #CREDIBLE_STANDARD_ERRORS} standard errors above the
     * (1 − f) a wrapper around the new frame's share f would leave; between the two it cannot be told, and reads as a
     * wrapper — and {@link Reading#untold} when the added calls' reading would then be a new hot path (qa80: the
     * verdict is INCONCLUSIVE, naming both).
     *
     * @param wrapped   per pod, the wrapped callees' direct cost at the caller
     * @param added     per pod, what is new at the caller (the new frame with what it runs)
     * @param excluded  the wrapped callees and what is new at the caller: their stacks are not the rest
     * @param largest   the wrapped callee with the largest baseline cost there, whose learned noise counts
     */
    private static Reading tookCalls(TypeContext context, Thresholds th, double[] wrapped, double[] added,
                                    Set<Integer> excluded, int largest) {
        double[] direct = context.analysis.meansAtNoiseOf(wrapped, largest);
        double[] rest = context.analysis.meansAtNoiseOf(context.analysis.podValuesOutside(excluded), largest);
        double[] fresh = context.analysis.priorMeans(added);
        if (!(direct[0] > 0 && direct[1] > 0 && rest[0] > 0 && rest[1] > 0)) {
            return new Reading(true, false, 0, 0, 0, 0);
        }
        double before = direct[0] / rest[0];
        double after = direct[1] / rest[1];
        // Relative standard errors of the two parts at their mean levels (the means' SE is of the difference).
        double relative = Math.hypot(direct[2] / (0.5 * (direct[0] + direct[1])), rest[2] / (0.5 * (rest[0] + rest[1])));
        boolean fell = Math.log(after / before) < -CREDIBLE_STANDARD_ERRORS * relative;
        double addedShare = fresh[1] / rest[1] / before; // what the new frame runs, against the direct calls before
        boolean immaterial = addedShare < th.minRelativeChange() || fresh[1] < th.minAbsoluteChange();
        boolean untellable = immaterial || addedShare < CREDIBLE_STANDARD_ERRORS * relative;
        // Symmetric with `fell`: added calls only when the ratio stands credibly above the (1 − f) a wrapper around that
        // share leaves; a wrapper just above the bar above has an expected fall barely past it, so a ratio that fell
        // less than credibly is no sign of added calls (qa71b). A new frame running as much as the calls were leaves a
        // wrapper nothing: any ratio is above.
        boolean aboveWrapper = addedShare >= 1
                || Math.log(after / before) > Math.log(1 - addedShare) + CREDIBLE_STANDARD_ERRORS * relative;
        boolean wrapper = fell || untellable || !aboveWrapper;
        // Read as a wrapper without the fall that says so, while the added calls' reading — the new frame's code as new
        // work — would be a new hot path's worth (newHotPathShare): the data cannot tell a PASS from a FAIL (qa80).
        boolean untold = wrapper && !fell && !immaterial && fresh[1] >= th.newHotPathShare();
        // The share of the callee's calls a wrapper would take in the canary: what runs under the new frame of all of it.
        double share = fresh[1] / (fresh[1] + direct[1]);
        return new Reading(wrapper, untold, before, after, share, fresh[1]);
    }

    /**
     * What the callee's direct calls against the rest of the profile say of a new frame paired by structure
     * ({@link #tookCalls}).
     *
     * @param wrapper   read as a wrapper around some of the callee's calls (else as added calls)
     * @param untold    read as a wrapper only because the two readings are within the noise of each other, while the
     *                  added calls' reading would be a new hot path
     * @param before    the direct calls' ratio to the rest, baseline
     * @param after     the same, canary
     * @param share     the share (0..1) of the callee's calls a wrapper would take: what runs under the new frame of all
     * @param cost      what runs under the new frame, raw share of the canary's total: the added calls' cost
     */
    private record Reading(boolean wrapper, boolean untold, double before, double after, double share, double cost) {
        String text(String frame, String callee, String label) {
            return String.format(Locale.ROOT, "`%s` is a wrapper around ~%.0f %% of `%s`'s calls (no cost of its own) or "
                            + "adds calls to it costing %s of %s — the data cannot tell (`%s`'s direct calls against the rest of "
                            + "the profile ×%.2f, within two standard errors of both readings); more canary pods or "
                            + "history (earlier baseline windows) would", frame, 100 * share, callee,
                    Summaries.share(cost), label, callee, after / before);
        }
    }

    /**
     * Whether {@code callee}, which {@code parent} calls directly and through the new frame {@code newFrame}, got dearer
     * itself ({@link #dearerCallee}, on the two call sites of {@code parent}): then what the new frame runs of it is the
     * callee's own calls, not work added ({@link CostOwners#extraOldWork}).
     */
    static boolean dearerAt(TypeContext context, int parent, int callee, int newFrame) {
        Map<Integer, double[]> at = context.analysis.calleeEdgeValues(parent).inclusive();
        double[] direct = at.get(callee);
        double[] under = at.get(newFrame);
        if (direct == null || under == null) {
            return false;
        }
        double[] site = new double[direct.length];
        for (int u = 0; u < site.length; u++) {
            site[u] = direct[u] + under[u];
        }
        return dearerCallee(context, direct, site) != null;
    }

    /**
     * The least rise of a wrapped callee's direct calls against the rest of the profile that says it got dearer
     * ({@link #dearerCallee}): a tenth, as the judge's default {@code minRelativeChange}; below that the calls are read as
     * they were, and what the new frame runs of the callee as added work.
     */
    private static final double DEARER_BY = 0.1;

    /**
     * The canary's share (raw, 0..1) that the new frame {@code frame} runs beside the old application code below it
     * ({@link CostOwners#besideOldCode}; old: application frames at or above {@code negligibleShare} in the baseline).
     */
    private static double ownNewCode(TypeContext context, FamilyBar bar, int frame) {
        String[] names = context.functionNames;
        boolean[] old = new boolean[names.length];
        for (int f = 0; f < names.length; f++) {
            if (f != frame && bar.config().frames().classify(names[f]).application()) {
                old[f] = context.analysis.inclusiveGroupMeans(f)[0] >= bar.config().thresholdsFor(names[f]).negligibleShare();
            }
        }
        double[] beside = new double[1];
        CostOwners.besideOldCode(context.current(), frame, old).values().forEach(v -> beside[0] += v[1]);
        return beside[0];
    }

    /**
     * Whether the new frame {@code wrapper} now calls {@code callee} directly for at least {@value #MOSTLY_MOVED} of
     * what the callee cost at its old call site ({@code atOldSite}: baseline, canary, standard error there).
     */
    private static boolean wraps(CallSites sites, int wrapper, int callee, double[] atOldSite) {
        double[] under = sites.edge(wrapper, callee);
        return under[1] >= MOSTLY_MOVED * atOldSite[0];
    }

    /**
     * Why an inclusive rise of a library or JDK frame that the baseline ran is work that only moved under the frame, or
     * null (application frames are the service's code, judged by what they call: a method renamed at the same cost is
     * {@link #replacement}'s; a frame no baseline observation ran is a new path): the frame now runs, below it, code that
     * costs what it did, and ran under other frames before — work handed to another thread pool or dispatcher
     * (Kotlin's {@code withContext(Dispatchers.IO)} instead of {@code Dispatchers.Default} runs the same coroutines
     * under {@code kotlinx.coroutines.internal.LimitedDispatcher$Worker.run}: +767 % with its callees in recorded
     * pods, CPU per request unchanged), or a new wrapper around existing tasks. At the frame's call sites
     * ({@link TypeAnalysis#calleeEdgeValues}) each direct callee's rise there counts as moved for the part of it that
     * the callee did not gain overall (its inclusive cost everywhere); when at least {@code 1 − }{@value #REACHES} of
     * the frame's rise moved so, and no callee that carried it got credibly more expensive overall, it is not a
     * regression. New or costlier code below the frame gains overall what it gains there, and still FAILs; so does a
     * method renamed at a higher cost (what it calls moved under the new name and grew).
     */
    private static String workMovedUnder(TypeContext context, CallSites sites, FindingDraft d) {
        Integer id = context.functionIds.get(d.test.function());
        if (id == null) {
            return null;
        }
        double[] own = context.analysis.inclusiveGroupMeans(id);
        double rise = own[1] - own[0];
        if (!(rise > 0)) {
            return null;
        }
        Moved moved = movedUnder(context, sites, id, new HashSet<>(List.of(id)), MAX_WRAPPERS);
        if (alongStacks && (moved.carrier == null || moved.grew || moved.share < (1 - REACHES) * rise)) {
            moved = movedAlongStacks(context, id);
        }
        if (moved.carrier == null || moved.grew || moved.share < (1 - REACHES) * rise) {
            return null;
        }
        String label = Summaries.label(d.test.type());
        return String.format(Locale.ROOT, "Not counted as a regression: the work that rose under it moved "
                        + "there, it did not grow — most in `%s`, which costs what it did overall (%s → %s of %s with "
                        + "its callees, wherever it runs) and now runs under this frame: work handed to another thread "
                        + "pool or dispatcher, a new wrapper around existing work, or the same work reached by another "
                        + "call path of its framework (%s of the frame's %s rise "
                        + "moved so).", moved.carrier, Summaries.share(moved.carrierEverywhere[0]),
                Summaries.share(moved.carrierEverywhere[1]), label, Summaries.share(Math.min(moved.share, rise)),
                Summaries.share(rise));
    }

    /** How much of what rose under a frame moved there ({@link #movedUnder}), and the callee that carried most of it. */
    private record Moved(double share, String carrier, double[] carrierEverywhere, boolean grew) {
    }

    /**
     * What moved under {@code frame}: for each direct callee whose cost at the frame's call sites rose, the part of that
     * rise the callee did not gain overall — and, for a callee that did gain it overall (a wrapper below the frame that
     * moved with it: {@code TaskImpl.run} above {@code LimitedDispatcher$Worker.run}), what moved under that callee, up
     * to its rise there; {@code depth} wrappers deep at most. {@code grew}: a callee that carried some of it got credibly
     * more expensive overall ({@link #roseCredibly}) — code renamed under the frame that costs more, not work that
     * only moved.
     */
    private static Moved movedUnder(TypeContext context, CallSites sites, int frame, Set<Integer> seen,
                                    int depth) {
        double moved = 0;
        double largest = 0;
        String carrier = null;
        double[] carrierEverywhere = null;
        boolean grew = false;
        for (Map.Entry<Integer, double[]> e : sites.of(frame).entrySet()) {
            int callee = e.getKey();
            if (seen.contains(callee)) {
                continue;
            }
            double[] there = context.analysis.priorMeans(e.getValue());
            double gainedThere = there[1] - there[0];
            if (!(gainedThere > 0)) {
                continue;
            }
            double[] everywhere = context.analysis.priorMeans(context.analysis.podValues(callee, false));
            double part = gainedThere - Math.max(0, Math.min(gainedThere, everywhere[1] - everywhere[0]));
            String partCarrier = context.functionNames[callee];
            double[] partEverywhere = everywhere;
            boolean partGrew = part > 0 && roseCredibly(everywhere);
            if (part < gainedThere && depth > 1) {
                seen.add(callee);
                Moved below = movedUnder(context, sites, callee, seen, depth - 1);
                seen.remove(callee);
                if (below.carrier != null && below.share > part) {
                    part = Math.min(gainedThere, below.share);
                    partCarrier = below.carrier;
                    partEverywhere = below.carrierEverywhere;
                    partGrew = below.grew;
                }
            }
            moved += part;
            grew |= partGrew;
            if (part > largest) {
                largest = part;
                carrier = partCarrier;
                carrierEverywhere = partEverywhere;
            }
        }
        return new Moved(moved, carrier, carrierEverywhere, grew);
    }

    /**
     * What moved under {@code frame}, read along each stack rather than callee by callee ({@link #movedUnder}): a
     * framework's chain between the frame and the work it carries can be deeper than {@value #MAX_WRAPPERS} wrappers
     * and hold frames that recur on one stack. Recorded (qa53, Spring WebFlux over Reactor Netty, unchanged JVMs): four
     * of six JVMs ran the handler on the subscription path, under {@code MonoNext$NextSubscriber.onNext} and 8-12
     * subscription frames ({@code InternalMonoOperator.subscribe} twice on one stack; the frame with its callees 11-15 %
     * of CPU), two on the event loop's read path (3-5 %); the frames of the chain rose overall with the work that moved
     * under them, so the walk stopped at them and counted them as grown: 2 of 10 A/A 2v2 draws with history FAILed at a
     * Reactor frame (qa55's model of it, {@code ReactorPathMoveTest}: 1-16 of 20 A/A draws a layout FAILed, 0 now). Here each stack through the frame is charged to the first frame below it that
     * did not get credibly more expensive overall (everywhere it runs): the work it carries rose under this frame by
     * what it lost elsewhere, which is what moved. Stacks on which every frame down to the leaf rose overall are work
     * that grew; when they rose credibly under the frame, nothing is excused (a real rise on one path of the
     * framework: its code gets more expensive wherever it runs, and so do the frames above it).
     */
    private static Moved movedAlongStacks(TypeContext context, int frame) {
        Map<Integer, Boolean> steady = new HashMap<>();
        Map<Integer, double[]> below = context.analysis.firstFramesBelow(frame, f -> steady.computeIfAbsent(f,
                g -> !roseCredibly(context.analysis.priorMeans(context.analysis.podValues(g, false)))));
        double moved = 0;
        double largest = 0;
        String carrier = null;
        double[] carrierEverywhere = null;
        boolean grew = false;
        for (Map.Entry<Integer, double[]> e : below.entrySet()) {
            double[] there = context.analysis.priorMeans(e.getValue());
            if (e.getKey() == TypeAnalysis.NO_FRAME) {
                grew = roseCredibly(there);
                continue;
            }
            double gainedThere = there[1] - there[0];
            if (!(gainedThere > 0)) {
                continue;
            }
            double[] everywhere = context.analysis.priorMeans(context.analysis.podValues(e.getKey(), false));
            double part = gainedThere - Math.max(0, Math.min(gainedThere, everywhere[1] - everywhere[0]));
            moved += part;
            if (part > largest) {
                largest = part;
                carrier = context.functionNames[e.getKey()];
                carrierEverywhere = everywhere;
            }
        }
        return new Moved(moved, carrier, carrierEverywhere, grew);
    }

    /**
     * Whether {@link #movedAlongStacks} is asked when the callee walk does not excuse a rise: always in the product; the
     * evaluation switches it off ({@code JudgeTestAccess.movedAlongStacks}) to measure what the rule changes (qa58).
     */
    static volatile boolean alongStacks = true;

    /** Frames of a chain of wrappers that moved together ({@link #movedUnder}) followed down at most. */
    private static final int MAX_WRAPPERS = 4;

    /** Whether every current pod of {@code side} (0 baseline, 1 canary) holds some of the per-unit values. */
    private static boolean inEveryPod(double[] values, int[] group, int side) {
        for (int u = 0; u < values.length; u++) {
            if (group[u] == side && !(values[u] > 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Code gone from under {@code caller} (the largest: {@code gone}, {baseline, canary, SE} at that call site) beside
     * new code there; {@code net}: {baseline, canary, p} of what is new and what is gone there together (and the
     * caller's own cost when it rose), levels as shares of the total.
     *
     * @param costsMore the net change is a material rise that passes the family's bar ({@link FamilyBar}): a
     *                  rewrite that costs more still FAILs
     * @param dearer    a wrapper around calls of {@code gone}, a callee that itself got dearer ({@link #dearerCallee}):
     *                  {@code goneMeans} its direct calls' ratio to the rest, {baseline, canary}; {@code net} its calls
     *                  there, direct and through the new frame
     */
    /** @param untold the two readings of a new frame the data cannot tell apart ({@link Reading#text}), or null */
    private record Replacement(String gone, String caller, double[] goneMeans, double[] net, boolean costsMore,
                               boolean callerOwn, boolean partly, boolean dearer, String untold) {
        String text(FindingDraft d) {
            String label = Summaries.label(d.test.type());
            if (dearer) {
                return String.format(Locale.ROOT, "Not counted as a regression of its own: it runs calls to `%s` from "
                                + "the same caller `%s` that the caller made directly in the baseline — a wrapper around "
                                + "some of them (sampled tracing) — with little cost of its own, and `%s` itself got "
                                + "dearer: its direct calls there cost ×%.2f as much against the rest of the profile, "
                                + "which added calls would leave as they were; `%s` there, directly and through the new "
                                + "frame, came to %s of %s in the baseline and %s in the canary (%s), a rise judged as "
                                + "`%s`'s (its own rows and the cost per request).", gone, caller, gone,
                        goneMeans[1] / goneMeans[0], gone, Summaries.share(net[0]), label, Summaries.share(net[1]),
                        FindingBuilder.relative(net), gone);
            }
            String where = callerOwn
                    ? String.format(Locale.ROOT, "it took the place of its caller `%s`'s own cost (%s of %s "
                            + "in that frame in the baseline, %s in the canary); what is new there and the caller's own "
                            + "cost came to %s of %s together in the baseline and %s in the canary (%s)", caller,
                    Summaries.share(goneMeans[0]), label, Summaries.share(goneMeans[1]), Summaries.share(net[0]), label,
                    Summaries.share(net[1]), FindingBuilder.relative(net))
                    : partly ? String.format(Locale.ROOT, "it took some of the calls to `%s` from the same caller `%s` "
                            + "(%s of %s there in the baseline, %s in the canary); the new frame and `%s` there cost %s of %s "
                            + "together in the baseline and %s in the canary (%s)", gone, caller,
                    Summaries.share(goneMeans[0]), label, Summaries.share(goneMeans[1]), gone, Summaries.share(net[0]),
                    label, Summaries.share(net[1]), FindingBuilder.relative(net))
                    : String.format(Locale.ROOT, "it took the place of `%s`, gone from under the same "
                            + "caller `%s` (%s of %s there in the baseline, %s in the canary); what is new and what is "
                            + "gone there cost %s of %s together in the baseline and %s in the canary (%s)", gone, caller,
                    Summaries.share(goneMeans[0]), label, Summaries.share(goneMeans[1]), Summaries.share(net[0]), label,
                    Summaries.share(net[1]), FindingBuilder.relative(net));
            if (costsMore) {
                return "Renamed or rewritten code that costs more: " + where + ", beyond noise.";
            }
            return callerOwn
                    ? "Not counted as a regression: " + where + " — the caller's code running in a frame of its own, "
                            + "as in a JVM that has not compiled it as its peers did (a young JVM's interpreted or C1 "
                            + "code calls what C2 inlines or intrinsifies), or code moved out of the caller at the "
                            + "same cost; judged by the net change."
                    : partly && untold != null ? "Not counted as a regression: " + where + " — a wrapper around some "
                            + "of its calls (sampled tracing), judged by the net change; but " + untold + "."
                    : partly ? "Not counted as a regression: " + where + " — a wrapper around some of its calls "
                            + "(sampled tracing), judged by the net change."
                    : "Not counted as a regression: " + where + " — code renamed, moved or rewritten at the same cost, "
                            + "judged by the net change" + (untold != null ? "; but " + untold + "." : ".");
        }
    }

    /**
     * Whether an inclusive value ({baseline, canary, standard error of the difference}) rose by
     * less than {@value #REACHES} of the finding's rise, by more than two standard errors. Raw
     * shares are compositional: an ancestor holding share A can only rise by Δ·(1 − A)/(1 − p).
     */
    private static boolean fallsShort(double[] inclusive, FindingDraft d, TypeContext context) {
        double rise = d.test.difference();
        double expected = context.analysis.rawShares()
                ? rise * Math.max(0, 1 - inclusive[0]) / Math.max(1e-9, 1 - d.test.baseline())
                : rise;
        return inclusive[1] - inclusive[0] + 2 * inclusive[2] < REACHES * expected;
    }

    /**
     * Whether the finding's function was all but absent from the baseline: its baseline self cost
     * under {@value #INLINED_TRACE} of the canary's. That is what inlining does to a frame — an
     * inlined function keeps only a trace of its self time (recorded A/A: {@code HashMap.hash} at
     * 0.03 % in JVMs that inlined it, 1.9 % in those that did not) — so only such a rise can have
     * come wholly out of its caller's frame, and only for such a rise is the evidence that it did not
     * ({@link #roseCredibly}) asked for.
     */
    private static boolean absentFromBaseline(TypeContext context, FindingDraft d) {
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
     * (docs/EVALUATION.md "How profiles are cut", JIT flips).
     */
    private static boolean fellBy(double[] means, FindingDraft d) {
        double fall = means[0] - means[1];
        return fall >= MOVED_FROM_CALLER * d.test.difference() && fall > MOVED_STANDARD_ERRORS * means[2];
    }

    /**
     * The direct callee whose cost <em>at this call site</em> (its inclusive value on stacks where this
     * function calls it directly, {@link CallSites#edge}) fell by at least
     * {@value #MOVED_FROM_CALLER} of the finding's self rise, beyond noise, or null: the other side of
     * {@link #fellBy} on the caller — a JVM that inlined the callee shows its time in this frame. The callee's own
     * cost there counts as well as its inclusive cost: a JVM that inlined the callee's own code but not what it calls
     * moves only that part (simulated JIT flips, 1 + 1 A/A 4.0 → 3.5 % of cases, no rise cell moved). Only
     * the call site counts: a stub shared by the whole profile ({@code .itable stub}) that dipped
     * elsewhere says nothing about this frame (it vetoed 5 of 38 real +50 %/+100 % rises when its
     * profile-wide cost was used).
     */
    private static String calleeItMovedFrom(TypeContext context, CallSites sites, int function, BitSet callees,
                                            FindingDraft d) {
        for (int g = callees.nextSetBit(0); g >= 0; g = callees.nextSetBit(g + 1)) {
            if (g != function && (fellBy(sites.edge(function, g), d) || fellBy(sites.selfEdge(function, g), d))) {
                return context.functionNames[g];
            }
        }
        return null;
    }

    /**
     * Whether the finding's function ran under {@code caller} in the baseline at all: inlining can only
     * have moved time out of a call site that existed. A function that was a trace elsewhere but never
     * under this caller is a new call path, not a JIT decision.
     */
    private static boolean ranUnder(TypeContext context, CallSites sites, int caller, FindingDraft d) {
        return sites.edge(caller, context.functionIds.get(d.test.function()))[0] > 0;
    }

    /**
     * A type's call sites, read once per caller ({@link TypeAnalysis#calleeEdgeValues}: one pass over the stacks
     * for all of a caller's callees) and shared by every finding under that caller.
     */
    private record CallSites(TypeContext context, Map<Integer, TypeAnalysis.CallSiteValues> byCaller) {
        /** Callee id → its value per unit at {@code caller}'s call sites. */
        Map<Integer, double[]> of(int caller) {
            return sites(caller).inclusive();
        }

        private TypeAnalysis.CallSiteValues sites(int caller) {
            return byCaller.computeIfAbsent(caller, context.analysis::calleeEdgeValues);
        }

        /**
         * As {@link #edge}, of the callee's own cost at those call sites (stacks ending in it there): where a JVM
         * inlined the callee's own code into the caller but not the callees it calls, only this part moved.
         */
        double[] selfEdge(int caller, int callee) {
            double[] podValue = sites(caller).self().get(callee);
            return context.analysis.priorMeans(podValue != null ? podValue : new double[context.units.pods()]);
        }

        /**
         * Group means of the inclusive value of {@code callee} on stacks where {@code caller} calls it directly
         * (counted once per stack), and [2] the standard error of their difference under the prior noise: what
         * moved between the two frames of one call site, not the callee's cost elsewhere.
         */
        double[] edge(int caller, int callee) {
            double[] podValue = of(caller).get(callee);
            return context.analysis.priorMeans(podValue != null ? podValue : new double[context.units.pods()]);
        }
    }

    /**
     * For every function with a failing self rise, its direct callees in any observation's stacks,
     * per profile type: one pass over each type's stacks for all of them together.
     */
    private static Map<ProfileType, Map<Integer, BitSet>> directCalleesOfFailingSelfRises(
            List<FindingDraft> drafts, Map<ProfileType, TypeContext> contexts) {
        Map<ProfileType, Map<Integer, BitSet>> byType = new EnumMap<>(ProfileType.class);
        for (FindingDraft d : drafts) {
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
    /** The part of a caller's own cost that must have gone for it to count as code moved into a new callee. */
    private static final double MOSTLY_MOVED = 0.5;

    /**
     * The bar the false-discovery family that decides puts on one more rise: with k rises discovered among m function
     * tests (weighted Benjamini–Hochberg, q ≤ maxQ), a test of weight w passes when p ≤ (k + 1)·maxQ·w/(m + 1) — so
     * renamed code that costs more FAILs as the same code would have under its old name, beside the same discoveries.
     *
     * @param tests       function tests in the family (m)
     * @param discoveries rises among them at q ≤ maxQ (k)
     * @param meanWeight  mean unnormalised weight of the function tests ({@link Judge#meanWeight})
     */
    record FamilyBar(int tests, int discoveries, double meanWeight, JudgeConfig config) {
        FamilyBar(List<FunctionTest> tests, double[] q, JudgeConfig config) {
            this(count(tests, q, false, config), count(tests, q, true, config), Judge.meanWeight(tests, config), config);
        }

        private static int count(List<FunctionTest> tests, double[] q, boolean discoveries, JudgeConfig config) {
            int n = 0;
            for (int i = 0; i < tests.size(); i++) {
                FunctionTest t = tests.get(i);
                if (t.measure() == io.canaryjudge.verdict.Measure.TOTAL_PER_REQUEST || Double.isNaN(t.pValue())) {
                    continue;
                }
                if (!discoveries || (t.difference() > 0 && q[i] <= t.thresholds().maxQValue())) {
                    n++;
                }
            }
            return n;
        }

        /** The largest p-value a rise at {@code share} can have and be a discovery. */
        double alpha(ProfileType type, double share, Thresholds thresholds) {
            double weight = Judge.selfWeight(type, Math.max(share, 1e-6), config) / meanWeight;
            return Math.min(1, (discoveries + 1) * thresholds.maxQValue() * weight / (tests + 1));
        }
    }

    /** Share of a self rise that its caller's self must lose for the rise to count as moved code. */
    private static final double MOVED_FROM_CALLER = 0.5;

    /** New code and what vanished from under its caller differ by at most this factor, either way, in a rename. */
    private static final double MAX_REPLACEMENT_RATIO = 2;

    /** A rise must reach its caller by at least this fraction to count (multi-caller functions carry less). */
    private static final double REACHES = 0.3;

}
