package io.canaryjudge.metricgate;

import io.canaryjudge.metrics.TimeSeries;
import io.canaryjudge.verdict.MetricComparison;
import io.canaryjudge.verdict.MetricUnit;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A request metric (error ratio, p99 latency, ...) compared between baseline and canary over the same
 * window, and whether the canary is worse enough to matter.
 *
 * <p><b>How it decides.</b> NaN and ±Inf points are skipped and counted. With fewer than
 * {@code minPoints} usable points in either group the answer is NO_DATA. Otherwise, with each group's
 * value the mean of its points and {@code excess} the canary's difference in the worse direction:
 * <ol>
 * <li><i>Material</i>: {@code excess > max(absoluteTolerance, relativeTolerance × |baseline|)}. Otherwise
 * PASS. The absolute part is what lets a zero baseline fail — a canary answering 2 % errors against a
 * baseline that never failed has no defined ratio (Kayenta's mean-ratio hole), but a difference of 0.02
 * against an allowance of 0.005 is plain.</li>
 * <li><i>Credible</i>: a one-sided Mann–Whitney test of the canary's points against the baseline's at
 * {@code alpha}, with both groups' sizes shrunk for the serial correlation the baseline's points show
 * ({@link SerialMannWhitney}). p ≤ alpha: FAIL. Otherwise PASS ("within noise") — unless even a perfect
 * separation of the two groups could not have reached alpha with so few independent points; then
 * NO_DATA, because the test could never have failed.</li>
 * </ol>
 * <p><b>Why these choices.</b> Size is judged on means, not on the Hodges–Lehmann shift Kayenta uses: the
 * median of pairwise differences is 0 when a canary fails in fewer than half of the windows, however
 * badly, and the mean of an error-ratio series is what an error budget counts. Credibility is a rank test
 * because latency quantiles are skewed and error ratios are mostly zeros and ties, where a t-test's
 * normality is far off. Points of a rate series are autocorrelated (overlapping {@code [range]} windows,
 * traffic drift), which makes a rank test on raw points over-confident; the lag-1 correction comes from
 * the baseline alone, because under "no change" the canary behaves like the baseline, and a canary that
 * trends worse must not buy itself a weaker test. A burst — one bad window among many — is not credible
 * by itself; the ratio series carries no request counts to weigh it by.
 *
 * @param name              metric name in the verdict, e.g. {@code error_ratio}
 * @param direction         which way is worse
 * @param relativeTolerance allowed worsening as a fraction of the baseline's value (0.25 = 25 %)
 * @param absoluteTolerance allowed worsening in the metric's unit (error ratio 0..1; seconds for latency)
 * @param minPoints         usable points each group needs, at least 2
 * @param alpha             one-sided significance of the noise check, in (0, 1]; 1 turns it off (tolerance only)
 * @param failsVerdict      whether a FAIL of this gate fails the whole verdict (else it is reported only)
 * @param unit              what the values are, for the notes and reports (the error ratio's 0.05 is "5 %")
 */
public record MetricGate(String name, Direction direction, double relativeTolerance, double absoluteTolerance,
                         int minPoints, double alpha, boolean failsVerdict, MetricUnit unit) {

    /** Which change of the metric is a regression. */
    public enum Direction {
        /** Error ratio, latency. */
        HIGHER_IS_WORSE,
        /** Success ratio, throughput. */
        LOWER_IS_WORSE
    }

    /** The p99 latency gate's name; its PASS rests on the slowest 1 % of requests. */
    static final String LATENCY_P99 = "latency_p99";

    /** Largest relative tolerance accepted: 10 = the canary may be 11 times the baseline (1,000 % worse). */
    static final double MAX_RELATIVE_TOLERANCE = 10;

    /** Largest lag-1 autocorrelation used: at 0.9 a group still counts as n/19 independent points. */
    static final double MAX_LAG1 = 0.9;

    public MetricGate {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("metric gate name must not be empty");
        }
        Objects.requireNonNull(direction, "metric gate " + name + ": direction");
        unit = unit == null ? MetricUnit.NONE : unit;
        if (!(relativeTolerance >= 0 && relativeTolerance <= MAX_RELATIVE_TOLERANCE)) {
            // a fraction of the baseline: 25 written for 25 % (0.25) let the canary be 26 times worse unremarked
            throw new IllegalArgumentException("metric gate " + name + ": relativeTolerance must be a fraction of the"
                    + " baseline in [0, " + (int) MAX_RELATIVE_TOLERANCE + "] (0.25 = 25 %), was " + relativeTolerance);
        }
        check(name, "absoluteTolerance", absoluteTolerance, 0, Double.MAX_VALUE);
        if (unit == MetricUnit.RATIO && absoluteTolerance >= 1) {
            // a ratio moves within 0..1: this gate could never fail (a percentage written for a fraction, 0.5 for 0.005)
            throw new IllegalArgumentException("metric gate " + name + ": absoluteTolerance must be below 1 for a ratio"
                    + " (0.005 = 0.5 percentage points), was " + absoluteTolerance + ", which no ratio can exceed");
        }
        if (minPoints < 2) {
            throw new IllegalArgumentException("metric gate " + name + ": minPoints must be at least 2, was " + minPoints);
        }
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("metric gate " + name + ": alpha must be in (0, 1], was " + alpha);
        }
    }

    /** A gate whose values are plain numbers. */
    public MetricGate(String name, Direction direction, double relativeTolerance, double absoluteTolerance,
                      int minPoints, double alpha, boolean failsVerdict) {
        this(name, direction, relativeTolerance, absoluteTolerance, minPoints, alpha, failsVerdict, MetricUnit.NONE);
    }

    /**
     * 5xx / all responses: fails the verdict when the canary's ratio is higher by more than 0.5
     * percentage points and 25 % of the baseline's, beyond the noise (one-sided α = 0.05), with at least
     * 5 points per group (5 minutes at a 60 s step).
     */
    public static MetricGate errorRatio() {
        return new MetricGate("error_ratio", Direction.HIGHER_IS_WORSE, 0.25, 0.005, 5, 0.05, true, MetricUnit.RATIO);
    }

    /**
     * p99 request duration, seconds: a FAIL when higher by more than 10 ms and 20 %, beyond the noise;
     * reported beside the verdict without failing it unless configured so (p99 of a small canary is
     * noisy and often not the release's fault).
     */
    public static MetricGate latencyP99() {
        return new MetricGate(LATENCY_P99, Direction.HIGHER_IS_WORSE, 0.20, 0.010, 5, 0.05, false, MetricUnit.SECONDS);
    }

    public MetricGate withFailsVerdict(boolean fails) {
        return new MetricGate(name, direction, relativeTolerance, absoluteTolerance, minPoints, alpha, fails, unit);
    }

    public MetricGate withTolerances(double relative, double absolute) {
        return new MetricGate(name, direction, relative, absolute, minPoints, alpha, failsVerdict, unit);
    }

    /** This gate at another significance: 1 judges on the tolerance alone and asks for no minimum of requests. */
    public MetricGate withAlpha(double significance) {
        return new MetricGate(name, direction, relativeTolerance, absoluteTolerance, minPoints, significance,
                failsVerdict, unit);
    }

    /**
     * Compares the groups' series of this metric over the same window (several series per group are
     * pooled, e.g. one per pod).
     */
    public MetricGateResult judge(List<TimeSeries> baseline, List<TimeSeries> canary) {
        return judge(baseline, canary, null);
    }

    /**
     * As {@link #judge(List, List)}, knowing how many requests the canary served in the window (null = unknown). A
     * gate whose evidence is a fraction {@code r} of the requests — the errors of an error ratio at its limit
     * (baseline + allowance), the slowest 1 % behind a p99 latency — cannot PASS on fewer requests than show that
     * fraction at all: in {@code n} requests it is absent with probability (1 − r)ⁿ ≈ e^{−rn}, so a PASS needs
     * {@code r·n ≥ −ln(alpha)} (rule of three at alpha 0.05: 600 requests when 0.5 % errors are allowed over a
     * baseline without errors, 300 for a p99). Fewer is NO_DATA. The series' points carry no request counts: a
     * canary serving one request every 15 s had ten points of 0/4 and PASSed like one serving thousands.
     */
    public MetricGateResult judge(List<TimeSeries> baseline, List<TimeSeries> canary, Long canaryRequests) {
        MetricGateResult result = judgeSeries(baseline, canary);
        if (result.outcome() != GateOutcome.PASS || canaryRequests == null) {
            return result;
        }
        double fraction = evidenceFraction(result.comparison().baseline());
        double needed = -Math.log(alpha);
        if (fraction <= 0 || !(fraction * canaryRequests < needed)) {
            return result;
        }
        long enough = (long) Math.ceil(needed / fraction);
        long unseen = Math.round(100 * Math.exp(canaryRequests * Math.log1p(-Math.min(fraction, 1))));
        String requests = canaryRequests + " request" + (canaryRequests == 1 ? "" : "s");
        String why = unit == MetricUnit.RATIO
                ? "a canary at the allowed " + unit.text(fraction) + " would show no error at all in " + requests
                + " " + unseen + " % of the time"
                : "its p99 stands on the slowest 1 % of requests, and " + requests + " hold none of them " + unseen
                + " % of the time";
        String note = "the canary served " + requests + " in the window, too few to pass this gate: " + why
                + "; about " + enough + " are needed (alpha " + new BigDecimal(alpha)
                .round(new MathContext(3)).stripTrailingZeros().toPlainString() + "); "
                + result.comparison().note();
        return new MetricGateResult(new MetricComparison(name, result.comparison().baseline(),
                result.comparison().canary(), result.comparison().relativeChange(), note, unit), GateOutcome.NO_DATA,
                false, result.baselinePoints(), result.canaryPoints(), result.skippedPoints(), result.pValue());
    }

    /**
     * The fraction of the canary's requests this gate's PASS rests on: for a ratio of requests where higher is worse
     * (the error ratio) its limit, for the p99 latency the slowest 1 %; 0 (no minimum) for other gates.
     */
    private double evidenceFraction(double baselineValue) {
        if (unit == MetricUnit.RATIO && direction == Direction.HIGHER_IS_WORSE) {
            return Math.min(1, baselineValue + allowed(baselineValue));
        }
        return name.equals(LATENCY_P99) ? 0.01 : 0;
    }

    /** Whether the gate's verdict depends on the canary's request count (see {@link #judge(List, List, Long)}). */
    public boolean countsRequests() {
        return evidenceFraction(0) > 0;
    }

    private double allowed(double baselineValue) {
        return Math.max(absoluteTolerance, relativeTolerance * Math.abs(baselineValue));
    }

    private MetricGateResult judgeSeries(List<TimeSeries> baseline, List<TimeSeries> canary) {
        SeriesSample base = SeriesSample.of(baseline);
        SeriesSample can = SeriesSample.of(canary);
        int skipped = base.skipped() + can.skipped();
        Double baselineValue = base.size() > 0 ? finiteOrNull(base.mean()) : null;
        Double canaryValue = can.size() > 0 ? finiteOrNull(can.mean()) : null;
        Double relativeChange = baselineValue != null && canaryValue != null && baselineValue != 0
                ? finiteOrNull(canaryValue / baselineValue - 1) : null;
        String points = base.size() + "+" + can.size() + " points" + (skipped > 0 ? ", " + skipped + " NaN/Inf skipped" : "");

        if (base.size() < minPoints || can.size() < minPoints || baselineValue == null || canaryValue == null) {
            String note = "no data: " + usable("baseline", base) + ", " + usable("canary", can) + "; at least "
                    + minPoints + " per group needed";
            return result(baselineValue, canaryValue, relativeChange, note, GateOutcome.NO_DATA, base, can, null);
        }
        double difference = canaryValue - baselineValue;
        double excess = direction == Direction.HIGHER_IS_WORSE ? difference : -difference;
        double allowed = allowed(baselineValue);
        String sizes = "canary " + unit.text(canaryValue) + " vs baseline " + unit.text(baselineValue) + " ("
                + unit.difference(difference) + "; " + unit.difference(direction == Direction.HIGHER_IS_WORSE
                ? allowed : -allowed) + " allowed)";
        if (!(excess > allowed)) {
            return result(baselineValue, canaryValue, relativeChange, sizes + ": within tolerance; " + points,
                    GateOutcome.PASS, base, can, null);
        }
        double lag1 = Math.min(MAX_LAG1, Math.max(0, base.lag1()));
        SerialMannWhitney.Result test = SerialMannWhitney.canaryWorse(base.values(), can.values(),
                direction == Direction.HIGHER_IS_WORSE, lag1);
        String evidence = "Mann-Whitney p=" + number(test.pValue()) + ", " + points + ", "
                + number(test.effectiveBaseline()) + "+" + number(test.effectiveCanary()) + " effective (lag-1 "
                + number(lag1) + ")";
        if (test.pValue() <= alpha) {
            String consequence = failsVerdict ? "fails the verdict" : "reported only, does not fail the verdict";
            return result(baselineValue, canaryValue, relativeChange, sizes + ": worse beyond tolerance and noise ("
                    + evidence + "); " + consequence, GateOutcome.FAIL, base, can, test.pValue());
        }
        if (test.smallestPValue() > alpha) {
            return result(baselineValue, canaryValue, relativeChange, sizes + ": worse beyond tolerance, but too few"
                    + " independent points to tell it from noise at alpha " + number(alpha) + " (" + evidence + ")",
                    GateOutcome.NO_DATA, base, can, test.pValue());
        }
        return result(baselineValue, canaryValue, relativeChange, sizes + ": beyond tolerance but within noise ("
                + evidence + ")", GateOutcome.PASS, base, can, test.pValue());
    }

    private MetricGateResult result(Double baselineValue, Double canaryValue, Double relativeChange, String note,
                                    GateOutcome outcome, SeriesSample base, SeriesSample can, Double pValue) {
        return new MetricGateResult(new MetricComparison(name, baselineValue, canaryValue, relativeChange, note, unit),
                outcome, outcome == GateOutcome.FAIL && failsVerdict, base.size(), can.size(),
                base.skipped() + can.skipped(), pValue);
    }

    private static String usable(String group, SeriesSample sample) {
        // A rate query answers NaN where nothing happened: 0 / 0 for a ratio, histogram_quantile of empty buckets.
        return group + " has " + sample.size() + " usable point" + (sample.size() == 1 ? "" : "s")
                + (sample.skipped() > 0 ? " (" + sample.skipped() + " NaN/Inf skipped: steps without requests give"
                + " 0/0)" : "");
    }

    private static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.4g", value);
    }

    private static void check(String gate, String field, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException("metric gate " + gate + ": " + field + " must be in [" + min + ", "
                    + max + "], was " + value);
        }
    }
}
