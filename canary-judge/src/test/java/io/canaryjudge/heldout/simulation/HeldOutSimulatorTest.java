package io.canaryjudge.heldout.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.heldout.oracle.KnownNoise;
import io.canaryjudge.heldout.oracle.PodShares;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.ProfileType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The held-out simulator does what its documentation claims, measured on its own output. */
class HeldOutSimulatorTest {

    /** Each function's pod-to-pod spread follows its own sigma: quiet functions stay quiet, noisy ones vary. */
    @Test
    void podNoiseFollowsEachFunctionsOwnLevel() {
        RandomDraws random = new RandomDraws(11);
        SimulatedService service = SimulatedService.generate(random, "orders");
        int pods = 400;
        double[][] self = new double[pods][];
        for (int p = 0; p < pods; p++) {
            self[p] = selfShares(service, PodState.draw(random, service).cpu());
        }
        int quiet = 0;
        int noisy = 0;
        for (int f = 0; f < service.functionCount(); f++) {
            boolean flipsOrFeedsFlips = service.flips()[f] || flipsInto(service, f);
            double mean = 0;
            for (double[] pod : self) {
                mean += pod[f] / pods;
            }
            if (mean < 0.005 || flipsOrFeedsFlips || service.selfStacks(f).size() > 1) {
                continue;
            }
            double variance = 0;
            for (double[] pod : self) {
                variance += (pod[f] - mean) * (pod[f] - mean) / (pods - 1);
            }
            double cv = Math.sqrt(variance) / mean;
            double sigma = service.sigma()[f];
            // One stack: CV = sqrt(exp(sigma²) − 1) ≈ sigma, shrunk a little by renormalisation.
            assertThat(cv).as("CV of %s (sigma %.3f)", service.names().get(f), sigma)
                    .isBetween(0.75 * sigma - 0.01, 1.2 * sigma + 0.01);
            if (sigma < 0.03) {
                quiet++;
            } else if (sigma > 0.08) {
                noisy++;
            }
        }
        assertThat(quiet).as("quiet functions checked").isPositive();
        assertThat(noisy).as("noisy functions checked").isPositive();
    }

    @Test
    void someFunctionsFlipBetweenJvms() {
        RandomDraws random = new RandomDraws(5);
        SimulatedService service = SimulatedService.generate(random, "orders");
        int flipping = 0;
        for (int f = 0; f < service.functionCount(); f++) {
            if (!service.flips()[f]) {
                continue;
            }
            List<Double> shares = new ArrayList<>();
            for (int p = 0; p < 40; p++) {
                shares.add(selfShares(service, PodState.draw(random, service).cpu())[f]);
            }
            double max = shares.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            double min = shares.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            if (max > 0 && min < 0.1 * max) {
                flipping++;
            }
        }
        assertThat(flipping).isPositive();
    }

    /** Slices are Dirichlet-multinomial: more spread than binomial, by (N + α) / (1 + α). */
    @Test
    void slicesAreOverdispersedAsConfigured() {
        SimulatedCase simulated = new HeldOutSimulator().simulate(new Layout(1, 1), Change.none(), false, 3);
        List<Observation> slices = simulated.baseline();
        PodShares pooled = PodShares.of(slices, ProfileType.CPU);
        double pearson = 0;
        int terms = 0;
        for (String function : pooled.functions()) {
            double p = pooled.mean(function, 0);
            if (p < 0.01) {
                continue;
            }
            for (Observation slice : slices) {
                PodShares one = PodShares.of(List.of(slice), ProfileType.CPU);
                double n = one.meanSamples();
                double x = one.mean(function, 0);
                pearson += (x - p) * (x - p) / (p * (1 - p) / n);
                terms++;
            }
        }
        double n = HeldOutSimulator.SAMPLES_PER_SLICE;
        double expected = (n + HeldOutSimulator.CPU_CONCENTRATION) / (1 + HeldOutSimulator.CPU_CONCENTRATION);
        // Pearson statistic per term, slices of one pod around their pooled share: (S − 1) / S × d.
        double measured = pearson / terms * HeldOutSimulator.SLICES_PER_WINDOW / (HeldOutSimulator.SLICES_PER_WINDOW - 1);
        assertThat(measured).isBetween(expected * 0.7, expected * 1.3);
    }

    /** On A/A cases the oracle's z of a function is close to standard normal: it knows the noise. */
    @Test
    void oracleZIsStandardOnAa() {
        List<Double> z = new ArrayList<>();
        for (int seed = 0; seed < 20; seed++) {
            SimulatedCase simulated = new HeldOutSimulator().simulate(Layout.TWO_V_TWO, Change.none(), false, seed);
            KnownNoise noise = simulated.knownNoise(ProfileType.CPU, seed);
            PodShares b = PodShares.of(simulated.baseline(), ProfileType.CPU);
            PodShares c = PodShares.of(simulated.canary(), ProfileType.CPU);
            for (String function : b.functions()) {
                double level = 0.5 * (b.mean(function, 1) + c.mean(function, 1));
                if (level < 0.01) {
                    continue;
                }
                double v = noise.variance(function, 1, level);
                z.add((c.mean(function, 1) - b.mean(function, 1)) / Math.sqrt(v / 2 + v / 2));
            }
        }
        double sd = Math.sqrt(z.stream().mapToDouble(x -> x * x).average().orElse(0));
        assertThat(z.size()).isGreaterThan(250);
        assertThat(sd).isBetween(0.8, 1.25);
    }

    @Test
    void aCpuRiseRaisesTheTargetsOwnShare() {
        SimulatedCase simulated = new HeldOutSimulator().simulate(new Layout(3, 3), Change.cpuRise(0.5, 0.05), false, 9);
        assertThat(simulated.application(simulated.target())).isTrue();
        double before = PodShares.of(simulated.baseline(), ProfileType.CPU).mean(simulated.target(), 0);
        double after = PodShares.of(simulated.canary(), ProfileType.CPU).mean(simulated.target(), 0);
        assertThat(before).isBetween(0.035, 0.065);
        assertThat(after / before).isBetween(1.25, 1.75);
    }

    @Test
    void aNewHotPathIsAbsentFromTheBaseline() {
        SimulatedCase simulated = new HeldOutSimulator().simulate(Layout.TWO_V_TWO, Change.newHotPath(0.01), true, 4);
        assertThat(PodShares.of(simulated.baseline(), ProfileType.CPU).mean(simulated.target(), 1)).isZero();
        assertThat(PodShares.of(simulated.history(), ProfileType.CPU).mean(simulated.target(), 1)).isZero();
        assertThat(PodShares.of(simulated.canary(), ProfileType.CPU).mean(simulated.target(), 1)).isBetween(0.007, 0.013);
        assertThat(simulated.history()).hasSameSizeAs(simulated.baseline());
        assertThat(simulated.history().get(0).instance()).isEqualTo(simulated.baseline().get(0).instance());
    }

    private static double[] selfShares(SimulatedService service, double[] stackRates) {
        double[] self = new double[service.functionCount()];
        for (int s = 0; s < stackRates.length; s++) {
            self[service.stacks()[s][0]] += stackRates[s];
        }
        return self;
    }

    private static boolean flipsInto(SimulatedService service, int f) {
        for (int s = 0; s < service.stackCount(); s++) {
            int target = service.flipTo()[s];
            if (target >= 0 && service.stacks()[target][0] == f) {
                return true;
            }
        }
        return false;
    }
}
