package io.canaryjudge.metrics;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where and how to reach one Prometheus (or a server with its HTTP API: Thanos, Mimir, VictoriaMetrics).
 * The constructor rejects anything that would fail later or leak a secret, naming the bad field.
 *
 * @param baseUrl          {@code http} or {@code https} URL the API paths are appended to, e.g.
 *                         {@code http://prometheus.monitoring:9090} or {@code https://mimir/prometheus}; no
 *                         query, fragment or user info (credentials go in {@code auth})
 * @param timeout          the whole of one request — connect, send, wait, read the body — at most this long
 *                         (1 ms .. 10 min); there are no retries here, the caller decides on those
 * @param auth             credentials sent as {@code Authorization}
 * @param headers          extra request headers, e.g. {@code X-Scope-OrgID} for a multi-tenant Mimir
 * @param maxResponseBytes largest response body read, bytes (1 KiB .. 256 MiB); a larger one is a
 *                         {@link MetricsException.Kind#BAD_RESPONSE}, never an out-of-memory error
 */
public record PrometheusConnection(URI baseUrl, Duration timeout, Auth auth, Map<String, String> headers,
                                   int maxResponseBytes) {

    /** Long enough for a range query over a few pods and an hour, short enough for Argo's 10 s default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** 16 MiB: about 400,000 points (one point is ~40 bytes of JSON). */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 16 << 20;

    static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);
    static final int MIN_RESPONSE_BYTES = 1 << 10;
    static final int MAX_RESPONSE_BYTES = 256 << 20;

    /** RFC 9110 token characters. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Headers this client sets itself. */
    private static final Set<String> RESERVED_HEADERS =
            Set.of("authorization", "content-type", "content-length", "host", "transfer-encoding");

    public PrometheusConnection {
        Objects.requireNonNull(baseUrl, "baseUrl");
        checkBaseUrl(baseUrl);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("prometheus timeout must be between 1ms and 10m, was " + timeout);
        }
        Objects.requireNonNull(auth, "auth (use Auth.none())");
        headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
        for (Map.Entry<String, String> header : headers.entrySet()) {
            checkHeader(header.getKey(), header.getValue());
        }
        if (maxResponseBytes < MIN_RESPONSE_BYTES || maxResponseBytes > MAX_RESPONSE_BYTES) {
            throw new IllegalArgumentException("prometheus maxResponseBytes must be between " + MIN_RESPONSE_BYTES
                    + " and " + MAX_RESPONSE_BYTES + ", was " + maxResponseBytes);
        }
    }

    /** No credentials, no extra headers, {@link #DEFAULT_TIMEOUT}, {@link #DEFAULT_MAX_RESPONSE_BYTES}. */
    public static PrometheusConnection of(URI baseUrl) {
        return new PrometheusConnection(baseUrl, DEFAULT_TIMEOUT, Auth.none(), Map.of(), DEFAULT_MAX_RESPONSE_BYTES);
    }

    public PrometheusConnection withTimeout(Duration newTimeout) {
        return new PrometheusConnection(baseUrl, newTimeout, auth, headers, maxResponseBytes);
    }

    public PrometheusConnection withAuth(Auth newAuth) {
        return new PrometheusConnection(baseUrl, timeout, newAuth, headers, maxResponseBytes);
    }

    public PrometheusConnection withHeaders(Map<String, String> newHeaders) {
        return new PrometheusConnection(baseUrl, timeout, auth, newHeaders, maxResponseBytes);
    }

    public PrometheusConnection withMaxResponseBytes(int newMaxResponseBytes) {
        return new PrometheusConnection(baseUrl, timeout, auth, headers, newMaxResponseBytes);
    }

    /** {@code baseUrl} + {@code path} with exactly one slash between them. */
    URI resolve(String path) {
        String base = baseUrl.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + path);
    }

    private static void checkBaseUrl(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("prometheus baseUrl \"" + url + "\" must be an http or https URL");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException("prometheus baseUrl \"" + url + "\" has no host");
        }
        if (url.getRawUserInfo() != null) {
            // Never echo the URL here: it holds the secret.
            throw new IllegalArgumentException("prometheus baseUrl must not hold credentials; use basic or bearer auth");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException("prometheus baseUrl \"" + url + "\" must not have a query or fragment");
        }
    }

    private static void checkHeader(String name, String value) {
        if (name == null || !HEADER_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("prometheus header name \"" + name + "\" is not an HTTP token");
        }
        if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("prometheus header \"" + name
                    + "\" is set by the client itself (credentials go in auth)");
        }
        if (value == null || value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
            throw new IllegalArgumentException("prometheus header \"" + name
                    + "\" has no value or a control character (line break) in it");
        }
    }

    /** Credentials for the {@code Authorization} header; {@code toString} never shows a secret. */
    public sealed interface Auth permits None, Basic, Bearer {
        static Auth none() {
            return None.INSTANCE;
        }

        static Auth basic(String username, String password) {
            return new Basic(username, password);
        }

        static Auth bearer(String token) {
            return new Bearer(token);
        }
    }

    /** No {@code Authorization} header. */
    public enum None implements Auth {
        INSTANCE
    }

    /** RFC 7617 Basic: user name without a colon, any password (sent UTF-8). */
    public record Basic(String username, String password) implements Auth {
        public Basic {
            if (username == null || username.isEmpty() || username.indexOf(':') >= 0) {
                throw new IllegalArgumentException("prometheus basic auth username must be non-empty and have no ':'");
            }
            Objects.requireNonNull(password, "prometheus basic auth password");
            if (hasLineBreak(username) || hasLineBreak(password)) {
                throw new IllegalArgumentException("prometheus basic auth credentials must not contain line breaks");
            }
        }

        @Override
        public String toString() {
            return "Basic[username=" + username + ", password=***]";
        }
    }

    /** RFC 6750 Bearer token. */
    public record Bearer(String token) implements Auth {
        public Bearer {
            if (token == null || token.isBlank() || token.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException("prometheus bearer token must be non-empty without spaces or line breaks");
            }
        }

        @Override
        public String toString() {
            return "Bearer[***]";
        }
    }

    private static boolean hasLineBreak(String text) {
        return text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
    }
}
