package io.canaryjudge.metrics;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.canaryjudge.metrics.MetricsException.Kind;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The client against a WireMock Prometheus on a dynamic loopback port: the envelope and every failure kind. */
class PrometheusHttpClientTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String QUERY = "sum(rate(http_server_requests_seconds_count{service=\"checkout\"}[1m]))";
    private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
    private static final Instant END = Instant.parse("2026-11-25T10:10:00Z");
    private static final Duration STEP = Duration.ofSeconds(60);
    /** Bounded wait for every answer: a hang fails the test instead of blocking the build. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    private PrometheusConnection connection() {
        // Generous: the first request of a JVM on a busy machine loads Netty; only the time-out tests set a short one.
        return PrometheusConnection.of(URI.create(server.baseUrl())).withTimeout(Duration.ofSeconds(20));
    }

    private RangeQueryResult answer(String body) {
        stubQueryRange(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body));
        return new PrometheusHttpClient(connection()).queryRangeWithWarnings(QUERY, START, END, STEP).block(WAIT);
    }

    private void stubQueryRange(ResponseDefinitionBuilder response) {
        server.stubFor(post("/api/v1/query_range").willReturn(response));
    }

    private static MetricsException failure(Mono<?> call) {
        MetricsException[] caught = new MetricsException[1];
        StepVerifier.create(call)
                .expectErrorSatisfies(e -> caught[0] = (MetricsException) e)
                .verify(WAIT);
        assertThat(caught[0].getMessage()).doesNotContain("\n").startsWith("Prometheus query \"");
        return caught[0];
    }

    private MetricsException failureFor(ResponseDefinitionBuilder response) {
        stubQueryRange(response);
        return failure(new PrometheusHttpClient(connection()).queryRange(QUERY, START, END, STEP));
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    @Test
    void matrixIsReadWithLabelsTimesValuesAndWarnings() {
        RangeQueryResult result = answer("""
                {"status":"success","data":{"resultType":"matrix","result":[
                  {"metric":{"pod":"checkout-7f9b-x2k","service":"checkout"},
                   "values":[[1795600800,"12.5"],[1795600860.25,"0"],[1795600980,"1e3"]]},
                  {"metric":{"pod":"checkout-7f9b-q8p"},"values":[[1795600800,"3"]]}]},
                 "warnings":["partial answer from store eu-1"]}""");

        assertThat(result.warnings()).containsExactly("partial answer from store eu-1");
        assertThat(result.series()).hasSize(2);
        TimeSeries first = result.series().get(0);
        assertThat(first.labels()).isEqualTo(Map.of("pod", "checkout-7f9b-x2k", "service", "checkout"));
        // The missing point at …920 stays a gap: three points, not four.
        assertThat(first.timestampsMillis()).containsExactly(1795600800000L, 1795600860250L, 1795600980000L);
        assertThat(first.values()).containsExactly(12.5, 0.0, 1000.0);
        assertThat(result.series().get(1).values()).containsExactly(3.0);
    }

    @Test
    void queryIsPostedFormEncodedWithSecondsAndStep() {
        answer("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}");

        server.verify(postRequestedFor(urlEqualTo("/api/v1/query_range"))
                .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                .withFormParam("query", equalTo(QUERY))
                .withFormParam("start", equalTo(String.valueOf(START.getEpochSecond())))
                .withFormParam("end", equalTo(String.valueOf(END.getEpochSecond())))
                .withFormParam("step", equalTo("60")));
    }

    @Test
    void nanAndInfinitiesAreKeptAsValues() {
        RangeQueryResult result = answer("""
                {"status":"success","data":{"resultType":"matrix","result":[{"metric":{},
                 "values":[[1795600800,"NaN"],[1795600860,"+Inf"],[1795600920,"-Inf"],[1795600980,"-0.5"]]}]}}""");

        double[] values = result.series().get(0).values();
        assertThat(values[0]).isNaN();
        assertThat(values[1]).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(values[2]).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(values[3]).isEqualTo(-0.5);
    }

    @Test
    void emptyResultIsAnEmptyListNotAnError() {
        RangeQueryResult result = answer("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}");

        assertThat(result.series()).isEmpty();
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void badDataIsRejectedWithPrometheusText() {
        MetricsException e = failureFor(json(400,
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:49: parse error: unclosed left parenthesis\"}"));

        assertThat(e.kind()).isEqualTo(Kind.REJECTED);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("sum(rate(http_server_requests_seconds_count")
                .contains("bad_data: 1:49: parse error: unclosed left parenthesis");
    }

    @Test
    void executionErrorIsRejected() {
        MetricsException e = failureFor(json(422, "{\"status\":\"error\",\"errorType\":\"execution\","
                + "\"error\":\"many-to-many matching not allowed:\\nmatching labels must be unique on one side\"}"));

        assertThat(e.kind()).isEqualTo(Kind.REJECTED);
        assertThat(e.getMessage()).contains("HTTP 422")
                .contains("many-to-many matching not allowed: matching labels must be unique");
    }

    @Test
    void serviceUnavailableIsUnavailable() {
        MetricsException e = failureFor(json(503,
                "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"TSDB not ready\"}"));

        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("HTTP 503").contains("TSDB not ready");
    }

    @Test
    void prometheusOwnQueryTimeoutIsATimeout() {
        MetricsException e = failureFor(json(503,
                "{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out in expression evaluation\"}"));

        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.getMessage()).contains("query timed out in expression evaluation");
    }

    @Test
    void internalErrorIsUnavailable() {
        MetricsException e = failureFor(aResponse().withStatus(500).withBody("<html><body>upstream\nfailed</body></html>"));

        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(e.getMessage()).contains("HTTP 500").contains("<html><body>upstream failed</body></html>");
    }

    @Test
    void tooManyRequestsIsUnavailable() {
        MetricsException e = failureFor(aResponse().withStatus(429).withHeader("Retry-After", "1"));

        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(e.getMessage()).contains("HTTP 429");
    }

    @Test
    void unauthorizedIsRejectedNamingTheCredentials() {
        MetricsException e = failureFor(aResponse().withStatus(401).withBody("no"));

        assertThat(e.kind()).isEqualTo(Kind.REJECTED);
        assertThat(e.getMessage()).contains("not authorized (HTTP 401)");
    }

    @Test
    void connectionResetIsUnavailable() {
        MetricsException e = failureFor(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    }

    @Test
    void malformedResponseChunkIsUnavailable() {
        // WireMock sends 200 headers, then garbage instead of a chunk, then closes: a broken connection.
        MetricsException e = failureFor(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK));

        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    }

    @Test
    void emptyResponseIsUnavailable() {
        MetricsException e = failureFor(aResponse().withFault(Fault.EMPTY_RESPONSE));

        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    }

    @Test
    void connectionRefusedIsUnavailable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        PrometheusHttpClient client = new PrometheusHttpClient(
                PrometheusConnection.of(URI.create("http://127.0.0.1:" + port)));

        MetricsException e = failure(client.queryRange(QUERY, START, END, STEP));

        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(e.getMessage()).contains("cannot connect to http://127.0.0.1:" + port);
    }

    @Test
    void truncatedJsonIsABadResponse() {
        String whole = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":"
                + "[{\"metric\":{\"pod\":\"a\"},\"values\":[[1795600800,\"1\"],[1795600860,\"2\"]]}]}}";
        MetricsException e = failureFor(json(200, whole.substring(0, whole.length() / 2)));

        assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
        assertThat(e.getMessage()).contains("not valid JSON");
    }

    @Test
    void emptyBodyIsABadResponse() {
        MetricsException e = failureFor(aResponse().withStatus(200));

        assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
        assertThat(e.getMessage()).endsWith("bad response (HTTP 200): empty body");
    }

    @Test
    void gzipCompressedAnswerIsRead() {
        String body = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":"
                + "[{\"metric\":{\"pod\":\"a\"},\"values\":[[1795600800,\"7\"]]}]}}";
        stubQueryRange(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withHeader("Content-Encoding", "gzip").withBody(gzip(body)));

        List<TimeSeries> series = new PrometheusHttpClient(connection()).queryRange(QUERY, START, END, STEP).block(WAIT);

        assertThat(series).hasSize(1);
        server.verify(postRequestedFor(urlEqualTo("/api/v1/query_range")).withHeader("Accept-Encoding", containing("gzip")));
    }

    private static byte[] gzip(String text) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Test
    void notJsonIsABadResponse() {
        MetricsException e = failureFor(aResponse().withStatus(200).withBody("status=success"));

        assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
    }

    /** A proxy's login page is wrong for every query, not one application's data: the source's circuit counts it. */
    @Test
    void anHtmlPageIsNotTheApi() {
        MetricsException e = failureFor(aResponse().withStatus(200).withBody("\n  <!DOCTYPE html><html>login</html>"));

        assertThat(e.kind()).isEqualTo(Kind.NOT_THE_API);
        assertThat(e.getMessage()).contains("not a login page or proxy?").contains("<!DOCTYPE html><html>login</html>");
    }

    @Test
    void errorStatusWithHttp200IsABadResponse() {
        MetricsException e = failureFor(json(200,
                "{\"status\":\"error\",\"errorType\":\"internal\",\"error\":\"something broke\"}"));

        assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
        assertThat(e.getMessage()).contains("status \"error\"").contains("something broke");
    }

    @Test
    void vectorResultIsABadResponse() {
        MetricsException e = failureFor(json(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                + "\"result\":[{\"metric\":{},\"value\":[1795600800,\"1\"]}]}}"));

        assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
        assertThat(e.getMessage()).contains("resultType \"vector\", expected \"matrix\"");
    }

    @Test
    void valueThatIsNotANumberIsABadResponse() {
        MetricsException e = failureFor(json(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
                + "\"result\":[{\"metric\":{},\"values\":[[1795600800,\"12abc\"]]}]}}"));

        assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
        assertThat(e.getMessage()).contains("result[0].values[0] value \"12abc\" is not a number");
    }

    @Test
    void timesOutOfOrderAreABadResponse() {
        MetricsException e = failureFor(json(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
                + "\"result\":[{\"metric\":{},\"values\":[[1795600860,\"1\"],[1795600800,\"2\"]]}]}}"));

        assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
        assertThat(e.getMessage()).contains("is not after the previous point");
    }

    @Test
    void slowAnswerEndsAsTimeout() {
        stubQueryRange(json(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}")
                .withFixedDelay(30_000));
        PrometheusHttpClient client = new PrometheusHttpClient(connection().withTimeout(Duration.ofMillis(300)));

        MetricsException e = failure(client.queryRange(QUERY, START, END, STEP));

        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.getMessage()).contains("no answer within 300 ms");
    }

    @Test
    void oversizedBodyIsABadResponseNotAnOutOfMemoryError() {
        StringBuilder body = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
        for (int i = 0; i < 5_000; i++) {
            body.append(i == 0 ? "" : ",").append("{\"metric\":{\"pod\":\"pod-").append(i)
                    .append("\"},\"values\":[[1795600800,\"1\"],[1795600860,\"2\"]]}");
        }
        body.append("]}}");
        stubQueryRange(json(200, body.toString()));
        PrometheusHttpClient client = new PrometheusHttpClient(connection().withMaxResponseBytes(64 * 1024));

        MetricsException e = failure(client.queryRange(QUERY, START, END, STEP));

        assertThat(body.length()).isGreaterThan(64 * 1024);
        assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
        assertThat(e.getMessage()).contains("response larger than 65536 bytes");
    }

    @Test
    void oversizedErrorBodyKeepsTheStatusKind() {
        stubQueryRange(aResponse().withStatus(502).withBody("x".repeat(200_000)));
        PrometheusHttpClient client = new PrometheusHttpClient(connection().withMaxResponseBytes(64 * 1024));

        MetricsException e = failure(client.queryRange(QUERY, START, END, STEP));

        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(e.getMessage()).contains("HTTP 502").contains("body larger than 65536 bytes");
    }

    @Test
    void argumentsPrometheusWouldRefuseAreRejectedWithoutARequest() {
        PrometheusHttpClient client = new PrometheusHttpClient(connection());

        assertThat(failure(client.queryRange(QUERY, START, END, Duration.ofMillis(500))).getMessage())
                .contains("step 500 ms is below 1 s");
        assertThat(failure(client.queryRange(QUERY, END, START, STEP)).getMessage())
                .contains("is before start");
        assertThat(failure(client.queryRange(QUERY, START, START.plus(Duration.ofDays(30)), STEP)).getMessage())
                .contains("exceed Prometheus' limit of 11000");
        assertThat(failure(client.queryRange(" ", START, END, STEP)).kind()).isEqualTo(Kind.REJECTED);
        server.verify(0, postRequestedFor(urlEqualTo("/api/v1/query_range")));
    }

    @Test
    void longQueryIsShortenedInMessages() {
        String longQuery = "sum(rate(http_server_requests_seconds_count{service=\"" + "x".repeat(500) + "\"}[1m]))";
        stubQueryRange(json(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"nope\"}"));

        MetricsException e = failure(new PrometheusHttpClient(connection()).queryRange(longQuery, START, END, STEP));

        assertThat(e.getMessage()).hasSizeLessThan(300).contains("…").endsWith("bad_data: nope");
    }

    @Test
    void credentialsAndHeadersAreSent() {
        answerWith(connection().withAuth(PrometheusConnection.Auth.basic("judge", "s3cr:t"))
                .withHeaders(Map.of("X-Scope-OrgID", "team-a")));
        server.verify(postRequestedFor(urlEqualTo("/api/v1/query_range"))
                .withHeader("Authorization", equalTo("Basic anVkZ2U6czNjcjp0"))
                .withHeader("X-Scope-OrgID", equalTo("team-a")));

        server.resetRequests();
        answerWith(connection().withAuth(PrometheusConnection.Auth.bearer("tok.en-1")));
        server.verify(postRequestedFor(urlEqualTo("/api/v1/query_range"))
                .withHeader("Authorization", equalTo("Bearer tok.en-1")));
    }

    private void answerWith(PrometheusConnection connection) {
        stubQueryRange(json(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}"));
        assertThat(new PrometheusHttpClient(connection).queryRange(QUERY, START, END, STEP).block(WAIT)).isEmpty();
    }

    @Test
    void baseUrlWithAPathPrefixKeepsIt() {
        server.stubFor(post("/prometheus/api/v1/query_range").willReturn(
                json(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}")));
        PrometheusHttpClient client = new PrometheusHttpClient(
                PrometheusConnection.of(URI.create(server.baseUrl() + "/prometheus/")));

        assertThat(client.queryRange(QUERY, START, END, STEP).block(WAIT)).isEmpty();
    }

    @Test
    void readyFollowsTheReadinessEndpointAndNeverErrors() throws IOException {
        server.stubFor(get("/-/ready").willReturn(aResponse().withStatus(200).withBody("Prometheus Server is Ready.")));
        assertThat(new PrometheusHttpClient(connection()).ready().block(WAIT)).isTrue();

        server.stubFor(get("/-/ready").willReturn(aResponse().withStatus(503).withBody("Service Unavailable")));
        assertThat(new PrometheusHttpClient(connection()).ready().block(WAIT)).isFalse();
        // readiness says why, for the service's health details
        assertThat(new PrometheusHttpClient(connection()).readiness().block(WAIT).detail())
                .isEqualTo("HTTP 503 from " + server.baseUrl() + "/-/ready");

        server.stubFor(get("/-/ready").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertThat(new PrometheusHttpClient(connection()).ready().block(WAIT)).isFalse();

        server.stubFor(get("/-/ready").willReturn(aResponse().withStatus(200).withFixedDelay(30_000)));
        StepVerifier.create(new PrometheusHttpClient(connection().withTimeout(Duration.ofMillis(300))).readiness())
                .expectNext(Readiness.down("no answer within 300 ms")).expectComplete().verify(WAIT);

        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Readiness refused = new PrometheusHttpClient(PrometheusConnection.of(URI.create("http://127.0.0.1:" + port)))
                .readiness().block(WAIT);
        assertThat(refused.ready()).isFalse();
        assertThat(refused.detail()).startsWith("cannot connect to http://127.0.0.1:" + port);
    }

    @Test
    void queryRangeReturnsTheSeriesOfTheResult() {
        stubQueryRange(json(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":"
                + "[{\"metric\":{\"pod\":\"a\"},\"values\":[[1795600800,\"7\"]]}]},\"warnings\":[\"w\"]}"));

        List<TimeSeries> series = new PrometheusHttpClient(connection()).queryRange(QUERY, START, END, STEP).block(WAIT);

        assertThat(series).containsExactly(new TimeSeries(Map.of("pod", "a"), new long[] {1795600800000L},
                new double[] {7}));
    }
}
