package io.canaryjudge.judge;

/**
 * One measure (self or inclusive) of the candidate functions: each observation's values, each
 * unit's pooled ratio (Σ value / Σ denominator over its slices) and the means the tests and the
 * noise model start from.
 *
 * <p>Sampling scale of a unit's ratio: for slices with value-per-sample u_i and denominator d_i,
 * Var(ratio) = φ·μ·w with w = Σ u_i d_i / (Σ d_i)² (binomial sampling of the pooled samples, φ times
 * overdispersed).
 */
final class MeasureData {
    final int[] candidates;
    /** [observation][candidate] values in the type's unit. */
    final double[][] values;
    /** Per observation: the type's total. */
    final double[] totals;
    /** Per observation: total × size factor. */
    final double[] denominators;
    final double[] valuePerSample;
    final int[] unitOf;
    final Units units;
    final double[] unitDenominator;
    final double[] unitW;
    /** [unit][candidate] pooled ratio. */
    final double[][] unitValue;
    /** [group 0/1][candidate]: mean over the group's current pods (each pod weighs the same). */
    final double[][] groupMean;
    /** [window group][candidate]: mean over its units. */
    final double[][] windowMean;
    final int[] windowSize;

    MeasureData(int[] candidates, double[][] values, double[] totals, double[] denominators, double[] valuePerSample,
                int[] unitOf, Units units) {
        this.candidates = candidates;
        this.totals = totals;
        this.values = values;
        this.denominators = denominators;
        this.valuePerSample = valuePerSample;
        this.unitOf = unitOf;
        this.units = units;
        int count = units.count();
        int m = candidates.length;
        unitDenominator = new double[count];
        double[] unitUd = new double[count];
        unitValue = new double[count][m];
        for (int i = 0; i < values.length; i++) {
            int u = unitOf[i];
            unitDenominator[u] += denominators[i];
            unitUd[u] += valuePerSample[i] * denominators[i];
            double[] row = values[i];
            double[] target = unitValue[u];
            for (int c = 0; c < m; c++) {
                target[c] += row[c];
            }
        }
        unitW = new double[count];
        windowMean = new double[units.windowGroups()][m];
        windowSize = new int[units.windowGroups()];
        groupMean = new double[2][m];
        for (int u = 0; u < count; u++) {
            unitW[u] = unitDenominator[u] > 0 ? unitUd[u] / (unitDenominator[u] * unitDenominator[u]) : 0;
            windowSize[units.window()[u]]++;
        }
        for (int u = 0; u < count; u++) {
            double[] row = unitValue[u];
            int w = units.window()[u];
            for (int c = 0; c < m; c++) {
                row[c] = unitDenominator[u] > 0 ? row[c] / unitDenominator[u] : 0;
                windowMean[w][c] += row[c] / windowSize[w];
            }
            if (u < units.pods()) {
                int g = units.group()[u];
                int pods = g == 0 ? units.baselinePods() : units.canaryPods();
                for (int c = 0; c < m; c++) {
                    groupMean[g][c] += row[c] / pods;
                }
            }
        }
    }

    int pb() {
        return units.baselinePods();
    }

    int pc() {
        return units.canaryPods();
    }

    double pooledMean(int c) {
        return 0.5 * (groupMean[0][c] + groupMean[1][c]);
    }

    /** Σ over the group's current pods of w_p, divided by P_g²: the sampling scale of the group mean. */
    double samplingFactor(int group) {
        double sum = 0;
        int pods = group == 0 ? pb() : pc();
        for (int u = 0; u < units.pods(); u++) {
            if (units.group()[u] == group) {
                sum += unitW[u];
            }
        }
        return sum / ((double) pods * pods);
    }

    double meanPodW() {
        double sum = 0;
        for (int u = 0; u < units.pods(); u++) {
            sum += unitW[u];
        }
        return sum / units.pods();
    }
}
