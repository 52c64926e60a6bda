package io.canaryjudge.config;

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
 * @param applicationLabel the label a request's {@code application} is matched against
 */
@ConfigurationProperties("canary-judge.pyroscope")
public record PyroscopeProperties(
        URI url,
        @DefaultValue("") String tenant,
        @DefaultValue("") String username,
        @DefaultValue("") String password,
        @DefaultValue("") String bearerToken,
        @DefaultValue("3s") Duration timeout,
        @DefaultValue("service_name") String applicationLabel) {

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
                + applicationLabel + "]";
    }
}
