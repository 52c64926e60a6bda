package io.canaryjudge.verdict;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * The unit of a request metric's values, so that a reader sees "5 %" and "497 ms" instead of 0.05 and 0.497: the
 * verdict's numbers stay in the unit (a ratio 0..1, seconds), the words around them say it.
 */
public enum MetricUnit {
    /** A ratio 0..1 (error ratio), shown as a percentage; differences in percentage points. */
    RATIO("ratio"),
    /** Seconds (latency), shown in ms below one second. */
    SECONDS("seconds"),
    /** A plain number. */
    NONE("");

    private final String id;

    MetricUnit(String id) {
        this.id = id;
    }

    /** As the verdict's JSON says it ({@code ratio}, {@code seconds}); empty for {@link #NONE}. */
    public String id() {
        return id;
    }

    /** The unit a verdict's JSON names; unknown or absent (verdicts stored before units) is {@link #NONE}. */
    public static MetricUnit of(String id) {
        for (MetricUnit unit : values()) {
            if (unit != NONE && unit.id.equals(id)) {
                return unit;
            }
        }
        return NONE;
    }

    /** A value with its unit, three significant digits: {@code 1.23 %}, {@code 99.5 ms}, {@code 1.5 s}. */
    public String text(double value) {
        return switch (this) {
            case RATIO -> digits(value * 100) + " %";
            case SECONDS -> Math.abs(value) < 1 ? digits(value * 1000) + " ms" : digits(value) + " s";
            case NONE -> digits(value);
        };
    }

    /** A difference of two values, signed: {@code +4.5 percentage points}, {@code +398 ms}. */
    public String difference(double value) {
        String sign = value >= 0 ? "+" : "-";
        return switch (this) {
            case RATIO -> sign + digits(Math.abs(value) * 100) + " percentage points";
            case SECONDS, NONE -> sign + text(Math.abs(value));
        };
    }

    private static String digits(double value) {
        if (!Double.isFinite(value)) {
            return String.valueOf(value);
        }
        if (value == 0) {
            return "0";
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros();
        return Math.abs(value) >= 1e6 || Math.abs(value) < 1e-4
                ? String.format(Locale.ROOT, "%.3g", value) : rounded.toPlainString();
    }
}
