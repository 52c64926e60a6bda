package io.canaryjudge.heldout3;

/**
 * The noise structures of one cell, on top of the base noise every case has (Poisson CPU sampling at 100 Hz,
 * Poisson request arrivals per endpoint, per-pod request rate ±6 %, per-slice load ±4 %, heavy-tailed per-request
 * cost, discrete GC cycles, fixed-rate background jobs).
 *
 * @param mixConcentration  Dirichlet concentration of each pod's endpoint mix around the global mix (0 = none)
 * @param gcHeadroomSigma   log-sd of a pod's GC cost per allocated byte (heap headroom; 0 = none)
 * @param youngProbability  probability that a pod's JVM started 30-240 s before the window
 * @param youngCanary       every canary JVM is young, every baseline JVM old (a real rollout)
 * @param slowPod           one pod (of all, either group) runs on a CPU type 20 % slower
 * @param drift             history windows come from 03:00 and yesterday 09:00, with other traffic mixes and loads
 * @param burstProbability  per pod, slice and resource (DB, partner HTTP, Redis, rate-cache lock): chance of a burst
 * @param alloc             judge allocation profiles (alloc_bytes, weighted samples) instead of CPU
 * @param tlabSigma         log-sd of a pod's TLAB size, i.e. of the weight of one allocation sample (0 = none)
 * @param power             the change injected into canary pods (A/A: NONE)
 */
record Noise(double mixConcentration, double gcHeadroomSigma, double youngProbability, boolean youngCanary,
             boolean slowPod, boolean drift, double burstProbability, boolean alloc, double tlabSigma, Power power) {

    enum Power { NONE, NEW_PATH, SELF_RISE }

    static Noise base() {
        return new Noise(0, 0, 0, false, false, false, 0, false, 0, Power.NONE);
    }

    Noise withMix(double c) {
        return new Noise(c, gcHeadroomSigma, youngProbability, youngCanary, slowPod, drift, burstProbability, alloc, tlabSigma, power);
    }

    Noise withGc(double sigma, double young, boolean canaryYoung) {
        return new Noise(mixConcentration, sigma, young, canaryYoung, slowPod, drift, burstProbability, alloc, tlabSigma, power);
    }

    Noise withSlowPod() {
        return new Noise(mixConcentration, gcHeadroomSigma, youngProbability, youngCanary, true, drift, burstProbability, alloc, tlabSigma, power);
    }

    Noise withDrift() {
        return new Noise(mixConcentration, gcHeadroomSigma, youngProbability, youngCanary, slowPod, true, burstProbability, alloc, tlabSigma, power);
    }

    Noise withBursts(double p) {
        return new Noise(mixConcentration, gcHeadroomSigma, youngProbability, youngCanary, slowPod, drift, p, alloc, tlabSigma, power);
    }

    Noise withAlloc(double tlab) {
        return new Noise(mixConcentration, gcHeadroomSigma, youngProbability, youngCanary, slowPod, drift, burstProbability, true, tlab, power);
    }

    Noise withPower(Power p) {
        return new Noise(mixConcentration, gcHeadroomSigma, youngProbability, youngCanary, slowPod, drift, burstProbability, alloc, tlabSigma, p);
    }
}
