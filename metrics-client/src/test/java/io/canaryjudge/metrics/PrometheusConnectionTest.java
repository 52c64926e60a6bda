package io.canaryjudge.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canaryjudge.metrics.PrometheusConnection.Auth;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusConnectionTest {
    private static final PrometheusConnection LOCAL = PrometheusConnection.of(URI.create("http://127.0.0.1:9090"));

    @Test
    void badValuesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> PrometheusConnection.of(URI.create("ftp://prometheus:9090")))
                .hasMessage("prometheus baseUrl \"ftp://prometheus:9090\" must be an http or https URL");
        assertThatThrownBy(() -> PrometheusConnection.of(URI.create("prometheus:9090")))
                .hasMessageContaining("must be an http or https URL");
        assertThatThrownBy(() -> PrometheusConnection.of(URI.create("http://prometheus:9090/?x=1")))
                .hasMessageContaining("must not have a query or fragment");
        assertThatThrownBy(() -> LOCAL.withTimeout(Duration.ZERO))
                .hasMessage("prometheus timeout must be between 1ms and 10m, was PT0S");
        assertThatThrownBy(() -> LOCAL.withMaxResponseBytes(100))
                .hasMessageStartingWith("prometheus maxResponseBytes must be between 1024 and 268435456, was 100");
        assertThatThrownBy(() -> LOCAL.withHeaders(Map.of("X-Scope-OrgID", "a\r\nX-Evil: 1")))
                .hasMessageContaining("control character");
        assertThatThrownBy(() -> LOCAL.withHeaders(Map.of("authorization", "Bearer x")))
                .hasMessageContaining("is set by the client itself");
        assertThatThrownBy(() -> LOCAL.withHeaders(Map.of("X Scope", "a")))
                .hasMessageContaining("is not an HTTP token");
        assertThatThrownBy(() -> Auth.basic("a:b", "c")).hasMessageContaining("no ':'");
        assertThatThrownBy(() -> Auth.bearer("two words")).hasMessageContaining("without spaces");
    }

    @Test
    void secretsAreNeverEchoed() {
        assertThatThrownBy(() -> PrometheusConnection.of(URI.create("http://judge:hunter2@prometheus:9090")))
                .hasMessageNotContaining("hunter2").hasMessageContaining("must not hold credentials");
        assertThat(LOCAL.withAuth(Auth.basic("judge", "hunter2")).toString()).doesNotContain("hunter2");
        assertThat(LOCAL.withAuth(Auth.bearer("hunter2")).toString()).doesNotContain("hunter2");
    }

    @Test
    void pathsAreAppendedToTheBaseWithOneSlash() {
        assertThat(PrometheusConnection.of(URI.create("https://mimir/prometheus/")).resolve("/api/v1/query_range"))
                .isEqualTo(URI.create("https://mimir/prometheus/api/v1/query_range"));
        assertThat(LOCAL.resolve("/-/ready")).isEqualTo(URI.create("http://127.0.0.1:9090/-/ready"));
    }
}
