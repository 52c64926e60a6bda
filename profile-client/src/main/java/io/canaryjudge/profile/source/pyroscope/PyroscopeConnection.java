package io.canaryjudge.profile.source.pyroscope;

import io.canaryjudge.profile.ProfileType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How to reach one Grafana Pyroscope and how its data is labelled: validated on construction, so a
 * bad setting fails at start-up with a message naming it, never at the first analysis.
 * {@link #to(URI)} gives the defaults; the {@code with*} methods change one setting each.
 *
 * @param url               base URL of Pyroscope's HTTP API, e.g. {@code http://pyroscope.observability:4040}; a
 *                          path prefix (a gateway's {@code /pyroscope}) is kept, a trailing slash dropped
 * @param tenant            sent as {@code X-Scope-OrgID} (multi-tenant Pyroscope, Grafana Cloud); null for none
 * @param auth              {@link Auth.None}, {@link Auth.Basic} or {@link Auth.Bearer}
 * @param headers           further request headers (e.g. a gateway's), not ones this client sets itself
 * @param timeout           the most one HTTP request may take, connection included
 * @param maxResponseBytes  the most bytes one answer may have after decompression; larger answers are
 *                          refused as {@code BAD_RESPONSE} while they stream in, never buffered whole
 * @param applicationLabel  the label a selector's application is matched against (default {@code service_name})
 * @param instanceLabel     the label that names one JVM (default {@code pod})
 * @param profileTypeIds    Pyroscope profile type IDs per profile type; several IDs are merged into one
 *                          profile (see {@link PyroscopeProfileTypes})
 * @param maxNodes          {@code maxNodes} sent with {@code SelectMergeProfile}; 0 sends none. Pyroscope
 *                          does not truncate {@code SelectMergeProfile} by default (absent or 0 = the full
 *                          profile), unless a tenant sets {@code max_flamegraph_nodes_on_select_merge_profile}:
 *                          then absent means its default (8192 nodes) and a larger request must stay within
 *                          {@code max_flamegraph_nodes_max} (1048576 by default), so such tenants set this to
 *                          that maximum. A truncated answer is flagged either way
 * @param seriesStep        resolution of instance discovery ({@code SelectSeries} step): when a pod was first
 *                          seen is known to within one step (default 10 s, the Java agent's upload period)
 * @param firstSeenLookback how far before a window discovery looks for an instance's first profile, so that a
 *                          pod started shortly before the window is still known to be young (default 15 min);
 *                          an older pod is reported as first seen at the start of the lookback
 */
public record PyroscopeConnection(URI url, String tenant, Auth auth, Map<String, String> headers, Duration timeout,
                                  long maxResponseBytes, String applicationLabel, String instanceLabel,
                                  Map<ProfileType, List<String>> profileTypeIds, long maxNodes, Duration seriesStep,
                                  Duration firstSeenLookback) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(8);
    /** 32 MiB: a merged minute of a large service's CPU profile is a few MiB. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 32L << 20;
    public static final String DEFAULT_APPLICATION_LABEL = "service_name";
    public static final String DEFAULT_INSTANCE_LABEL = "pod";
    public static final Duration DEFAULT_SERIES_STEP = Duration.ofSeconds(10);
    public static final Duration DEFAULT_FIRST_SEEN_LOOKBACK = Duration.ofMinutes(15);
    /** The most one Java array (one buffered answer) can hold. */
    static final long MAX_BUFFER_BYTES = Integer.MAX_VALUE - 8;

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /** Cortex/Mimir/Pyroscope tenant IDs: these characters, at most 150 of them; {@code |} joins several. */
    private static final Pattern TENANT = Pattern.compile("[a-zA-Z0-9!\\-_.*'()|]{1,150}");
    /** RFC 9110 token. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9a-zA-Z]+");
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-type", "content-length",
            "accept", "accept-encoding", "content-encoding", "transfer-encoding", "connection",
            "connect-protocol-version", "connect-timeout-ms");

    public PyroscopeConnection {
        url = checkUrl(url);
        if (tenant != null && !TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("pyroscope tenant \"" + printable(tenant) + "\" must be 1 to 150 of "
                    + "[a-zA-Z0-9!-_.*'()] (several joined by |)");
        }
        Objects.requireNonNull(auth, "pyroscope auth must not be null (use Auth.None)");
        headers = checkHeaders(headers, tenant, auth);
        Objects.requireNonNull(timeout, "pyroscope timeout");
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("pyroscope timeout must be > 0 and <= 10 minutes, was " + timeout);
        }
        if (maxResponseBytes < 1024 || maxResponseBytes > MAX_BUFFER_BYTES) {
            throw new IllegalArgumentException("pyroscope maxResponseBytes must be between 1024 and " + MAX_BUFFER_BYTES
                    + ", was " + maxResponseBytes);
        }
        checkLabelName("applicationLabel", applicationLabel);
        checkLabelName("instanceLabel", instanceLabel);
        if (applicationLabel.equals(instanceLabel)) {
            throw new IllegalArgumentException("pyroscope applicationLabel and instanceLabel must differ, both are \""
                    + applicationLabel + "\"");
        }
        profileTypeIds = PyroscopeProfileTypes.check(profileTypeIds);
        if (maxNodes < 0) {
            throw new IllegalArgumentException("pyroscope maxNodes must be >= 0 (0 = send none), was " + maxNodes);
        }
        Objects.requireNonNull(seriesStep, "pyroscope seriesStep");
        if (seriesStep.compareTo(Duration.ofSeconds(1)) < 0 || seriesStep.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("pyroscope seriesStep must be between 1 s and 1 h, was " + seriesStep);
        }
        Objects.requireNonNull(firstSeenLookback, "pyroscope firstSeenLookback");
        if (firstSeenLookback.isNegative() || firstSeenLookback.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("pyroscope firstSeenLookback must be between 0 and 7 days, was "
                    + firstSeenLookback);
        }
    }

    /** A connection to {@code url} with every default: no tenant, no auth, the Java agent's profile types. */
    public static PyroscopeConnection to(URI url) {
        return new PyroscopeConnection(url, null, new Auth.None(), Map.of(), DEFAULT_TIMEOUT,
                DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_APPLICATION_LABEL, DEFAULT_INSTANCE_LABEL,
                PyroscopeProfileTypes.javaAgent(), 0, DEFAULT_SERIES_STEP, DEFAULT_FIRST_SEEN_LOOKBACK);
    }

    public PyroscopeConnection withTenant(String newTenant) {
        return new PyroscopeConnection(url, newTenant, auth, headers, timeout, maxResponseBytes, applicationLabel,
                instanceLabel, profileTypeIds, maxNodes, seriesStep, firstSeenLookback);
    }

    public PyroscopeConnection withAuth(Auth newAuth) {
        return new PyroscopeConnection(url, tenant, newAuth, headers, timeout, maxResponseBytes, applicationLabel,
                instanceLabel, profileTypeIds, maxNodes, seriesStep, firstSeenLookback);
    }

    public PyroscopeConnection withHeaders(Map<String, String> newHeaders) {
        return new PyroscopeConnection(url, tenant, auth, newHeaders, timeout, maxResponseBytes, applicationLabel,
                instanceLabel, profileTypeIds, maxNodes, seriesStep, firstSeenLookback);
    }

    public PyroscopeConnection withTimeout(Duration newTimeout) {
        return new PyroscopeConnection(url, tenant, auth, headers, newTimeout, maxResponseBytes, applicationLabel,
                instanceLabel, profileTypeIds, maxNodes, seriesStep, firstSeenLookback);
    }

    public PyroscopeConnection withMaxResponseBytes(long bytes) {
        return new PyroscopeConnection(url, tenant, auth, headers, timeout, bytes, applicationLabel,
                instanceLabel, profileTypeIds, maxNodes, seriesStep, firstSeenLookback);
    }

    public PyroscopeConnection withLabels(String newApplicationLabel, String newInstanceLabel) {
        return new PyroscopeConnection(url, tenant, auth, headers, timeout, maxResponseBytes, newApplicationLabel,
                newInstanceLabel, profileTypeIds, maxNodes, seriesStep, firstSeenLookback);
    }

    /** The same connection with {@code ids} for {@code type} (the other types keep theirs). */
    public PyroscopeConnection withProfileTypeIds(ProfileType type, List<String> ids) {
        Map<ProfileType, List<String>> changed = new LinkedHashMap<>(profileTypeIds);
        changed.put(type, ids);
        return withProfileTypeIds(changed);
    }

    public PyroscopeConnection withProfileTypeIds(Map<ProfileType, List<String>> newIds) {
        return new PyroscopeConnection(url, tenant, auth, headers, timeout, maxResponseBytes, applicationLabel,
                instanceLabel, newIds, maxNodes, seriesStep, firstSeenLookback);
    }

    public PyroscopeConnection withMaxNodes(long newMaxNodes) {
        return new PyroscopeConnection(url, tenant, auth, headers, timeout, maxResponseBytes, applicationLabel,
                instanceLabel, profileTypeIds, newMaxNodes, seriesStep, firstSeenLookback);
    }

    public PyroscopeConnection withDiscovery(Duration newSeriesStep, Duration newFirstSeenLookback) {
        return new PyroscopeConnection(url, tenant, auth, headers, timeout, maxResponseBytes, applicationLabel,
                instanceLabel, profileTypeIds, maxNodes, newSeriesStep, newFirstSeenLookback);
    }

    /** Secrets stay out of logs and messages. */
    @Override
    public String toString() {
        return "PyroscopeConnection[url=" + url + ", tenant=" + tenant + ", auth=" + auth + ", headers="
                + headers.keySet() + ", timeout=" + timeout + ", maxResponseBytes=" + maxResponseBytes
                + ", applicationLabel=" + applicationLabel + ", instanceLabel=" + instanceLabel
                + ", profileTypeIds=" + profileTypeIds + ", maxNodes=" + maxNodes + ", seriesStep=" + seriesStep
                + ", firstSeenLookback=" + firstSeenLookback + "]";
    }

    /** How requests authenticate; Pyroscope itself has none, a gateway in front of it (or Grafana Cloud) does. */
    public sealed interface Auth {
        /** The {@code Authorization} header value, or null for none. */
        String authorization();

        /** No {@code Authorization} header. */
        record None() implements Auth {
            @Override
            public String authorization() {
                return null;
            }
        }

        /**
         * HTTP Basic (RFC 7617), UTF-8; Grafana Cloud's user is the stack's numeric ID, the password a token.
         *
         * @param username must not contain {@code :}
         */
        record Basic(String username, String password) implements Auth {
            public Basic {
                Objects.requireNonNull(username, "pyroscope basic auth username");
                Objects.requireNonNull(password, "pyroscope basic auth password");
                if (username.isEmpty() || username.indexOf(':') >= 0 || hasControl(username) || hasControl(password)) {
                    throw new IllegalArgumentException("pyroscope basic auth username must be non-empty without ':', "
                            + "and neither username nor password may hold control characters");
                }
            }

            @Override
            public String authorization() {
                return "Basic " + Base64.getEncoder().encodeToString(
                        (username + ":" + password).getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public String toString() {
                return "Basic[username=" + username + ", password=***]";
            }
        }

        /** A bearer token (RFC 6750), e.g. an OAuth access token a gateway checks. */
        record Bearer(String token) implements Auth {
            public Bearer {
                Objects.requireNonNull(token, "pyroscope bearer token");
                if (token.isBlank() || hasControl(token) || token.indexOf(' ') >= 0) {
                    throw new IllegalArgumentException("pyroscope bearer token must be non-blank, without spaces or "
                            + "control characters");
                }
            }

            @Override
            public String authorization() {
                return "Bearer " + token;
            }

            @Override
            public String toString() {
                return "Bearer[token=***]";
            }
        }
    }

    private static URI checkUrl(URI url) {
        Objects.requireNonNull(url, "pyroscope url");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new IllegalArgumentException("pyroscope url \"" + url + "\" must be an absolute http(s) URL with a host");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null || url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("pyroscope url \"" + url + "\" must not have a query, fragment or "
                    + "user info (give credentials as auth)");
        }
        String text = url.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text);
    }

    private static Map<String, String> checkHeaders(Map<String, String> headers, String tenant, Auth auth) {
        Objects.requireNonNull(headers, "pyroscope headers (use an empty map)");
        Map<String, String> checked = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, value) -> {
            if (name == null || !HEADER_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("pyroscope header name \"" + printable(String.valueOf(name))
                        + "\" is not a valid HTTP header name");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (RESERVED_HEADERS.contains(lower)
                    || lower.equals("authorization") && !(auth instanceof Auth.None)
                    || lower.equals("x-scope-orgid") && tenant != null) {
                throw new IllegalArgumentException("pyroscope header \"" + name + "\" is set by the client itself"
                        + " (tenant and auth have their own settings)");
            }
            if (value == null || hasControl(value)) {
                throw new IllegalArgumentException("pyroscope header \"" + name + "\" must have a value without "
                        + "control characters");
            }
            if (checked.put(name, value) != null) {
                throw new IllegalArgumentException("pyroscope header \"" + name + "\" is given twice");
            }
        });
        return Collections.unmodifiableMap(new LinkedHashMap<>(checked));
    }

    private static void checkLabelName(String setting, String name) {
        if (name == null || !LABEL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("pyroscope " + setting + " \"" + printable(String.valueOf(name))
                    + "\" must match [a-zA-Z_][a-zA-Z0-9_]*");
        }
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7F) {
                return true;
            }
        }
        return false;
    }

    /** For messages: control characters shown escaped, at most 80 characters. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && out.length() < 80; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c == 0x7F ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return s.length() > 80 ? out + "..." : out.toString();
    }
}
