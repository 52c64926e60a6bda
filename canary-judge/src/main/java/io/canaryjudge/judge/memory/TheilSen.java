package io.canaryjudge.judge.memory;

import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The Theil–Sen line: the median of the slopes between all pairs of points, robust to a minority of
 * outliers (Sen 1968, JASA 63:1379; a breakdown point of 29 %), with Sen's distribution-free
 * confidence interval from Kendall's S. The interval assumes independent residuals; heap points
 * after GC are not (old-generation garbage piles up between collections), so the judge does not use
 * it as the noise of a pod's slope — the spread between pods and windows is — only to report it.
 *
 * @param slope     median pairwise slope, y units per x unit
 * @param intercept median of y − slope · x
 * @param ciLow     lower end of the interval at the asked confidence
 * @param ciHigh    upper end
 * @param points    number of points fitted
 */
record TheilSen(double slope, double intercept, double ciLow, double ciHigh, int points) {

    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    /** Most points fitted: n(n−1)/2 pairs; beyond this the series is thinned evenly first. */
    static final int MAX_POINTS = 1500;

    /**
     * @param x          increasing or not, at least two distinct values
     * @param confidence two-sided, e.g. 0.95
     * @return NaN slope when fewer than two points have distinct x
     */
    static TheilSen fit(double[] x, double[] y, double confidence) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y differ in length");
        }
        double[] xs = x;
        double[] ys = y;
        if (x.length > MAX_POINTS) {
            xs = new double[MAX_POINTS];
            ys = new double[MAX_POINTS];
            for (int i = 0; i < MAX_POINTS; i++) {
                int from = (int) ((long) i * (x.length - 1) / (MAX_POINTS - 1));
                xs[i] = x[from];
                ys[i] = y[from];
            }
        }
        int n = xs.length;
        double[] slopes = new double[n * (n - 1) / 2];
        int m = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dx = xs[j] - xs[i];
                if (dx != 0) {
                    slopes[m++] = (ys[j] - ys[i]) / dx;
                }
            }
        }
        if (m == 0) {
            return new TheilSen(Double.NaN, Double.NaN, Double.NaN, Double.NaN, n);
        }
        slopes = Arrays.copyOf(slopes, m);
        Arrays.sort(slopes);
        double slope = median(slopes);
        double[] residuals = new double[n];
        for (int i = 0; i < n; i++) {
            residuals[i] = ys[i] - slope * xs[i];
        }
        Arrays.sort(residuals);
        double intercept = median(residuals);
        // Sen's interval: the slopes of rank (m − C)/2 and (m + C)/2 + 1, C = z · sd(S), var(S) = n(n−1)(2n+5)/18.
        double z = NORMAL.inverseCumulativeProbability(0.5 + confidence / 2);
        double c = z * Math.sqrt(n * (n - 1.0) * (2.0 * n + 5) / 18);
        int lower = (int) Math.floor((m - c) / 2);
        int upper = (int) Math.ceil((m + c) / 2);
        double low = lower >= 0 && lower < m ? slopes[lower] : Double.NEGATIVE_INFINITY;
        double high = upper >= 0 && upper < m ? slopes[upper] : Double.POSITIVE_INFINITY;
        return new TheilSen(slope, intercept, low, high, n);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
