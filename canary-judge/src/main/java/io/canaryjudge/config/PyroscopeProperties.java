package io.canaryjudge.config;

import io.canaryjudge.profile.source.pyroscope.PyroscopeConnection;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Grafana Pyroscope, the profile store ({@code canary-judge.pyroscope.*}). Unset {@code url} = no
 * Pyroscope: the service judges uploads and the local directory ({@code canary-judge.local.directory}).
 *
 * @param url              base URL, e.g. {@code http://pyroscope.observability:4040}
 * @param tenant           sent as {@code X-Scope-OrgID} (multi-tenant Pyroscope); empty = none
 * @param username         Basic authentication user (with {@code password}); empty = none
 * @param password         Basic authentication password
 * @param bearerToken      Bearer token (instead of Basic); empty = none
 * @param timeout          time allowed for one request
 * @param applicationLabel  the label a request's {@code application} is matched against
 * @param maxNodes          {@code maxNodes} sent with each profile request; 0 (default) sends none: Pyroscope then
 *                          answers full profiles, unless a tenant limit truncates them (set it to that limit's
 *                          maximum, {@code max_flamegraph_nodes_max}); truncated answers are flagged in verdicts
 * @param seriesStep        resolution of pod discovery: when a pod was first seen is known to within this
 * @param firstSeenLookback how far before a window pod discovery looks for a pod's first profile (warm-up of pods
 *                          started shortly before the window)
 * @param concurrency       requests in flight while one pod's slices are fetched; with
 *                          {@code canary-judge.analysis.fetch-concurrency} pods at once, an analysis has at most their
 *                          product in flight
 */
@ConfigurationProperties("canary-judge.pyroscope")
public record PyroscopeProperties(
        URI url,
        @DefaultValue("") String tenant,
        @DefaultValue("") String username,
        @DefaultValue("") String password,
        @DefaultValue("") String bearerToken,
        @DefaultValue("3s") Duration timeout,
        @DefaultValue("service_name") String applicationLabel,
        @DefaultValue("0") long maxNodes,
        @DefaultValue("10s") Duration seriesStep,
        @DefaultValue("15m") Duration firstSeenLookback,
        @DefaultValue("2") int concurrency) {

    private static final String P = "canary-judge.pyroscope.";

    public PyroscopeProperties {
        if (url != null) {
            PropertyCheck.httpUrl(url, P + "url");
        }
        tenant = tenant == null ? "" : tenant;
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        bearerToken = bearerToken == null ? "" : bearerToken;
        if (!bearerToken.isEmpty() && !username.isEmpty()) {
            throw new IllegalArgumentException(P + "bearer-token and " + P + "username are both set; use one of"
                    + " Bearer or Basic authentication");
        }
        if (username.isEmpty() && !password.isEmpty()) {
            throw new IllegalArgumentException(P + "password is set without " + P + "username");
        }
        PropertyCheck.positive(timeout, P + "timeout");
        PropertyCheck.labelName(applicationLabel, P + "application-label");
        if (maxNodes < 0) {
            throw new IllegalArgumentException(P + "max-nodes must be >= 0, was " + maxNodes);
        }
        PropertyCheck.positive(seriesStep, P + "series-step");
        PropertyCheck.notNegative(firstSeenLookback, P + "first-seen-lookback");
        PropertyCheck.atLeast(concurrency, 1, P + "concurrency");
        if (concurrency > 256) {
            throw new IllegalArgumentException(P + "concurrency must be <= 256, was " + concurrency);
        }
        if (url != null) {
            // The client checks the rest (tenant syntax, credentials, limits); say which settings it was about.
            try {
                connection(url, tenant, username, password, bearerToken, timeout, applicationLabel,
                        PyroscopeConnection.DEFAULT_INSTANCE_LABEL, maxNodes, seriesStep, firstSeenLookback);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("canary-judge.pyroscope: " + e.getMessage(), e);
            }
        }
    }

    /** How the Pyroscope client connects, with {@code instanceLabel} naming pods. */
    public PyroscopeConnection connection(String instanceLabel) {
        return connection(url, tenant, username, password, bearerToken, timeout, applicationLabel, instanceLabel,
                maxNodes, seriesStep, firstSeenLookback);
    }

    private static PyroscopeConnection connection(URI url, String tenant, String username, String password,
                                                  String bearerToken, Duration timeout, String applicationLabel,
                                                  String instanceLabel, long maxNodes, Duration seriesStep,
                                                  Duration firstSeenLookback) {
        PyroscopeConnection connection = PyroscopeConnection.to(url).withTimeout(timeout)
                .withLabels(applicationLabel, instanceLabel).withMaxNodes(maxNodes)
                .withDiscovery(seriesStep, firstSeenLookback);
        if (!tenant.isEmpty()) {
            connection = connection.withTenant(tenant);
        }
        if (!username.isEmpty()) {
            connection = connection.withAuth(new PyroscopeConnection.Auth.Basic(username, password));
        } else if (!bearerToken.isEmpty()) {
            connection = connection.withAuth(new PyroscopeConnection.Auth.Bearer(bearerToken));
        }
        return connection;
    }

    /** Whether a Pyroscope server is configured. */
    public boolean enabled() {
        return url != null;
    }

    @Override
    public String toString() {
        // Never print credentials (this record ends up in logs and failure messages).
        return "PyroscopeProperties[url=" + url + ", tenant=" + tenant + ", username=" + username
                + ", password=" + (password.isEmpty() ? "" : "***") + ", bearerToken="
                + (bearerToken.isEmpty() ? "" : "***") + ", timeout=" + timeout + ", applicationLabel="
                + applicationLabel + ", maxNodes=" + maxNodes + ", seriesStep=" + seriesStep + ", firstSeenLookback="
                + firstSeenLookback + ", concurrency=" + concurrency + "]";
    }
}
