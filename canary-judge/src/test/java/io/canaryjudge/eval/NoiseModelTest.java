package io.canaryjudge.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.canaryjudge.profile.FunctionTotals;
import io.canaryjudge.profile.ProfileType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The simulator produces the noise it claims, and the oracle's variance formula matches it: the
 * evaluation's numbers mean nothing otherwise.
 */
class NoiseModelTest {
    private final ProfileSimulator simulator = new ProfileSimulator();

    @Test
    void sliceCountsHaveTheRequestedDispersion() {
        for (double d : new double[] {1, 2, 4}) {
            SimulationSetting setting = new SimulationSetting(200, 0.02, 0, 1, 300, 50_000, d, 0, 0);
            SimulatedCase simulated = simulator.simulate(setting, 42);
            long[][] counts = simulated.baselineCounts().counts();
            double sum = 0;
            int functions = 0;
            for (int f = 0; f < 200; f++) {
                double mean = 0;
                for (long[] slice : counts) {
                    mean += slice[f];
                }
                mean /= counts.length;
                if (mean < 100) {
                    continue;
                }
                double variance = 0;
                for (long[] slice : counts) {
                    variance += (slice[f] - mean) * (slice[f] - mean);
                }
                sum += variance / (counts.length - 1) / mean;
                functions++;
            }
            assertThat(functions).isGreaterThan(30);
            assertThat(sum / functions).as("mean variance/mean at d=%s", d).isCloseTo(d, within(0.08 * d));
        }
    }

    @Test
    void podFactorsHaveTheRequestedCoefficientOfVariation() {
        SimulationSetting setting = new SimulationSetting(200, 0.05, 0, 60, 1, 20_000_000, 1, 0.10, 0);
        double[][] shares = simulator.simulate(setting, 7).baselineCounts().shares();
        double[] truth = simulator.simulate(setting, 7).service().selfShare();
        double cvSum = 0;
        int functions = 0;
        for (int f = 0; f < truth.length; f++) {
            if (truth[f] < 0.01) {
                continue;
            }
            double[] column = ReferenceTest.column(shares, f);
            double mean = Arrays.stream(column).average().orElseThrow();
            double variance = Arrays.stream(column).map(x -> (x - mean) * (x - mean)).sum() / (column.length - 1);
            cvSum += Math.sqrt(variance) / mean;
            functions++;
        }
        assertThat(functions).isGreaterThan(10);
        assertThat(cvSum / functions).isCloseTo(0.10, within(0.012));
    }

    @Test
    void oracleZScoresAreStandardNormalWithoutAChange() {
        for (boolean trueLevel : new boolean[] {true, false}) {
            oracleZScoresAreStandardNormal(EvaluationGrid.centre().withChange(0), trueLevel);
            oracleZScoresAreStandardNormal(EvaluationGrid.centre().withChange(0).withSliceCv(0.08).withSamples(5_000), trueLevel);
            oracleZScoresAreStandardNormal(EvaluationGrid.keyExample(2).withChange(0), trueLevel);
            oracleZScoresAreStandardNormal(EvaluationGrid.centre().withChange(0).withPods(5).withCanaryPods(1), trueLevel);
        }
    }

    private void oracleZScoresAreStandardNormal(SimulationSetting setting, boolean trueLevel) {
        double sumSquares = 0;
        int n = 0;
        int beyond = 0;
        for (int i = 0; i < 150; i++) {
            SimulatedCase simulated = simulator.simulate(setting, 1000 + i);
            double[] b = ReferenceTest.groupMean(simulated.baselineCounts().shares(), 200);
            double[] c = ReferenceTest.groupMean(simulated.canaryCounts().shares(), 200);
            double[] z = OracleTest.zScores(simulated, b, c, trueLevel);
            for (int f = 0; f < z.length; f++) {
                if (simulated.service().selfShare()[f] >= 0.001) {
                    sumSquares += z[f] * z[f];
                    n++;
                    beyond += Math.abs(z[f]) > 2.5758 ? 1 : 0;
                }
            }
        }
        assertThat(Math.sqrt(sumSquares / n)).as("sd of oracle z, " + setting.label() + (trueLevel ? ", true level" : ", pooled level")).isCloseTo(1.0, within(0.04));
        assertThat((double) beyond / n).as("share of |z| > 2.576, " + setting.label()).isBetween(0.006, 0.014);
    }

    @Test
    void profilesCarryTheSimulatedCountsAsSelfTime() {
        SimulatedCase simulated = simulator.simulate(EvaluationGrid.centre(), 3);
        long[] counts = simulated.canaryCounts().counts()[0];
        FunctionTotals totals = simulated.canary().get(0).profile().functionTotals(ProfileType.CPU);
        for (int f = 0; f < counts.length; f++) {
            int id = indexOf(totals, simulated.service().names()[f]);
            assertThat(id < 0 ? 0 : totals.self(id) / ProfileSimulator.NANOS_PER_SAMPLE).isEqualTo(counts[f]);
        }
        long total = Arrays.stream(counts).sum();
        assertThat(totals.inclusive(indexOf(totals, "java.lang.Thread.run"))).isEqualTo(total * ProfileSimulator.NANOS_PER_SAMPLE);
        assertThat(simulated.canary().get(0).profile().sampleCount(0)).isEqualTo(total);
    }

    @Test
    void benjaminiHochbergMatchesTheTextbookExample() {
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.2), "BH") = 0.025 0.05 0.05 0.025 0.2
        double[] q = BenjaminiHochberg.qValues(new double[] {0.01, 0.04, Double.NaN, 0.03, 0.005, 0.2});
        assertThat(q[0]).isCloseTo(0.025, within(1e-12));
        assertThat(q[1]).isCloseTo(0.05, within(1e-12));
        assertThat(q[2]).isNaN();
        assertThat(q[3]).isCloseTo(0.05, within(1e-12));
        assertThat(q[4]).isCloseTo(0.025, within(1e-12));
        assertThat(q[5]).isCloseTo(0.2, within(1e-12));
    }

    private static int indexOf(FunctionTotals totals, String name) {
        for (int f = 0; f < totals.functionCount(); f++) {
            if (totals.functionName(f).equals(name)) {
                return f;
            }
        }
        return -1;
    }
}
