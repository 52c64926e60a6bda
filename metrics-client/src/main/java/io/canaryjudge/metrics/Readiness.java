package io.canaryjudge.metrics;

/**
 * Whether Prometheus is ready, and why not: shown in the service's readiness so an operator sees the cause
 * ({@code cannot connect to …}, {@code HTTP 503 from /-/ready}, a time-out) without reading logs.
 *
 * @param ready  whether it answered its readiness endpoint with 2xx
 * @param detail one line: what answered, or why it is not ready
 */
public record Readiness(boolean ready, String detail) {
    public static Readiness up(String detail) {
        return new Readiness(true, detail);
    }

    public static Readiness down(String detail) {
        return new Readiness(false, detail);
    }
}
