package io.canaryjudge.profile.testing;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The WireMock extension behind {@link PyroscopeStandIn}: decodes each Connect request, checks tenant and
 * authorization, records it, applies the first matching fault, and answers from {@link StoredProfiles}.
 */
final class StandInHandler implements ResponseDefinitionTransformerV2 {
    private static final String SERVICE = "/querier.v1.QuerierService/";
    private static final int MAX_CALLS = 10_000;

    record FaultRule(PyroscopeStandIn.Route route, PyroscopeStandIn.Fault fault, AtomicInteger used) {
    }

    final StoredProfiles stored = new StoredProfiles();
    final List<FaultRule> faults = new CopyOnWriteArrayList<>();
    final List<PyroscopeStandIn.Call> calls = Collections.synchronizedList(new ArrayList<>());
    volatile String requiredTenant;
    volatile String requiredAuthorization;
    volatile long enforcedDefaultNodes;
    volatile long enforcedMaxNodes;
    /** Requests received whose answer is not complete yet, by WireMock's serve event id. */
    final Set<UUID> inFlight = ConcurrentHashMap.newKeySet();

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

    private ResponseDefinition answer(LoggedRequest request) {
        String path = request.getUrl().replaceFirst("\\?.*", "");
        if (path.equals("/ready")) {
            return new ResponseDefinitionBuilder().withStatus(200).withBody("ready\n").build();
        }
        PyroscopeStandIn.Route route = null;
        for (PyroscopeStandIn.Route r : PyroscopeStandIn.Route.values()) {
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
        FaultRule rule = faultFor(route, selector, decoded == null ? Long.MIN_VALUE : decoded.endMs(),
                decoded == null ? "" : decoded.profileTypeId());
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
        PyroscopeStandIn.Fault fault = rule == null ? null : rule.fault();
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
        byte[] body = fault != null && fault.kind() == PyroscopeStandIn.Fault.Kind.EMPTY_RESULT
                ? empty(route, binary)
                : normalAnswer(route, binary, decoded, selector);
        if (fault != null && fault.kind() == PyroscopeStandIn.Fault.Kind.TRUNCATED_BODY) {
            body = Arrays.copyOf(body, body.length / 2);
        } else if (fault != null && fault.kind() == PyroscopeStandIn.Fault.Kind.MALFORMED_BODY) {
            body = garbage(binary);
        }
        ResponseDefinitionBuilder answer = new ResponseDefinitionBuilder().withStatus(200)
                .withHeader("Content-Type", binary ? "application/proto" : "application/json")
                .withBody(body);
        if (fault != null && fault.kind() == PyroscopeStandIn.Fault.Kind.DELAY) {
            answer = answer.withFixedDelay((int) Math.min(Integer.MAX_VALUE, fault.delay().toMillis()));
        }
        return answer.build();
    }

    private static Map<String, String> selector(PyroscopeStandIn.Route route, QuerierRequest request) {
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

    private FaultRule faultFor(PyroscopeStandIn.Route route, Map<String, String> selector, long endMs,
                               String profileTypeId) {
        for (FaultRule rule : faults) {
            if (rule.route() != route || !selector.entrySet().containsAll(rule.fault().onlyFor().entrySet())) {
                continue;
            }
            if (rule.fault().endingBy() != null && endMs > rule.fault().endingBy().toEpochMilli()) {
                continue;
            }
            if (rule.fault().profileTypeId() != null && !rule.fault().profileTypeId().equals(profileTypeId)) {
                continue;
            }
            if (rule.fault().times() == 0 || rule.used().incrementAndGet() <= rule.fault().times()) {
                return rule;
            }
        }
        return null;
    }

    private void record(PyroscopeStandIn.Route route, Map<String, String> headers, String contentType, QuerierRequest r,
                        Map<String, String> selector, PyroscopeStandIn.Fault.Kind fault) {
        PyroscopeStandIn.Call call = r == null
                ? new PyroscopeStandIn.Call(route, headers, contentType, "", "", Map.of(), 0, 0, null, List.of(), 0, "", fault)
                : new PyroscopeStandIn.Call(route, Map.copyOf(headers), contentType, r.profileTypeId(), r.labelSelector(),
                        Collections.unmodifiableMap(new java.util.LinkedHashMap<>(selector)), r.startMs(), r.endMs(),
                        r.maxNodes(), r.groupBy(), r.stepSeconds(), r.labelName(), fault);
        synchronized (calls) {
            if (calls.size() >= MAX_CALLS) {
                calls.remove(0);
            }
            calls.add(call);
        }
    }

    private byte[] normalAnswer(PyroscopeStandIn.Route route, boolean binary, QuerierRequest request, Map<String, String> selector) {
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

    private static byte[] empty(PyroscopeStandIn.Route route, boolean binary) {
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
