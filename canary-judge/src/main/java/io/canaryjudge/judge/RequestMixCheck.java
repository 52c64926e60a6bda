package io.canaryjudge.judge;

import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.RequestMix;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A canary that serves another request mix than the baseline (Flagger's A/B match, an Argo header route, a mirror of a
 * subset): the code is the same, but each endpoint's functions take their endpoint's share of the work. A function only
 * one endpoint runs costs, per request of the whole service, its endpoint's share of requests times its cost per request
 * of that endpoint; so from the mix alone no function's cost per request rises more than the largest ratio of an
 * endpoint's canary share to its baseline share ({@link RequestMix#largestRatio}), and none falls further than the
 * smallest. Recorded (qa79): the same code with /search at 2× and 4× its share FAILed "`SearchService.rank` +38 %" and
 * "+67 %"; the bound was ×2.0 and ×4.0.
 * <p>
 * So, when per-endpoint counts say the mix differs, a rise whose cost per request stays within that bound (its share's
 * 95 % interval low end times the total cost per request's ratio) is reported, not failed, and the verdict is
 * INCONCLUSIVE naming the mix; a rise beyond it still FAILs (a +30 % regression of /search's code under /search at 2× its
 * share: ×2.6). A PASS is not claimed either: an endpoint the canary served less of hides its code's regressions (by up
 * to the largest ratio over its own). What the profile cannot say is which endpoint ran a function; judging per request
 * of an endpoint needs that.
 * <p>
 * A new hot path is code the baseline did not run, or ran too little to measure: an endpoint the baseline never served
 * explains it outright; a rare endpoint the canary amplifies explains it up to the largest ratio times what sampling
 * allows of the baseline's share (qa85, {@link #holdNewPath}).
 */
final class RequestMixCheck {
    /** An endpoint's share ratio beyond [1/MATERIAL, MATERIAL] past its counting noise makes the mix differ. */
    static final double MATERIAL = 1.2;
    /**
     * Endpoints both groups together served fewer requests of are left out: their ratios are noise (a share floor would
     * not do: at 6,000 requests 1 % is 60 requests, at 600 it is 6).
     */
    static final long MIN_REQUESTS = 20;
    /**
     * How many standard errors of log(ratio) an endpoint's ratio must clear beyond {@link #MATERIAL}. Counts are Poisson,
     * so var(log(c/C ÷ b/B)) ≈ 1/b + 1/c; 2 SE on each of a handful of endpoints: a canary drawn from the baseline's mix
     * is said to differ in under 1 % of cases (RequestMixCheckTest, 8 endpoints, 6,000 / 2,000 requests), where the
     * bare 1.2 ratio said so in over half.
     */
    static final double NOISE_SE = 2;

    /** The one-sided 95 % normal quantile. */
    private static final double Z_95 = 1.6448536269514722;
    /**
     * How many times its baseline share a caller's canary share must reach for a new path's cost to enter there
     * ({@link #entryFrame}): a dispatcher above every endpoint moves by a few tenths with any change of cost below it.
     */
    static final double ENTRY_RISE = 1.5;

    /** How a failing rise held against the mix's bound begins its caveat. */
    private static final String COUNTED = "Counted although the canary served another request mix";

    private RequestMixCheck() {
    }

    /** The groups' mix; null unless every baseline and canary observation has per-endpoint counts. */
    static RequestMix of(List<Observation> baseline, List<Observation> canary) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        long[] totals = new long[2];
        List<List<Observation>> groups = List.of(baseline, canary);
        for (int g = 0; g < 2; g++) {
            if (groups.get(g).isEmpty()) {
                return null;
            }
            for (Observation o : groups.get(g)) {
                if (o.endpointRequests() == null) {
                    return null;
                }
                for (Map.Entry<String, Long> e : o.endpointRequests().entrySet()) {
                    counts.computeIfAbsent(e.getKey(), k -> new long[2])[g] += e.getValue();
                    totals[g] += e.getValue();
                }
            }
        }
        if (totals[0] == 0 || totals[1] == 0) {
            return null;
        }
        List<RequestMix.Endpoint> endpoints = new ArrayList<>();
        double largest = 0;
        double smallest = Double.POSITIVE_INFINITY;
        boolean differs = false;
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            long b = e.getValue()[0];
            long c = e.getValue()[1];
            double bShare = (double) b / totals[0];
            double cShare = (double) c / totals[1];
            double ratio = b > 0 ? cShare / bShare : Double.POSITIVE_INFINITY;
            boolean judged = b + c >= MIN_REQUESTS;
            if (judged) {
                largest = Math.max(largest, ratio);
                smallest = Math.min(smallest, ratio);
                differs |= moved(b, c, totals[0], totals[1]);
            }
            endpoints.add(new RequestMix.Endpoint(e.getKey(), b, c, bShare, cShare, Double.isFinite(ratio) ? ratio : null,
                    judged));
        }
        endpoints.sort(Comparator.comparingDouble(RequestMix.Endpoint::baselineShare).reversed()
                .thenComparing(RequestMix.Endpoint::endpoint));
        return new RequestMix(differs, Double.isFinite(largest) ? largest : null,
                Double.isFinite(smallest) ? smallest : 0, endpoints);
    }

    /**
     * Keeps rises the mix explains from failing: a REGRESSION or COST_PER_REQUEST whose cost per request rose at most
     * {@link RequestMix#largestRatio} (at its 95 % interval's low end), a new hot path when the canary served an
     * endpoint the baseline did not, and one whose canary share the largest ratio could raise from what sampling allows
     * of its baseline share ({@link #holdNewPath}). Sets {@link TypeContext#mixKeptRise}.
     */
    static void apply(List<FindingDraft> drafts, Map<io.canaryjudge.profile.ProfileType, TypeContext> contexts,
                      FrameClassifier frames) {
        contexts.values().forEach(c -> c.mixKeptRise = false); // build() runs twice: the last pass decides
        for (FindingDraft d : drafts) {
            TypeContext context = contexts.get(d.test.type());
            RequestMix mix = context == null ? null : context.requestMix;
            if (!d.failing || mix == null || !mix.differs()) {
                continue;
            }
            double bound = mix.largestRatio() == null ? Double.POSITIVE_INFINITY : mix.largestRatio();
            if (d.kind == FindingKind.NEW_HOT_PATH) {
                if (Double.isInfinite(bound)) {
                    d.failing = false;
                    context.mixKeptRise = true;
                    d.caveat = "Not counted as a regression: the canary served an endpoint the baseline did not ("
                            + newEndpoints(mix) + "), and its code is new to the profile without any code change.";
                } else {
                    holdNewPath(d, context, mix, newPathBound(mix), frames);
                }
                continue;
            }
            if (d.kind != FindingKind.REGRESSION && d.kind != FindingKind.COST_PER_REQUEST) {
                continue;
            }
            double base = d.test.baseline();
            if (!(base > 0)) {
                continue;
            }
            double low = (base + d.test.ciLow()) / base;
            double perRequestLow;
            if (d.test.measure().perRequest()) {
                perRequestLow = low;
            } else {
                // A share: times the total cost per request's ratio, when request counts give it; else the share can rise
                // by the largest endpoint ratio over the smallest (every other endpoint's work shrinking around it).
                double total = context.totalPerSecondRatio / context.requestRateRatio;
                perRequestLow = total > 0 && Double.isFinite(total) ? low * total
                        : low * (mix.smallestRatio() > 0 ? mix.smallestRatio() : 0);
            }
            String said = describe(mix);
            if (perRequestLow <= bound) {
                d.failing = false;
                context.mixKeptRise = true;
                d.caveat = String.format(Locale.ROOT, "Not counted as a regression: the canary served another request "
                        + "mix (%s), and code that only one endpoint runs costs up to %s as much per request from the mix "
                        + "alone; this cost per request rose at least %s (its 95 %% interval), within that.", said,
                        times(bound), times(perRequestLow));
            } else {
                d.caveat = String.format(Locale.ROOT, COUNTED + " (%s): "
                        + "this cost per request rose at least %s (its 95 %% interval), more than the mix alone moves any "
                        + "function's (%s).", said, times(perRequestLow), times(bound));
            }
        }
    }

    /**
     * A new hot path when the baseline served every endpoint the canary did, some of them rarely (qa85: an A/B route
     * sending a rare client type to the canary, /export 0.5 % of the baseline's requests and 20 % of the canary's). The
     * rare endpoint's code has few or no baseline samples, which reads as absence, but absence here is sampling
     * evidence: its baseline share is below {@link FunctionTest#baselineUpper} (95 %, from its k of the baseline's N
     * samples). The mix alone raises the cost per request of code only one endpoint runs by at most the largest endpoint
     * ratio R ({@link #newPathBound}: at its 95 % lower bound), so its canary share can reach at most upper × R ÷ T, T
     * the total cost per request's canary/baseline ratio (all shares, 0..1; R and T unitless). Only a rare endpoint's
     * own code: the frame its cost enters under ({@link #entryFrame}) must have a baseline share within upper too. A
     * canary share within that is what the mix could explain: not failed, and the verdict is INCONCLUSIVE naming the
     * mix; beyond it, or entering under a frame the baseline runs a lot, the new path still FAILs. Recorded (qa85, two
     * baseline pods, 3,900 samples, none of /export's code: below 0.077 %): the amplified /export's
     * {@code ExportService.render}, 2.1 % of the canary's CPU under ×40 (×33 at its lower bound), rose at least ×22 per
     * request, within; real new paths under /product under the same mix (the audit's SHA-256 stub, 7.5 %, and
     * {@code CatalogService.audit}, 1.2 %) enter under {@code CatalogService.render}, 5.6 % of the baseline, and
     * FAIL. The cost: at that depth and ratio a new path under ~3.1 % of the canary's CPU whose entry the baseline
     * barely ran is INCONCLUSIVE, not FAIL. Without sample counts (N in value units) there is no bound and the new path
     * FAILs as before.
     */
    private static void holdNewPath(FindingDraft d, TypeContext context, RequestMix mix, double bound,
                                    FrameClassifier frames) {
        double upper = d.test.baselineUpper();
        double canaryShare = d.test.canaryShare();
        if (!(upper > 0) || !context.samplesKnown) {
            return;
        }
        // Whose code it is: a new path entering under a frame the baseline runs a lot is that frame's endpoint's new
        // code, whatever mix the canary served (qa85's new20: the audit's digest under `CatalogService.render`, 1/3
        // of the baseline's CPU). Only an entry frame itself rare in the baseline can be a rare endpoint's code.
        String entry = entryFrame(d, context, frames);
        double entryShare = entry == null ? Double.NaN : shares(context, entry)[0];
        if (!(entryShare <= upper)) {
            d.caveat = String.format(Locale.ROOT, COUNTED + " (%s): it enters under `%s`, %s of the baseline, which the "
                    + "baseline runs too much for a rare endpoint's code (its own share is below %s by sampling alone, "
                    + "95 %%).", describe(mix), entry, Summaries.share(entryShare), Summaries.share(upper));
            return;
        }
        // The canary's share into a cost per request relative to the baseline's: times the total cost per request's
        // ratio when request counts give it, else (as for shares above) the smallest endpoint ratio.
        double total = context.totalPerSecondRatio / context.requestRateRatio;
        double perRequest = total > 0 && Double.isFinite(total) ? total
                : mix.smallestRatio() > 0 ? mix.smallestRatio() : 0;
        // The least rise per request the data allow: the canary's share over the most its baseline share could be.
        double rise = canaryShare / upper * perRequest;
        String said = describe(mix);
        if (rise <= bound) {
            d.failing = false;
            context.mixKeptRise = true;
            d.caveat = String.format(Locale.ROOT, "Not counted as a new hot path: the canary served another request mix "
                    + "(%s); its baseline share is below %s by sampling alone (95 %%), and code that only one endpoint "
                    + "runs costs up to %s as much per request from the mix alone; its %s of the canary is a rise per "
                    + "request of at least %s over that bound, within it.", said, Summaries.share(upper), times(bound),
                    Summaries.share(canaryShare), times(rise));
        } else {
            d.caveat = String.format(Locale.ROOT, COUNTED + " (%s): its baseline share is below %s by sampling alone "
                    + "(95 %%), and its %s of the canary is a rise per request of at least %s over that bound, more than "
                    + "the mix alone moves any function's (%s).", said, Summaries.share(upper),
                    Summaries.share(canaryShare), times(rise), times(bound));
        }
    }

    /**
     * The largest endpoint ratio for {@link #holdNewPath}: each judged endpoint's ratio at its one-sided 95 % lower
     * bound, exp(ln R − 1.645·sqrt(1/b + 1/c)) (b, c its requests on each side; Poisson counts, as in {@link #moved}),
     * so that the excuse pairs a 95 % upper bound on the baseline share with a ratio the counts support, not their
     * point estimate. Without bound when the canary served an endpoint the baseline did not. Only here: qa79's
     * regression rule keeps the point estimate, its rise already taken at its interval's low end.
     */
    static double newPathBound(RequestMix mix) {
        double largest = 0;
        for (RequestMix.Endpoint e : mix.endpoints()) {
            if (!e.judged() || e.canaryRequests() == 0) {
                continue;
            }
            if (e.baselineRequests() == 0) {
                return Double.POSITIVE_INFINITY;
            }
            double b = e.baselineRequests();
            double c = e.canaryRequests();
            largest = Math.max(largest, Math.exp(Math.log(e.ratio()) - Z_95 * Math.sqrt(1 / b + 1 / c)));
        }
        return largest;
    }


    /**
     * Where a new path's cost enters, as its incident names it ({@link IncidentBuilder}: the deepest application frame
     * where the canary's extra cost enters): the deepest application frame above it on its hottest path that the
     * baseline ran and whose inclusive share rose by at least half the new path's canary share and by
     * {@link #ENTRY_RISE} of its own (the new path's cost shows in its caller's: qa85's audit and the digest's stub
     * under {@code CatalogService.render}, 5.6 % of the baseline, 12.4 % of the canary, ×2.2; not the dispatcher
     * {@code Services.handle} above every endpoint, 42 % → 50 %, ×1.17, whose rise is other code's); else the function itself when it is application code (an amplified endpoint's
     * own handler, {@code ExportService.render}: its callers' shares do not move), else the deepest application frame
     * above it; null when its path shows none.
     */
    private static String entryFrame(FindingDraft d, TypeContext context, FrameClassifier classifier) {
        List<String> frames = d.path.frames();
        String deepest = null;
        for (int i = frames.size() - 1; i >= 0; i--) {
            String frame = frames.get(i);
            if (frame.equals(d.test.function()) || !context.functionIds.containsKey(frame)
                    || !classifier.classify(frame).application()) {
                continue;
            }
            deepest = deepest == null ? frame : deepest;
            double[] shares = shares(context, frame);
            if (shares[0] > d.test.baselineUpper() && shares[1] - shares[0] >= d.test.canaryShare() / 2
                    && shares[1] >= ENTRY_RISE * shares[0]) {
                return frame;
            }
        }
        return d.frameClass.application() ? d.test.function() : deepest;
    }

    /** A frame's inclusive share of each group's total {baseline, canary} (0..1), over their current observations. */
    private static double[] shares(TypeContext context, String frame) {
        int id = context.functionIds.get(frame);
        double[] value = new double[2];
        double[] total = new double[2];
        for (TypedObservation o : context.current()) {
            if (o.group < 2) {
                value[o.group] += o.value(id, false);
                total[o.group] += o.total;
            }
        }
        return new double[] {value[0] / total[0], value[1] / total[1]};
    }

    /**
     * A failing REGRESSION, cost-per-request row or new hot path that {@link #apply} held against the mix's bound and
     * kept failing.
     */
    static boolean heldAgainstBound(io.canaryjudge.verdict.Finding f) {
        return f.failing() && (f.kind() == FindingKind.REGRESSION || f.kind() == FindingKind.COST_PER_REQUEST
                || f.kind() == FindingKind.NEW_HOT_PATH) && f.explanation() != null && f.explanation().contains(COUNTED);
    }

    /** "/search 40 % of the canary's requests against 20 % (×2.0); /quote 23 % against 30 % (×0.75)": the moved ones. */
    static String describe(RequestMix mix) {
        List<String> parts = new ArrayList<>();
        long baselineTotal = mix.endpoints().stream().mapToLong(RequestMix.Endpoint::baselineRequests).sum();
        long canaryTotal = mix.endpoints().stream().mapToLong(RequestMix.Endpoint::canaryRequests).sum();
        for (RequestMix.Endpoint e : mix.endpoints()) {
            if (!e.judged()) {
                continue;
            }
            double r = e.ratio() == null ? Double.POSITIVE_INFINITY : e.ratio();
            if (!moved(e.baselineRequests(), e.canaryRequests(), baselineTotal, canaryTotal)) {
                continue;
            }
            parts.add(e.canaryRequests() == 0
                    ? String.format(Locale.ROOT, "%s none of the canary's requests against %s", e.endpoint(),
                    pct(e.baselineShare()))
                    : e.baselineRequests() == 0
                    ? String.format(Locale.ROOT, "%s %s of the canary's requests, none of the baseline's", e.endpoint(),
                    pct(e.canaryShare()))
                    : String.format(Locale.ROOT, "%s %s of the canary's requests against %s, %s", e.endpoint(),
                    pct(e.canaryShare()), pct(e.baselineShare()), times(r)));
        }
        return String.join("; ", parts);
    }

    /**
     * Whether an endpoint's share moved by more than {@link #MATERIAL} beyond its counting noise: |log r| less
     * {@link #NOISE_SE} standard errors sqrt(1/b + 1/c) exceeds log 1.2 (b, c its requests on each side, a side with none
     * counted as half a request so that a missing or new endpoint is judged by the other side's count).
     */
    static boolean moved(long baselineRequests, long canaryRequests, long baselineTotal, long canaryTotal) {
        double b = Math.max(baselineRequests, 0.5);
        double c = Math.max(canaryRequests, 0.5);
        double logRatio = Math.log((c / canaryTotal) / (b / baselineTotal));
        return Math.abs(logRatio) - NOISE_SE * Math.sqrt(1 / b + 1 / c) > Math.log(MATERIAL);
    }

    /** A warning for dataQuality: what the mix is and what it means for the verdict. */
    static String warning(RequestMix mix) {
        String hidden = mix.largestRatio() == null ? "" : String.format(Locale.ROOT, "; a regression of up to %s in "
                        + "the code of the least-requested endpoint hides in the mix",
                times(mix.smallestRatio() > 0 ? mix.largestRatio() / mix.smallestRatio() : Double.POSITIVE_INFINITY));
        return "the canary served another request mix than the baseline (" + describe(mix) + "), as a header route, "
                + "an A/B match or a mirror does: each endpoint's functions take their endpoint's share of the work, so "
                + "rises the mix explains are not failed" + hidden + "; judge the canary on the baseline's mix (a traffic "
                + "weight) to compare its code fully";
    }

    private static String newEndpoints(RequestMix mix) {
        return mix.endpoints().stream().filter(e -> e.judged() && e.baselineRequests() == 0)
                .map(RequestMix.Endpoint::endpoint).collect(Collectors.joining(", "));
    }

    static String times(double r) {
        return Double.isInfinite(r) ? "without bound" : String.format(Locale.ROOT, r < 10 ? "×%.2g" : "×%.0f", r);
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, share < 0.1 ? "%.1f %%" : "%.0f %%", share * 100);
    }
}
