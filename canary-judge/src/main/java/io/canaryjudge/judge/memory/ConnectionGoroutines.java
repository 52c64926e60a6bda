package io.canaryjudge.judge.memory;

import io.canaryjudge.judge.FrameClassifier;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileBuilder;
import io.canaryjudge.profile.ProfileType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Goroutines a Go {@code net/http} or gRPC-go server runs for its open connections, told from the rest in goroutine
 * profiles. net/http runs one goroutine per open HTTP/1.1 connection ({@code net/http.(*conn).serve}, parked reading
 * the next request between requests) and one more while a request's handler runs ({@code
 * net/http.(*connReader).backgroundRead}); per HTTP/2 connection two: its {@code serverConn.serve} and its {@code
 * serverConn.readFrames} (net/http's bundled HTTP/2 over TLS, or {@code golang.org/x/net/http2}'s, as h2c serves it).
 * gRPC-go's own HTTP/2 transport runs three per connection: its reader ({@code (*http2Server).HandleStreams}), its
 * writer ({@code (*loopyWriter).run}) and its {@code (*http2Server).keepalive}. An unchanged canary whose inbound
 * connections grow through the window (Argo or Flagger stepping its weight up, a mesh's pool warming) raises {@code
 * go_goroutines} as steadily as a leak, and FAILed as one before qa77 (HTTP/1.1, docs/EVALUATION.md "(qa77)": 10 → 200
 * connections over 15 minutes, +760 goroutines an hour), qa83 (HTTP/2, "(qa83)") and qa88 (gRPC, "(qa88)": +2,274 an
 * hour). A goroutine counts as the
 * server's when, walking its stack from the leaf, the first of {@link #SERVER_FRAMES}, {@link #HANDLER_FRAMES} and the
 * application's frames it meets is a server frame: a handler that never returns (its goroutine under {@code
 * (*conn).serve} or a {@code runHandler} too, but in a handler) is the service's and stays in, whether its frames are
 * the application's or only a library's; h2c's connection goroutine, which runs inside net/http's handler of the
 * connection's first request, is the server's.
 */
public final class ConnectionGoroutines {
    /**
     * The frames of the goroutines net/http's and gRPC-go's servers run per connection, as Go 1.19's goroutine profiles
     * name them (recorded: HTTP/1.1 in qa77; HTTP/2 in qa83, over TLS with net/http's bundled copy and in cleartext, h2c,
     * with golang.org/x/net/http2's; gRPC-go 1.33's own transport in qa88, {@code
     * google.golang.org/grpc/internal/transport}: the reader {@code HandleStreams}, parked in x/net's {@code
     * Framer.ReadFrame} under {@code grpc.(*Server).serveStreams}; the writer {@code loopyWriter.run}, parked in {@code
     * controlBuffer.get}; {@code keepalive}, parked on its timers). Not {@code grpc.(*Server).serveStreams} itself: once
     * its connection is closed it stays, waiting in {@code WaitGroup.Wait} for the connection's hung handlers, a
     * goroutine the hang holds, not the connection. The server side only: gRPC-go's client runs the same writer for
     * each of its outbound connections (fxa's recording, src/test/resources/qa88/client: {@code loopyWriter.run} under
     * {@code transport.newHTTP2Client.func3}, beside its {@code (*http2Client).reader}), so the writer counts only under
     * the server's transport ({@link #onServerTransport}); a canary leaking ClientConns keeps its leak.
     */
    static final Set<String> SERVER_FRAMES = Set.of("net/http.(*conn).serve", "net/http.(*connReader).backgroundRead",
            "net/http.(*http2serverConn).serve", "net/http.(*http2serverConn).readFrames",
            "golang.org/x/net/http2.(*serverConn).serve", "golang.org/x/net/http2.(*serverConn).readFrames",
            "google.golang.org/grpc/internal/transport.(*http2Server).HandleStreams",
            "google.golang.org/grpc/internal/transport.(*loopyWriter).run",
            "google.golang.org/grpc/internal/transport.(*http2Server).keepalive");

    /** gRPC-go's connection writer, run by its server's and its client's transports alike. */
    static final String GRPC_WRITER = "google.golang.org/grpc/internal/transport.(*loopyWriter).run";

    /**
     * The constructor of gRPC-go's server transport and the closures it starts ({@code newHTTP2Server.func2} runs the
     * server's writer in gRPC-go 1.33; the client's is {@code newHTTP2Client.func3}).
     */
    private static final String GRPC_SERVER_TRANSPORT = "google.golang.org/grpc/internal/transport.newHTTP2Server";

    /** Profiles a canary pod needs after its warm-up for its slopes: as each half of {@link MemoryAreas}'s step test. */
    static final int MIN_PROFILES = 2 * MemoryAreas.MIN_HALF_POINTS;

    private ConnectionGoroutines() {
    }

    /**
     * Where a handler runs: net/http calls every HTTP/1.1 handler through {@code serverHandler.ServeHTTP} (idle
     * connections' goroutines, parked in {@code (*conn).readRequest}, never pass it), and every HTTP/2 stream's in its
     * own {@code runHandler} goroutine (net/http's bundled one, also under {@code serverHandler.ServeHTTP}; x/net's, as
     * under h2c, not); gRPC-go every call's, unary or streaming, under {@code grpc.(*Server).handleStream} in a
     * goroutine of its own (or a stream worker's), never under the connection's reader. A handler that hangs is the
     * service's whatever its frames: one all of library code ({@code httputil.ReverseProxy}, {@code http.FileServer}, a
     * gRPC proxy's) has no application frame to tell it by.
     */
    static final Set<String> HANDLER_FRAMES = Set.of("net/http.serverHandler.ServeHTTP",
            "net/http.(*http2serverConn).runHandler", "golang.org/x/net/http2.(*serverConn).runHandler",
            "google.golang.org/grpc.(*Server).handleStream");

    /**
     * Whether stack {@code s} of {@code profile} is net/http's serving a connection between requests: from the leaf,
     * a frame of {@link #SERVER_FRAMES} comes before any of {@link #HANDLER_FRAMES} and any application frame. Frames
     * nearer the root do not count: h2c's {@code (*serverConn).serve} runs under {@code serverHandler.ServeHTTP}, and
     * an application's middleware around the h2c handler would sit there too.
     */
    static boolean servesConnection(Profile profile, int s, FrameClassifier frames) {
        for (int d = 0; d < profile.stackDepth(s); d++) {
            String function = profile.functionName(profile.stackFunction(s, d));
            if (SERVER_FRAMES.contains(function)) {
                return isServerSide(profile, s, d, function);
            }
            if (HANDLER_FRAMES.contains(function) || LeakSites.isApplicationFrame(function, frames)) {
                return false;
            }
        }
        return false;
    }

    /**
     * Whether server frame {@code function} at depth {@code d} of stack {@code s} is a server's: every one is but
     * {@link #GRPC_WRITER}, which is the server's only when it runs under {@link #onServerTransport its transport}.
     */
    static boolean isServerSide(Profile profile, int s, int d, String function) {
        return !function.equals(GRPC_WRITER) || onServerTransport(profile, s, d);
    }

    /**
     * Whether a frame nearer the root than depth {@code d} of stack {@code s} is gRPC-go's server transport's
     * constructor or one of its closures: positive evidence, so a writer whose root the profile cut off (a stack deeper
     * than the profiler keeps) is not counted as the server's.
     */
    static boolean onServerTransport(Profile profile, int s, int d) {
        for (int r = d + 1; r < profile.stackDepth(s); r++) {
            String function = profile.functionName(profile.stackFunction(s, r));
            if (function.equals(GRPC_SERVER_TRANSPORT) || function.startsWith(GRPC_SERVER_TRANSPORT + ".func")) {
                return true;
            }
        }
        return false;
    }

    /** The profile's goroutines serving connections; 0 without a goroutine column. */
    static long count(Profile profile, FrameClassifier frames) {
        int column = profile.sampleTypeIndex(ProfileType.GOROUTINES);
        long n = 0;
        for (int s = 0; column >= 0 && s < profile.stackCount(); s++) {
            if (servesConnection(profile, s, frames)) {
                n += profile.value(s, column);
            }
        }
        return n;
    }

    /**
     * The observations with every goroutine profile reduced to its goroutine column less the goroutines serving
     * connections, so that where a leak's goroutines wait is named among the rest: 190 idle connections' share would
     * otherwise drown a leak's 45 goroutines (their frames' rise below the 25 points that name a site). Observations
     * without a goroutine column are left out.
     */
    static List<Observation> withoutConnections(List<Observation> observations, FrameClassifier frames) {
        List<Observation> out = new ArrayList<>();
        for (Observation o : observations) {
            Profile profile = o.profile();
            int column = profile.sampleTypeIndex(ProfileType.GOROUTINES);
            if (column < 0) {
                continue;
            }
            ProfileBuilder builder = new ProfileBuilder(profile.source(), profile.format(),
                    List.of(profile.sampleTypes().get(column)), Integer.MAX_VALUE);
            try {
                for (int s = 0; s < profile.stackCount(); s++) {
                    long value = profile.value(s, column);
                    if (value <= 0 || servesConnection(profile, s, frames)) {
                        continue;
                    }
                    int[] stack = new int[profile.stackDepth(s)];
                    for (int d = 0; d < stack.length; d++) {
                        stack[d] = builder.function(profile.rawFunctionName(profile.stackFunction(s, d)));
                    }
                    builder.add(builder.stack(stack, stack.length, 0), 0, value);
                }
            } catch (InvalidProfileException e) {
                throw new IllegalStateException("a stack of a parsed profile cannot be deeper than no limit", e);
            }
            builder.interval(profile.startEpochNanos(), profile.durationNanos());
            out.add(o.withProfile(builder.build()));
        }
        return out;
    }

    /**
     * Why a canary's growing goroutines are its open connections rather than a leak, or null. From each canary pod's
     * goroutine profiles (its warm-up left out): the Theil–Sen slope per hour of the goroutines serving connections and of
     * the rest. A pod's rise is its connections' when they rose by at least the material growth ({@code
     * minSlopeMiBPerHour}, goroutines an hour) and the rest rose by less than that beyond the baseline pods' median
     * rest (their own profiles after their warm-up; none counts as flat). Reported, not failed, when most judged canary pods' rise is their
     * connections' (a tie fails, as in the step test). Null without enough goroutine profiles: the area's FAIL stands.
     *
     * @param baseline the baseline's observations, its warm-up already left out ({@link MemoryAreas#withBaselineWarmUp})
     * @param canary   the canary's observations, its warm-up already left out
     */
    static String connectionsInsteadOfGrowth(List<Observation> baseline, List<Observation> canary,
                                             MemoryGrowthConfig config, FrameClassifier frames) {
        double material = config.minSlopeMiBPerHour(); // goroutines an hour: one counts as a MiB
        List<Double> baselineRest = new ArrayList<>();
        for (Slopes pod : slopes(baseline, frames).values()) {
            baselineRest.add(pod.rest());
        }
        double reference = baselineRest.isEmpty() ? 0 : median(baselineRest);
        int pods = 0;
        int connections = 0;
        Slopes shown = null;
        for (Slopes pod : slopes(canary, frames).values()) {
            pods++;
            if (pod.connections() >= material && pod.rest() - reference < material) {
                connections++;
                shown = shown == null ? pod : shown;
            }
        }
        if (pods == 0 || 2 * connections <= pods) {
            return null;
        }
        return String.format(Locale.ROOT, "the rise is open connections, not a leak (in %d of %d canary pod(s) net/http's"
                + " and gRPC's goroutines serving connections between requests, outside any handler, went from %d to %d,"
                + " %+.0f an hour; the rest %d to %d, %+.0f an hour against the baseline's %+.0f, under the %.0f an hour"
                + " that is material: more keep-alive connections, as a weight step or a connection pool brings; unless"
                + " the canary changed how long it keeps idle connections open)", connections, pods,
                shown.firstConnections(), shown.lastConnections(), shown.connections(), shown.firstRest(),
                shown.lastRest(), shown.rest(), reference, material);
    }

    /**
     * The canary pods whose goroutines serving connections rose by at least the material growth ({@code
     * minSlopeMiBPerHour}, goroutines an hour) over their goroutine profiles, whatever the rest did: the pods whose open
     * connections rose ({@link ConnectionHeap} takes their connections' live bytes off their heap; a goroutine leak
     * beside them is judged by {@link #connectionsInsteadOfGrowth} and the goroutines area).
     */
    static Set<String> risingConnections(List<Observation> canary, MemoryGrowthConfig config, FrameClassifier frames) {
        Set<String> rising = new HashSet<>();
        slopes(canary, frames).forEach((pod, s) -> {
            if (s.connections() >= config.minSlopeMiBPerHour()) {
                rising.add(pod);
            }
        });
        return rising;
    }

    /** One pod's goroutines over its profiles: per hour, and the first and last profile's counts. */
    private record Slopes(double connections, double rest, long firstConnections, long lastConnections, long firstRest,
                          long lastRest) {
    }

    /** Per pod with at least {@link #MIN_PROFILES} timed goroutine profiles, its slopes. */
    private static Map<String, Slopes> slopes(List<Observation> observations, FrameClassifier frames) {
        Map<String, List<long[]>> byPod = new LinkedHashMap<>(); // pod → [millis, connections, rest]
        for (Observation o : observations) {
            Profile profile = o.profile();
            int column = profile.sampleTypeIndex(ProfileType.GOROUTINES);
            if (column < 0 || profile.startEpochNanos() <= 0) {
                continue;
            }
            long millis = (profile.startEpochNanos() + Math.max(0, profile.durationNanos())) / 1_000_000;
            long connections = count(profile, frames);
            byPod.computeIfAbsent(o.instance(), k -> new ArrayList<>())
                    .add(new long[] {millis, connections, profile.total(column) - connections});
        }
        Map<String, Slopes> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<long[]>> pod : byPod.entrySet()) {
            List<long[]> points = pod.getValue();
            if (points.size() < MIN_PROFILES) {
                continue;
            }
            points.sort((a, b) -> Long.compare(a[0], b[0]));
            double[] x = new double[points.size()];
            double[] connections = new double[x.length];
            double[] rest = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = (points.get(i)[0] - points.get(0)[0]) / 3_600_000.0;
                connections[i] = points.get(i)[1];
                rest[i] = points.get(i)[2];
            }
            long[] first = points.get(0);
            long[] last = points.get(x.length - 1);
            out.put(pod.getKey(), new Slopes(TheilSen.fit(x, connections, 0.95).slope(),
                    TheilSen.fit(x, rest, 0.95).slope(), first[1], last[1], first[2], last[2]));
        }
        return out;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
