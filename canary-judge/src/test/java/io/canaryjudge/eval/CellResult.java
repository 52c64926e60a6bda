package io.canaryjudge.eval;

import io.canaryjudge.verdict.Result;
import java.util.Arrays;
import java.util.List;

/**
 * Counts for one grid cell: the A/B cases with the injected change and the A/A cases of the same
 * design that measure the false-FAIL rate and calibrate the oracle.
 *
 * @param setting     the A/B cell
 * @param material     whether the injected change clears the default materiality thresholds
 * @param changed      outcomes of the A/B cases
 * @param unchanged    outcomes of the A/A cases (same design, no change)
 * @param referenceNames names of the reference tests, in the order of {@link CaseOutcome#references()}
 * @param nominalAlpha the judge's maxQValue, the reference tests' nominal level
 */
record CellResult(SimulationSetting setting, SimulationSetting.Materiality material, List<CaseOutcome> changed, List<CaseOutcome> unchanged,
                  List<String> referenceNames, double nominalAlpha) {

    static final int ORACLE = 0;
    /** Index of the oracle that also knows each function's true level, when the runner has it. */
    static final int ORACLE_TRUE_LEVEL = 3;

    /**
     * The oracle's critical level for the comparison: the largest level at which the oracle FAILs no
     * more A/A cases of this design than the judge did, but never below the nominal level (the
     * oracle at q ≤ maxQValue already keeps its false-FAIL rate far below 1 %; with 0 judge false
     * FAILs in 500 cases, the count alone would push the oracle to the 0.2 % tail of its own A/A
     * distribution and make the comparison depend on one draw). docs/EVALUATION.md "Original simulator and grid".
     */
    double calibratedOracleAlpha() {
        return calibratedAlpha(ORACLE);
    }

    /** {@link #calibratedOracleAlpha()} for reference test {@code index}. */
    double calibratedAlpha(int index) {
        double[] levels = unchanged.stream().mapToDouble(o -> o.references().get(index).failLevel()).sorted().toArray();
        long judgeFalseFails = unchanged.stream().filter(CaseOutcome::judgeFails).count();
        if (levels.length == 0) {
            return nominalAlpha;
        }
        double alpha = judgeFalseFails == 0 ? Math.nextDown(levels[0]) : levels[(int) judgeFalseFails - 1];
        return Math.max(nominalAlpha, Math.min(alpha, 1.0));
    }

    Rate judgeFail() {
        return Rate.of(changed.stream().filter(CaseOutcome::judgeFails).count(), changed.size());
    }

    Rate judgeInconclusive() {
        return Rate.of(changed.stream().filter(o -> o.judgeResult() == Result.INCONCLUSIVE).count(), changed.size());
    }

    long judgeErrors() {
        return changed.stream().filter(o -> o.judgeError() != null).count()
                + unchanged.stream().filter(o -> o.judgeError() != null).count();
    }

    /** Among the A/B cases the judge FAILed, those whose first failing finding names the target. */
    Rate judgeCulprit() {
        return Rate.of(changed.stream().filter(o -> o.judgeFails() && o.judgeNamesTarget()).count(),
                changed.stream().filter(CaseOutcome::judgeFails).count());
    }

    Rate judgeFalseFail() {
        return Rate.of(unchanged.stream().filter(CaseOutcome::judgeFails).count(), unchanged.size());
    }

    Rate referenceFail(int index, double alpha) {
        return Rate.of(changed.stream().filter(o -> o.references().get(index).fails(alpha)).count(), changed.size());
    }

    Rate referenceCulprit(int index, double alpha) {
        return Rate.of(changed.stream().filter(o -> o.references().get(index).fails(alpha)
                        && o.target().equals(o.references().get(index).culprit())).count(),
                changed.stream().filter(o -> o.references().get(index).fails(alpha)).count());
    }

    Rate referenceFalseFail(int index, double alpha) {
        return Rate.of(unchanged.stream().filter(o -> o.references().get(index).fails(alpha)).count(), unchanged.size());
    }

    /** Median over A/B and A/A cases of a per-case number (NaN entries ignored). */
    double median(java.util.function.ToDoubleFunction<CaseOutcome> value) {
        double[] values = Arrays.asList(changed, unchanged).stream().flatMap(List::stream).mapToDouble(value)
                .filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
    }

    /** The most common error message, for the report when the judge threw. */
    String firstError() {
        return Arrays.asList(changed, unchanged).stream().flatMap(List::stream).map(CaseOutcome::judgeError)
                .filter(e -> e != null).findFirst().orElse(null);
    }

    /**
     * A proportion with its Wilson 95 % interval (Wilson, JASA 22, 1927): honest at 0 % and 100 %.
     */
    record Rate(long hits, long n) {
        static Rate of(long hits, long n) {
            return new Rate(hits, n);
        }

        double value() {
            return n == 0 ? Double.NaN : (double) hits / n;
        }

        double low() {
            return wilson(-1);
        }

        double high() {
            return wilson(1);
        }

        private double wilson(int sign) {
            if (n == 0) {
                return Double.NaN;
            }
            double z = 1.959964;
            double p = value();
            double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
            double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / (1 + z * z / n);
            return Math.max(0, Math.min(1, centre + sign * half));
        }
    }
}
