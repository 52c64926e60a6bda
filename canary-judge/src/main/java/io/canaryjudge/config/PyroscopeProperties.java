package io.canaryjudge.config;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.source.pyroscope.PyroscopeConnection;
import io.canaryjudge.profile.source.pyroscope.PyroscopeProfileTypes;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
 * @param producer          what writes the profiles, naming the profile type IDs fetched for each type:
 *                          {@code java-agent} (async-profiler through the Pyroscope Java agent), {@code jdk} (the
 *                          JDK's Flight Recorder: allocations from {@code ObjectAllocationSample}), {@code go}
 *                          (Pyroscope's Go SDK: Go's heap, mutex and block profiles)
 * @param profileTypeIds    per profile type ({@code alloc_bytes}), the IDs to fetch and sum instead of the producer's;
 *                          empty = the producer's
 * @param typesHeldWait     longest wait for which profile types the pods hold, asked when a request names none (a Node
 *                          service's cpu and wall); a late answer keeps the defaults
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
        @DefaultValue("2") int concurrency,
        @DefaultValue("java-agent") String producer,
        Map<String, List<String>> profileTypeIds,
        @DefaultValue("1s") Duration typesHeldWait) {

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
        typesHeldWait = typesHeldWait == null ? Duration.ofSeconds(1) : typesHeldWait;
        PropertyCheck.positive(typesHeldWait, P + "types-held-wait");
        if (concurrency > 256) {
            throw new IllegalArgumentException(P + "concurrency must be <= 256, was " + concurrency);
        }
        producer = producer == null ? "java-agent" : producer.strip();
        profileTypeIds = profileTypeIds == null ? Map.of() : Map.copyOf(profileTypeIds);
        profileTypeIds(producer, profileTypeIds); // refused here, naming the property, rather than at the first fetch
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
                maxNodes, seriesStep, firstSeenLookback).withProfileTypeIds(fetchedTypeIds());
    }

    /** The Pyroscope profile type IDs fetched for each profile type: the producer's, with the overrides. */
    public Map<ProfileType, List<String>> fetchedTypeIds() {
        return profileTypeIds(producer, profileTypeIds);
    }

    private static Map<ProfileType, List<String>> profileTypeIds(String producer, Map<String, List<String>> overrides) {
        Map<ProfileType, List<String>> ids;
        try {
            ids = new EnumMap<>(PyroscopeProfileTypes.producer(producer));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(P + "producer: " + e.getMessage(), e);
        }
        for (Map.Entry<String, List<String>> override : overrides.entrySet()) {
            ProfileType type;
            try {
                type = ProfileType.fromId(override.getKey());
            } catch (IllegalArgumentException e) {
                type = null;
            }
            if (type == null) {
                throw new IllegalArgumentException(P + "profile-type-ids: \"" + override.getKey() + "\" is not a "
                        + "profile type; known: " + Arrays.stream(ProfileType.values()).map(ProfileType::id).toList());
            }
            ids.put(type, override.getValue() == null ? List.of() : List.copyOf(override.getValue()));
        }
        try {
            return PyroscopeProfileTypes.check(ids);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(P + e.getMessage().replace("pyroscope profileTypeIds.",
                    "profile-type-ids."), e);
        }
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
                + firstSeenLookback + ", concurrency=" + concurrency + ", producer=" + producer + ", profileTypeIds="
                + profileTypeIds + ", typesHeldWait=" + typesHeldWait + "]";
    }
}
