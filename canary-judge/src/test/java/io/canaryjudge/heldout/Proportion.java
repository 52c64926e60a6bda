package io.canaryjudge.heldout;

import java.util.Locale;

/**
 * A count out of a number of cases, with its Wilson 95 % interval (Wilson, "Probable inference, the
 * law of succession, and statistical inference", JASA 22, 1927): well-behaved at 0 and at small n.
 *
 * @param count events
 * @param cases cases
 */
public record Proportion(int count, int cases) {

    public double rate() {
        return cases == 0 ? Double.NaN : (double) count / cases;
    }

    public double low() {
        return wilson(-1);
    }

    public double high() {
        return wilson(1);
    }

    private double wilson(int sign) {
        if (cases == 0) {
            return Double.NaN;
        }
        double z = 1.959964;
        double p = rate();
        double n = cases;
        double centre = p + z * z / (2 * n);
        double spread = z * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n));
        return Math.max(0, Math.min(1, (centre + sign * spread) / (1 + z * z / n)));
    }

    /** "1.2 % (3/250; 0.4–3.5 %)". */
    @Override
    public String toString() {
        if (cases == 0) {
            return "– (0 cases)";
        }
        return String.format(Locale.ROOT, "%.1f %% (%d/%d; %.1f–%.1f %%)", 100 * rate(), count, cases, 100 * low(),
                100 * high());
    }

    /** "1.2 % (3/250)". */
    public String brief() {
        if (cases == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.1f %% (%d/%d)", 100 * rate(), count, cases);
    }
}
