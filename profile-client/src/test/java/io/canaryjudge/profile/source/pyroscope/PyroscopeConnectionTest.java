package io.canaryjudge.profile.source.pyroscope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.source.LabelMatcher;
import io.canaryjudge.profile.testing.SelectorParser;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Validation of the connection settings, the profile type mapping, and the selector's escaping alone. */
class PyroscopeConnectionTest {
    private static final URI URL = URI.create("http://pyroscope.observability:4040/");

    @Test
    void defaultsAreTheJavaAgentsAndTheUrlLosesItsTrailingSlash() {
        PyroscopeConnection c = PyroscopeConnection.to(URL);

        assertThat(c.url()).isEqualTo(URI.create("http://pyroscope.observability:4040"));
        assertThat(c.applicationLabel()).isEqualTo("service_name");
        assertThat(c.instanceLabel()).isEqualTo("pod");
        assertThat(c.maxNodes()).isZero();
        assertThat(c.profileTypeIds().get(ProfileType.ALLOC_BYTES)).containsExactly(
                "memory:alloc_in_new_tlab_bytes:bytes:space:bytes", "memory:alloc_outside_tlab_bytes:bytes:space:bytes");
        assertThat(c.profileTypeIds().get(ProfileType.LOCK_DELAY)).containsExactly(
                "mutex:delay:nanoseconds:mutex:count", "block:delay:nanoseconds:block:count");
        assertThat(PyroscopeProfileTypes.jdkSampler().get(ProfileType.ALLOC_BYTES))
                .containsExactly("memory:alloc_sample_bytes:bytes:space:bytes");
        assertThat(PyroscopeConnection.to(URI.create("https://gw.example.com/pyroscope")).url().toString())
                .isEqualTo("https://gw.example.com/pyroscope");
    }

    @Test
    void badSettingsFailNamingTheSetting() {
        PyroscopeConnection c = PyroscopeConnection.to(URL);
        assertThatThrownBy(() -> PyroscopeConnection.to(URI.create("ftp://x"))).hasMessageContaining("pyroscope url");
        assertThatThrownBy(() -> PyroscopeConnection.to(URI.create("http://u:p@x:4040"))).hasMessageContaining("user info");
        assertThatThrownBy(() -> c.withTenant("team a\n")).hasMessageContaining("pyroscope tenant");
        assertThatThrownBy(() -> c.withTimeout(Duration.ZERO)).hasMessageContaining("pyroscope timeout");
        assertThatThrownBy(() -> c.withMaxResponseBytes(10)).hasMessageContaining("maxResponseBytes");
        assertThatThrownBy(() -> c.withLabels("service-name", "pod")).hasMessageContaining("applicationLabel");
        assertThatThrownBy(() -> c.withLabels("pod", "pod")).hasMessageContaining("must differ");
        assertThatThrownBy(() -> c.withMaxNodes(-1)).hasMessageContaining("maxNodes");
        assertThatThrownBy(() -> c.withHeaders(Map.of("Content-Type", "text/plain"))).hasMessageContaining("set by the client");
        assertThatThrownBy(() -> c.withTenant("t").withHeaders(Map.of("X-Scope-OrgID", "u"))).hasMessageContaining("X-Scope-OrgID");
        assertThatThrownBy(() -> c.withHeaders(Map.of("X-Bad", "a\r\nInjected: yes"))).hasMessageContaining("control characters");
        assertThatThrownBy(() -> c.withHeaders(Map.of("Bad Name", "v"))).hasMessageContaining("not a valid HTTP header name");
        assertThatThrownBy(() -> new PyroscopeConnection.Auth.Basic("a:b", "p")).hasMessageContaining("':'");
        assertThatThrownBy(() -> new PyroscopeConnection.Auth.Bearer("two words")).hasMessageContaining("bearer token");
        assertThatThrownBy(() -> c.withDiscovery(Duration.ofMillis(10), Duration.ZERO)).hasMessageContaining("seriesStep");
    }

    @Test
    void secretsStayOutOfToString() {
        PyroscopeConnection c = PyroscopeConnection.to(URL).withAuth(new PyroscopeConnection.Auth.Basic("123", "s3cret"));
        assertThat(c.toString()).contains("123").doesNotContain("s3cret");
        assertThat(PyroscopeConnection.to(URL).withAuth(new PyroscopeConnection.Auth.Bearer("t0ken")).toString())
                .doesNotContain("t0ken");
    }

    @Test
    void profileTypeIdsMustBeWellFormedOfTheirTypeAndNeverCountAllocationsTwice() {
        PyroscopeConnection c = PyroscopeConnection.to(URL);
        assertThatThrownBy(() -> c.withProfileTypeIds(ProfileType.CPU, List.of("process_cpu:cpu")))
                .hasMessageContaining("profileTypeIds.cpu").hasMessageContaining("is not a profile type ID");
        assertThatThrownBy(() -> c.withProfileTypeIds(ProfileType.CPU, List.of(PyroscopeProfileTypes.WALL)))
                .hasMessageContaining("which is wall, not cpu");
        assertThatThrownBy(() -> c.withProfileTypeIds(ProfileType.CPU, List.of()))
                .hasMessageContaining("at least one");
        assertThatThrownBy(() -> c.withProfileTypeIds(ProfileType.CPU, List.of(PyroscopeProfileTypes.CPU, PyroscopeProfileTypes.CPU)))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> c.withProfileTypeIds(ProfileType.ALLOC_BYTES,
                List.of(PyroscopeProfileTypes.ALLOC_NEW_TLAB_BYTES, PyroscopeProfileTypes.ALLOC_SAMPLE_BYTES)))
                .hasMessageContaining("count them twice");
        assertThat(c.withProfileTypeIds(ProfileType.ALLOC_BYTES, List.of(PyroscopeProfileTypes.ALLOC_SAMPLE_BYTES))
                .profileTypeIds().get(ProfileType.ALLOC_BYTES)).containsExactly(PyroscopeProfileTypes.ALLOC_SAMPLE_BYTES);
    }

    @Test
    void renderedSelectorsParseBackToTheSameValues() {
        // Prometheus' parser rules as the stand-in implements them, over values of every kind of character.
        Random random = new Random(7);
        String alphabet = "ab\"\\}{,=\n\r\t\u0000\u0001\u007f ü✓𝄞'`";
        for (int round = 0; round < 2000; round++) {
            List<LabelMatcher> matchers = new ArrayList<>();
            int labels = 1 + random.nextInt(3);
            for (int i = 0; i < labels; i++) {
                StringBuilder value = new StringBuilder();
                int length = random.nextInt(12);
                while (value.length() < length) {
                    value.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0, random.nextInt(
                            alphabet.codePointCount(0, alphabet.length())))));
                }
                matchers.add(new LabelMatcher("l" + i, value.toString()));
            }
            String rendered = LabelSelector.render(matchers);

            Map<String, String> parsed = SelectorParser.parse(rendered);
            assertThat(parsed).as(rendered).hasSize(matchers.size());
            matchers.forEach(m -> assertThat(parsed.get(m.name())).as(rendered).isEqualTo(m.value()));
            assertThat(rendered).as("no raw newline").doesNotContain("\n");
        }
    }
}
