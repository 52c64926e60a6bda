package io.canaryjudge.profile.source.pyroscope;

import static io.canaryjudge.profile.source.pyroscope.PyroscopeTestData.functionTotals;
import static io.canaryjudge.profile.source.pyroscope.PyroscopeTestData.kafkaSlices;
import static io.canaryjudge.profile.source.pyroscope.PyroscopeTestData.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.source.LabelMatcher;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.ProfileSourceException;
import io.canaryjudge.profile.source.SliceProfile;
import io.canaryjudge.profile.source.SourceInstance;
import io.canaryjudge.profile.source.TimeWindow;
import io.canaryjudge.profile.testing.PyroscopeStandIn;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Route;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the source sends: tenant, auth and extra headers, and selectors whose values stay values. */
class PyroscopeRequestTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final Duration WAIT = Duration.ofSeconds(60);
    static final TimeWindow WINDOW = new TimeWindow(T0, T0.plusSeconds(10));

    private PyroscopeStandIn pyroscope;

    @BeforeEach
    void start() {
        pyroscope = PyroscopeStandIn.start();
    }

    @AfterEach
    void stop() {
        pyroscope.close();
    }

    private PyroscopeConnection connection() {
        return PyroscopeConnection.to(URI.create(pyroscope.url())).withTimeout(Duration.ofSeconds(20));
    }

    private void storeKafka(String pod) {
        pyroscope.addProfile(Map.of("service_name", "kafka", "pod", pod), T0, T0.plusSeconds(10), kafkaSlices().get(0));
    }

    private static List<SliceProfile> fetch(PyroscopeSource source) {
        return source.profiles(new ProfileSelector("kafka", List.of()), new SourceInstance("kafka-0", null), ProfileType.CPU,
                List.of(WINDOW)).collectList().block(WAIT);
    }

    @Test
    void tenantBasicAuthAndExtraHeadersAreSentOnEveryCall() {
        storeKafka("kafka-0");
        String basic = "Basic " + Base64.getEncoder().encodeToString("12345:glc_tökén".getBytes(StandardCharsets.UTF_8));
        pyroscope.requireTenant("team-a").requireAuthorization(basic);

        try (PyroscopeSource source = new PyroscopeSource(connection().withTenant("team-a")
                .withAuth(new PyroscopeConnection.Auth.Basic("12345", "glc_tökén"))
                .withHeaders(Map.of("X-Gateway-Route", "profiles")), 2)) {
            assertThat(fetch(source)).hasSize(1);
            assertThat(source.instances(new ProfileSelector("kafka", List.of()), ProfileType.CPU, WINDOW).block(WAIT))
                    .extracting(SourceInstance::name).containsExactly("kafka-0");
            assertThat(source.health().block(WAIT).up()).isTrue();
        }

        assertThat(pyroscope.calls()).hasSize(4).allSatisfy(call -> assertThat(call.headers())
                .containsEntry("x-scope-orgid", "team-a")
                .containsEntry("authorization", basic)
                .containsEntry("x-gateway-route", "profiles"));
    }

    @Test
    void bearerAuthIsSent() {
        storeKafka("kafka-0");
        pyroscope.requireAuthorization("Bearer eyJhbGciOi.payload.sig");

        try (PyroscopeSource source = new PyroscopeSource(connection()
                .withAuth(new PyroscopeConnection.Auth.Bearer("eyJhbGciOi.payload.sig")), 2)) {
            assertThat(fetch(source)).hasSize(1);
        }
    }

    @Test
    void aWrongTenantIsRejectedNotRetried() {
        storeKafka("kafka-0");
        pyroscope.requireTenant("team-a");

        try (PyroscopeSource source = new PyroscopeSource(connection().withTenant("team-b"), 2)) {
            assertThatThrownBy(() -> fetch(source))
                    .isInstanceOfSatisfying(ProfileSourceException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ProfileSourceException.Kind.REJECTED);
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.getMessage()).contains("HTTP 401 unauthenticated: no org id");
                    });
        }
    }

    /**
     * Values that would end the string, the matcher or the selector if pasted in raw. Each is stored
     * beside decoys that a broken escaping would match instead; only the exact value may be found.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "6d4f\"8c7b9",
            "back\\slash\\",
            "trailing\\",
            "new\nline",
            "brace}",
            "a\",pod=\"decoy",
            "x\"} or {service_name=\"kafka",
            "tab\tcr\rctrl\u0001del\u007f",
            "ünïcødé ✓ 𝄞",
            "{{}}\\\"\\n"})
    void hostileLabelValuesStayValues(String hostile) {
        Map<String, String> target = new LinkedHashMap<>(Map.of("service_name", "kafka", "pod", "kafka-0",
                "rollouts_pod_template_hash", hostile));
        pyroscope.addProfile(target, T0, T0.plusSeconds(10), kafkaSlices().get(0));
        pyroscope.addProfile(Map.of("service_name", "kafka", "pod", "decoy", "rollouts_pod_template_hash", "a"),
                T0, T0.plusSeconds(10), kafkaSlices().get(1));
        pyroscope.addProfile(Map.of("service_name", "kafka", "pod", "kafka-0", "rollouts_pod_template_hash", "other"),
                T0, T0.plusSeconds(10), kafkaSlices().get(2));
        ProfileSelector selector = new ProfileSelector("kafka", List.of(new LabelMatcher("rollouts_pod_template_hash", hostile)));

        try (PyroscopeSource source = new PyroscopeSource(connection(), 2)) {
            List<SourceInstance> instances = source.instances(selector, ProfileType.CPU, WINDOW).block(WAIT);
            assertThat(instances).extracting(SourceInstance::name).containsExactly("kafka-0");
            List<SliceProfile> slices = source.profiles(selector, instances.get(0), ProfileType.CPU, List.of(WINDOW))
                    .collectList().block(WAIT);
            assertThat(slices).hasSize(1);
            assertThat(functionTotals(slices.get(0).profile(), ProfileType.CPU))
                    .isEqualTo(functionTotals(read(kafkaSlices().get(0)), ProfileType.CPU));
        }
        assertThat(pyroscope.calls(Route.SELECT_SERIES).get(0).selector())
                .isEqualTo(Map.of("service_name", "kafka", "rollouts_pod_template_hash", hostile));
        assertThat(pyroscope.calls(Route.SELECT_MERGE_PROFILE).get(0).selector())
                .isEqualTo(Map.of("service_name", "kafka", "rollouts_pod_template_hash", hostile, "pod", "kafka-0"));
    }

    @Test
    void aHostileApplicationNameAndInstanceNameStayValuesToo() {
        String app = "check\"out}";
        String pod = "pod\\\"-1\n";
        pyroscope.addProfile(Map.of("service_name", app, "pod", pod), T0, T0.plusSeconds(10), kafkaSlices().get(0));
        pyroscope.addProfile(Map.of("service_name", "check", "pod", pod), T0, T0.plusSeconds(10), kafkaSlices().get(1));

        try (PyroscopeSource source = new PyroscopeSource(connection(), 2)) {
            ProfileSelector selector = new ProfileSelector(app, List.of());
            List<SourceInstance> instances = source.instances(selector, ProfileType.CPU, WINDOW).block(WAIT);
            assertThat(instances).extracting(SourceInstance::name).containsExactly(pod);
            assertThat(source.profiles(selector, instances.get(0), ProfileType.CPU, List.of(WINDOW)).collectList().block(WAIT))
                    .hasSize(1);
        }
    }

    @Test
    void configurableApplicationAndInstanceLabels() {
        pyroscope.addProfile(Map.of("app", "kafka", "instance", "broker-0"), T0, T0.plusSeconds(10), kafkaSlices().get(0));

        try (PyroscopeSource source = new PyroscopeSource(connection().withLabels("app", "instance"), 2)) {
            List<SourceInstance> instances = source.instances(new ProfileSelector("kafka", List.of()), ProfileType.CPU, WINDOW)
                    .block(WAIT);
            assertThat(instances).extracting(SourceInstance::name).containsExactly("broker-0");
            assertThat(source.profiles(new ProfileSelector("kafka", List.of()), instances.get(0), ProfileType.CPU,
                    List.of(WINDOW)).collectList().block(WAIT)).hasSize(1);
        }
        assertThat(pyroscope.calls(Route.SELECT_SERIES).get(0).groupBy()).containsExactly("instance");
        assertThat(pyroscope.calls(Route.SELECT_MERGE_PROFILE).get(0).selector())
                .isEqualTo(Map.of("app", "kafka", "instance", "broker-0"));
    }
}
