package io.canaryjudge.heldout3;

import io.canaryjudge.heldout3.RemitService.Kind;
import io.canaryjudge.heldout3.RemitService.Site;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileBuilder;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.SampleType;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.random.RandomDataGenerator;
import org.apache.commons.math3.random.Well19937c;

/** Generates one comparison (baseline, canary, history) of {@link RemitService} under a {@link Noise}. Deterministic per seed. */
final class CaseGenerator {

    record Case(List<Observation> baseline, List<Observation> canary, List<Observation> history) {
    }

    static final int SLICES = 8;
    static final double SLICE_SECONDS = 75;
    static final long NANOS_PER_SAMPLE = 10_000_000L;
    static final double TLAB_BYTES = 512 * 1024;
    static final long T0 = 1_718_114_400L; // 2024-06-11T14:00:00Z
    static final String[] RESOURCES = {"DB", "HTTP", "REDIS", "LOCK"};

    private static final RemitService SERVICE = new RemitService();

    static RemitService service() {
        return SERVICE;
    }

    private record Pod(String name, boolean canary, double rate, double[] mixRatio, double headroom, boolean slow,
                       double ageAtStart, double tlab) {
    }

    private record Window(long startSeconds, double load, double[] globalMix, boolean history) {
    }

    private final Noise noise;
    private final RandomDataGenerator rnd;
    private final RemitService svc = SERVICE;
    private final boolean[][] endpointUses = new boolean[RemitService.ENDPOINTS.length][RESOURCES.length];
    private final Site newPathSite;

    CaseGenerator(Noise noise, long seed) {
        this.noise = noise;
        this.rnd = new RandomDataGenerator(new Well19937c(seed));
        Site np = null;
        for (Site s : svc.sites) {
            if (s.endpoint() >= 0) {
                for (int r = 0; r < RESOURCES.length; r++) {
                    endpointUses[s.endpoint()][r] |= s.has(RESOURCES[r]);
                }
            }
            int at = s.stack().indexOf(RemitService.NEW_PATH_PARENT + ";");
            if (np == null && s.kind() == Kind.REQUEST && at >= 0) {
                String stack = s.stack().substring(0, at + RemitService.NEW_PATH_PARENT.length()) + ";" + RemitService.NEW_PATH;
                double msPerRequest = svc.samplesPerSecond * 10 / svc.requestsPerSecond;
                double cpu = 0.01 / 0.99 * msPerRequest / RemitService.GLOBAL_MIX[s.endpoint()];
                np = new Site(stack, Kind.REQUEST, s.endpoint(), cpu, java.util.Set.of(), 0, null, 0);
            }
        }
        newPathSite = np;
    }

    Case generate(int canaries, int baselines, int historyWindows, long caseIndex) {
        List<Pod> pods = new ArrayList<>();
        int slowIndex = noise.slowPod() ? rnd.nextInt(0, canaries + baselines - 1) : -1;
        for (int i = 0; i < baselines + canaries; i++) {
            boolean canary = i >= baselines;
            String name = canary ? "remit-gateway-canary-6b8f5c7d9-" + suffix() : "remit-gateway-7f9c6d8b4d-" + suffix();
            double rate = svc.requestsPerSecond * Math.exp(rnd.nextGaussian(0, 0.06));
            double[] ratio = new double[RemitService.GLOBAL_MIX.length];
            double[] mix = noise.mixConcentration() > 0 ? dirichlet(RemitService.GLOBAL_MIX, noise.mixConcentration())
                    : RemitService.GLOBAL_MIX;
            for (int e = 0; e < ratio.length; e++) {
                ratio[e] = mix[e] / RemitService.GLOBAL_MIX[e];
            }
            double headroom = noise.gcHeadroomSigma() > 0 ? Math.exp(rnd.nextGaussian(0, noise.gcHeadroomSigma())) : 1;
            boolean young = noise.youngCanary() ? canary : rnd.nextUniform(0, 1) < noise.youngProbability();
            double age = young ? rnd.nextUniform(30, 240) : 1e9;
            double tlab = noise.tlabSigma() > 0 ? Math.exp(rnd.nextGaussian(0, noise.tlabSigma())) : 1;
            pods.add(new Pod(name, canary, rate, ratio, headroom, i == slowIndex, age, tlab));
        }
        long start = T0 + caseIndex * 3600;
        Window current = new Window(start, 1.0, RemitService.GLOBAL_MIX, false);
        List<Window> history = new ArrayList<>();
        for (int h = 0; h < historyWindows; h++) {
            if (noise.drift()) {
                // 03:00 (night: settlement batches, statements, little quoting) and yesterday 09:00 (morning peak)
                double[] shape = h == 0 ? new double[]{0.5, 0.8, 0.7, 0.6, 1.5, 2.0, 4.0} : new double[]{1.3, 1.0, 1.2, 1.2, 0.8, 0.7, 0.6};
                double[] m = new double[shape.length];
                for (int e = 0; e < m.length; e++) {
                    m[e] = RemitService.GLOBAL_MIX[e] * shape[e];
                }
                m = dirichlet(normalize(m), 150);
                long at = h == 0 ? start - 11 * 3600 : start - 29 * 3600;
                history.add(new Window(at, h == 0 ? 0.35 : 1.3, m, true));
            } else {
                history.add(new Window(start - (h + 1) * 3600L, rnd.nextUniform(0.9, 1.1),
                        dirichlet(RemitService.GLOBAL_MIX, 3000), true));
            }
        }
        List<Observation> base = new ArrayList<>();
        List<Observation> can = new ArrayList<>();
        List<Observation> hist = new ArrayList<>();
        for (Pod pod : pods) {
            (pod.canary() ? can : base).addAll(window(pod, current));
            if (!pod.canary()) {
                for (Window w : history) {
                    hist.addAll(window(pod, w));
                }
            }
        }
        return new Case(base, can, hist);
    }

    private List<Observation> window(Pod pod, Window w) {
        List<Observation> out = new ArrayList<>();
        int endpoints = RemitService.ENDPOINTS.length;
        double[] mix = new double[endpoints];
        for (int e = 0; e < endpoints; e++) {
            mix[e] = w.globalMix()[e] * pod.mixRatio()[e];
        }
        mix = normalize(mix);
        double[] catchUp = new double[endpoints];
        java.util.Arrays.fill(catchUp, 1);
        boolean power = pod.canary() && !w.history();
        for (int s = 0; s < SLICES; s++) {
            double age = w.history() ? 1e9 : pod.ageAtStart() + (s + 0.5) * SLICE_SECONDS;
            double load = pod.rate() * w.load() * Math.exp(rnd.nextGaussian(0, 0.04));
            // bursts: a resource stalls for the slice; its functions dip, dependent endpoints complete fewer requests
            double[] burst = new double[RESOURCES.length];
            for (int r = 0; r < RESOURCES.length; r++) {
                burst[r] = noise.burstProbability() > 0 && rnd.nextUniform(0, 1) < noise.burstProbability() ? rnd.nextUniform(0.2, 0.7) : 1;
            }
            long[] requests = new long[endpoints];
            double[] jitter = new double[endpoints];
            double[] throughput = new double[endpoints];
            long totalRequests = 0;
            for (int e = 0; e < endpoints; e++) {
                double tp = catchUp[e];
                for (int r = 0; r < RESOURCES.length; r++) {
                    if (endpointUses[e][r] && burst[r] < 1) {
                        tp *= 1 - 0.3 * (1 - burst[r]);
                    }
                }
                throughput[e] = tp;
                double mean = load * SLICE_SECONDS * mix[e] * tp;
                requests[e] = mean > 0 ? rnd.nextPoisson(mean) : 0;
                totalRequests += requests[e];
                double cv = RemitService.REQUEST_COST_CV[e] / Math.sqrt(Math.max(1, requests[e]));
                jitter[e] = gamma1(cv);
            }
            for (int e = 0; e < endpoints; e++) {
                // the backlog of a stalled slice is served in the next one
                catchUp[e] = throughput[e] < catchUp[e] ? 1 + 0.6 * (catchUp[e] - throughput[e]) : 1;
            }
            double appSlow = 1 + 0.6 * Math.exp(-age / 60) + 0.1 * Math.exp(-age / 300);
            double eaInflation = 1 + 2.5 * Math.exp(-age / 90) + 0.5 * Math.exp(-age / 600);
            double jitExtra = 25 * Math.exp(-age / 45) + 3 * Math.exp(-age / 400);  // samples per second
            double fixedJitter = gamma1(0.2);
            double gcJitter = gamma1(0.15);
            // expected allocation of the slice (drives GC CPU), and the means per site
            List<Site> sites = new ArrayList<>(svc.sites);
            if (power && noise.power() == Noise.Power.NEW_PATH) {
                sites.add(newPathSite);
            }
            double[] cpuMean = new double[sites.size()];
            double[] allocMean = new double[sites.size()];
            double allocBytes = 0;
            double gcWeight = 0;
            double jitWeight = 0;
            for (int i = 0; i < sites.size(); i++) {
                Site site = sites.get(i);
                double per;   // units of work in this slice: requests, or seconds for fixed work
                double f = 1;
                switch (site.kind()) {
                    case REQUEST -> {
                        per = requests[site.endpoint()];
                        f = jitter[site.endpoint()] * appSlow;
                    }
                    case ANY_REQUEST -> {
                        per = totalRequests;
                        f = appSlow;
                    }
                    case FIXED -> {
                        per = SLICE_SECONDS;
                        f = fixedJitter;
                    }
                    case GC -> {
                        gcWeight += site.cpu();
                        continue;
                    }
                    default -> {
                        jitWeight += site.cpu();
                        continue;
                    }
                }
                for (int r = 0; r < RESOURCES.length; r++) {
                    if (burst[r] < 1 && site.has(RESOURCES[r])) {
                        f *= burst[r];
                    }
                }
                if (burst[1] < 1 && site.has("EXC")) {
                    f *= 40;
                }
                if (burst[3] < 1 && site.has("SPIN")) {
                    f *= 15;
                }
                if (power && noise.power() == Noise.Power.SELF_RISE && site.stack().endsWith(RemitService.MARKUP)) {
                    f *= 1.5;
                }
                double speed = !pod.slow() ? 1 : site.has("CRYPTO") ? 1.35 : 1.2;
                double cpu = per * site.cpu() / 10;   // ms -> 10 ms samples
                cpuMean[i] = cpu * f * speed;
                if (site.alloc() > 0) {
                    double ea = site.has("EA") ? eaInflation : 1;
                    double bytes = per * site.alloc() * ea * (site.kind() == Kind.REQUEST ? jitter[site.endpoint()] : 1);
                    for (int r = 0; r < RESOURCES.length; r++) {
                        if (burst[r] < 1 && site.has(RESOURCES[r])) {
                            bytes *= burst[r];
                        }
                    }
                    allocMean[i] = bytes;
                    allocBytes += bytes;
                }
            }
            double gcSamples = allocBytes * svc.gcSamplesPerByte * pod.headroom() * gcJitter * (pod.slow() ? 1.15 : 1);
            for (int i = 0; i < svc.sites.size(); i++) {
                Site site = svc.sites.get(i);
                if (site.kind() == Kind.GC) {
                    cpuMean[i] = gcSamples * site.cpu() / gcWeight;
                } else if (site.kind() == Kind.JIT) {
                    double perSecond = site.cpu() + jitExtra * site.cpu() / jitWeight;
                    cpuMean[i] = perSecond * SLICE_SECONDS * (pod.slow() ? 1.2 : 1);
                }
            }
            long startNanos = (w.startSeconds() + (long) (s * SLICE_SECONDS)) * 1_000_000_000L;
            long durationNanos = (long) (SLICE_SECONDS * 1e9);
            Profile profile = noise.alloc() ? allocProfile(sites, allocMean, pod, startNanos, durationNanos)
                    : cpuProfile(sites, cpuMean, startNanos, durationNanos);
            out.add(new Observation(pod.name(), profile, totalRequests, null));
        }
        return out;
    }

    private Profile cpuProfile(List<Site> sites, double[] mean, long start, long duration) {
        ProfileBuilder b = new ProfileBuilder("heldout3", ProfileFormat.PPROF, List.of(SampleType.of(ProfileType.CPU)), 128);
        long total = 0;
        for (int i = 0; i < sites.size(); i++) {
            Site site = sites.get(i);
            double m = mean[i];
            if (m <= 0) {
                continue;
            }
            long n = rnd.nextPoisson(m);
            if (n > 0) {
                b.add(stack(b, site.stack(), null), 0, n * NANOS_PER_SAMPLE);
                total += n;
            }
        }
        b.addSampleCount(0, total);
        b.interval(start, duration);
        return b.build();
    }

    private Profile allocProfile(List<Site> sites, double[] mean, Pod pod, long start, long duration) {
        ProfileBuilder b = new ProfileBuilder("heldout3", ProfileFormat.PPROF, List.of(SampleType.of(ProfileType.ALLOC_BYTES)), 128);
        long total = 0;
        for (int i = 0; i < sites.size(); i++) {
            Site site = sites.get(i);
            double m = mean[i];
            if (m <= 0) {
                continue;
            }
            // a TLAB-refill sample weighs the TLAB size (per pod); an outside-TLAB sample the object's size
            double weight = site.largeObject() > 0 ? site.largeObject() : TLAB_BYTES * pod.tlab();
            long n = rnd.nextPoisson(m / weight);
            if (n > 0) {
                double bytes = rnd.nextGamma(2.0 * n, weight / 2.0);
                b.add(stack(b, site.stack(), site.allocType()), 0, Math.max(1, Math.round(bytes)));
                total += n;
            }
        }
        b.addSampleCount(0, total);
        b.interval(start, duration);
        return b.build();
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, String[]> FRAMES = new java.util.concurrent.ConcurrentHashMap<>();

    private static int stack(ProfileBuilder b, String stack, String leaf) {
        String[] frames = FRAMES.computeIfAbsent(stack, k -> k.split(";"));
        int length = frames.length + (leaf == null ? 0 : 1);
        int[] ids = new int[length];
        int i = 0;
        if (leaf != null) {
            ids[i++] = b.function(leaf);
        }
        for (int f = frames.length - 1; f >= 0; f--) {
            ids[i++] = b.function(frames[f]);
        }
        try {
            return b.stack(ids, length, 0);
        } catch (InvalidProfileException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A gamma variate of mean 1 and the given coefficient of variation. */
    private double gamma1(double cv) {
        if (cv <= 1e-6) {
            return 1;
        }
        double shape = 1 / (cv * cv);
        return rnd.nextGamma(shape, 1 / shape);
    }

    private double[] dirichlet(double[] mean, double concentration) {
        double[] x = new double[mean.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextGamma(concentration * mean[i], 1);
        }
        return normalize(x);
    }

    private static double[] normalize(double[] x) {
        double sum = 0;
        for (double v : x) {
            sum += v;
        }
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] / sum;
        }
        return out;
    }

    private String suffix() {
        String alphabet = "bcdfghjklmnpqrstvwxz2456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            sb.append(alphabet.charAt(rnd.nextInt(0, alphabet.length() - 1)));
        }
        return sb.toString();
    }
}
