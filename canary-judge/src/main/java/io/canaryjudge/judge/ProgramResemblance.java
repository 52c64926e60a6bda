package io.canaryjudge.judge;

import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.Measure;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether the canary's profile resembles the baseline's at all. A function tested against the
 * baseline assumes the two run the same program; when most of one group's cost is in functions the
 * other credibly never ran (Kafka against a different program: 98.7 % of the canary's CPU in
 * {@code FastSlow.fib}), every per-function statistic — size factors, the bulk of unchanged
 * functions — loses its footing, and no ranking of functions answers the question. Then the canary
 * FAILs as a different program.
 *
 * <p>"Credibly never ran": the function has no sample in any of the other group's observations
 * (baseline: nor in the history) although sampling would have caught it with 99.9 % probability at
 * its share in this group: exp(−N·share/φ) &lt; 0.001 for the other group's N samples (Poisson with
 * overdispersion φ). Sparse profiles' chance absences of rare functions do not count.
 *
 * @param canaryUnseen   share of the canary's cost (self, pods weighted equally) in functions the baseline
 *                       credibly never ran
 * @param baselineUnseen the same for the baseline's cost and the canary
 * @param canaryTop      the largest such function of the canary, or null
 * @param canaryTopShare its share of the canary's cost
 * @param baselineTop    the largest such function of the baseline, or null
 * @param baselineTopShare its share of the baseline's cost
 * @param respelled      the largest of the canary's unseen functions that is an unseen baseline function without
 *                       its package, as {@code {canary name, baseline name}}, when such pairs hold most of the
 *                       canary's unseen share (one group named with {@code --simple}); else null
 */
record ProgramResemblance(double canaryUnseen, double baselineUnseen, String canaryTop, double canaryTopShare,
                          String baselineTop, double baselineTopShare, String[] respelled) {

    /** Most of a group's cost in functions the other never ran: a different program. */
    static final double DIFFERENT_PROGRAM_SHARE = 0.5;
    private static final double ABSENCE_PROBABILITY = 0.001;

    boolean different() {
        return canaryUnseen >= DIFFERENT_PROGRAM_SHARE || baselineUnseen >= DIFFERENT_PROGRAM_SHARE;
    }

    /** @param phi overdispersion of sample counts (value units when counts are unknown) */
    static ProgramResemblance of(TypeContext context, double phi) {
        int functions = context.functionNames.length;
        Units units = context.units;
        double[][] podShare = new double[2][functions];
        double[] podTotal = new double[units.pods()];
        for (TypedObservation o : context.observations) {
            if (o.group != TypedObservation.HISTORY) {
                podTotal[o.unit] += o.total;
            }
        }
        boolean[][] seen = new boolean[2][functions]; // [0]: by baseline or history, [1]: by canary
        double[] samples = new double[2];
        for (TypedObservation o : context.observations) {
            int side = o.group == TypedObservation.CANARY ? 1 : 0;
            for (int local = 0; local < o.globalIds.length; local++) {
                if (o.totals.inclusive(local) > 0) {
                    seen[side][o.globalIds[local]] = true;
                }
            }
            if (o.group == TypedObservation.HISTORY) {
                samples[0] += o.samples > 0 ? o.samples : o.total;
                continue;
            }
            samples[side] += o.samples > 0 ? o.samples : o.total;
            int pods = side == 0 ? units.baselinePods() : units.canaryPods();
            for (int local = 0; local < o.globalIds.length; local++) {
                long self = o.totals.self(local);
                if (self > 0) {
                    podShare[side][o.globalIds[local]] += self / podTotal[o.unit] / pods;
                }
            }
        }
        double effectivePhi = Math.max(phi, 1e-9);
        double[] unseen = new double[2];
        String[] top = new String[2];
        double[] topShare = new double[2];
        for (int side = 0; side < 2; side++) {
            int other = 1 - side;
            for (int f = 0; f < functions; f++) {
                double share = podShare[side][f];
                if (share <= 0 || seen[other][f]) {
                    continue;
                }
                if (Math.exp(-samples[other] * share / effectivePhi) < ABSENCE_PROBABILITY) {
                    unseen[side] += share;
                    if (share > topShare[side]) {
                        topShare[side] = share;
                        top[side] = context.functionNames[f];
                    }
                }
            }
        }
        return new ProgramResemblance(unseen[1], unseen[0], top[1], topShare[1], top[0], topShare[0],
                respelled(context, podShare, seen, unseen[1]));
    }

    /**
     * The largest pair of a canary function and a baseline function, each unseen by the other group, that are one
     * name with and without its package ({@code Orders.checksum}, {@code com.shop.Orders.checksum}), when such pairs
     * hold at least half of the canary's unseen share; else null.
     */
    private static String[] respelled(TypeContext context, double[][] podShare, boolean[][] seen, double canaryUnseen) {
        Map<String, String> baselineByShortName = new HashMap<>();
        for (int f = 0; f < context.functionNames.length; f++) {
            if (podShare[0][f] > 0 && !seen[1][f]) {
                baselineByShortName.putIfAbsent(withoutPackage(context.functionNames[f]), context.functionNames[f]);
            }
        }
        double matched = 0;
        double largest = 0;
        String[] pair = null;
        for (int f = 0; f < context.functionNames.length; f++) {
            String name = context.functionNames[f];
            String baselineName = baselineByShortName.get(withoutPackage(name));
            if (podShare[1][f] > 0 && !seen[0][f] && baselineName != null && !baselineName.equals(name)) {
                matched += podShare[1][f];
                if (podShare[1][f] > largest) {
                    largest = podShare[1][f];
                    pair = new String[] {name, baselineName};
                }
            }
        }
        return canaryUnseen > 0 && matched >= canaryUnseen / 2 ? pair : null;
    }

    /** A Java name without its leading package segments (those starting in lower case): {@code Orders.checksum}. */
    static String withoutPackage(String name) {
        int from = 0;
        while (from < name.length() && Character.isLowerCase(name.charAt(from))) {
            int dot = name.indexOf('.', from);
            if (dot < 0 || name.indexOf('.', dot + 1) < 0) {
                break; // keep Class.method (or a lower-case class's last two segments)
            }
            from = dot + 1;
        }
        return name.substring(from);
    }

    /** The failing finding that says so. */
    Finding finding(TypeContext context, boolean failing) {
        String label = Summaries.label(context.type);
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "The canary does not resemble the baseline: %s of its %s is in "
                        + "functions the baseline never ran", Summaries.share(canaryUnseen), label));
        if (canaryTop != null) {
            text.append(String.format(Locale.ROOT, " (largest `%s`, %s)", canaryTop, Summaries.share(canaryTopShare)));
        }
        text.append(String.format(Locale.ROOT, ", and %s of the baseline's in functions the canary never ran",
                Summaries.share(baselineUnseen)));
        if (baselineTop != null) {
            text.append(String.format(Locale.ROOT, " (largest `%s`, %s)", baselineTop,
                    Summaries.share(baselineTopShare)));
        }
        if (respelled != null) {
            text.append(String.format(Locale.ROOT, ". Most of it is the same methods named with and without their "
                    + "package (`%s` and `%s`): one group's profiles use simple class names (async-profiler's or "
                    + "jfrconv's `--simple`) and the other's do not; convert both groups with the same options",
                    respelled[0], respelled[1]));
        }
        text.append(". A different program or build, or profiles of the wrong pods: the function-by-function "
                + "comparison below assumes the same program and cannot rank this.");
        if (!failing) {
            text.append(" Reported only: ").append(context.type.id()).append(" is not a fail-on profile type.");
        }
        return new Finding(context.type, Judge.TOTAL, FindingKind.DIFFERENT_PROGRAM, Measure.SELF, baselineUnseen,
                canaryUnseen, null, canaryUnseen - baselineUnseen, null, null, null, null, failing, false,
                List.of(), text.toString());
    }
}
