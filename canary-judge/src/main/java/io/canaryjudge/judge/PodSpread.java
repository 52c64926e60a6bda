package io.canaryjudge.judge;

/**
 * How much one function's value varies between pods, from the units that cannot contain the change
 * under test: pods of the same group in the same window, and history. Each unit's value is taken
 * relative to its window group's mean (so time and group differences drop out), and the relative
 * deviations are split, one-way ANOVA style, into between-JVM and within-JVM (between-window) parts:
 * an earlier window of a baseline pod's own JVM shares that JVM's JIT and placement, so it tells about
 * window-to-window noise but not again about JVM-to-JVM noise.
 *
 * <p>With J JVMs in C connected sets of JVMs and windows, N units in G window groups:
 * between-JVM mean square MS_B on J − C degrees of freedom, E = σ²_e + n₀·σ²_J; within-JVM MS_W on
 * N − G − (J − C), E = σ²_e (σ²_e: window-to-window and sampling noise); n₀ the usual unbalanced
 * coefficient Σ_c (N_c − Σ_j n_j² / N_c) / (J − C) (Searle, Casella &amp; McCulloch 1992, Variance
 * Components, §3.5). A new pod's value varies by σ²_J + σ²_e, estimated by
 * MS_B/n₀ + (1 − 1/n₀)·MS_W with Welch–Satterthwaite degrees of freedom (Satterthwaite 1946).
 * Without repeated JVMs (n₀ = 1) that is just the pooled within-group variance. Units alone in their
 * window group carry no contrast and are left out.
 *
 * @param variance   estimate of σ²_J + σ²_e, relative (a squared CV, sampling included)
 * @param df         its degrees of freedom (0: no information)
 * @param sampling   mean relative sampling scale of the units used (w / window mean): multiplied by φ it is
 *                   the sampling part of {@code variance}
 * @param betweenDf  J − C
 */
record PodSpread(double variance, double df, double sampling, int betweenDf) {

    static final PodSpread NONE = new PodSpread(Double.NaN, 0, Double.NaN, 0);

    /** The spread of candidate {@code c}, or {@link #NONE} when no two comparable units hold it. */
    static PodSpread of(MeasureData data, int c) {
        return of(data, c, false);
    }

    /** As {@link #of(MeasureData, int)}, from baseline pods and history only (for {@link LearnedNoise}). */
    static PodSpread ofBaseline(MeasureData data, int c) {
        return of(data, c, true);
    }

    private static PodSpread of(MeasureData data, int c, boolean baselineOnly) {
        int count = data.units.count();
        double[] values = new double[count];
        double[] sampling = new double[count];
        boolean[] usable = new boolean[count];
        for (int u = 0; u < count; u++) {
            values[u] = data.unitValue[u][c];
            sampling[u] = data.unitW[u];
            usable[u] = data.windowMean[data.units.window()[u]][c] > 0
                    && !(baselineOnly && data.units.group()[u] == TypedObservation.CANARY);
        }
        return of(data.units, values, sampling, usable);
    }

    /**
     * The spread of one value per unit.
     *
     * @param values   per unit
     * @param sampling per unit: the sampling scale w of its value (0 when negligible)
     * @param usable   per unit: false to leave it out (no data)
     */
    static PodSpread of(Units units, double[] values, double[] sampling, boolean[] usable) {
        int count = units.count();
        int windows = units.windowGroups();
        double[] windowSum = new double[windows];
        int[] perWindow = new int[windows];
        for (int u = 0; u < count; u++) {
            if (usable[u]) {
                windowSum[units.window()[u]] += values[u];
                perWindow[units.window()[u]]++;
            }
        }
        boolean[] use = new boolean[count];
        double[] r = new double[count];
        double samplingSum = 0;
        int n = 0;
        for (int u = 0; u < count; u++) {
            int w = units.window()[u];
            double mean = perWindow[w] > 0 ? windowSum[w] / perWindow[w] : 0;
            if (usable[u] && mean > 0 && perWindow[w] >= 2) {
                use[u] = true;
                r[u] = values[u] / mean - 1;
                samplingSum += sampling[u] / mean;
                n++;
            }
        }
        if (n < 2) {
            return NONE;
        }
        Structure s = Structure.of(units, use);
        if (s.betweenDf <= 0) {
            // No second JVM to compare (only earlier windows of the same JVMs): the window-to-window
            // spread alone would understate a new pod's noise.
            return NONE;
        }
        int jvms = units.jvms();
        double[] jvmSum = new double[jvms];
        int[] jvmCount = new int[jvms];
        for (int u = 0; u < count; u++) {
            if (use[u]) {
                jvmSum[units.jvm()[u]] += r[u];
                jvmCount[units.jvm()[u]]++;
            }
        }
        double between = 0;
        for (int j = 0; j < jvms; j++) {
            if (jvmCount[j] > 0) {
                between += jvmSum[j] * jvmSum[j] / jvmCount[j];
            }
        }
        double within = 0;
        for (int u = 0; u < count; u++) {
            if (use[u]) {
                double d = r[u] - jvmSum[units.jvm()[u]] / jvmCount[units.jvm()[u]];
                within += d * d;
            }
        }
        double msB = between / s.betweenDf;
        double msW = s.withinDf > 0 ? within / s.withinDf : 0;
        double variance;
        double df;
        if (s.withinDf == 0 || s.n0 <= 1) {
            variance = msB;
            df = s.betweenDf;
        } else {
            double a = msB / s.n0;
            double b = (1 - 1 / s.n0) * msW;
            variance = a + b;
            double denominator = a * a / s.betweenDf + b * b / s.withinDf;
            df = denominator > 0 ? variance * variance / denominator : s.betweenDf + s.withinDf;
        }
        return new PodSpread(variance, df, samplingSum / n, s.betweenDf);
    }

    /**
     * Degrees of freedom of a set of units: J − C between JVMs, N − G − (J − C) within, and n₀.
     *
     * @param betweenDf J − C
     * @param withinDf  N − G − (J − C)
     * @param n0        unbalanced coefficient of σ²_J in E[MS_B]
     */
    record Structure(int betweenDf, int withinDf, double n0) {

        /** The structure of {@code use}d units (all units whose window group holds two or more of them). */
        static Structure of(Units units, boolean[] use) {
            int jvms = units.jvms();
            int windows = units.windowGroups();
            int[] parent = new int[jvms + windows];
            for (int i = 0; i < parent.length; i++) {
                parent[i] = i;
            }
            boolean[] jvmUsed = new boolean[jvms];
            boolean[] windowUsed = new boolean[windows];
            int[] jvmUnits = new int[jvms];
            int n = 0;
            for (int u = 0; u < units.count(); u++) {
                if (!use[u]) {
                    continue;
                }
                int j = units.jvm()[u];
                int w = units.window()[u];
                jvmUsed[j] = true;
                windowUsed[w] = true;
                jvmUnits[j]++;
                union(parent, j, jvms + w);
                n++;
            }
            int j = 0;
            int g = 0;
            for (boolean used : jvmUsed) {
                j += used ? 1 : 0;
            }
            for (boolean used : windowUsed) {
                g += used ? 1 : 0;
            }
            double[] componentUnits = new double[parent.length];
            double[] componentSquares = new double[parent.length];
            boolean[] isRoot = new boolean[parent.length];
            for (int jvm = 0; jvm < jvms; jvm++) {
                if (jvmUsed[jvm]) {
                    int root = find(parent, jvm);
                    isRoot[root] = true;
                    componentUnits[root] += jvmUnits[jvm];
                    componentSquares[root] += (double) jvmUnits[jvm] * jvmUnits[jvm];
                }
            }
            int components = 0;
            double a = 0;
            for (int i = 0; i < parent.length; i++) {
                if (isRoot[i]) {
                    components++;
                    a += componentUnits[i] - componentSquares[i] / componentUnits[i];
                }
            }
            int betweenDf = j - components;
            int withinDf = n - g - betweenDf;
            return new Structure(betweenDf, Math.max(0, withinDf), betweenDf > 0 ? a / betweenDf : 1);
        }

        /** The structure of every unit whose window group holds two or more units. */
        static Structure of(Units units) {
            int[] perWindow = new int[units.windowGroups()];
            for (int w : units.window()) {
                perWindow[w]++;
            }
            boolean[] use = new boolean[units.count()];
            for (int u = 0; u < use.length; u++) {
                use[u] = perWindow[units.window()[u]] >= 2;
            }
            return of(units, use);
        }

        /** As {@link #of(Units)}, leaving out history units. */
        static Structure withoutHistory(Units units) {
            boolean[] use = new boolean[units.count()];
            int[] perWindow = new int[units.windowGroups()];
            for (int u = 0; u < units.pods(); u++) {
                perWindow[units.window()[u]]++;
            }
            for (int u = 0; u < units.pods(); u++) {
                use[u] = perWindow[units.window()[u]] >= 2;
            }
            return of(units, use);
        }

        private static int find(int[] parent, int i) {
            while (parent[i] != i) {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            return i;
        }

        private static void union(int[] parent, int a, int b) {
            parent[find(parent, a)] = find(parent, b);
        }
    }
}
