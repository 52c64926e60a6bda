package io.canaryjudge.eval;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.judge.Judge;
import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.judge.LearnedNoise;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileBuilder;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.SampleType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws the cases of the tuning evaluation from a {@link TuningSetting}:
 * <ol>
 *   <li>a stack model ({@link StackModel}: the synthetic tree, or the Kafka broker's real stacks);</li>
 *   <li>each function its own between-pod CV κ_f = median × e^{σZ} (heavy-tailed across functions), split
 *       into a part that stays with the JVM in every window and a part drawn anew per window; a JVM's
 *       factors multiply the rate of every stack the function is the leaf of;</li>
 *   <li>JIT flips: a share of functions that each JVM inlines into their caller or not (inlined, the
 *       caller's frame gets 98 % of the function's self rate);</li>
 *   <li>slices: each stack's count negative binomial, variance d·μ + c²·μ²; CPU samples weigh 10 ms,
 *       allocation samples what they caught (a per-stack typical size, sample weights with CV 0.8);</li>
 *   <li>history: earlier windows of the same baseline JVMs (same instance names, earlier timestamps);</li>
 *   <li>request counts: each pod's cost per request varies with CV 5 % (pod speed);</li>
 *   <li>background work: bursts of a task in 1–3 slices ({@code burstChance}), and window-long merges
 *       ({@code backgroundChance}) whose steps vary between occurrences, in any JVM window, history too.</li>
 * </ol>
 * Seeded per case: any case can be re-run from (setting, index).
 */
final class TuningSimulator {
    static final long NANOS_PER_SAMPLE = 10_000_000L;
    static final String NEW_PATH = "com.example.feature.AuditSnapshot.serialize";
    /**
     * A background task some JVMs run now and then (an index segment merge, a compaction, a cache rebuild),
     * leaf first: on its own thread, in no other JVM's window.
     */
    static final List<String> BACKGROUND_TASK = List.of("com.example.index.SegmentMerger.mergeTerms",
            "com.example.index.SegmentMerger.merge", "com.example.index.MergeScheduler$MergeThread.run",
            "java.lang.Thread.run");
    /**
     * A window-long background thread (a segment merge), leaf first without its merge step: the root frames
     * every occurrence shares. Each occurrence runs a random non-empty subset of {@link #MERGE_STEPS} with
     * random weights, so the leaf that carries most of it varies.
     */
    static final List<String> MERGE_THREAD = List.of("com.example.index.SegmentMerger.merge",
            "com.example.index.IndexWriter.merge", "com.example.index.ConcurrentMergeScheduler$MergeThread.run",
            "java.lang.Thread.run");
    /** The steps a merge may run, leaf first, each called from {@code SegmentMerger.merge}. */
    static final List<List<String>> MERGE_STEPS = List.of(
            List.of("com.example.index.SegmentMerger.mergeTerms"),
            List.of("com.example.codec.StoredFieldsWriter.merge", "com.example.index.SegmentMerger.mergeFields"),
            List.of("com.example.codec.DocValuesConsumer.merge", "com.example.index.SegmentMerger.mergeDocValues"),
            List.of("com.example.index.SegmentMerger.mergeNorms"),
            List.of("com.example.codec.PointsWriter.merge", "com.example.index.SegmentMerger.mergePoints"));
    /** A window-long merge: its share of the pod's window, CPU (uniform in this range) ... */
    private static final double MERGE_CPU_SHARE_MIN = 0.01;
    private static final double MERGE_CPU_SHARE_MAX = 0.04;
    /** ... and of allocated bytes (merges copy whole segments through buffers). */
    private static final double MERGE_ALLOC_SHARE_MIN = 0.02;
    private static final double MERGE_ALLOC_SHARE_MAX = 0.09;
    /** A burst of the background task: its share of the pod's window (uniform in this range). */
    private static final double BURST_POD_SHARE_MIN = 0.01;
    private static final double BURST_POD_SHARE_MAX = 0.04;
    /** ... in 1 to this many consecutive slices. */
    private static final int BURST_MAX_SLICES = 3;
    private static final long WINDOW_START = 1_795_000_000_000_000_000L;
    private static final double INLINED_RESIDUAL = 0.02;
    private static final double SAMPLE_WEIGHT_CV = 0.8;
    private static final double REQUESTS_PER_SAMPLE = 2.0;
    private static final double POD_SPEED_CV = 0.05;
    private static StackModel kafka;

    /**
     * One case.
     *
     * @param target the function the change is in (REGRESSION, JVM_RISE, NEW_PATH); null otherwise
     */
    record Case(TuningSetting setting, List<Observation> baseline, List<Observation> canary, List<Observation> history,
                String target, java.util.Map<String, Double> podCv, List<Earlier> earlier) {
    }

    /** An earlier A/A analysis of the same service: new JVMs of the baseline version on both sides. */
    record Earlier(List<Observation> baseline, List<Observation> canary) {
    }

    /** What the case's earlier analyses teach ({@code LearnedNoise}), judged in order; empty without them. */
    static LearnedNoise learnedNoise(Case simulated, JudgeConfig config) {
        LearnedNoise learned = LearnedNoise.empty();
        for (Earlier earlier : simulated.earlier()) {
            learned = learned.plus(new Judge().judge(earlier.baseline(), earlier.canary(), List.of(),
                    learned, config).taught());
        }
        return learned;
    }

    Case simulate(TuningSetting setting, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        CountSampler sampler = new CountSampler(random);
        StackModel model = switch (setting.service()) {
            case SYNTHETIC -> StackModel.of(ServiceModel.generate(random, 200, ServiceModel.KAFKA_ZIPF_EXPONENT));
            case KAFKA -> kafka();
        };
        Stacks stacks = new Stacks(model);
        if (setting.heavyEndpoint() > 0) {
            stacks.makeHeavyEndpoint(setting.heavyEndpoint());
        }
        int functions = stacks.names.size();
        double[] podCv = new double[functions];
        for (int f = 0; f < functions; f++) {
            podCv[f] = setting.medianPodCv() * Math.exp(setting.podCvSpread() * random.nextGaussian());
        }
        boolean[] flips = new boolean[functions];
        if (setting.jitShare() > 0) {
            for (int f = 0; f < functions; f++) {
                flips[f] = stacks.hasParent(f) && random.nextDouble() < setting.jitShare();
            }
        }
        double[] sampleSize = new double[stacks.count()];
        for (int s = 0; s < sampleSize.length; s++) {
            sampleSize[s] = 262_144 * Math.exp(random.nextGaussian());
        }

        int burstStack = -1;
        if (setting.burstChance() > 0) {
            burstStack = stacks.stackOf(BACKGROUND_TASK);
            sampleSize = Arrays.copyOf(sampleSize, stacks.count());
            sampleSize[burstStack] = 262_144 * 4; // merges allocate large buffers
            podCv = Arrays.copyOf(podCv, stacks.names.size());
            flips = Arrays.copyOf(flips, stacks.names.size());
        }
        int[] mergeStacks = null;
        if (setting.backgroundChance() > 0) {
            mergeStacks = new int[MERGE_STEPS.size()];
            for (int k = 0; k < mergeStacks.length; k++) {
                List<String> frames = new ArrayList<>(MERGE_STEPS.get(k));
                frames.addAll(MERGE_THREAD);
                mergeStacks[k] = stacks.stackOf(frames);
            }
            sampleSize = Arrays.copyOf(sampleSize, stacks.count());
            for (int stack : mergeStacks) {
                sampleSize[stack] = 262_144 * Math.exp(0.5); // the mean sample size of the other stacks
            }
            podCv = Arrays.copyOf(podCv, stacks.names.size());
            flips = Arrays.copyOf(flips, stacks.names.size());
        }
        int targetFunction = setting.change() == TuningSetting.Change.REGRESSION
                || setting.change() == TuningSetting.Change.JVM_RISE || setting.change() == TuningSetting.Change.RENAME
                ? pickTarget(stacks, setting.targetShare(), random, flips) : -1;
        double[] baselineRates = stacks.rates.clone();
        double[] canaryRates = baselineRates.clone();
        String target = null;
        double costFactor = 1;
        switch (setting.change()) {
            case NONE -> { }
            case REGRESSION -> {
                target = stacks.names.get(targetFunction);
                stacks.scaleLeaf(canaryRates, targetFunction, 1 + setting.size());
            }
            case RENAME -> {
                target = stacks.names.get(targetFunction) + "V2"; // renamed in the canary's profiles below
                stacks.scaleLeaf(canaryRates, targetFunction, 1 + setting.size());
            }
            case JVM_RISE -> {
                target = stacks.names.get(targetFunction);
                stacks.scaleLeaf(canaryRates, targetFunction, 2);
                for (int s = 0; s < stacks.count(); s++) {
                    if (stacks.jvmInternal(s)) {
                        canaryRates[s] *= setting.size();
                    }
                }
            }
            case NEW_PATH -> {
                target = NEW_PATH;
                double[] applicationRates = canaryRates.clone();
                for (int s = 0; s < applicationRates.length; s++) {
                    String leaf = stacks.names.get(stacks.leaf(s));
                    if (stacks.jvmInternal(s) || leaf.startsWith(".") || leaf.contains("::") || leaf.startsWith("lib")
                            || !leaf.contains(".")) {
                        applicationRates[s] = 0; // new code is called from application code
                    }
                }
                int callerStack = drawStack(applicationRates, random);
                int stack = stacks.newStack(callerStack, NEW_PATH);
                baselineRates = Arrays.copyOf(baselineRates, stacks.count());
                canaryRates = Arrays.copyOf(canaryRates, stacks.count());
                sampleSize = Arrays.copyOf(sampleSize, stacks.count());
                sampleSize[stack] = 262_144;
                double sum = Arrays.stream(canaryRates).sum();
                canaryRates[stack] = sum * setting.targetShare() / (1 - setting.targetShare());
                podCv = Arrays.copyOf(podCv, stacks.names.size());
                podCv[podCv.length - 1] = setting.medianPodCv();
                flips = Arrays.copyOf(flips, stacks.names.size());
            }
            case UNIFORM_SLOWDOWN -> costFactor = 1 + setting.size();
            case DIFFERENT_PROGRAM -> { }
        }
        Stacks canaryStacks = stacks;
        double[] canaryPodCv = podCv;
        boolean[] canaryFlips = flips;
        if (setting.change() == TuningSetting.Change.DIFFERENT_PROGRAM) {
            ServiceModel other = ServiceModel.generate(random, 200, ServiceModel.KAFKA_ZIPF_EXPONENT);
            String[] names = other.names().clone();
            for (int f = 1; f < names.length; f++) {
                names[f] = names[f].replace("com.example.svc", "org.other.app");
            }
            canaryStacks = new Stacks(StackModel.of(new ServiceModel(names, other.parent(), other.selfShare())));
            canaryRates = canaryStacks.rates.clone();
            canaryPodCv = new double[canaryStacks.names.size()];
            Arrays.fill(canaryPodCv, setting.medianPodCv());
            canaryFlips = new boolean[canaryPodCv.length];
        }

        List<Observation> baseline = new ArrayList<>();
        List<Observation> history = new ArrayList<>();
        List<Observation> canary = new ArrayList<>();
        for (int p = 0; p < setting.baselinePods(); p++) {
            Jvm jvm = new Jvm(stacks, podCv, flips, setting, random);
            String name = "baseline-pod-" + p;
            for (int w = setting.historyWindows(); w >= 0; w--) {
                double[] rates = jvm.window(baselineRates, random);
                window(name, rates, stacks, sampleSize, setting, sampler, random, w, 1.0, 1.0, burstStack, mergeStacks,
                        w == 0 ? baseline : history);
            }
        }
        for (int p = 0; p < setting.historyPods(); p++) {
            Jvm jvm = new Jvm(stacks, podCv, flips, setting, random);
            window("history-pod-" + p, jvm.window(baselineRates, random), stacks, sampleSize, setting, sampler, random, 0,
                    1.0, 1.0, burstStack, mergeStacks, history);
        }
        for (int p = 0; p < setting.canaryPods(); p++) {
            Jvm jvm = new Jvm(canaryStacks, canaryPodCv, canaryFlips, setting, random);
            double[] rates = jvm.window(canaryRates, random);
            window("canary-pod-" + p, rates, canaryStacks, sampleSize, setting, sampler, random, 0, costFactor,
                    setting.canaryTraffic(), canaryStacks == stacks ? burstStack : -1, canaryStacks == stacks ? mergeStacks : null, canary);
        }
        if (setting.change() == TuningSetting.Change.RENAME) {
            String old = stacks.names.get(targetFunction);
            String renamed = target;
            canary.replaceAll(o -> new Observation(o.instance(), ProfileEdits.edited(o.profile(),
                    name -> name.equals(old) ? renamed : name, null, 1, null, 0), o.requests(), o.valuePerSample()));
        }
        // Earlier verdicts are drawn after the case, so a cell with them judges the same case as the cell without.
        List<Earlier> earlier = new ArrayList<>();
        double[] earlierPodCv = podCv;
        if (setting.learnedDrift() > 0) {
            earlierPodCv = podCv.clone();
            for (int f = 0; f < earlierPodCv.length; f++) {
                earlierPodCv[f] *= Math.exp(setting.learnedDrift() * random.nextGaussian());
            }
        }
        for (int k = 0; k < setting.learnedVerdicts(); k++) {
            List<Observation> earlierBaseline = new ArrayList<>();
            List<Observation> earlierCanary = new ArrayList<>();
            for (int p = 0; p < setting.baselinePods() + setting.canaryPods(); p++) {
                Jvm jvm = new Jvm(stacks, earlierPodCv, flips, setting, random);
                boolean base = p < setting.baselinePods();
                window("earlier-" + k + (base ? "-baseline-pod-" : "-canary-pod-") + p, jvm.window(baselineRates, random),
                        stacks, sampleSize, setting, sampler, random, 0, 1.0, base ? 1.0 : setting.canaryTraffic(),
                        burstStack, mergeStacks,
                        base ? earlierBaseline : earlierCanary);
            }
            earlier.add(new Earlier(earlierBaseline, earlierCanary));
        }
        java.util.Map<String, Double> cv = new java.util.HashMap<>();
        for (int f = 0; f < podCv.length && f < stacks.names.size(); f++) {
            cv.put(stacks.names.get(f), podCv[f]);
        }
        return new Case(setting, baseline, canary, history, target, cv, earlier);
    }

    /** One window of one pod: its slices. */
    private static void window(String instance, double[] rates, Stacks stacks, double[] sampleSize,
                               TuningSetting setting, CountSampler sampler, SplittableRandom random, int windowsBack,
                               double costFactor, double traffic, int burstStack, int[] mergeStacks,
                               List<Observation> out) {
        int slices = setting.slicesPerPod();
        // A window-long merge: this JVM's merge thread ran in all or most slices of this window.
        double[] mergeSliceShare = null;
        int mergeFirst = -1;
        int mergeSlices = 0;
        if (mergeStacks != null && random.nextDouble() < setting.backgroundChance()) {
            mergeSlices = slices - random.nextInt(slices / 4 + 1);
            mergeFirst = random.nextInt(slices - mergeSlices + 1);
            boolean cpu = setting.type() == ProfileType.CPU;
            double min = cpu ? MERGE_CPU_SHARE_MIN : MERGE_ALLOC_SHARE_MIN;
            double max = cpu ? MERGE_CPU_SHARE_MAX : MERGE_ALLOC_SHARE_MAX;
            double podShare = min + (max - min) * random.nextDouble();
            double sliceShare = Math.min(0.5, podShare * slices / mergeSlices);
            double[] weight = new double[mergeStacks.length];
            double weights = 0;
            while (weights == 0) {
                for (int k = 0; k < weight.length; k++) {
                    weight[k] = random.nextBoolean() ? -Math.log(1 - random.nextDouble()) : 0;
                    weights += weight[k];
                }
            }
            mergeSliceShare = new double[mergeStacks.length];
            for (int k = 0; k < weight.length; k++) {
                mergeSliceShare[k] = sliceShare * weight[k] / weights;
            }
        }
        // A background burst: this JVM ran the task in a few consecutive slices of this window.
        int burstFirst = -1;
        int burstSlices = 0;
        double burstSliceShare = 0;
        if (burstStack >= 0 && random.nextDouble() < setting.burstChance()) {
            burstSlices = 1 + random.nextInt(Math.min(BURST_MAX_SLICES, slices));
            burstFirst = random.nextInt(slices - burstSlices + 1);
            double podShare = BURST_POD_SHARE_MIN + (BURST_POD_SHARE_MAX - BURST_POD_SHARE_MIN) * random.nextDouble();
            burstSliceShare = Math.min(0.5, podShare * slices / burstSlices);
        }
        // Traffic sets the requests; a pod's speed and the code's cost per request set the CPU it takes.
        double speed = Math.exp(POD_SPEED_CV * random.nextGaussian());
        // traffic: the share of a baseline pod's requests this pod serves (a canary behind a weighted router).
        double requestsPerSlice = traffic * setting.samplesPerPod() / slices * REQUESTS_PER_SAMPLE;
        double perSlice = traffic * setting.samplesPerPod() / slices * speed * costFactor;
        double sum = Arrays.stream(rates).sum();
        long sliceNanos = 10_000_000_000L;
        for (int s = 0; s < slices; s++) {
            long[] counts = new long[Math.max(rates.length, burstStack + 1)];
            long total = 0;
            for (int k = 0; k < rates.length; k++) {
                counts[k] = rates[k] > 0 ? sampler.overdispersed(perSlice * rates[k] / sum, setting.dispersion(),
                        setting.sliceCv()) : 0;
                total += counts[k];
            }
            if (s >= burstFirst && s < burstFirst + burstSlices) {
                counts[burstStack] += sampler.overdispersed(perSlice * burstSliceShare / (1 - burstSliceShare),
                        setting.dispersion(), setting.sliceCv());
            }
            if (mergeSliceShare != null && s >= mergeFirst && s < mergeFirst + mergeSlices) {
                double sliceShare = Arrays.stream(mergeSliceShare).sum();
                for (int k = 0; k < mergeStacks.length; k++) {
                    counts[mergeStacks[k]] += mergeSliceShare[k] > 0 ? sampler.overdispersed(perSlice
                            * mergeSliceShare[k] / (1 - sliceShare), setting.dispersion(), setting.sliceCv()) : 0;
                }
            }
            long start = WINDOW_START - (long) windowsBack * slices * sliceNanos + s * sliceNanos;
            Profile profile = stacks.profile(instance + "-w" + windowsBack + "-s" + s, counts, sampleSize, setting.type(),
                    sampler, start, sliceNanos);
            Long requests = setting.requests() ? Math.max(1, sampler.poisson(requestsPerSlice)) : null;
            out.add(new Observation(instance, profile, requests));
        }
    }

    /** A JVM: its persistent factors per function and its inlining decisions. */
    private static final class Jvm {
        final double[] factor;
        final double[] podCv;
        final boolean[] inlined;
        final Stacks stacks;
        final double windowShare;
        /** Per function: the JVM's share of the traffic of the endpoint it heads (mix skew); null = the global mix. */
        final double[] endpointFactor;

        Jvm(Stacks stacks, double[] podCv, boolean[] flips, TuningSetting setting, SplittableRandom random) {
            this.stacks = stacks;
            this.podCv = podCv;
            this.windowShare = 1 - setting.jvmShare();
            factor = new double[podCv.length];
            inlined = new boolean[podCv.length];
            for (int f = 0; f < podCv.length; f++) {
                factor[f] = lognormal(random, Math.sqrt(setting.jvmShare()) * podCv[f]);
                inlined[f] = flips[f] && random.nextBoolean();
            }
            if (setting.mixSkew() > 0 && stacks.heavyEndpoint >= 0) { // one rare, heavy endpoint skews
                endpointFactor = new double[stacks.names.size()];
                Arrays.fill(endpointFactor, 1);
                double sigma = setting.mixSkew();
                endpointFactor[stacks.heavyEndpoint] = Math.exp(sigma * random.nextGaussian() - sigma * sigma / 2);
            } else if (setting.mixSkew() > 0) { // drawn only then: the other cells keep their random streams
                endpointFactor = new double[stacks.names.size()];
                double sigma = setting.mixSkew();
                for (int f = 0; f < endpointFactor.length; f++) {
                    endpointFactor[f] = Math.exp(sigma * random.nextGaussian() - sigma * sigma / 2);
                }
            } else {
                endpointFactor = null;
            }
        }

        int endpoint(int stack) {
            return stacks.endpoint(stack);
        }

        /** The rates of one window: the JVM's factors, this window's own factors, inlining. */
        double[] window(double[] base, SplittableRandom random) {
            double[] windowFactor = new double[podCv.length];
            for (int f = 0; f < podCv.length; f++) {
                windowFactor[f] = factor[f] * lognormal(random, Math.sqrt(windowShare) * podCv[f]);
            }
            double[] rates = new double[stacks.count()];
            for (int s = 0; s < base.length; s++) {
                rates[s] += base[s] * windowFactor[stacks.leaf(s)];
                int endpoint = endpointFactor == null ? -1 : endpoint(s);
                if (endpoint >= 0 && endpoint < endpointFactor.length) {
                    rates[s] *= endpointFactor[endpoint];
                }
            }
            for (int s = 0; s < base.length; s++) {
                int leaf = stacks.leaf(s);
                if (inlined[leaf] && rates[s] > 0) {
                    int parent = stacks.parentStack(s);
                    if (parent >= rates.length) {
                        rates = Arrays.copyOf(rates, stacks.count());
                    }
                    double moved = rates[s] * (1 - INLINED_RESIDUAL);
                    rates[s] -= moved;
                    rates[parent] += moved;
                }
            }
            return rates;
        }
    }

    private static double lognormal(SplittableRandom random, double cv) {
        if (cv <= 0) {
            return 1;
        }
        double sigma2 = Math.log(1 + cv * cv);
        return Math.exp(-sigma2 / 2 + Math.sqrt(sigma2) * random.nextGaussian());
    }

    /**
     * A leaf function (not JVM-internal, not flipping) whose true self share is closest to {@code share} on a
     * log scale, among a random few of the nearest (so cases vary).
     */
    private static int pickTarget(Stacks stacks, double share, SplittableRandom random, boolean[] flips) {
        double[] self = stacks.selfShares(stacks.rates);
        List<Integer> order = new ArrayList<>();
        for (int f = 0; f < self.length; f++) {
            if (self[f] > 0 && !flips[f] && !io.canaryjudge.judge.JudgeTestAccess.jvmInternal(stacks.names.get(f))
                    && stacks.hasParent(f)) {
                order.add(f);
            }
        }
        order.sort((a, b) -> Double.compare(Math.abs(Math.log(self[a] / share)), Math.abs(Math.log(self[b] / share))));
        int pick = order.get(random.nextInt(Math.min(3, order.size())));
        // Scale the pick's stacks so its self share is exactly the target.
        stacks.scaleLeaf(stacks.rates, pick, share / (1 - share) * (1 - self[pick]) / self[pick]);
        return pick;
    }

    private static int drawStack(double[] rates, SplittableRandom random) {
        double sum = Arrays.stream(rates).sum();
        double u = random.nextDouble() * sum;
        for (int s = 0; s < rates.length; s++) {
            u -= rates[s];
            if (u <= 0) {
                return s;
            }
        }
        return rates.length - 1;
    }

    static synchronized StackModel kafka() {
        if (kafka == null) {
            List<Profile> profiles = new ArrayList<>();
            for (Path file : SharedFixtures.kafkaPprofSlices()) {
                try {
                    profiles.addAll(ProfileFiles.read(file, ReadOptions.defaults()));
                } catch (IOException | InvalidProfileException | io.canaryjudge.profile.NotAProfileException e) {
                    throw new UncheckedIOException(new IOException(file + ": " + e.getMessage(), e));
                }
            }
            kafka = StackModel.of(profiles, ProfileType.CPU);
        }
        return kafka;
    }

    /** Mutable stacks of one case: new paths and inlined parents add stacks. */
    private static final class Stacks {
        final List<String> names;
        final List<int[]> frames;
        double[] rates;
        final java.util.Map<String, Integer> byKey = new java.util.HashMap<>();
        final boolean[] jvmCache;

        Stacks(StackModel model) {
            names = new ArrayList<>(Arrays.asList(model.names()));
            frames = new ArrayList<>(Arrays.asList(model.stacks()));
            rates = model.rates().clone();
            for (int s = 0; s < frames.size(); s++) {
                byKey.put(Arrays.toString(frames.get(s)), s);
            }
            jvmCache = new boolean[names.size()];
            for (int f = 0; f < names.size(); f++) {
                jvmCache[f] = io.canaryjudge.judge.JudgeTestAccess.jvmInternal(names.get(f));
            }
        }

        int count() {
            return frames.size();
        }

        /** The endpoint whose traffic alone skews between JVMs ({@link TuningSetting#heavyEndpoint()}); −1 = none. */
        int heavyEndpoint = -1;

        /** The endpoint a stack serves: the frame two below its root (one below in a two-frame stack), or −1. */
        int endpoint(int stack) {
            int[] f = frames.get(stack);
            return f.length >= 3 ? f[f.length - 3] : f.length == 2 ? f[0] : -1;
        }

        /**
         * Picks the endpoint with the largest inclusive rate and scales its stacks so that it holds {@code share} of
         * the service's rate (no random draw: the other cells keep their streams).
         */
        void makeHeavyEndpoint(double share) {
            double[] inclusive = new double[names.size()];
            double sum = 0;
            for (int s = 0; s < count(); s++) {
                sum += rates[s];
                int e = endpoint(s);
                if (e >= 0) {
                    inclusive[e] += rates[s];
                }
            }
            int heaviest = 0;
            for (int e = 1; e < inclusive.length; e++) {
                heaviest = inclusive[e] > inclusive[heaviest] ? e : heaviest;
            }
            double current = inclusive[heaviest] / sum;
            double factor = share / (1 - share) * (1 - current) / current;
            for (int s = 0; s < count(); s++) {
                if (endpoint(s) == heaviest) {
                    rates[s] *= factor;
                }
            }
            heavyEndpoint = heaviest;
        }

        int leaf(int stack) {
            return frames.get(stack)[0];
        }

        boolean jvmInternal(int stack) {
            int leaf = leaf(stack);
            return leaf < jvmCache.length && jvmCache[leaf];
        }

        boolean hasParent(int function) {
            for (int[] f : frames) {
                if (f[0] == function && f.length > 1) {
                    return true;
                }
            }
            return false;
        }

        /** The stack without its leaf frame (added with rate 0 when it is not a stack of its own yet). */
        int parentStack(int stack) {
            int[] f = frames.get(stack);
            int[] parent = Arrays.copyOfRange(f, 1, f.length);
            return byKey.computeIfAbsent(Arrays.toString(parent), k -> {
                frames.add(parent);
                rates = Arrays.copyOf(rates, frames.size());
                return frames.size() - 1;
            });
        }

        /** The stack of these frames (leaf first), added with rate 0 — functions new to the model added too. */
        int stackOf(List<String> leafFirst) {
            int[] stack = new int[leafFirst.size()];
            for (int d = 0; d < stack.length; d++) {
                int id = names.indexOf(leafFirst.get(d));
                if (id < 0) {
                    names.add(leafFirst.get(d));
                    id = names.size() - 1;
                }
                stack[d] = id;
            }
            return byKey.computeIfAbsent(Arrays.toString(stack), k -> {
                frames.add(stack);
                rates = Arrays.copyOf(rates, frames.size());
                return frames.size() - 1;
            });
        }

        int newStack(int caller, String function) {
            names.add(function);
            int id = names.size() - 1;
            int[] f = frames.get(caller);
            int[] stack = new int[f.length + 1];
            stack[0] = id;
            System.arraycopy(f, 0, stack, 1, f.length);
            frames.add(stack);
            rates = Arrays.copyOf(rates, frames.size());
            byKey.put(Arrays.toString(stack), frames.size() - 1);
            return frames.size() - 1;
        }

        void scaleLeaf(double[] target, int function, double factor) {
            for (int s = 0; s < Math.min(target.length, frames.size()); s++) {
                if (leaf(s) == function) {
                    target[s] *= factor;
                }
            }
        }

        double[] selfShares(double[] r) {
            double[] self = new double[names.size()];
            double sum = Arrays.stream(r).sum();
            for (int s = 0; s < r.length; s++) {
                self[leaf(s)] += r[s] / sum;
            }
            return self;
        }

        Profile profile(String source, long[] counts, double[] sampleSize, ProfileType type, CountSampler sampler,
                        long start, long duration) {
            ProfileBuilder builder = new ProfileBuilder(source, ProfileFormat.PPROF, List.of(SampleType.of(type)), 4096);
            int[] ids = new int[names.size()];
            Arrays.fill(ids, -1);
            long samples = 0;
            try {
                for (int s = 0; s < counts.length; s++) {
                    if (counts[s] <= 0) {
                        continue;
                    }
                    int[] f = frames.get(s);
                    int[] local = new int[f.length];
                    for (int d = 0; d < f.length; d++) {
                        if (ids[f[d]] < 0) {
                            ids[f[d]] = builder.function(names.get(f[d]));
                        }
                        local[d] = ids[f[d]];
                    }
                    long value = type == ProfileType.CPU ? counts[s] * NANOS_PER_SAMPLE
                            : Math.max(1, Math.round(sampler.gamma(counts[s] / (SAMPLE_WEIGHT_CV * SAMPLE_WEIGHT_CV))
                            * sampleSize[s] * SAMPLE_WEIGHT_CV * SAMPLE_WEIGHT_CV));
                    builder.add(builder.stack(local, local.length, 0), 0, value);
                    samples += counts[s];
                }
            } catch (InvalidProfileException e) {
                throw new IllegalStateException(e);
            }
            builder.addSampleCount(0, samples);
            builder.interval(start, duration);
            return builder.build();
        }
    }
}
