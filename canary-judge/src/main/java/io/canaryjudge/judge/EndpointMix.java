package io.canaryjudge.judge;

import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.Measure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A canary that serves another <b>mix of requests</b> than the baseline pods — a header or cookie route (Flagger's A/B
 * testing, Argo Rollouts' {@code setHeaderRoute}) or a mirror sends it one segment of the users, not a random share —
 * moves every function's share and its cost per request with unchanged code: recorded (qa30), canaries whose checkouts
 * fell from 30 % to 10 % of their requests and searches rose from 40 % to 60 % FAILed "allocated bytes per request
 * +35 %" (a search allocates more than a checkout).
 *
 * <p>The requests enter the application at its endpoints: the application frames a dispatcher calls, the dispatcher
 * being a frame on at least {@link #DISPATCHER_SHARE} of the total in both groups (a servlet, a router, a reflective
 * handler call) with {@link #MIN_ENDPOINTS} or more application children of at least {@link #ENDPOINT_SHARE} of its
 * value. When their shares moved credibly ({@link #credibleShift}), a rise of the cost per request — each endpoint's
 * cost weighted by the mix — is reported, not failed, and the verdict is INCONCLUSIVE naming the shift (never PASS: an
 * endpoint made uniformly slower moves its share as more of its requests would). Function rises the mix predicts (the
 * baseline's cost of a function inside each endpoint, scaled by the canary's endpoint shares) are excused only with
 * {@link #EXCUSE_FUNCTION_RISES}; new hot paths are never touched.
 */
final class EndpointMix {
    /**
     * Whether function rises the mix predicts are excused too, not only the cost per request. Off: a profile cannot
     * tell a dispatcher's alternatives (one endpoint per request) from a handler's sequential steps (every request
     * runs each); with the shop's steps taken for endpoints, a renamed method costing a third more
     * ({@code ReplacedCodeTest}) was excused as a mix. In the qa30 recordings no function rise needed it.
     */
    static final boolean EXCUSE_FUNCTION_RISES = false;

    /** A dispatcher is on at least this share of the type's total, in both groups. */
    static final double DISPATCHER_SHARE = 0.25;
    /** An endpoint carries at least this share of its dispatcher's value, in either group. */
    static final double ENDPOINT_SHARE = 0.05;
    /** A dispatcher routes among at least this many endpoints. */
    static final int MIN_ENDPOINTS = 2;

    /** The dispatcher's function id and its endpoints' (global ids), with each group's mean share of the endpoints. */
    record Dispatch(int dispatcher, int[] endpoints, double[][] shares) {
    }

    private EndpointMix() {
    }

    /**
     * Marks failing share rises that the canary's endpoint mix explains as not failing, with a caveat.
     *
     * @return per type, the endpoints whose share moved (for the summary), only for types where some rise was excused
     */
    static Map<ProfileType, Dispatch> apply(List<FindingDraft> drafts, List<FunctionTest> tests,
                                                                    Map<ProfileType, TypeContext> contexts,
                                                                    FrameClassifier frames) {
        Map<ProfileType, Dispatch> shifted = new HashMap<>();
        Map<ProfileType, List<FindingDraft>> byType = new HashMap<>();
        Map<ProfileType, FindingDraft> perRequest = new HashMap<>();
        for (FindingDraft d : drafts) {
            if (EXCUSE_FUNCTION_RISES && d.failing && d.kind == FindingKind.REGRESSION && d.test.baseline() > 0
                    && (d.test.measure() == Measure.INCLUSIVE || d.test.measure() == Measure.SELF)) {
                byType.computeIfAbsent(d.test.type(), t -> new ArrayList<>()).add(d);
            }
            if (d.failing && d.kind == FindingKind.COST_PER_REQUEST) {
                perRequest.put(d.test.type(), d);
                byType.computeIfAbsent(d.test.type(), t -> new ArrayList<>());
            }
        }
        for (Map.Entry<ProfileType, List<FindingDraft>> entry : byType.entrySet()) {
            TypeContext context = contexts.get(entry.getKey());
            Dispatch dispatch = dispatch(context, frames);
            if (dispatch == null || !credibleShift(tests, context, dispatch)) {
                continue; // without a credible move of the mix, a rise is judged as it is
            }
            List<FindingDraft> rises = entry.getValue();
            double[][][] predicted = predict(context, dispatch, rises);
            boolean any = false;
            FindingDraft total = perRequest.get(entry.getKey());
            if (total != null) {
                // The cost per request is each endpoint's cost per request weighted by its share of the requests: a
                // mix that credibly moved (one endpoint's share up, another's down) moves it with unchanged code.
                total.failing = false;
                any = true;
                total.caveat = "Not counted as a regression: the canary served another mix of requests ("
                        + describe(context, dispatch) + "), and the cost per request is the endpoints' costs weighted by "
                        + "that mix: a header, cookie or mirror route sends the canary one segment of the users.";
            }
            for (int k = 0; k < rises.size(); k++) {
                FindingDraft d = rises.get(k);
                double baseline = predicted[k][0][0];
                double expected = predicted[k][1][0];
                double observed = predicted[k][1][1];
                double scale = d.test.scale();
                double mixRise = expected - baseline;
                if (!(mixRise > 0) || !(mixRise >= d.test.ciLow() * scale)) {
                    continue;
                }
                d.failing = false;
                any = true;
                d.caveat = String.format(Locale.ROOT, "Not counted as a regression: the canary served another mix "
                        + "of requests (%s), and with the baseline's cost inside each endpoint that mix alone puts this "
                        + "function at %.1f %% (baseline %.1f %%, canary %.1f %%): a header, cookie or mirror route "
                        + "sends the canary one segment of the users. Judge it against baseline pods that serve the "
                        + "same segment, or an unrouted canary.", describe(context, dispatch), expected * 100,
                        baseline * 100, observed * 100);
            }
            if (any) {
                shifted.put(entry.getKey(), dispatch);
            }
        }
        return shifted;
    }

    /**
     * The endpoints' shares differ between the groups: the smallest p-value of the endpoints' own share tests (the
     * judge's, inclusive), Bonferroni-corrected over the endpoints, is at most {@link #SHIFT_ALPHA}, and the endpoints'
     * shares moved both ways (a mix moves requests from some endpoints to others).
     */
    static boolean credibleShift(List<FunctionTest> tests, TypeContext context, Dispatch dispatch) {
        double minP = 1;
        boolean rose = false;
        boolean fell = false;
        for (FunctionTest t : tests) {
            if (t.type() != context.type || t.measure() != Measure.INCLUSIVE || Double.isNaN(t.pValue())) {
                continue;
            }
            Integer id = context.functionIds.get(t.function());
            if (id != null && Arrays.stream(dispatch.endpoints()).anyMatch(e -> e == id)) {
                minP = Math.min(minP, t.pValue());
                rose |= t.difference() > 0;
                fell |= t.difference() < 0;
            }
        }
        return rose && fell && minP * dispatch.endpoints().length <= SHIFT_ALPHA;
    }

    /** The level at which the endpoints' shares are taken to differ ({@link #credibleShift}). */
    static final double SHIFT_ALPHA = 0.05;

    /** "`Search.handle` 35 % → 52 %, `Checkout.handle` 30 % → 11 %": the endpoints that moved most, of the total. */
    static String describe(TypeContext context, Dispatch dispatch) {
        Integer[] order = new Integer[dispatch.endpoints().length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        double[][] s = dispatch.shares();
        Arrays.sort(order, (a, b) -> Double.compare(Math.abs(s[1][b] - s[0][b]), Math.abs(s[1][a] - s[0][a])));
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < Math.min(3, order.length); i++) {
            int e = order[i];
            parts.add(String.format(Locale.ROOT, "`%s` %.0f %% → %.0f %%", shortName(
                    context.functionNames[dispatch.endpoints()[e]]), s[0][e] * 100, s[1][e] * 100));
        }
        return "endpoints' shares of " + Summaries.label(context.type) + ": " + String.join(", ", parts);
    }

    private static String shortName(String function) {
        int paren = function.indexOf('(');
        String name = paren < 0 ? function : function.substring(0, paren);
        int dot = name.lastIndexOf('.');
        int start = dot <= 0 ? 0 : name.lastIndexOf('.', dot - 1) + 1;
        return name.substring(start);
    }

    /** The dispatcher with the most endpoints (ties: the one on more of the total), or null when none qualifies. */
    static Dispatch dispatch(TypeContext context, FrameClassifier frames) {
        int n = context.functionNames.length;
        double[][] inclusive = new double[2][n];
        Map<Long, double[]> edges = new HashMap<>();
        int[] observations = new int[2];
        int[] mark = new int[n];
        int stamp = 0;
        for (TypedObservation o : context.observations) {
            if (o.group > TypedObservation.CANARY || !(o.total > 0)) {
                continue;
            }
            observations[o.group]++;
            Profile profile = o.profile;
            int column = profile.sampleTypes().indexOf(o.totals.sampleType());
            for (int s = 0, stacks = profile.stackCount(); s < stacks; s++) {
                long value = profile.value(s, column);
                if (value == 0) {
                    continue;
                }
                double share = value / o.total;
                stamp++;
                int parent = -1;
                for (int d = profile.stackDepth(s) - 1; d >= 0; d--) {
                    int f = o.globalIds[profile.stackFunction(s, d)];
                    if (mark[f] == stamp) {
                        parent = -1; // recursion: count the first (root-most) call only
                        continue;
                    }
                    mark[f] = stamp;
                    inclusive[o.group][f] += share;
                    if (parent >= 0) {
                        edges.computeIfAbsent(((long) parent << 32) | f, k -> new double[2])[o.group] += share;
                    }
                    parent = f;
                }
            }
        }
        if (observations[0] == 0 || observations[1] == 0) {
            return null;
        }
        for (int g = 0; g < 2; g++) {
            for (int f = 0; f < n; f++) {
                inclusive[g][f] /= observations[g];
            }
        }
        for (double[] e : edges.values()) {
            e[0] /= observations[0];
            e[1] /= observations[1];
        }
        Map<Integer, List<Integer>> children = new HashMap<>();
        for (Map.Entry<Long, double[]> e : edges.entrySet()) {
            int parent = (int) (e.getKey() >>> 32);
            int child = (int) (long) e.getKey();
            if (!(inclusive[0][parent] >= DISPATCHER_SHARE && inclusive[1][parent] >= DISPATCHER_SHARE)) {
                continue;
            }
            double[] v = e.getValue();
            if ((v[0] >= ENDPOINT_SHARE * inclusive[0][parent] || v[1] >= ENDPOINT_SHARE * inclusive[1][parent])
                    && frames.classify(context.functionNames[child]).application()) {
                children.computeIfAbsent(parent, k -> new ArrayList<>()).add(child);
            }
        }
        int best = -1;
        for (Map.Entry<Integer, List<Integer>> c : children.entrySet()) {
            int size = c.getValue().size();
            if (size < MIN_ENDPOINTS) {
                continue;
            }
            int bestSize = best < 0 ? -1 : children.get(best).size();
            if (size > bestSize || (size == bestSize && inclusive[0][c.getKey()] > inclusive[0][best])) {
                best = c.getKey();
            }
        }
        if (best < 0) {
            return null;
        }
        List<Integer> list = children.get(best);
        list.sort(Integer::compare);
        int[] endpoints = list.stream().mapToInt(Integer::intValue).toArray();
        double[][] shares = new double[2][endpoints.length];
        for (int i = 0; i < endpoints.length; i++) {
            double[] v = edges.get(((long) best << 32) | endpoints[i]);
            shares[0][i] = v[0];
            shares[1][i] = v[1];
        }
        return new Dispatch(best, endpoints, shares);
    }

    /**
     * The endpoint a stack serves: the one it enters from the dispatcher; else the endpoint it holds (a stack cut short
     * above the dispatcher); else the endpoint that its root-most frame with a {@code home} serves (async-profiler
     * cannot always walk a stack to its root: {@code .unknown → Search.score → String.indexOf}, recorded in most search
     * samples here); else the last stratum, the rest. With {@code home} null, only the first two.
     */
    private static int stratum(TypedObservation o, int s, int dispatcher, int[] stratumOf, int[] home) {
        Profile profile = o.profile;
        int rest = -1;
        int held = -1;
        int homed = -1;
        boolean afterDispatcher = false;
        for (int d = profile.stackDepth(s) - 1; d >= 0; d--) {
            int f = o.globalIds[profile.stackFunction(s, d)];
            if (afterDispatcher && stratumOf[f] >= 0) {
                return stratumOf[f];
            }
            afterDispatcher = f == dispatcher;
            if (held < 0 && stratumOf[f] >= 0) {
                held = stratumOf[f];
            }
            if (homed < 0 && home != null && home[f] >= 0) {
                homed = home[f];
            }
        }
        return held >= 0 ? held : homed >= 0 ? homed : rest;
    }

    /**
     * Per function, the endpoint under which at least {@link #HOME_SHARE} of its value lies in the stacks that enter
     * an endpoint from the dispatcher (both groups), or -1: code only one endpoint runs.
     */
    private static int[] homes(TypeContext context, Dispatch dispatch, int[] stratumOf) {
        int n = context.functionNames.length;
        int endpoints = dispatch.endpoints().length;
        double[][] under = new double[n][];
        for (TypedObservation o : context.observations) {
            if (o.group > TypedObservation.CANARY || !(o.total > 0)) {
                continue;
            }
            Profile profile = o.profile;
            int column = profile.sampleTypes().indexOf(o.totals.sampleType());
            for (int s = 0, stacks = profile.stackCount(); s < stacks; s++) {
                long v = profile.value(s, column);
                if (v == 0) {
                    continue;
                }
                int into = -1;
                boolean afterDispatcher = false;
                for (int d = profile.stackDepth(s) - 1; d >= 0; d--) {
                    int f = o.globalIds[profile.stackFunction(s, d)];
                    if (into >= 0) {
                        if (under[f] == null) {
                            under[f] = new double[endpoints];
                        }
                        under[f][into] += v / o.total;
                    } else if (afterDispatcher && stratumOf[f] >= 0) {
                        into = stratumOf[f];
                    }
                    afterDispatcher = f == dispatch.dispatcher();
                }
            }
        }
        int[] home = new int[n];
        Arrays.fill(home, -1);
        for (int f = 0; f < n; f++) {
            if (under[f] == null) {
                continue;
            }
            double sum = Arrays.stream(under[f]).sum();
            for (int i = 0; i < endpoints; i++) {
                if (under[f][i] >= HOME_SHARE * sum && sum > 0) {
                    home[f] = i;
                }
            }
        }
        return home;
    }

    /** A function is one endpoint's code when this share of its value lies under that endpoint. */
    static final double HOME_SHARE = 0.95;

    /**
     * Per rise: {{baseline share, -}, {share the canary's mix predicts, canary share}}, each group's mean over its
     * observations, by endpoint (stacks through the dispatcher into one of its endpoints) and the rest.
     */
    static double[][][] predict(TypeContext context, Dispatch dispatch, List<FindingDraft> rises) {
        int n = context.functionNames.length;
        int strata = dispatch.endpoints().length + 1; // the last: every stack not entering an endpoint
        int[] stratumOf = new int[n];
        Arrays.fill(stratumOf, -1);
        for (int i = 0; i < dispatch.endpoints().length; i++) {
            stratumOf[dispatch.endpoints()[i]] = i;
        }
        List<Integer> ids = new ArrayList<>();
        for (int k = 0; k < rises.size(); k++) {
            Integer id = context.functionIds.get(rises.get(k).test.function());
            ids.add(id == null ? -1 : id);
        }
        int[] home = homes(context, dispatch, stratumOf);
        double[][] stratum = new double[2][strata];
        double[][][] value = new double[2][rises.size()][strata];
        int[] observations = new int[2];
        int[] mark = new int[n];
        int stamp = 0;
        for (TypedObservation o : context.observations) {
            if (o.group > TypedObservation.CANARY || !(o.total > 0)) {
                continue;
            }
            observations[o.group]++;
            Profile profile = o.profile;
            int column = profile.sampleTypes().indexOf(o.totals.sampleType());
            for (int s = 0, stacks = profile.stackCount(); s < stacks; s++) {
                long v = profile.value(s, column);
                if (v == 0) {
                    continue;
                }
                double share = v / o.total;
                int depth = profile.stackDepth(s);
                int into = stratum(o, s, dispatch.dispatcher(), stratumOf, home);
                if (into < 0) {
                    into = strata - 1;
                }
                stamp++;
                for (int d = depth - 1; d >= 0; d--) {
                    mark[o.globalIds[profile.stackFunction(s, d)]] = stamp;
                }
                stratum[o.group][into] += share;
                int leaf = depth > 0 ? o.globalIds[profile.stackFunction(s, 0)] : -1;
                for (int k = 0; k < ids.size(); k++) {
                    int id = ids.get(k);
                    if (id < 0) {
                        continue;
                    }
                    boolean on = rises.get(k).test.measure() == Measure.SELF ? id == leaf : mark[id] == stamp;
                    if (on) {
                        value[o.group][k][into] += share;
                    }
                }
            }
        }
        for (int g = 0; g < 2; g++) {
            for (int i = 0; i < strata - 1; i++) {
                dispatch.shares()[g][i] = stratum[g][i] / observations[g]; // with the stacks cut short above it
            }
        }
        double[][][] out = new double[rises.size()][2][2];
        for (int k = 0; k < rises.size(); k++) {
            double baseline = 0;
            double expected = 0;
            double canary = 0;
            for (int i = 0; i < strata; i++) {
                double b = value[0][k][i] / observations[0];
                double bStratum = stratum[0][i] / observations[0];
                double cStratum = stratum[1][i] / observations[1];
                baseline += b;
                canary += value[1][k][i] / observations[1];
                if (bStratum > 0) {
                    expected += cStratum * b / bStratum;
                }
            }
            out[k][0][0] = baseline;
            out[k][1][0] = expected;
            out[k][1][1] = canary;
        }
        return out;
    }
}
