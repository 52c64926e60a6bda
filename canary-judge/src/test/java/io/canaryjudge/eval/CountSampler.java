package io.canaryjudge.eval;

import java.util.SplittableRandom;
import org.apache.commons.math3.special.Gamma;

/**
 * Random counts for the profile simulator: Poisson, gamma and their mixture (gamma–Poisson,
 * i.e. negative binomial), drawn from a caller's seeded {@link SplittableRandom} so every
 * simulated case is reproducible from its seed.
 *
 * <p>Algorithms: Poisson by multiplication of uniforms below a mean of 10 and by Hörmann's
 * transformed rejection (PTRS, "The transformed rejection method for generating Poisson random
 * variables", Insurance: Mathematics and Economics 12, 1993) above; gamma by Marsaglia and Tsang
 * ("A simple method for generating gamma variables", ACM TOMS 26, 2000).
 */
final class CountSampler {
    private final SplittableRandom random;

    CountSampler(SplittableRandom random) {
        this.random = random;
    }

    /**
     * A count with mean {@code mean} and variance {@code dispersion × mean}: Poisson when the
     * dispersion is 1, otherwise Poisson of a gamma rate with shape {@code mean / (dispersion − 1)}
     * and scale {@code dispersion − 1} (a negative binomial whose variance is a constant multiple
     * of the mean, the "quasi-Poisson" overdispersion).
     */
    long overdispersed(double mean, double dispersion) {
        return overdispersed(mean, dispersion, 0);
    }

    /**
     * A count with mean {@code mean} and variance {@code dispersion × mean + rateCv² × mean²}:
     * Poisson of a gamma rate with that mean and excess variance. The first term is bursty
     * sampling, the second a rate that itself varies with coefficient of variation {@code rateCv}.
     */
    long overdispersed(double mean, double dispersion, double rateCv) {
        if (mean <= 0) {
            return 0;
        }
        double excess = (dispersion - 1.0) * mean + rateCv * rateCv * mean * mean;
        if (excess <= 0) {
            return poisson(mean);
        }
        double scale = excess / mean;
        return poisson(gamma(mean / scale) * scale);
    }

    long poisson(double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean < 10) {
            double limit = Math.exp(-mean);
            double product = random.nextDouble();
            long k = 0;
            while (product > limit) {
                product *= random.nextDouble();
                k++;
            }
            return k;
        }
        double sqrtMean = Math.sqrt(mean);
        double logMean = Math.log(mean);
        double b = 0.931 + 2.53 * sqrtMean;
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = random.nextDouble() - 0.5;
            double v = random.nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + mean + 0.43);
            if (us >= 0.07 && v <= vr) {
                return k;
            }
            if (k < 0 || (us < 0.013 && v > us)) {
                continue;
            }
            if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b)
                    <= -mean + k * logMean - Gamma.logGamma(k + 1.0)) {
                return k;
            }
        }
    }

    /** Gamma variate with the given shape and scale 1. */
    double gamma(double shape) {
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

    /** A lognormal factor with mean 1 and coefficient of variation {@code cv} (1 when cv is 0). */
    /** Uniform on [0, 1). */
    double uniform() {
        return random.nextDouble();
    }

    double lognormalFactor(double cv) {
        if (cv <= 0) {
            return 1.0;
        }
        double sigma2 = Math.log(1 + cv * cv);
        return Math.exp(-sigma2 / 2 + Math.sqrt(sigma2) * random.nextGaussian());
    }
}
