package io.canaryjudge.metrics;

import java.util.regex.Pattern;

/**
 * Where the pods serve their management endpoints (Spring Boot's {@code management.endpoints.web.base-path},
 * {@code /actuator} by default): the default request queries leave the requests under it out. Prometheus scrapes
 * ({@code /actuator/prometheus}) and kubelet probes ({@code /actuator/health/*}) come at a fixed rate per pod, not with
 * the traffic weight, so counted as requests they would give a canary at a lower weight a far larger share of them: a
 * request mix that always "differs", and a cost per request and load read over more requests than its traffic sent.
 *
 * @param path one or more {@code /}-separated segments of letters, digits, {@code - _ ~ .}, no trailing {@code /}
 *             (e.g. {@code /actuator}, {@code /manage}, {@code /internal/admin}); the root {@code /} is refused: the
 *             management endpoints would then share the application's routes and no path filter can tell them apart
 * @throws IllegalArgumentException naming the problem
 */
public record ManagementPath(String path) {

    /** Characters that are literal both in an RE2 regular expression and in a PromQL string, except {@code .}. */
    private static final Pattern SEGMENTS = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

    /** Spring Boot's default base path (declared after {@link #SEGMENTS}, which its check reads). */
    public static final ManagementPath ACTUATOR = new ManagementPath("/actuator");

    public ManagementPath {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("is empty; Spring Boot's default is /actuator");
        }
        path = path.strip();
        if (path.equals("/")) {
            throw new IllegalArgumentException("\"/\": management endpoints at the root share the application's"
                    + " routes, so no path filter can leave them out; keep a base path of their own, or set the"
                    + " request queries (queries.*) with a filter naming them");
        }
        if (!SEGMENTS.matcher(path).matches()) {
            throw new IllegalArgumentException("\"" + path + "\" is not a base path such as /actuator or"
                    + " /internal/manage: a leading /, then segments of letters, digits, '-', '_', '~', '.' separated"
                    + " by single /, no trailing /");
        }
        for (String segment : path.substring(1).split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("\"" + path + "\" has a \"" + segment + "\" segment");
            }
        }
    }

    /**
     * The RE2 expression for this path and every route under it ({@code /actuator}, {@code /actuator/health/{*path}},
     * not {@code /actuatorx}), as written inside a PromQL double-quoted string: a dot is {@code \\.} there (the
     * string's escape gives the regular expression's {@code \.}).
     */
    public String promqlRegex() {
        return path.replace(".", "\\\\.") + "(/.*)?";
    }
}
