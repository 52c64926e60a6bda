package io.canaryjudge.config;

import io.canaryjudge.metrics.ManagementPath;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks of bound configuration properties, each failing with a message that names the property (as a
 * user writes it, e.g. {@code canary-judge.analysis.deadline}) and the value, so a bad setting stops
 * start-up with a line that says what to fix.
 */
final class PropertyCheck {
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private PropertyCheck() {
    }

    /**
     * The pods' management base path ({@link ManagementPath}: a plain path such as {@code /actuator}); unset
     * ({@code null}) is Spring Boot's default {@code /actuator}.
     */
    static ManagementPath managementPath(String value, String property) {
        try {
            return value == null ? ManagementPath.ACTUATOR : new ManagementPath(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + ": " + e.getMessage(), e);
        }
    }

    static Duration positive(Duration value, String property) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be a positive duration (e.g. 8s), was " + value);
        }
        return value;
    }

    static Duration notNegative(Duration value, String property) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(property + " must be a duration >= 0 (e.g. 2m), was " + value);
        }
        return value;
    }

    static int atLeast(int value, int min, String property) {
        if (value < min) {
            throw new IllegalArgumentException(property + " must be >= " + min + ", was " + value);
        }
        return value;
    }

    static double between(double value, double min, double max, String property) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(property + " must be in [" + min + ", " + max + "], was " + value);
        }
        return value;
    }

    /**
     * An http(s) URL with a host and nothing the clients refuse later (with a stack trace and a message naming no
     * property): no credentials (never echoed: the message goes to logs), no query, no fragment.
     */
    static URI httpUrl(URI url, String property) {
        String text = url.toString();
        int authority = text.indexOf("://");
        int pathStart = authority < 0 ? -1 : text.indexOf('/', authority + 3);
        String authorityText = authority < 0 ? "" : text.substring(authority + 3, pathStart < 0 ? text.length() : pathStart);
        if (url.getRawUserInfo() == null && authorityText.contains("@")) {
            // A password holding '@', '#', '?' or '/' unencoded: java.net.URI finds no user info and no host, and
            // the URL must not be echoed as it was given.
            String prefix = property.substring(0, property.lastIndexOf('.') + 1);
            String instead = property.endsWith(".url") ? "; set " + prefix + "username and " + prefix + "password, or "
                    + prefix + "bearer-token" : "";
            throw new IllegalArgumentException(property + " must not hold credentials (user:password@)" + instead
                    + ", was " + url.getScheme() + "://***@" + authorityText.substring(authorityText.lastIndexOf('@') + 1));
        }
        if (url.getRawUserInfo() != null) {
            // a source's URL (canary-judge.prometheus.url) has settings for its credentials beside it
            String prefix = property.substring(0, property.lastIndexOf('.') + 1);
            String instead = property.endsWith(".url") ? "; set " + prefix + "username and " + prefix + "password, or "
                    + prefix + "bearer-token" : "";
            throw new IllegalArgumentException(property + " must not hold credentials (user:password@)" + instead + ", was "
                    + url.getScheme() + "://***@" + url.getRawAuthority().substring(url.getRawAuthority().indexOf('@') + 1)
                    + (url.getRawPath() == null ? "" : url.getRawPath()));
        }
        String scheme = url.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException(property + " must be an http or https URL with a host, was \"" + url + "\"");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            // Not echoed whole: a query may carry a token (?token=...).
            throw new IllegalArgumentException(property + " must be a base URL without a query or fragment (a path"
                    + " prefix is fine), was \"" + url.getScheme() + "://" + url.getRawAuthority()
                    + (url.getRawPath() == null ? "" : url.getRawPath()) + "?…\"");
        }
        return url;
    }

    static String labelName(String value, String property) {
        if (value == null || !LABEL_NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(property + " must be a label name matching [a-zA-Z_][a-zA-Z0-9_]*, was \""
                    + value + "\"");
        }
        return value;
    }

    /** Label names of a map of templates, e.g. {@code canary-judge.flagger.baseline-labels.app}. */
    static Map<String, String> labelTemplates(Map<String, String> templates, String property) {
        for (Map.Entry<String, String> entry : templates.entrySet()) {
            labelName(entry.getKey(), property + "." + entry.getKey());
            SelectorTemplate.check(entry.getValue(), property + "." + entry.getKey());
        }
        return Map.copyOf(templates);
    }
}
