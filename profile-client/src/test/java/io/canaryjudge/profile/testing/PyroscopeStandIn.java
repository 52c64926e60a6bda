package io.canaryjudge.profile.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Grafana Pyroscope for tests: a WireMock server on a loopback port whose
 * {@code querier.v1.QuerierService} answers from real pprof profiles by the labels and time range each
 * request asks for, in binary protobuf or JSON as the request is encoded (Connect protocol).
 *
 * <pre>
 * try (PyroscopeStandIn pyroscope = PyroscopeStandIn.start()) {
 *     pyroscope.addInstance(Map.of("service_name", "checkout", "pod", "checkout-1"), podDir, start, Duration.ofSeconds(10));
 *     pyroscope.fail(Route.SELECT_MERGE_PROFILE, Fault.error(503, "unavailable").onlyFor(Map.of("pod", "checkout-2")));
 *     ... new PyroscopeSource(PyroscopeConnection.to(URI.create(pyroscope.url())), 4) ...
 * }
 * </pre>
 *
 * <p>What it does as Pyroscope does (facts from grafana/pyroscope): a stored profile is a point in time
 * (its start), found by a query whose {@code [start, end]} (milliseconds, inclusive at both ends) holds
 * it; a profile type ID {@code name:type:unit:periodType:periodUnit} selects the stored column
 * {@code type/unit} (locks: {@code mutex} or {@code block} by the stored period type), answered as a
 * profile with that one column ({@code SetProfileMetadata}: period 1 s for {@code process_cpu}, the
 * query's end as time); several matching profiles are merged; {@code maxNodes} &gt; 0 collapses small
 * call-tree nodes into {@code other} (and {@link #enforceMaxNodes} mimics a tenant with
 * {@code max_flamegraph_nodes_on_select_merge_profile}); nothing found is an empty {@code Profile}
 * (zero bytes). {@code SelectSeries} buckets profiles by step, a point at T summing the profiles stamped
 * in (T − step, T] from the query start on. Selectors are parsed as Prometheus parses them (equality
 * matchers only); errors are Connect errors ({@code {"code","message"}} with the matching HTTP status).
 *
 * <p>Faults ({@link #fail}) are injected per route, optionally only for requests whose selector holds
 * given labels and only a number of times. Every request is recorded, decoded ({@link #calls()}).
 * Thread-safe; add profiles before the requests that should see them.
 */
public final class PyroscopeStandIn implements AutoCloseable {
    private static final Pattern NUMBER = Pattern.compile("(\\d+)");

    /** The querier methods the stand-in answers. */
    public enum Route {
        SELECT_MERGE_PROFILE("SelectMergeProfile"),
        SELECT_SERIES("SelectSeries"),
        LABEL_VALUES("LabelValues"),
        PROFILE_TYPES("ProfileTypes");

        private final String method;

        Route(String method) {
            this.method = method;
        }

        public String method() {
            return method;
        }
    }

    /**
     * A fault to inject instead of (or before) the normal answer.
     *
     * @param kind    what happens
     * @param delay   for {@link Kind#DELAY}: how long before the normal answer
     * @param status  for {@link Kind#ERROR}: the HTTP status
     * @param code    for {@link Kind#ERROR}: the Connect code, e.g. {@code unavailable}
     * @param onlyFor the fault applies only to requests whose selector holds all these labels (empty: all)
     * @param times   the fault applies to this many matching requests, then no more (0: always)
     * @param endingBy the fault applies only to requests whose range ends at or before this (null: any range)
     * @param profileTypeId the fault applies only to requests for this {@code profile_typeID} (null: any), e.g. the
     *                wall series' {@code samples/count} column asked after its wall profile
     */
    public record Fault(Kind kind, Duration delay, int status, String code, Map<String, String> onlyFor, int times,
                        Instant endingBy, String profileTypeId) {
        public enum Kind {
            /** The normal answer, late. */
            DELAY,
            /** A Connect error: HTTP status and {@code {"code","message"}}. */
            ERROR,
            /** The connection is reset instead of an answer. */
            CONNECTION_RESET,
            /** A 200 header, then garbage, then the connection closes (an answer cut short). */
            CLOSED_MID_ANSWER,
            /** A complete 200 answer whose body is not the message (garbage bytes, broken JSON). */
            MALFORMED_BODY,
            /** A complete 200 answer holding only the first half of the normal body. */
            TRUNCATED_BODY,
            /** A 200 answer saying "nothing found": an empty profile, no series. */
            EMPTY_RESULT,
            /** A 200 HTML page, as a login proxy in front of Pyroscope answers. */
            HTML_PAGE
        }

        public Fault {
            Objects.requireNonNull(kind, "kind");
            onlyFor = Map.copyOf(onlyFor);
        }

        public static Fault delay(Duration delay) {
            return new Fault(Kind.DELAY, delay, 0, null, Map.of(), 0, null, null);
        }

        public static Fault error(int status, String code) {
            return new Fault(Kind.ERROR, null, status, code, Map.of(), 0, null, null);
        }

        public static Fault connectionReset() {
            return new Fault(Kind.CONNECTION_RESET, null, 0, null, Map.of(), 0, null, null);
        }

        public static Fault closedMidAnswer() {
            return new Fault(Kind.CLOSED_MID_ANSWER, null, 0, null, Map.of(), 0, null, null);
        }

        public static Fault malformedBody() {
            return new Fault(Kind.MALFORMED_BODY, null, 0, null, Map.of(), 0, null, null);
        }

        public static Fault truncatedBody() {
            return new Fault(Kind.TRUNCATED_BODY, null, 0, null, Map.of(), 0, null, null);
        }

        public static Fault emptyResult() {
            return new Fault(Kind.EMPTY_RESULT, null, 0, null, Map.of(), 0, null, null);
        }

        public static Fault htmlPage() {
            return new Fault(Kind.HTML_PAGE, null, 0, null, Map.of(), 0, null, null);
        }

        /** The same fault, only for requests whose selector holds all of {@code labels}. */
        public Fault onlyFor(Map<String, String> labels) {
            return new Fault(kind, delay, status, code, labels, times, endingBy, profileTypeId);
        }

        /** The same fault, for the first {@code n} matching requests only. */
        public Fault times(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("times must be >= 1, was " + n);
            }
            return new Fault(kind, delay, status, code, onlyFor, n, endingBy, profileTypeId);
        }

        /** The same fault, only for requests whose time range ends at or before {@code end} (e.g. earlier windows). */
        public Fault endingBy(Instant end) {
            return new Fault(kind, delay, status, code, onlyFor, times, end, profileTypeId);
        }

        /** The same fault, only for requests for the profile type {@code id} (e.g. a count series, not its values). */
        public Fault onlyForProfileType(String id) {
            return new Fault(kind, delay, status, code, onlyFor, times, endingBy, Objects.requireNonNull(id, "id"));
        }
    }

    /**
     * One request the stand-in received, decoded.
     *
     * @param route         the method
     * @param headers       request headers, names in lower case
     * @param contentType   the request's Content-Type
     * @param profileTypeId {@code profile_typeID} ("" when the method has none)
     * @param labelSelector {@code label_selector} as sent
     * @param selector      the selector parsed (empty when it did not parse or the method has none)
     * @param startMs       {@code start}, milliseconds since the epoch
     * @param endMs         {@code end}, milliseconds since the epoch
     * @param maxNodes      {@code max_nodes} when present
     * @param groupBy       {@code group_by} (SelectSeries)
     * @param stepSeconds   {@code step} (SelectSeries)
     * @param labelName     {@code name} (LabelValues)
     * @param fault         the fault applied, or null
     */
    public record Call(Route route, Map<String, String> headers, String contentType, String profileTypeId,
                       String labelSelector, Map<String, String> selector, long startMs, long endMs, Long maxNodes,
                       List<String> groupBy, double stepSeconds, String labelName, Fault.Kind fault) {
    }

    private final StandInHandler handler = new StandInHandler();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final WireMockServer server;

    private PyroscopeStandIn(int port) {
        WireMockConfiguration options = WireMockConfiguration.options().bindAddress("127.0.0.1");
        server = new WireMockServer((port == 0 ? options.dynamicPort() : options.port(port))
                .containerThreads(64)
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(8)
                .disableRequestJournal()
                .notifier(new ConsoleNotifier(false))
                .extensions(handler, new InFlight()));
    }

    /** Starts a stand-in on a free loopback port. */
    public static PyroscopeStandIn start() {
        return start(0);
    }

    /** Starts a stand-in on the given loopback port (0: a free one). */
    public static PyroscopeStandIn start(int port) {
        PyroscopeStandIn standIn = new PyroscopeStandIn(port);
        standIn.server.start();
        standIn.server.stubFor(WireMock.any(WireMock.anyUrl()).willReturn(WireMock.aResponse().withStatus(500)));
        return standIn;
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234} (what {@code canary-judge.pyroscope.url} takes). */
    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    public int port() {
        return server.port();
    }

    /**
     * Stores one profile.
     *
     * @param labels the series labels, e.g. {@code service_name}, {@code pod}, {@code rollouts_pod_template_hash}
     * @param start  the profile's timestamp (what queries find it by)
     * @param end    end of the profiled interval (its duration)
     * @param pprof  pprof bytes, raw or gzipped, with any number of columns
     */
    public PyroscopeStandIn addProfile(Map<String, String> labels, Instant start, Instant end, byte[] pprof) {
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("profile end " + end + " must be after its start " + start);
        }
        handler.stored.add(labels, start.toEpochMilli(), end.toEpochMilli(), PprofMessage.decode(pprof));
        return this;
    }

    /** {@link #addProfile(Map, Instant, Instant, byte[])} from a file. */
    public PyroscopeStandIn addProfile(Map<String, String> labels, Instant start, Instant end, Path pprof) {
        try {
            return addProfile(labels, start, end, Files.readAllBytes(pprof));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pprof, e);
        }
    }

    /**
     * Stores a pod's consecutive slices: the pprof files of {@code directory} ({@code *.pb.gz}, {@code *.pb},
     * {@code *.pprof}) in the order of the number in their names ({@code slice-2} before {@code slice-10}),
     * the i-th (from 0) stamped {@code start + i * slice}. This is the layout of the recorded scenarios
     * ({@code pod-N/slice-K.pb.gz}).
     *
     * @return how many slices were stored
     */
    public int addInstance(Map<String, String> labels, Path directory, Instant start, Duration slice) {
        List<Path> files;
        try (Stream<Path> list = Files.list(directory)) {
            files = list.filter(p -> {
                String name = p.getFileName().toString();
                return name.endsWith(".pb.gz") || name.endsWith(".pb") || name.endsWith(".pprof");
            }).sorted(Comparator.comparingLong(PyroscopeStandIn::number).thenComparing(Path::toString)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no pprof files (*.pb.gz, *.pb, *.pprof) in " + directory);
        }
        for (int i = 0; i < files.size(); i++) {
            Instant at = start.plus(slice.multipliedBy(i));
            addProfile(labels, at, at.plus(slice), files.get(i));
        }
        return files.size();
    }

    private static long number(Path file) {
        Matcher m = NUMBER.matcher(file.getFileName().toString());
        return m.find() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
    }

    /** Injects {@code fault} on {@code route}; several faults apply in the order given, first match wins. */
    public PyroscopeStandIn fail(Route route, Fault fault) {
        handler.faults.add(new StandInHandler.FaultRule(route, fault, new AtomicInteger()));
        return this;
    }

    public void clearFaults() {
        handler.faults.clear();
    }

    /** Answers 401 {@code unauthenticated} unless {@code X-Scope-OrgID} is {@code tenant} (null: no check). */
    public PyroscopeStandIn requireTenant(String tenant) {
        handler.requiredTenant = tenant;
        return this;
    }

    /** Answers 401 {@code unauthenticated} unless {@code Authorization} is exactly {@code value} (null: no check). */
    public PyroscopeStandIn requireAuthorization(String value) {
        handler.requiredAuthorization = value;
        return this;
    }

    /**
     * Mimics a tenant with {@code max_flamegraph_nodes_on_select_merge_profile}: a {@code SelectMergeProfile}
     * without {@code maxNodes} gets {@code defaultNodes}, more than {@code maxNodes} is refused
     * ({@code invalid_argument}). 0, 0 switches it off (Pyroscope's default).
     */
    public PyroscopeStandIn enforceMaxNodes(long defaultNodes, long maxNodes) {
        handler.enforcedDefaultNodes = defaultNodes;
        handler.enforcedMaxNodes = maxNodes;
        return this;
    }

    /** The requests received so far (at most the last 10 000), oldest first. */
    public List<Call> calls() {
        synchronized (handler.calls) {
            return List.copyOf(handler.calls);
        }
    }

    public List<Call> calls(Route route) {
        return calls().stream().filter(c -> c.route() == route).toList();
    }

    public void clearCalls() {
        handler.calls.clear();
    }

    /**
     * The most requests that were in progress at once (received, answer not yet complete) since the
     * start or {@link #resetMaxConcurrentRequests()}: what a client's bounded concurrency allowed.
     */
    public int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    public void resetMaxConcurrentRequests() {
        maxInFlight.set(handler.inFlight.size());
    }

    @Override
    public void close() {
        server.stop();
    }

    /** Counts requests in progress, from arrival until the answer is complete (delays included). */
    private final class InFlight implements ServeEventListener {
        @Override
        public String getName() {
            return "pyroscope-stand-in-in-flight";
        }

        @Override
        public void beforeMatch(ServeEvent serveEvent, Parameters parameters) {
            handler.inFlight.add(serveEvent.getId());
            maxInFlight.accumulateAndGet(handler.inFlight.size(), Math::max);
        }

        @Override
        public void afterComplete(ServeEvent serveEvent, Parameters parameters) {
            handler.inFlight.remove(serveEvent.getId());
        }
    }

}
