package io.canaryjudge.heldout.simulation;

import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileBuilder;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.SampleType;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws held-out comparisons from a {@link SimulatedService}. Per case: a new service; each pod (JVM)
 * multiplies every stack's rate by its own lognormal factor whose spread is the stack's leaf
 * function's {@code sigma} (half shared by all stacks of that function in the pod, half the stack's
 * own), flips the service's JIT-sensitive functions by a coin per JVM, and keeps these for all its
 * windows; an earlier window of the same pod drifts by a further factor (sd of the log = half the
 * function's sigma). Within a window, each slice draws its stack probabilities from a Dirichlet
 * (concentration {@value #CPU_CONCENTRATION} for CPU: overdispersed, d ≈ 1.6 at 1,750 samples) and its
 * samples from a multinomial; allocation slices draw events (one per {@value #ALLOC_INTERVAL_BYTES}
 * bytes on average) the same way and give each event a gamma-distributed size (a sampled TLAB or
 * object), so allocated bytes carry the size sampling's own noise.
 *
 * <p>Profiles carry {@code cpu} (1 ms per sample), {@code alloc_bytes} and {@code alloc_objects}
 * columns with their sample counts. Every draw comes from one seeded {@link RandomDraws}.
 */
public final class HeldOutSimulator {
    /** CPU samples per slice (async-profiler at 1 ms, 1.75 s of CPU per slice). */
    static final int SAMPLES_PER_SLICE = 1750;
    static final int SLICES_PER_WINDOW = 8;
    static final double CPU_CONCENTRATION = 3000;
    static final double ALLOC_CONCENTRATION = 1500;
    static final int ALLOC_EVENTS_PER_SLICE = 400;
    static final long ALLOC_INTERVAL_BYTES = 512 * 1024;
    /** Shape of an allocation event's size distribution (gamma, mean = the interval). */
    static final double ALLOC_SIZE_SHAPE = 2;
    static final long NANOS_PER_SAMPLE = 1_000_000;
    private static final long WINDOW_NANOS = 14_000_000_000L;
    private static final long START_EPOCH_NANOS = 1_795_000_000_000_000_000L;
    private static final List<SampleType> TYPES = List.of(SampleType.of(ProfileType.CPU),
            SampleType.of(ProfileType.ALLOC_BYTES), SampleType.of(ProfileType.ALLOC_OBJECTS));

    /** Draws case {@code seed} of {@code change} in {@code layout}, with history windows when asked. */
    public SimulatedCase simulate(Layout layout, Change change, boolean withHistory, long seed) {
        return simulate(layout, change, withHistory, seed, 0);
    }

    /**
     * As {@link #simulate(Layout, Change, boolean, long)}, followed by {@code earlierAnalyses} A/A analyses of
     * the same baseline build in the same layout (new JVMs each, with history when asked), drawn after the case
     * so the case itself is the same as without them.
     */
    public SimulatedCase simulate(Layout layout, Change change, boolean withHistory, long seed, int earlierAnalyses) {
        return simulate(layout, change, withHistory, seed, earlierAnalyses, 1);
    }

    /**
     * As {@link #simulate(Layout, Change, boolean, long, int)} with {@code historyWindows} earlier windows of every
     * baseline pod instead of one (the service's {@code history-windows}). The windows beyond the first are drawn
     * last, from their own random stream, so the case is otherwise the same as with one window.
     */
    public SimulatedCase simulate(Layout layout, Change change, boolean withHistory, long seed, int earlierAnalyses,
                                  int historyWindows) {
        RandomDraws random = new RandomDraws(seed);
        wholeWindow = layout.wholeWindow();
        SimulatedService service = SimulatedService.generate(random, "orders");
        SimulatedService canaryService = service;
        String target = null;
        switch (change.kind()) {
            case NONE -> {
            }
            case CPU_RISE -> {
                int f = appFunctionWithSelfStack(random, service, false);
                service = withSelfShare(service, f, change.baseShare(), false);
                canaryService = scaled(service, f, 1 + change.size(), false);
                target = service.names().get(f);
            }
            case ALLOC_RISE -> {
                int f = appFunctionWithSelfStack(random, service, true);
                service = withSelfShare(service, f, change.baseShare(), true);
                canaryService = scaled(service, f, 1 + change.size(), true);
                target = service.names().get(f);
            }
            case NEW_HOT_PATH -> {
                canaryService = newHotPath(random, service, change.size());
                target = canaryService.names().get(canaryService.functionCount() - 1);
            }
            case DIFFERENT_PROGRAM -> canaryService = SimulatedService.generate(random, "batch");
        }
        List<Observation> baseline = new ArrayList<>();
        List<Observation> history = new ArrayList<>();
        List<Observation> canary = new ArrayList<>();
        List<PodState> baselinePods = new ArrayList<>();
        for (int p = 0; p < layout.baselinePods(); p++) {
            PodState pod = PodState.draw(random, service);
            baselinePods.add(pod);
            String instance = "baseline-pod-" + (p + 1);
            if (withHistory) {
                history.addAll(window(random, service, pod.drifted(random, service), instance, 0));
            }
            baseline.addAll(window(random, service, pod, instance, 1));
        }
        for (int p = 0; p < layout.canaryPods(); p++) {
            PodState pod = PodState.draw(random, canaryService);
            canary.addAll(window(random, canaryService, pod, "canary-pod-" + (p + 1), 1, layout.canaryTraffic()));
        }
        List<SimulatedCase.Earlier> earlier = new ArrayList<>();
        for (int k = 0; k < earlierAnalyses; k++) {
            List<Observation> earlierBaseline = new ArrayList<>();
            List<Observation> earlierHistory = new ArrayList<>();
            List<Observation> earlierCanary = new ArrayList<>();
            for (int p = 0; p < layout.baselinePods(); p++) {
                PodState pod = PodState.draw(random, service);
                String instance = "earlier-" + k + "-baseline-pod-" + (p + 1);
                if (withHistory) {
                    earlierHistory.addAll(window(random, service, pod.drifted(random, service), instance, 0));
                }
                earlierBaseline.addAll(window(random, service, pod, instance, 1));
            }
            for (int p = 0; p < layout.canaryPods(); p++) {
                PodState pod = PodState.draw(random, service);
                earlierCanary.addAll(window(random, service, pod, "earlier-" + k + "-canary-pod-" + (p + 1), 1,
                        layout.canaryTraffic()));
            }
            earlier.add(new SimulatedCase.Earlier(earlierBaseline, earlierCanary, earlierHistory));
        }
        if (withHistory && historyWindows > 1) {
            RandomDraws more = new RandomDraws(seed * 0x9E3779B97F4A7C15L + 0x5DEECE66DL);
            for (int p = 0; p < baselinePods.size(); p++) {
                for (int w = 2; w <= historyWindows; w++) {
                    history.addAll(window(more, service, baselinePods.get(p).drifted(more, service),
                            "baseline-pod-" + (p + 1), 1 - w));
                }
            }
        }
        return new SimulatedCase(layout, change, baseline, canary, history, service, target, earlier);
    }

    /** An application function with a self stack (that allocates, for allocation changes), at random. */
    private static int appFunctionWithSelfStack(RandomDraws random, SimulatedService service, boolean alloc) {
        List<Integer> candidates = new ArrayList<>();
        for (int f = 0; f < service.functionCount(); f++) {
            if (service.kinds()[f] != FrameKind.APPLICATION || service.names().get(f).endsWith(".Worker.run")) {
                continue;
            }
            for (int s : service.selfStacks(f)) {
                if ((alloc ? service.allocRate()[s] : service.cpuRate()[s]) > 0) {
                    candidates.add(f);
                    break;
                }
            }
        }
        return candidates.get(random.below(candidates.size()));
    }

    /** The service with function {@code f}'s self share set to {@code share}, the rest scaled to fill. */
    private static SimulatedService withSelfShare(SimulatedService service, int f, double share, boolean alloc) {
        double[] rates = (alloc ? service.allocRate() : service.cpuRate()).clone();
        double own = 0;
        for (int s : service.selfStacks(f)) {
            own += rates[s];
        }
        List<Integer> selfStacks = service.selfStacks(f);
        for (int s = 0; s < rates.length; s++) {
            rates[s] *= selfStacks.contains(s) ? share / own : (1 - share) / (1 - own);
        }
        return alloc ? service.withRates(service.cpuRate(), rates) : service.withRates(rates, service.allocRate());
    }

    /** The service with function {@code f}'s own cost multiplied by {@code factor}, renormalised. */
    private static SimulatedService scaled(SimulatedService service, int f, double factor, boolean alloc) {
        double[] rates = (alloc ? service.allocRate() : service.cpuRate()).clone();
        for (int s : service.selfStacks(f)) {
            rates[s] *= factor;
        }
        rates = SimulatedService.normalise(rates);
        return alloc ? service.withRates(service.cpuRate(), rates) : service.withRates(rates, service.allocRate());
    }

    /**
     * A new application method under a random application stack, with three library/JDK frames below
     * it; it takes {@code share} of the canary's CPU, 20 % in its own frame and 80 % in the frames below.
     */
    private static SimulatedService newHotPath(RandomDraws random, SimulatedService service, double share) {
        List<Integer> callers = new ArrayList<>();
        List<Integer> libraryFrames = new ArrayList<>();
        for (int s = 0; s < service.stackCount(); s++) {
            if (service.kinds()[service.stacks()[s][0]] == FrameKind.APPLICATION) {
                callers.add(s);
            }
        }
        for (int f = 0; f < service.functionCount(); f++) {
            if (service.kinds()[f] == FrameKind.LIBRARY || service.kinds()[f] == FrameKind.JDK) {
                libraryFrames.add(f);
            }
        }
        int[] below = new int[3];
        for (int i = 0; i < below.length; i++) {
            below[i] = libraryFrames.get(random.below(libraryFrames.size()));
        }
        int before = service.stackCount();
        SimulatedService grown = service.withNewPath("com.example.orders.ConsentRegistry.verifyGrants",
                callers.get(random.below(callers.size())), below);
        double[] cpu = grown.cpuRate().clone();
        for (int s = 0; s < before; s++) {
            cpu[s] *= 1 - share;
        }
        double[] split = {0.2, 0.2, 0.2, 0.4};
        for (int i = 0; i < split.length; i++) {
            cpu[before + i] = share * split[i];
        }
        return grown.withRates(cpu, grown.allocRate());
    }

    /** Each pod's window as one profile (its slices summed: one file per JVM) rather than one per slice. */
    private boolean wholeWindow;

    private List<Observation> window(RandomDraws random, SimulatedService service, PodState pod, String instance,
                                     int window) {
        return window(random, service, pod, instance, window, 1);
    }

    /** {@code traffic}: this pod's share of a baseline pod's traffic, which scales its samples and events. */
    private List<Observation> window(RandomDraws random, SimulatedService service, PodState pod, String instance,
                                     int window, double traffic) {
        List<Observation> out = new ArrayList<>();
        int stacks = service.stackCount();
        long[] cpuSum = new long[stacks];
        long[] bytesSum = new long[stacks];
        long[] eventsSum = new long[stacks];
        long samplesSum = 0;
        long eventsTotal = 0;
        for (int k = 0; k < SLICES_PER_WINDOW; k++) {
            long samples = Math.round(traffic * SAMPLES_PER_SLICE * random.lognormal(0, 0.05));
            long[] cpu = random.multinomial(random.dirichlet(pod.cpu(), CPU_CONCENTRATION), samples);
            long events = Math.round(traffic * ALLOC_EVENTS_PER_SLICE * random.lognormal(0, 0.1));
            long[] allocEvents = random.multinomial(random.dirichlet(pod.alloc(), ALLOC_CONCENTRATION), events);
            long[] bytes = new long[allocEvents.length];
            for (int s = 0; s < bytes.length; s++) {
                // The sum of n gamma(k) sizes is gamma(n k): mean n × interval.
                bytes[s] = allocEvents[s] == 0 ? 0 : Math.round(random.gamma(allocEvents[s] * ALLOC_SIZE_SHAPE)
                        * ALLOC_INTERVAL_BYTES / ALLOC_SIZE_SHAPE);
            }
            long start = START_EPOCH_NANOS + (window * SLICES_PER_WINDOW + k) * WINDOW_NANOS / SLICES_PER_WINDOW;
            if (!wholeWindow) {
                out.add(new Observation(instance, profile(instance + "/window-" + window + "/slice-" + (k + 1), service,
                        cpu, bytes, allocEvents, samples, events, start)));
            } else {
                sum(cpuSum, cpu);
                sum(bytesSum, bytes);
                sum(eventsSum, allocEvents);
                samplesSum += samples;
                eventsTotal += events;
            }
        }
        if (wholeWindow) {
            long start = START_EPOCH_NANOS + (long) window * WINDOW_NANOS;
            return List.of(new Observation(instance, profile(instance + "/window-" + window, service, cpuSum, bytesSum,
                    eventsSum, samplesSum, eventsTotal, start)));
        }
        return out;
    }

    private static void sum(long[] into, long[] add) {
        for (int i = 0; i < add.length && i < into.length; i++) {
            into[i] += add[i];
        }
    }

    private static Profile profile(String source, SimulatedService service, long[] cpu, long[] bytes, long[] events,
                                   long samples, long allocEvents, long start) {
        ProfileBuilder builder = new ProfileBuilder(source, ProfileFormat.PPROF, TYPES, 64);
        for (String name : service.names()) {
            builder.function(name); // ids 0..F-1 in model order
        }
        try {
            for (int s = 0; s < service.stackCount(); s++) {
                if (cpu[s] == 0 && events[s] == 0) {
                    continue;
                }
                int[] stack = service.stacks()[s];
                int id = builder.stack(stack, stack.length, 0);
                builder.add(id, 0, cpu[s] * NANOS_PER_SAMPLE);
                builder.add(id, 1, bytes[s]);
                builder.add(id, 2, events[s]);
            }
        } catch (InvalidProfileException e) {
            throw new IllegalStateException("simulated stacks are at most 20 frames deep", e);
        }
        builder.addSampleCount(0, samples);
        builder.addSampleCount(1, allocEvents);
        builder.addSampleCount(2, allocEvents);
        builder.interval(start, WINDOW_NANOS / SLICES_PER_WINDOW);
        return builder.build();
    }
}
