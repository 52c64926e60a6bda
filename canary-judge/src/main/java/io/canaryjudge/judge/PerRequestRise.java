package io.canaryjudge.judge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a failing rise of the cost per request went when no rising incident of its type names a method: "allocated
 * bytes per request +46 % (111 KiB → 162 KiB)" stood alone at {@code <total>} (recorded qa53 pods, a canary whose
 * {@code AuditLog.record} serialised 1.8 times the entries, 1 canary pod against 3 with history): a release engineer
 * could not tell a method that got dearer per request from a canary that got dearer everywhere (qa55: 9 such leads,
 * each now naming {@code AuditLog.record} with 93-98 % of the rise). Descriptive only: it names, it never fails anything.
 */
final class PerRequestRise {
    private PerRequestRise() {
    }

    /**
     * The application method that carries a rise of the cost per request: with its callees, {baseline, canary} per
     * request (group means of each pod's value over its requests).
     */
    record Carrier(String function, double[] perRequest, double carried) {
    }

    /**
     * The application frame (inclusive) that carries at least {@value #CARRIES} of the rise of the whole profile's cost
     * per request and whose own cost per request rose, relatively, at least {@value #CONCENTRATED} times as much as the
     * rest of the profile's: the most specific such frame (the one that costs least per request in the baseline; of
     * frames that cost the same, the deepest). Null
     * when none does: the rise is spread over the profile, as a uniform slowdown (CPU throttling, a JVM flag, a busier
     * GC) spreads it — every frame's cost per request rises by the same factor, so the frames that carry most of it are
     * those that cost most, with no change of share. Null too when the requests are not counted.
     *
     * @param application whether each function id is application code (not ignored)
     * @param old         whether each function id is application code the baseline ran ({@link #carried})
     */
    static Carrier carrier(TypeContext context, boolean[] application, boolean[] old) {
        double[] total = context.perRequestPerPod(-1);
        if (total == null || !(total[1] > total[0]) || !(total[0] > 0)) {
            return null;
        }
        double rise = total[1] - total[0];
        List<Carrier> carriers = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (int f = 0; f < application.length; f++) {
            if (!application[f]) {
                continue;
            }
            double[] own = context.perRequestPerPod(f);
            if (own == null) {
                continue;
            }
            double ownRise = carried(context, f, own, old);
            double restBefore = total[0] - own[0];
            double restRise = rise - ownRise;
            if (ownRise < CARRIES * rise) {
                continue;
            }
            // Relative rises: a uniform slowdown lifts both alike. The rest's may be a fall (it got cheaper).
            // A method new in the canary (nothing in the baseline) carrying it by what is new under it is concentrated.
            boolean concentrated = restBefore <= 0 || restRise <= 0 || !(own[0] > 0)
                    || ownRise / own[0] >= CONCENTRATED * (restRise / restBefore);
            if (concentrated) {
                carriers.add(new Carrier(context.functionNames[f], own, ownRise / rise));
                ids.add(f);
            }
        }
        // The most specific: the cheapest in the baseline; of frames that cost the same within SAME_COST (a lambda's
        // synthetic frame and the method it calls: `Quotes$$Lambda.accept` above `AuditLog.record`), the deepest.
        double cheapest = carriers.stream().mapToDouble(c -> c.perRequest()[0]).min().orElse(0);
        Carrier best = null;
        double deepest = -1;
        for (int k = 0; k < carriers.size(); k++) {
            Carrier c = carriers.get(k);
            if (c.perRequest()[0] <= (1 + SAME_COST) * cheapest) {
                double depth = context.analysis.meanDepth(ids.get(k));
                if (depth > deepest) {
                    deepest = depth;
                    best = c;
                }
            }
        }
        return best;
    }

    /**
     * How much of the rise of the cost per request a frame carries, {@code own} its value with its callees per request
     * ({baseline, canary}): its rise, but for a frame new in the canary only what it runs beside the old application
     * code below it ({@code old}: code the baseline ran, {@link CostOwners#besideOldCode}). A new frame that wraps old
     * code (a tracing decorator, a filter) costs nothing in the baseline, so all it wraps rose under it: qa55's pods with
     * a new {@code Quotes.traced} above the audit log, whose {@code AuditLog.record} allocated 52.0 → 95.8 KiB per
     * request, named the wrapper ("0 B → 95.8 KiB per request"), and a spread rise too (qa58). Old code it calls on top
     * of what its parent still calls directly is extra work, and it carries that ({@link CostOwners#extraOldWork}): a new
     * {@code Quotes.recompute} that records the audit entry once more a request (+50 % allocated bytes per request) read
     * "most of the rise (98 %) is under `AuditLog.record`, 52.0 KiB → 105 KiB" as if the audit log had got dearer (qa62).
     */
    static double carried(TypeContext context, int frame, double[] own, boolean[] old) {
        if (own[0] > 0 || old == null) {
            return own[1] - own[0];
        }
        double[] under = new double[2];
        CostOwners.below(context.current(), old.length, new int[] {frame}).get(0).values().forEach(v -> under[1] += v[1]);
        if (!(under[1] > 0)) {
            return own[1];
        }
        double[] beside = new double[2];
        CostOwners.besideOldCode(context.current(), frame, old).values().forEach(v -> beside[1] += v[1]);
        double extra = CostOwners.extraOldWork(context.current(), frame, old,
                (parent, callee) -> MovedTimeCheck.dearerAt(context, parent, callee, frame));
        return own[1] * Math.min(1, (beside[1] + extra) / under[1]);
    }

    /**
     * Said after a {@code <total>} incident's figures: "; most of the rise (87 %) is under `AuditLog.record`, 55 KiB →
     * 101 KiB per request with its callees" or that it is spread across the profile.
     */
    static String words(Carrier carrier, String unit) {
        if (carrier == null) {
            // Only application frames are looked for: where JVM, library or system work carries the rise this is
            // said too, not "every part dearer alike" (review of qa55).
            return "; no application method carries most of the rise: it is spread across the profile or lies in JVM,"
                    + " library or system work (the tables show each function's change), as a uniform slowdown or a"
                    + " change that touches all code spreads it (a JVM flag, a slower or throttled node, GC, larger"
                    + " requests)";
        }
        return String.format(Locale.ROOT, "; most of the rise (%.0f %%) is under `%s`, %s → %s per request with its "
                        + "callees", 100 * Math.min(1, carrier.carried()), carrier.function(),
                Summaries.amount(carrier.perRequest()[0], unit), Summaries.amount(carrier.perRequest()[1], unit));
    }

    /** The part of the profile's rise of cost per request a frame must carry to be named. */
    static final double CARRIES = 0.5;

    /** How many times the rest of the profile's relative rise the named frame's own must be. */
    static final double CONCENTRATED = 2;

    /** Frames whose baseline cost per request differs by less than this fraction cost the same (one calls the other). */
    static final double SAME_COST = 0.01;
}
