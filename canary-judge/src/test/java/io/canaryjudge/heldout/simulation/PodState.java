package io.canaryjudge.heldout.simulation;

/**
 * One simulated JVM's realised stack probabilities (CPU and allocated bytes): the service's rates
 * times the pod's per-stack factors, with its JIT decisions applied.
 *
 * @param cpu   CPU probability of each stack, summing to 1
 * @param alloc allocated-bytes probability of each stack, summing to 1
 */
record PodState(double[] cpu, double[] alloc) {
    /** Of the log pod factor's variance, the part shared by all stacks of a function in one pod. */
    static final double SHARED = 0.5;

    /** A new JVM of {@code service}. */
    static PodState draw(RandomDraws random, SimulatedService service) {
        double[] cpu = factors(random, service, service.cpuRate(), 1.0);
        double[] alloc = factors(random, service, service.allocRate(), 1.0);
        for (int f = 0; f < service.functionCount(); f++) {
            if (!service.flips()[f] || random.uniform() >= 0.5) {
                continue;
            }
            for (int s = 0; s < cpu.length; s++) {
                if (service.stacks()[s][0] == f && service.flipTo()[s] >= 0) {
                    double moved = cpu[s] * (1 - SimulatedService.INLINED_RESIDUAL);
                    cpu[s] -= moved;
                    cpu[service.flipTo()[s]] += moved;
                }
            }
        }
        return new PodState(SimulatedService.normalise(cpu), SimulatedService.normalise(alloc));
    }

    /** The same JVM in another window: every stack drifts by a factor with half its function's sigma. */
    PodState drifted(RandomDraws random, SimulatedService service) {
        double[] driftedCpu = cpu.clone();
        double[] driftedAlloc = alloc.clone();
        for (int s = 0; s < cpu.length; s++) {
            double sigma = 0.5 * service.sigma()[service.stacks()[s][0]];
            driftedCpu[s] *= Math.exp(sigma * random.normal() - sigma * sigma / 2);
            driftedAlloc[s] *= Math.exp(sigma * random.normal() - sigma * sigma / 2);
        }
        return new PodState(SimulatedService.normalise(driftedCpu), SimulatedService.normalise(driftedAlloc));
    }

    /**
     * Rates times lognormal factors with mean 1: log factor = sigma_f (√SHARED z_f + √(1 − SHARED) z_s),
     * z_f shared by the stacks of leaf function f in this pod, z_s the stack's own.
     */
    static double[] factors(RandomDraws random, SimulatedService service, double[] rates, double scale) {
        double[] shared = new double[service.functionCount()];
        for (int f = 0; f < shared.length; f++) {
            shared[f] = random.normal();
        }
        double[] out = new double[rates.length];
        for (int s = 0; s < rates.length; s++) {
            if (rates[s] == 0) {
                continue;
            }
            int leaf = service.stacks()[s][0];
            double sigma = scale * service.sigma()[leaf];
            double z = Math.sqrt(SHARED) * shared[leaf] + Math.sqrt(1 - SHARED) * random.normal();
            out[s] = rates[s] * Math.exp(sigma * z - sigma * sigma / 2);
        }
        return out;
    }
}
