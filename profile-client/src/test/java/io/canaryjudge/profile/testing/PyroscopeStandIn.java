package io.canaryjudge.profile.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private static final String SERVICE = "/querier.v1.QuerierService/";
    private static final int MAX_CALLS = 10_000;
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
     */
    public record Fault(Kind kind, Duration delay, int status, String code, Map<String, String> onlyFor, int times) {
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
            return new Fault(Kind.DELAY, delay, 0, null, Map.of(), 0);
        }

        public static Fault error(int status, String code) {
            return new Fault(Kind.ERROR, null, status, code, Map.of(), 0);
        }

        public static Fault connectionReset() {
            return new Fault(Kind.CONNECTION_RESET, null, 0, null, Map.of(), 0);
        }

        public static Fault closedMidAnswer() {
            return new Fault(Kind.CLOSED_MID_ANSWER, null, 0, null, Map.of(), 0);
        }

        public static Fault malformedBody() {
            return new Fault(Kind.MALFORMED_BODY, null, 0, null, Map.of(), 0);
        }

        public static Fault truncatedBody() {
            return new Fault(Kind.TRUNCATED_BODY, null, 0, null, Map.of(), 0);
        }

        public static Fault emptyResult() {
            return new Fault(Kind.EMPTY_RESULT, null, 0, null, Map.of(), 0);
        }

        public static Fault htmlPage() {
            return new Fault(Kind.HTML_PAGE, null, 0, null, Map.of(), 0);
        }

        /** The same fault, only for requests whose selector holds all of {@code labels}. */
        public Fault onlyFor(Map<String, String> labels) {
            return new Fault(kind, delay, status, code, labels, times);
        }

        /** The same fault, for the first {@code n} matching requests only. */
        public Fault times(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("times must be >= 1, was " + n);
            }
            return new Fault(kind, delay, status, code, onlyFor, n);
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

    private record FaultRule(Route route, Fault fault, AtomicInteger used) {
    }

    private final StoredProfiles stored = new StoredProfiles();
    private final List<FaultRule> faults = new CopyOnWriteArrayList<>();
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private volatile String requiredTenant;
    private volatile String requiredAuthorization;
    private volatile long enforcedDefaultNodes;
    private volatile long enforcedMaxNodes;
    /** Requests received whose answer is not complete yet, by WireMock's serve event id. */
    private final Set<UUID> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final WireMockServer server;

    private PyroscopeStandIn() {
        server = new WireMockServer(WireMockConfiguration.options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .containerThreads(64)
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(8)
                .disableRequestJournal()
                .notifier(new ConsoleNotifier(false))
                .extensions(new Answers(), new InFlight()));
    }

    /** Starts a stand-in on a free loopback port. */
    public static PyroscopeStandIn start() {
        PyroscopeStandIn standIn = new PyroscopeStandIn();
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
        stored.add(labels, start.toEpochMilli(), end.toEpochMilli(), PprofMessage.decode(pprof));
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
        faults.add(new FaultRule(route, fault, new AtomicInteger()));
        return this;
    }

    public void clearFaults() {
        faults.clear();
    }

    /** Answers 401 {@code unauthenticated} unless {@code X-Scope-OrgID} is {@code tenant} (null: no check). */
    public PyroscopeStandIn requireTenant(String tenant) {
        this.requiredTenant = tenant;
        return this;
    }

    /** Answers 401 {@code unauthenticated} unless {@code Authorization} is exactly {@code value} (null: no check). */
    public PyroscopeStandIn requireAuthorization(String value) {
        this.requiredAuthorization = value;
        return this;
    }

    /**
     * Mimics a tenant with {@code max_flamegraph_nodes_on_select_merge_profile}: a {@code SelectMergeProfile}
     * without {@code maxNodes} gets {@code defaultNodes}, more than {@code maxNodes} is refused
     * ({@code invalid_argument}). 0, 0 switches it off (Pyroscope's default).
     */
    public PyroscopeStandIn enforceMaxNodes(long defaultNodes, long maxNodes) {
        this.enforcedDefaultNodes = defaultNodes;
        this.enforcedMaxNodes = maxNodes;
        return this;
    }

    /** The requests received so far (at most the last 10 000), oldest first. */
    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    public List<Call> calls(Route route) {
        return calls().stream().filter(c -> c.route() == route).toList();
    }

    public void clearCalls() {
        calls.clear();
    }

    /**
     * The most requests that were in progress at once (received, answer not yet complete) since the
     * start or {@link #resetMaxConcurrentRequests()}: what a client's bounded concurrency allowed.
     */
    public int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    public void resetMaxConcurrentRequests() {
        maxInFlight.set(inFlight.size());
    }

    @Override
    public void close() {
        server.stop();
    }

    // ------------------------------------------------------------------ answering

    /** The WireMock extension that answers every request from the stored profiles. */
    private final class Answers implements ResponseDefinitionTransformerV2 {
        @Override
        public String getName() {
            return "pyroscope-stand-in";
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            try {
                ResponseDefinition answer = answer(serveEvent.getRequest());
                if (answer.getFault() != null) {
                    inFlight.remove(serveEvent.getId()); // the connection is dropped at once, maybe without afterComplete
                }
                return answer;
            } catch (StandInError e) {
                return connectError(e.status, e.code, e.getMessage()).build();
            } catch (RuntimeException e) {
                return connectError(500, "internal", "stand-in failure: " + e).build();
            }
        }
    }

    /** Counts requests in progress, from arrival until the answer is complete (delays included). */
    private final class InFlight implements ServeEventListener {
        @Override
        public String getName() {
            return "pyroscope-stand-in-in-flight";
        }

        @Override
        public void beforeMatch(ServeEvent serveEvent, Parameters parameters) {
            inFlight.add(serveEvent.getId());
            maxInFlight.accumulateAndGet(inFlight.size(), Math::max);
        }

        @Override
        public void afterComplete(ServeEvent serveEvent, Parameters parameters) {
            inFlight.remove(serveEvent.getId());
        }
    }

    private ResponseDefinition answer(LoggedRequest request) {
        String path = request.getUrl().replaceFirst("\\?.*", "");
        if (path.equals("/ready")) {
            return new ResponseDefinitionBuilder().withStatus(200).withBody("ready\n").build();
        }
        Route route = null;
        for (Route r : Route.values()) {
            if (path.equals(SERVICE + r.method())) {
                route = r;
            }
        }
        if (route == null) {
            throw new StandInError(404, "unimplemented", path + " is not a procedure the stand-in serves");
        }
        if (!request.getMethod().getName().equals("POST")) {
            throw new StandInError(405, "unimplemented", "Connect unary calls are POST");
        }
        String contentType = String.valueOf(request.getHeader("Content-Type")).toLowerCase(Locale.ROOT);
        boolean binary = contentType.startsWith("application/proto");
        if (!binary && !contentType.startsWith("application/json")) {
            return new ResponseDefinitionBuilder().withStatus(415).withHeader("Accept-Post",
                    "application/json, application/proto").build();
        }
        Map<String, String> headers = new TreeMap<>();
        request.getAllHeaderKeys().forEach(k -> headers.put(k.toLowerCase(Locale.ROOT), request.getHeader(k)));

        QuerierRequest decoded;
        try {
            decoded = QuerierRequest.decode(route, binary, request.getBody());
        } catch (RuntimeException e) {
            record(route, headers, contentType, null, Map.of(), null);
            throw new StandInError(400, "invalid_argument", "cannot decode the request: " + e.getMessage());
        }
        Map<String, String> selector = Map.of();
        RuntimeException selectorError = null;
        try {
            selector = selector(route, decoded);
        } catch (IllegalArgumentException e) {
            selectorError = e;
        }
        FaultRule rule = faultFor(route, selector);
        record(route, headers, contentType, decoded, selector, rule == null ? null : rule.fault().kind());

        if (requiredTenant != null && !requiredTenant.equals(headers.get("x-scope-orgid"))) {
            throw new StandInError(401, "unauthenticated", "no org id");
        }
        if (requiredAuthorization != null && !requiredAuthorization.equals(headers.get("authorization"))) {
            throw new StandInError(401, "unauthenticated", "authorization required");
        }
        if (selectorError != null) {
            throw new StandInError(400, "invalid_argument", selectorError.getMessage());
        }
        Fault fault = rule == null ? null : rule.fault();
        if (fault != null) {
            switch (fault.kind()) {
                case ERROR -> {
                    return connectError(fault.status(), fault.code(), "stand-in fault: " + fault.code()).build();
                }
                case CONNECTION_RESET -> {
                    return new ResponseDefinitionBuilder()
                            .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER).build();
                }
                case CLOSED_MID_ANSWER -> {
                    return new ResponseDefinitionBuilder()
                            .withFault(com.github.tomakehurst.wiremock.http.Fault.MALFORMED_RESPONSE_CHUNK).build();
                }
                case HTML_PAGE -> {
                    return new ResponseDefinitionBuilder().withStatus(200).withHeader("Content-Type", "text/html")
                            .withBody("<!DOCTYPE html><html><body>Sign in to continue</body></html>").build();
                }
                default -> {
                    // the faults below change or delay the normal answer
                }
            }
        }
        byte[] body = fault != null && fault.kind() == Fault.Kind.EMPTY_RESULT
                ? empty(route, binary)
                : normalAnswer(route, binary, decoded, selector);
        if (fault != null && fault.kind() == Fault.Kind.TRUNCATED_BODY) {
            body = Arrays.copyOf(body, body.length / 2);
        } else if (fault != null && fault.kind() == Fault.Kind.MALFORMED_BODY) {
            body = garbage(binary);
        }
        ResponseDefinitionBuilder answer = new ResponseDefinitionBuilder().withStatus(200)
                .withHeader("Content-Type", binary ? "application/proto" : "application/json")
                .withBody(body);
        if (fault != null && fault.kind() == Fault.Kind.DELAY) {
            answer = answer.withFixedDelay((int) Math.min(Integer.MAX_VALUE, fault.delay().toMillis()));
        }
        return answer.build();
    }

    private static Map<String, String> selector(Route route, QuerierRequest request) {
        return switch (route) {
            case SELECT_MERGE_PROFILE, SELECT_SERIES -> SelectorParser.parse(request.labelSelector());
            case LABEL_VALUES -> {
                Map<String, String> all = new TreeMap<>();
                request.matchers().forEach(m -> all.putAll(SelectorParser.parse(m)));
                yield all;
            }
            case PROFILE_TYPES -> Map.of();
        };
    }

    private FaultRule faultFor(Route route, Map<String, String> selector) {
        for (FaultRule rule : faults) {
            if (rule.route() != route || !selector.entrySet().containsAll(rule.fault().onlyFor().entrySet())) {
                continue;
            }
            if (rule.fault().times() == 0 || rule.used().incrementAndGet() <= rule.fault().times()) {
                return rule;
            }
        }
        return null;
    }

    private void record(Route route, Map<String, String> headers, String contentType, QuerierRequest r,
                        Map<String, String> selector, Fault.Kind fault) {
        Call call = r == null
                ? new Call(route, headers, contentType, "", "", Map.of(), 0, 0, null, List.of(), 0, "", fault)
                : new Call(route, Map.copyOf(headers), contentType, r.profileTypeId(), r.labelSelector(),
                        Collections.unmodifiableMap(new java.util.LinkedHashMap<>(selector)), r.startMs(), r.endMs(),
                        r.maxNodes(), r.groupBy(), r.stepSeconds(), r.labelName(), fault);
        synchronized (calls) {
            if (calls.size() >= MAX_CALLS) {
                calls.remove(0);
            }
            calls.add(call);
        }
    }

    private byte[] normalAnswer(Route route, boolean binary, QuerierRequest request, Map<String, String> selector) {
        if (request.endMs() < request.startMs()) {
            throw new StandInError(400, "invalid_argument", "end " + request.endMs() + " is before start " + request.startMs());
        }
        return switch (route) {
            case SELECT_MERGE_PROFILE -> {
                if (!binary) {
                    throw new StandInError(415, "unimplemented",
                            "the stand-in answers SelectMergeProfile in application/proto only");
                }
                yield stored.selectMergeProfile(request, selector, enforcedDefaultNodes, enforcedMaxNodes);
            }
            case SELECT_SERIES -> PyroscopeStandInAnswers.series(binary, stored.series(request, selector));
            case LABEL_VALUES -> PyroscopeStandInAnswers.labelValues(binary, stored.labelValues(request));
            case PROFILE_TYPES -> PyroscopeStandInAnswers.profileTypes(binary, stored.profileTypes());
        };
    }

    private static byte[] empty(Route route, boolean binary) {
        return binary ? new byte[0] : "{}".getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes that are neither pprof nor the JSON asked for, the same every time. */
    private static byte[] garbage(boolean binary) {
        if (!binary) {
            return "{\"series\": [{\"labels\": [".getBytes(StandardCharsets.UTF_8);
        }
        byte[] bytes = new byte[512];
        new Random(42).nextBytes(bytes);
        bytes[0] = (byte) 0xFF; // never a valid first tag
        return bytes;
    }

    private static ResponseDefinitionBuilder connectError(int status, String code, String message) {
        return new ResponseDefinitionBuilder().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody(PyroscopeStandInAnswers.connectError(code, message));
    }
}
