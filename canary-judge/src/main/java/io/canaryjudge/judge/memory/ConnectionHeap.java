package io.canaryjudge.judge.memory;

import io.canaryjudge.judge.FrameClassifier;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.judge.memory.MemoryGrowthAnalysis.SiteFinder;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.MemoryQuality;
import io.canaryjudge.verdict.PodHeapSummary;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Live bytes a Go {@code net/http} or gRPC-go server holds for its open connections, told from the rest in heap profiles
 * ({@code inuse_space}: live bytes by allocation stack), and the heap's growth judged without their rise. Per open
 * HTTP/2 connection net/http keeps HPACK dynamic tables (decoder and encoder), its write scheduler's streams, TLS
 * cipher state and frame buffers: about 37 KiB after GC in qa83's recording (docs/EVALUATION.md "(qa83)", "(qa87)"), so
 * an unchanged canary whose connections step from 10 to 200 (a router raising its weight) grew its heap after GC by
 * +4.7 MiB per 10 min and FAILed as a leak, while its goroutines were already told apart as connections
 * ({@link ConnectionGoroutines}). gRPC-go gives each connection a 64 KiB write and a 32 KiB read buffer: ~140 KiB per
 * connection after GC in qa88's recording, +17.1 MiB per 10 min for the same step ("(qa88)").
 * <p>
 * A stack's live bytes are the connections' when, walking it from the leaf, the first frame it meets of
 * {@link #SERVER_FRAMES}, {@link #CALL_FRAMES}, {@link ConnectionGoroutines#HANDLER_FRAMES} and an application frame
 * is a server frame: the walk {@link ConnectionGoroutines} makes over goroutine stacks, so what a handler or a call
 * allocates and keeps (a map growing in a handler, an order kept per request, a hung call's stream) stays the service's.
 * When the canary's heap after GC FAILs, each canary pod whose goroutine profiles show its open connections rising
 * (net/http's or gRPC's connection goroutines, by the material growth an hour:
 * {@link ConnectionGoroutines#risingConnections}) has its heap judged again less the rise of its
 * connection-held live bytes (the lower end of the 95 % interval of their Theil–Sen slope, at least 0: only a rise the
 * profiles are sure of is taken off); a leak beside the step keeps its own growth and still FAILs.
 */
final class ConnectionHeap {
    /**
     * {@link ConnectionGoroutines#SERVER_FRAMES} and the places net/http and gRPC-go allocate for a connection outside
     * them. net/http (Go 1.19, qa83, qa87): its accept loop ({@code (*Server).Serve}: each accepted connection's
     * {@code conn}, its {@code tls.Conn} and addresses; the loop allocates nothing else that stays live) and an HTTP/2
     * connection's frame writes ({@code writeFrameAsync}, a goroutine the connection's {@code serve} starts per large
     * write: the HPACK encoder's dynamic table grows there). gRPC-go 1.33 (qa88's recording, docs/EVALUATION.md
     * "(qa88)"): its accept loop ({@code grpc.(*Server).Serve}: the accepted {@code net.Conn} and its addresses), and
     * {@code grpc.(*Server).handleRawConn}, which its accept loop starts once per accepted connection and which
     * handshakes, builds the connection's transport ({@code newHTTP2Transport} → {@code transport.newHTTP2Server}: the
     * transport, its framer with a 64 KiB {@code bufWriter}, twice its 32 KiB batch, and a 32 KiB {@code
     * bufio.Reader}: 85 % of r1's live bytes at 200 connections) and registers it, then returns; {@code newHTTP2Server} is listed too, as the constructor of every
     * server connection whoever calls it. Calls are never allocated there: gRPC-go runs each in its own goroutine under
     * {@code grpc.(*Server).handleStream} ({@link ConnectionGoroutines#HANDLER_FRAMES}).
     */
    static final Set<String> SERVER_FRAMES = union(ConnectionGoroutines.SERVER_FRAMES, Set.of("net/http.(*Server).Serve",
            "net/http.(*http2serverConn).writeFrameAsync", "golang.org/x/net/http2.(*serverConn).writeFrameAsync",
            "google.golang.org/grpc.(*Server).Serve", "google.golang.org/grpc.(*Server).handleRawConn",
            "google.golang.org/grpc/internal/transport.newHTTP2Server"));

    /**
     * Frames where gRPC-go's connection reader ({@code (*http2Server).HandleStreams}, a server frame) allocates for one
     * call rather than for its connection: {@code operateHeaders} builds each call's {@code Stream} (its context, receive
     * buffer and quota), {@code handleData} copies a DATA frame's bytes into a buffer handed to the call's stream. They
     * live as long as the call: a handler that hangs holds them (qa88's h1: one sample of them in every profile), so
     * they stay the service's, as the handler's own allocations do.
     */
    static final Set<String> CALL_FRAMES = Set.of(
            "google.golang.org/grpc/internal/transport.(*http2Server).operateHeaders",
            "google.golang.org/grpc/internal/transport.(*http2Server).handleData");

    private static final double MIB = 1024.0 * 1024.0;
    private static final double HOUR_MILLIS = 3_600_000.0;

    private ConnectionHeap() {
    }

    /**
     * One canary pod's connection-held live bytes over its heap profiles.
     *
     * @param first       connection-held bytes in the first profile
     * @param last        connection-held bytes in the last profile
     * @param firstMillis end of the first profile, Unix epoch milliseconds: the rise was measured from there
     * @param lastMillis  end of the last profile, Unix epoch milliseconds: the rise was measured up to there
     */
    record Held(double bytesPerHour, double lowBytesPerHour, long first, long last, int profiles, long firstMillis,
                long lastMillis) {
        /** What is taken off the pod's heap per hour: the rise the profiles are sure of (95 %), never a fall. */
        double takenOff() {
            return Math.max(0, lowBytesPerHour);
        }
    }

    /**
     * Whether stack {@code s} of {@code profile} is allocated by net/http or gRPC-go serving a connection (see the
     * class): from the leaf, a server frame before any call, handler or application frame.
     */
    static boolean heldByConnection(Profile profile, int s, FrameClassifier frames) {
        for (int d = 0; d < profile.stackDepth(s); d++) {
            String function = profile.functionName(profile.stackFunction(s, d));
            if (SERVER_FRAMES.contains(function)) {
                return ConnectionGoroutines.isServerSide(profile, s, d, function); // not a gRPC client's writer
            }
            if (CALL_FRAMES.contains(function) || ConnectionGoroutines.HANDLER_FRAMES.contains(function)
                    || LeakSites.isApplicationFrame(function, frames)) {
                return false;
            }
        }
        return false;
    }

    /** The profile's live bytes allocated for connections; 0 without a live-bytes column. */
    static long bytes(Profile profile, FrameClassifier frames) {
        int column = profile.sampleTypeIndex(ProfileType.LIVE_BYTES);
        long n = 0;
        for (int s = 0; column >= 0 && s < profile.stackCount(); s++) {
            long value = profile.value(s, column);
            if (value > 0 && heldByConnection(profile, s, frames)) {
                n += value;
            }
        }
        return n;
    }

    /** Per pod with at least {@link ConnectionGoroutines#MIN_PROFILES} timed live-bytes profiles, its connections' bytes. */
    static Map<String, Held> held(List<Observation> observations, FrameClassifier frames) {
        Map<String, List<long[]>> byPod = new LinkedHashMap<>(); // pod → [millis, connection-held bytes]
        for (Observation o : observations) {
            Profile profile = o.profile();
            int column = profile.sampleTypeIndex(ProfileType.LIVE_BYTES);
            if (column < 0 || profile.startEpochNanos() <= 0 || profile.total(column) <= 0) {
                continue;
            }
            long millis = (profile.startEpochNanos() + Math.max(0, profile.durationNanos())) / 1_000_000;
            byPod.computeIfAbsent(o.instance(), k -> new ArrayList<>()).add(new long[] {millis, bytes(profile, frames)});
        }
        Map<String, Held> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<long[]>> pod : byPod.entrySet()) {
            List<long[]> points = pod.getValue();
            if (points.size() < ConnectionGoroutines.MIN_PROFILES) {
                continue;
            }
            points.sort((a, b) -> Long.compare(a[0], b[0]));
            double[] x = new double[points.size()];
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = (points.get(i)[0] - points.get(0)[0]) / HOUR_MILLIS;
                y[i] = points.get(i)[1];
            }
            TheilSen fit = TheilSen.fit(x, y, 0.95);
            out.put(pod.getKey(), new Held(fit.slope(), fit.ciLow(), points.get(0)[1], points.get(x.length - 1)[1],
                    x.length, points.get(0)[0], points.get(x.length - 1)[0]));
        }
        return out;
    }

    /**
     * {@code heap} with each canary pod of {@code held} less what its connections' rise adds by each point: every point
     * raised by {@link Held#takenOff()} times the hours from it (or from the first profile, if later) to the last
     * profile, so points from the last profile on keep their level, no point goes below what was measured, and over the
     * profiles' span the pod's slope falls by that rate. The rise is taken off only where the profiles measured it: when
     * they cover part of the heap's window ({@code compare}'s files, or the service's fallback to the analysis window's
     * profiles), the heap before the first profile is raised by the span's rise only and the heap after the last not at
     * all, so a leak beside the step is not excused by a rise extrapolated over minutes no profile saw. Baseline and
     * history pods are left as they are.
     */
    static HeapWindows less(HeapWindows heap, Map<String, Held> held) {
        List<PodHeap> canary = new ArrayList<>();
        for (PodHeap pod : heap.canary()) {
            Held h = held.get(pod.instance());
            HeapSeries series = pod.heap();
            if (h == null || h.takenOff() <= 0 || series.isEmpty()) {
                canary.add(pod);
                continue;
            }
            long[] times = series.timestampsMillis();
            long[] bytes = series.heapAfterGcBytes();
            for (int i = 0; i < bytes.length; i++) {
                long risenAfter = Math.max(0, h.lastMillis() - Math.max(times[i], h.firstMillis())); // ms
                bytes[i] += Math.round(h.takenOff() * risenAfter / HOUR_MILLIS);
            }
            canary.add(new PodHeap(pod.instance(), new HeapSeries(series.source(), series.jvmStartMillis(), times, bytes,
                    series.wholeHeap(), series.jvmPid(), series.settings()), pod.requestsPerSecond(), pod.liveSet(),
                    pod.unusablePoints()));
        }
        return new HeapWindows(heap.baseline(), canary, heap.history(), heap.areas(), heap.liveData());
    }

    /** Whether {@link #judged} would judge {@code result} again: a heap after GC (not the live data size) that FAILs. */
    static boolean failsForConnections(MemoryGrowthResult result) {
        return result.failing() && !result.liveData() && result.quality() != null;
    }

    /**
     * {@code result} when it does not fail, was judged from the live data size, or no connection explains it; else the
     * heap judged again less the canary pods' connection-held rise ({@link #less}): a remainder that still grows FAILs
     * with its own figures, one that does not leaves {@code result}'s finding reported, not failed.
     *
     * @param canary         the canary's observations over the analysis window
     * @param overHeapWindow the canary's goroutine and live-bytes profiles over the heap's own window, when the caller
     *                       fetched them (the service, when {@code memoryGrowth.window} reaches before the analysis
     *                       window: a window after a weight step sees no connections rising while its heap holds the
     *                       step); empty to judge the connections from {@code canary}. Either is taken from the time
     *                       each canary pod's warm-up was left out by the heap's analysis ({@code result}'s
     *                       {@link MemoryGrowthResult#judgedAfter})
     */
    static MemoryGrowthResult judged(MemoryGrowthResult result, HeapWindows heap, MemoryGrowthConfig config,
                                     SiteFinder sites, LoadEstimate load, List<Observation> canary,
                                     List<Observation> overHeapWindow, FrameClassifier frames) {
        if (!failsForConnections(result)) {
            return result;
        }
        // the connections' rise over the span the heap's slope is taken over, not only the analysis window's part of it
        List<Observation> canaryAfter = LeakSites.after(overHeapWindow.isEmpty() ? canary : overHeapWindow,
                result.judgedAfter());
        // only pods whose goroutine profiles show more open connections: a heap profile alone cannot say that the
        // stacks' rise is connections rather than one connection's tables growing
        Set<String> rising = ConnectionGoroutines.risingConnections(canaryAfter, config, frames);
        Map<String, Held> held = held(canaryAfter, frames);
        Set<String> canaryPods = new HashSet<>();
        heap.canary().forEach(pod -> canaryPods.add(pod.instance()));
        held.keySet().retainAll(canaryPods);
        held.keySet().retainAll(rising);
        if (held.values().stream().noneMatch(h -> h.takenOff() > 0)) {
            return result;
        }
        String why = words(held);
        MemoryGrowthResult remainder = MemoryGrowthAnalysis.analyse(less(heap, held), config, sites, load);
        if (remainder.failing()) {
            return withFirstNote(withMeasuredPoints(remainder, result), "the canary's heap after GC judged less what its"
                    + " open connections hold: " + why + "; what grows beyond that is judged");
        }
        Finding finding = result.finding();
        String head = MemoryFindings.headline(finding);
        String rest = finding.explanation().substring(Math.min(finding.explanation().length(), head.length() + 1));
        Finding reported = finding.marked(false, head + ". Reported only: the rise is open connections, not a leak ("
                + why + "; less that, no abnormal growth: " + remainderWords(remainder) + ")." + rest, false);
        MemoryGrowthResult excused = new MemoryGrowthResult(result.outcome(), reported, result.site(), result.quality(),
                false, result.judgedAfter());
        return withFirstNote(excused, "the heap's rise is open connections, not a leak (" + why + "; less that, "
                + remainderWords(remainder) + ")");
    }

    /**
     * "in 1 of 1 canary pod(s) whose connections rose, the live bytes … went from … to … MiB …": the pods whose
     * connection goroutines rose and whose heap profiles gave a slope, the first of them shown.
     */
    private static String words(Map<String, Held> held) {
        Held shown = null;
        int rising = 0;
        for (Held h : held.values()) {
            if (h.takenOff() > 0) {
                rising++;
                shown = shown == null ? h : shown;
            }
        }
        return String.format(Locale.ROOT, "in %d of %d canary pod(s) whose connections rose the live bytes allocated under"
                        + " net/http's or gRPC's connection serving, outside any handler or call (HPACK tables, write"
                        + " scheduler, TLS, frame and transport buffers), went from %.1f to %.1f MiB over %d profiles, %+.1f MiB an hour (at least %+.1f,"
                        + " 95 %%), which was taken off the heap after GC; its goroutine profiles show more open connections",
                rising, held.size(), shown.first() / MIB, shown.last() / MIB, shown.profiles(), shown.bytesPerHour() / MIB,
                shown.takenOff() / MIB);
    }

    private static String remainderWords(MemoryGrowthResult remainder) {
        MemoryQuality q = remainder.quality();
        if (q == null || q.canarySlope() == null || q.baselineSlope() == null) {
            return remainder.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
        String per = q.unit().endsWith("requests") ? "1,000 requests" : "hour";
        return "canary " + MemoryFindings.signed(q.canarySlope()) + ", baseline " + MemoryFindings.signed(q.baselineSlope())
                + " per " + per;
    }

    /**
     * {@code remainder} with each pod's heap points as {@code measured} reported them: the remainder's slopes are judged
     * from points raised by {@link #less}, which no pod ever had, so {@code dataQuality.memory.pods} shows the heap as
     * measured beside the slope judged less the connections.
     */
    private static MemoryGrowthResult withMeasuredPoints(MemoryGrowthResult remainder, MemoryGrowthResult measured) {
        MemoryQuality q = remainder.quality();
        if (q == null || measured.quality() == null) {
            return remainder;
        }
        Map<String, PodHeapSummary> asMeasured = new LinkedHashMap<>(); // group/instance → summary
        measured.quality().pods().forEach(p -> asMeasured.put(p.group() + "/" + p.instance(), p));
        List<PodHeapSummary> pods = new ArrayList<>();
        for (PodHeapSummary p : q.pods()) {
            PodHeapSummary m = asMeasured.get(p.group() + "/" + p.instance());
            pods.add(m == null ? p : new PodHeapSummary(p.instance(), p.group(), p.slopeBytesPerHour(), p.ciLow(),
                    p.ciHigh(), p.bytesPer1000Requests(), p.ageMinutes(), p.used(), m.points(), m.windowPoints()));
        }
        MemoryQuality quality = new MemoryQuality(q.judged(), q.unit(), q.baselinePods(), q.canaryPods(),
                q.referenceSlopes(), q.baselineSlope(), q.canarySlope(), q.slopeSpread(), q.minimumDetectableGrowth(),
                q.reference(), pods, q.notes());
        return remainder.withQuality(quality);
    }

    private static MemoryGrowthResult withFirstNote(MemoryGrowthResult result, String note) {
        MemoryQuality q = result.quality();
        List<String> notes = new ArrayList<>();
        notes.add(note);
        notes.addAll(q.notes());
        MemoryQuality quality = new MemoryQuality(q.judged(), q.unit(), q.baselinePods(), q.canaryPods(),
                q.referenceSlopes(), q.baselineSlope(), q.canarySlope(), q.slopeSpread(), q.minimumDetectableGrowth(),
                q.reference(), q.pods(), notes);
        return result.withQuality(quality);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
