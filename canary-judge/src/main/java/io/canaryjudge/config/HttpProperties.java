package io.canaryjudge.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long the HTTP server waits for a request to arrive ({@code canary-judge.http.*}). Without a bound, a client
 * that opens a request and stops sending (or sends a byte now and then) holds its connection forever — and an
 * upload holds one of the {@code canary-judge.analysis.max-concurrent} analysis slots while its body is received, so
 * a handful of such clients would make every rollout's analysis wait or be refused. Past either bound the request
 * is answered 408 and its connection closed (Reactor Netty closes at the request timeout without waiting for the 408
 * to be written, so a client may see only the close). A connection without a request is
 * bounded by Spring Boot's {@code server.netty.idle-timeout}.
 *
 * @param readTimeout    the longest pause while a request's body is received
 * @param requestTimeout the longest a request's body may take to arrive whole (an upload of the 128 MB
 *                       {@code canary-judge.upload.max-total-size} needs some 2 MB/s)
 */
@ConfigurationProperties("canary-judge.http")
public record HttpProperties(@DefaultValue("15s") Duration readTimeout, @DefaultValue("60s") Duration requestTimeout) {
    private static final String P = "canary-judge.http.";

    public HttpProperties {
        PropertyCheck.positive(readTimeout, P + "read-timeout");
        PropertyCheck.positive(requestTimeout, P + "request-timeout");
    }
}
