package io.canaryjudge.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.config.AnalysisConfig;
import io.canaryjudge.config.AnalysisProperties;
import io.canaryjudge.config.FlaggerProperties;
import io.canaryjudge.config.PrometheusProperties;
import io.canaryjudge.config.ResilienceProperties;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.source.LabelMatcher;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.TimeWindow;
import io.canaryjudge.profile.source.pyroscope.PyroscopeConnection;
import io.canaryjudge.profile.source.pyroscope.PyroscopeSource;
import io.canaryjudge.profile.testing.PyroscopeStandIn;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Fault;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Route;
import io.canaryjudge.source.Deadline;
import io.canaryjudge.source.GuardedProfileSource;
import io.canaryjudge.source.SourceGuard;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What asking the source which types it holds costs an analysis, over real HTTP against the Pyroscope stand-in holding
 * a Node service's wall profiles as {@code @pyroscope/nodejs} uploaded them (qa76's recordings): the answer is
 * remembered, a hanging {@code LabelValues} costs at most {@link HeldTypes#ASK_AT_MOST}, and failing ones never open
 * the source's circuit.
 */
class HeldTypesAskingTest {
    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    static final Path PODS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa76/pods");
    /** The service's defaults: pyroscope.timeout 3 s; resilience 3 attempts, minimum-calls 10, 50 % failing opens. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

    PyroscopeStandIn pyroscope;
    GuardedProfileSource source;
    final HeldTypes heldTypes = new HeldTypes(Clock.systemUTC());

    @BeforeEach
    void start() {
        pyroscope = PyroscopeStandIn.start();
        for (String pod : List.of("b1", "a1")) {
            String hash = pod.startsWith("b") ? "base" : "canary";
            pyroscope.addProfile(Map.of("service_name", "shop", "pod", "shop-" + hash + "-" + pod,
                    "rollouts_pod_template_hash", hash), T0, T0.plusSeconds(60), PODS.resolve(pod).resolve("wall-002.pb.gz"));
        }
        PyroscopeSource pyroscopeSource = new PyroscopeSource(PyroscopeConnection.to(URI.create(pyroscope.url()))
                .withTimeout(CALL_TIMEOUT), 4);
        ResilienceProperties resilience = new ResilienceProperties(3, Duration.ofMillis(20), 2.0, 50, 20, 10,
                Duration.ofSeconds(30), 8);
        source = new GuardedProfileSource(pyroscopeSource, new SourceGuard(pyroscopeSource.name(), CALL_TIMEOUT,
                resilience, GuardedProfileSource.failures(pyroscopeSource.name()), new SimpleMeterRegistry()),
                Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        pyroscope.close();
    }

    /** Fails without the cache: each analysis asked LabelValues of both groups again. */
    @Test
    void aSecondAnalysisOfTheSameGroupsDoesNotAskAgain() {
        HeldTypes.Choice first = resolve();
        int askedFirst = pyroscope.calls(Route.LABEL_VALUES).size();
        pyroscope.clearCalls();
        HeldTypes.Choice second = resolve();

        assertThat(first.request().profileTypes()).contains(ProfileType.WALL).doesNotContain(ProfileType.CPU);
        assertThat(askedFirst).isEqualTo(2);
        assertThat(pyroscope.calls(Route.LABEL_VALUES)).isEmpty();
        assertThat(second.request().profileTypes()).isEqualTo(first.request().profileTypes());
        assertThat(second.warnings()).isEqualTo(first.warnings());
    }

    /** Fails without the bound: the wait was the guard's call timeout (3 s) or more, out of an 8 s deadline. */
    @Test
    void aHangingLabelValuesCostsAtMostTheBoundAndKeepsTheDefaults() {
        pyroscope.fail(Route.LABEL_VALUES, Fault.delay(Duration.ofSeconds(20)));

        long started = System.nanoTime();
        HeldTypes.Choice choice = resolve();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(choice.request().profileTypes()).containsExactly(ProfileType.CPU, ProfileType.ALLOC_BYTES);
        assertThat(choice.warnings()).isEmpty();
        // the bound plus the first request's set-up on a loaded machine; before, one call timeout (3 s) and its retries
        assertThat(took).isGreaterThanOrEqualTo(HeldTypes.ASK_AT_MOST.minusMillis(50)).isLessThan(CALL_TIMEOUT);
    }

    /**
     * Fails without {@link SourceGuard#noiseOnly}: two analyses' failing asks (2 groups x 3 attempts each) are 12
     * failed calls, beyond minimum-calls 10 at 100 %, which opened the circuit for every application's fetches.
     */
    @Test
    void failingAsksDoNotOpenTheSourcesCircuit() {
        pyroscope.fail(Route.LABEL_VALUES, Fault.error(503, "unavailable"));

        for (int i = 0; i < 3; i++) {
            assertThat(resolve().request().profileTypes()).containsExactly(ProfileType.CPU, ProfileType.ALLOC_BYTES);
        }

        assertThat(pyroscope.calls(Route.LABEL_VALUES).size()).isGreaterThan(10);
        assertThat(source.circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    private HeldTypes.Choice resolve() {
        AnalysisProperties settings = AnalysisProperties.defaults();
        AnalysisConfig config = AnalysisConfig.defaults(settings, FlaggerProperties.defaults(),
                PrometheusProperties.defaults());
        Deadline deadline = Deadline.after(Duration.ofSeconds(8), Clock.systemUTC());
        AnalysisRequest request = new AnalysisRequest("shop", null, group("base"), group("canary"), null,
                new TimeWindow(T0, T0.plusSeconds(60)), List.of(ProfileType.CPU, ProfileType.ALLOC_BYTES), config,
                deadline, "http://judge.test", List.of(), true);
        return heldTypes.resolve(request, source, deadline.at().minus(settings.judgeTime()))
                .contextWrite(SourceGuard.forApplication("shop"))
                .block(Duration.ofSeconds(60));
    }

    private static ProfileSelector group(String hash) {
        return new ProfileSelector("shop", List.of(new LabelMatcher("rollouts_pod_template_hash", hash)));
    }
}
