package io.canaryjudge.eval;

import io.canaryjudge.judge.Thresholds;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * Naive baselines for scale: treat every slice as an independent replicate (ignoring that slices
 * of one pod share its JIT decisions) and test each function's slice shares with Welch's t-test
 * or the Mann–Whitney U test (normal approximation, commons-math3), then BH as the judge does.
 */
final class NaiveSliceTests {
    private NaiveSliceTests() {
    }

    static ReferenceTest welch() {
        TTest tTest = new TTest();
        return new SliceTest("Welch t (slices)", (x, y) -> {
            if (x.length < 2 || y.length < 2) {
                return 1.0;
            }
            double p = tTest.tTest(x, y);
            return Double.isNaN(p) ? 1.0 : p;
        });
    }

    static ReferenceTest mannWhitney() {
        MannWhitneyUTest test = new MannWhitneyUTest();
        return new SliceTest("Mann–Whitney (slices)", (x, y) -> {
            double p = test.mannWhitneyUTest(x, y);
            return Double.isNaN(p) ? 1.0 : p;
        });
    }

    private interface TwoSample {
        double pValue(double[] baseline, double[] canary);
    }

    private record SliceTest(String name, TwoSample test) implements ReferenceTest {
        @Override
        public Call call(SimulatedCase simulated, Thresholds thresholds) {
            int functions = simulated.service().functionCount();
            double[][] b = simulated.baselineCounts().shares();
            double[][] c = simulated.canaryCounts().shares();
            double[] meanB = ReferenceTest.groupMean(b, functions);
            double[] meanC = ReferenceTest.groupMean(c, functions);
            return ReferenceTest.decide(simulated.service().names(), meanB, meanC, thresholds,
                    f -> test.pValue(ReferenceTest.column(b, f), ReferenceTest.column(c, f)));
        }
    }
}
