package io.canaryjudge.config;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Prometheus, for request counts and request metrics ({@code canary-judge.prometheus.*}). Unset
 * {@code url} = no Prometheus: cost per request only from {@code requests.csv} files, no metric gates.
 *
 * @param url     base URL, e.g. {@code http://prometheus.monitoring:9090}
 * @param timeout time allowed for one query
 */
@ConfigurationProperties("canary-judge.prometheus")
public record PrometheusProperties(URI url, @DefaultValue("3s") Duration timeout) {

    private static final String P = "canary-judge.prometheus.";

    public PrometheusProperties {
        if (url != null) {
            PropertyCheck.httpUrl(url, P + "url");
        }
        PropertyCheck.positive(timeout, P + "timeout");
    }

    public boolean enabled() {
        return url != null;
    }
}
