package io.canaryjudge.eval;

import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileBuilder;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.SampleType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Simulated services whose call trees hold library and JDK code under application code, for
 * measuring where the judge names a change (docs/EVALUATION.md "Incidents"). The tree and its
 * heavy-tailed self shares are {@link ServiceModel}'s; on top of it:
 * <ul>
 *   <li>every node at depth 2 or more starts a library subtree with probability {@value #LIBRARY_SUBTREE}
 *       (its frames named after Jackson, Netty, Guava or {@code java.util.concurrent});</li>
 *   <li>a shared JDK helper, {@code java.lang.ThreadLocal.get}, is a leaf under {@value #HELPER_CALLERS}
 *       application functions (0.6 %, 0.4 %, 0.3 %, 0.2 % of CPU), one function on several stacks;</li>
 *   <li>pods multiply every node's rate by a lognormal factor (CV κ), slices draw gamma–Poisson counts.</li>
 * </ul>
 * An injected change is made in one application function T and must be named there:
 * {@link Change#LIBRARY_CALLS} multiplies the cost of a library subtree T calls, {@link Change#NEW_LIBRARY_PATH}
 * adds a four-frame Jackson path under T, {@link Change#HELPER_CALLS} multiplies the helper's cost
 * under T only (not its hottest caller), {@link Change#OWN_CODE} multiplies T's self cost.
 */
final class IncidentNamingSimulation {
    static final double LIBRARY_SUBTREE = 0.25;
    static final int HELPER_CALLERS = 4;
    private static final double[] HELPER_SHARES = {0.006, 0.004, 0.003, 0.002};
    private static final String HELPER = "java.lang.ThreadLocal.get";
    private static final String[] LIBRARIES = {"tools.jackson.databind.ser", "io.netty.buffer", "com.google.common.collect",
            "java.util.concurrent"};
    private static final List<SampleType> CPU = List.of(SampleType.of(ProfileType.CPU));
    private static final long NANOS_PER_SAMPLE = 10_000_000L;

    enum Change { LIBRARY_CALLS, NEW_LIBRARY_PATH, HELPER_CALLS, OWN_CODE }

    /**
     * @param entryFrame the application function the change was made in (where the judge should name it)
     */
    record Case(Change change, String entryFrame, List<Observation> baseline, List<Observation> canary) {
    }

    /** A tree: node names (names repeat for the shared helper), parents, self rates, and which nodes are library code. */
    private record Tree(List<String> names, List<Integer> parents, List<Double> rates, List<Boolean> library) {
        int add(String name, int parent, double rate, boolean isLibrary) {
            names.add(name);
            parents.add(parent);
            rates.add(rate);
            library.add(isLibrary);
            return names.size() - 1;
        }

        int size() {
            return names.size();
        }

        int depth(int node) {
            int depth = 0;
            for (int p = parents.get(node); p >= 0; p = parents.get(p)) {
                depth++;
            }
            return depth;
        }
    }

    /**
     * @param relativeChange the multiplier − 1 applied to the changed cost (LIBRARY_CALLS, HELPER_CALLS, OWN_CODE)
     * @param newPathShare   the new path's share of CPU (NEW_LIBRARY_PATH)
     */
    Case simulate(Change change, int functions, int pods, int canaryPods, int slices, int samples, double podCv,
                  double dispersion, double relativeChange, double newPathShare, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        CountSampler sampler = new CountSampler(random);
        ServiceModel model = ServiceModel.generate(random, functions, ServiceModel.KAFKA_ZIPF_EXPONENT);
        Tree tree = new Tree(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int f = 0; f < model.functionCount(); f++) {
            int parent = model.parent()[f];
            boolean library = parent >= 0 && (tree.library().get(parent)
                    || (model.stackLeafFirst(f).length >= 3 && random.nextDouble() < LIBRARY_SUBTREE));
            String name = f == 0 ? model.names()[0] : library ? libraryName(tree, parent, f) : model.names()[f];
            tree.add(name, parent, model.selfShare()[f], library);
        }
        List<Integer> applicationNodes = new ArrayList<>();
        for (int n = 1; n < tree.size(); n++) {
            if (!tree.library().get(n)) {
                applicationNodes.add(n);
            }
        }
        List<Integer> helperCallers = new ArrayList<>();
        List<Integer> helpers = new ArrayList<>();
        for (int k = 0; k < HELPER_CALLERS; k++) {
            int caller = applicationNodes.get(random.nextInt(applicationNodes.size()));
            if (helperCallers.contains(caller)) {
                k--;
                continue;
            }
            helperCallers.add(caller);
            helpers.add(tree.add(HELPER, caller, HELPER_SHARES[k], true));
        }
        double[] baselineRates = tree.rates().stream().mapToDouble(Double::doubleValue).toArray();
        double[] canaryRates = baselineRates.clone();
        String entryFrame;
        switch (change) {
            case LIBRARY_CALLS -> {
                // An application function that calls a library subtree holding at least 1 % of CPU.
                List<Integer> callers = new ArrayList<>();
                for (int n = 1; n < tree.size(); n++) {
                    int parent = tree.parents().get(n);
                    if (tree.library().get(n) && !tree.library().get(parent) && parent > 0
                            && !tree.names().get(n).equals(HELPER) && subtreeRate(tree, baselineRates, n) >= 0.01) {
                        callers.add(n);
                    }
                }
                if (callers.isEmpty()) {
                    return null;
                }
                int libraryRoot = callers.get(random.nextInt(callers.size()));
                entryFrame = tree.names().get(tree.parents().get(libraryRoot));
                for (int n = 0; n < tree.size(); n++) {
                    if (inSubtree(tree, n, libraryRoot)) {
                        canaryRates[n] *= 1 + relativeChange;
                    }
                }
            }
            case NEW_LIBRARY_PATH -> {
                int caller = applicationNodes.get(random.nextInt(applicationNodes.size()));
                entryFrame = tree.names().get(caller);
                int write = tree.add("tools.jackson.databind.ObjectMapper.writeValueAsString", caller, 0, true);
                int bean = tree.add("tools.jackson.databind.ser.BeanSerializer.serialize", write, 0, true);
                int string = tree.add("tools.jackson.core.json.UTF8JsonGenerator.writeString", bean, 0, true);
                int chars = tree.add("java.lang.String.getChars", string, 0, true);
                baselineRates = java.util.Arrays.copyOf(baselineRates, tree.size());
                canaryRates = java.util.Arrays.copyOf(canaryRates, tree.size());
                double[] split = {0.15, 0.35, 0.35, 0.15};
                int[] nodes = {write, bean, string, chars};
                double total = java.util.Arrays.stream(canaryRates).sum();
                for (int i = 0; i < nodes.length; i++) {
                    canaryRates[nodes[i]] = split[i] * newPathShare * total / (1 - newPathShare);
                }
            }
            case HELPER_CALLS -> {
                int k = 1 + random.nextInt(HELPER_CALLERS - 1); // never the hottest caller
                entryFrame = tree.names().get(helperCallers.get(k));
                canaryRates[helpers.get(k)] *= 1 + relativeChange;
            }
            case OWN_CODE -> {
                double[] rates = baselineRates;
                List<Integer> candidates = applicationNodes.stream().filter(n -> rates[n] >= 0.01).toList();
                int target = candidates.get(random.nextInt(candidates.size()));
                entryFrame = tree.names().get(target);
                canaryRates[target] *= 1 + relativeChange;
            }
            default -> throw new IllegalArgumentException(String.valueOf(change));
        }
        List<Observation> baseline = group("baseline", tree, baselineRates, pods, slices, samples, podCv, dispersion, sampler);
        List<Observation> canary = group("canary", tree, canaryRates, canaryPods, slices, samples, podCv, dispersion, sampler);
        return new Case(change, entryFrame, baseline, canary);
    }

    private static String libraryName(Tree tree, int parent, int f) {
        int root = parent;
        while (tree.library().get(root)) {
            root = tree.parents().get(root);
        }
        String library = LIBRARIES[Math.floorMod(root * 31 + tree.depth(parent), LIBRARIES.length)];
        return library + ".Part" + f + ".op" + f;
    }

    private static boolean inSubtree(Tree tree, int node, int root) {
        for (int n = node; n >= 0; n = tree.parents().get(n)) {
            if (n == root) {
                return true;
            }
        }
        return false;
    }

    private static double subtreeRate(Tree tree, double[] rates, int root) {
        double sum = 0;
        for (int n = 0; n < tree.size(); n++) {
            if (inSubtree(tree, n, root)) {
                sum += rates[n];
            }
        }
        return sum;
    }

    private static List<Observation> group(String side, Tree tree, double[] rates, int pods, int slices, int samples,
                                           double podCv, double dispersion, CountSampler sampler) {
        double sum = java.util.Arrays.stream(rates).sum();
        List<Observation> out = new ArrayList<>();
        for (int pod = 0; pod < pods; pod++) {
            double[] podRates = new double[rates.length];
            for (int n = 0; n < rates.length; n++) {
                podRates[n] = rates[n] / sum * sampler.lognormalFactor(podCv);
            }
            for (int s = 0; s < slices; s++) {
                out.add(new Observation(side + "-pod-" + pod, profile(side + "-" + pod + "-" + s, tree, podRates, samples,
                        dispersion, sampler)));
            }
        }
        return out;
    }

    private static Profile profile(String source, Tree tree, double[] rates, int samples, double dispersion,
                                   CountSampler sampler) {
        ProfileBuilder builder = new ProfileBuilder(source, ProfileFormat.COLLAPSED, CPU, 64);
        Map<String, Integer> ids = new HashMap<>();
        long total = 0;
        try {
            for (int n = 0; n < rates.length; n++) {
                long count = sampler.overdispersed(samples * rates[n], dispersion);
                if (count <= 0) {
                    continue;
                }
                List<Integer> stack = new ArrayList<>();
                for (int f = n; f >= 0; f = tree.parents().get(f)) {
                    stack.add(ids.computeIfAbsent(tree.names().get(f), builder::function));
                }
                int[] frames = stack.stream().mapToInt(Integer::intValue).toArray();
                builder.add(builder.stack(frames, frames.length, 0), 0, count * NANOS_PER_SAMPLE);
                total += count;
            }
        } catch (InvalidProfileException e) {
            throw new IllegalStateException("simulated stacks are at most 20 frames deep", e);
        }
        builder.addSampleCount(0, total);
        return builder.build();
    }
}
