package io.canaryjudge.heldout.simulation;

import java.util.SplittableRandom;

/**
 * The random variates the held-out simulator needs, from one seeded {@link SplittableRandom}:
 * normal, lognormal, gamma (Marsaglia and Tsang, "A simple method for generating gamma
 * variables", ACM TOMS 26, 2000), Dirichlet (normalised gammas) and multinomial counts (categorical
 * draws by binary search of the cumulative probabilities).
 */
final class RandomDraws {
    private final SplittableRandom random;

    RandomDraws(long seed) {
        this.random = new SplittableRandom(seed);
    }

    double uniform() {
        return random.nextDouble();
    }

    int below(int bound) {
        return random.nextInt(bound);
    }

    double normal() {
        return random.nextGaussian();
    }

    /** exp(N(mu, sigma²)). */
    double lognormal(double mu, double sigma) {
        return Math.exp(mu + sigma * random.nextGaussian());
    }

    /** Gamma variate with the given shape and scale 1. */
    double gamma(double shape) {
        if (shape <= 0) {
            return 0;
        }
        if (shape < 1) {
            return gamma(shape + 1) * Math.pow(random.nextDouble(), 1.0 / shape);
        }
        double d = shape - 1.0 / 3.0;
        double c = 1.0 / Math.sqrt(9 * d);
        while (true) {
            double x = random.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    /** Probabilities drawn from Dirichlet(concentration × p); entries with p = 0 stay 0. */
    double[] dirichlet(double[] p, double concentration) {
        double[] draw = new double[p.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            draw[i] = p[i] > 0 ? gamma(concentration * p[i]) : 0;
            sum += draw[i];
        }
        for (int i = 0; i < p.length; i++) {
            draw[i] /= sum;
        }
        return draw;
    }

    /** Counts of {@code n} categorical draws with probabilities {@code p} (summing to 1). */
    long[] multinomial(double[] p, long n) {
        double[] cumulative = new double[p.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            sum += p[i];
            cumulative[i] = sum;
        }
        long[] counts = new long[p.length];
        for (long k = 0; k < n; k++) {
            double u = random.nextDouble() * sum;
            int lo = 0;
            int hi = p.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cumulative[mid] <= u) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            counts[lo]++;
        }
        return counts;
    }
}
