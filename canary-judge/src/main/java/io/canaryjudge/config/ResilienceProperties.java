package io.canaryjudge.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How calls to each source (Pyroscope, Prometheus, the local directory) are guarded
 * ({@code canary-judge.resilience.*}): bounded retries of idempotent reads with exponential backoff
 * (only failures that may pass: connection refused or reset, 5xx, 429, timeouts; never past the analysis
 * deadline) and a circuit breaker per source (when it opens, calls fail at once and the verdict says
 * "SOURCE: unavailable (circuit open after N of the last M calls failed, the last: …)").
 *
 * @param attempts           tries per read, the first included (1 = no retry)
 * @param backoff            wait before the first retry; doubled (see multiplier) for each further one
 * @param backoffMultiplier  growth of the wait between retries
 * @param failureRate        percentage of failed calls among the last {@code window} that opens the circuit
 * @param window             calls the failure rate is computed over
 * @param minimumCalls       calls needed before the failure rate counts
 * @param openFor            how long an open circuit fails calls before trying again
 * @param maxConcurrentCalls calls to one source in flight at once, over all analyses; further calls wait for a
 *                           turn (a Pyroscope call fetches a pod's slices with {@code pyroscope.concurrency} requests)
 */
@ConfigurationProperties("canary-judge.resilience")
public record ResilienceProperties(@DefaultValue("3") int attempts, @DefaultValue("200ms") Duration backoff,
                                   @DefaultValue("2.0") double backoffMultiplier,
                                   @DefaultValue("50") int failureRate, @DefaultValue("20") int window,
                                   @DefaultValue("10") int minimumCalls, @DefaultValue("30s") Duration openFor,
                                   @DefaultValue("8") int maxConcurrentCalls) {

    private static final String P = "canary-judge.resilience.";

    public ResilienceProperties {
        PropertyCheck.atLeast(attempts, 1, P + "attempts");
        PropertyCheck.positive(backoff, P + "backoff");
        PropertyCheck.between(backoffMultiplier, 1.0, 10.0, P + "backoff-multiplier");
        PropertyCheck.between(failureRate, 1, 100, P + "failure-rate");
        PropertyCheck.atLeast(window, 1, P + "window");
        PropertyCheck.atLeast(minimumCalls, 1, P + "minimum-calls");
        PropertyCheck.positive(openFor, P + "open-for");
        PropertyCheck.atLeast(maxConcurrentCalls, 1, P + "max-concurrent-calls");
    }

    public static ResilienceProperties defaults() {
        return new ResilienceProperties(3, Duration.ofMillis(200), 2.0, 50, 20, 10, Duration.ofSeconds(30), 8);
    }
}
