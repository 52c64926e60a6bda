package io.canaryjudge.analysis;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.canaryjudge.config.AnalysisConfig;
import io.canaryjudge.config.AnalysisProperties;
import io.canaryjudge.config.FlaggerProperties;
import io.canaryjudge.config.PrometheusProperties;
import io.canaryjudge.config.ResilienceProperties;
import io.canaryjudge.judge.Judge;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.source.LabelMatcher;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.TimeWindow;
import io.canaryjudge.profile.source.pyroscope.PyroscopeConnection;
import io.canaryjudge.profile.source.pyroscope.PyroscopeSource;
import io.canaryjudge.source.Deadline;
import io.canaryjudge.source.GuardedProfileSource;
import io.canaryjudge.source.SourceGuard;
import io.canaryjudge.store.InMemoryVerdictStore;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

/**
 * A freshly started service whose Pyroscope is down: one analysis makes more calls (listings of baseline, canary
 * and history pods per profile type, each tried {@code attempts} times) than the circuit's {@code minimum-calls},
 * so its own failures open the circuit part-way through. The verdict must still name what is wrong with Pyroscope
 * (a refused connection, an HTTP status), not only that the circuit is open.
 */
class SourceFailureCauseTest {
    private static final Clock CLOCK = Clock.systemUTC();
    private static final TimeWindow WINDOW = new TimeWindow(Instant.parse("2031-01-01T10:00:00Z"),
            Instant.parse("2031-01-01T10:10:00Z"));

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private WireMockServer server;
    private GuardedProfileSource source;

    @AfterEach
    void stop() throws Exception {
        if (source != null) {
            source.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aRefusedConnectionIsNamedEvenWhenTheAnalysisOpenedTheCircuit() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closed;

        Verdict verdict = analyse(url);

        assertThat(source.circuitState().name()).as("the analysis's own failures opened the circuit").isEqualTo("OPEN");
        assertThat(verdict.result()).isEqualTo(Result.INCONCLUSIVE);
        assertThat(verdict.summary()).as(verdict.summary())
                .startsWith("INCONCLUSIVE: data missing: the baseline pods with cpu profiles could not be listed: pyroscope:")
                .contains("cannot connect to " + url).containsIgnoringCase("connection refused");
        assertThat(verdict.dataQuality().warnings()).filteredOn(w -> w.startsWith("missing: "))
                .isNotEmpty()
                .allSatisfy(w -> assertThat(w).contains("cannot connect to " + url));
    }

    @Test
    void anHttpStatusIsNamedEvenWhenTheAnalysisOpenedTheCircuit() {
        // What `python3 -m http.server` answers a POST with: not Pyroscope at all.
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(501).withHeader("Content-Type", "text/html")
                .withBody("Error response: Unsupported method ('POST')\n")));

        Verdict verdict = analyse(server.baseUrl());

        assertThat(source.circuitState().name()).isEqualTo("OPEN");
        assertThat(verdict.result()).isEqualTo(Result.INCONCLUSIVE);
        assertThat(verdict.summary()).as(verdict.summary()).contains("HTTP 501")
                .contains("Unsupported method ('POST')");
        assertThat(verdict.dataQuality().warnings()).filteredOn(w -> w.startsWith("missing: "))
                .isNotEmpty()
                .allSatisfy(w -> assertThat(w).contains("HTTP 501"));
    }

    @Test
    void aServiceUnavailableAnswerIsNamedWithItsStatus() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503).withBody("no healthy upstream")));

        Verdict verdict = analyse(server.baseUrl());

        assertThat(verdict.result()).isEqualTo(Result.INCONCLUSIVE);
        assertThat(verdict.summary()).as(verdict.summary()).contains("HTTP 503: no healthy upstream");
    }

    /** One analysis of two profile types with the service's defaults (3 attempts, minimum-calls 10). */
    private Verdict analyse(String url) {
        ResilienceProperties resilience = new ResilienceProperties(3, Duration.ofMillis(20), 2.0, 50, 20, 10,
                Duration.ofSeconds(30), 8);
        PyroscopeSource pyroscope = new PyroscopeSource(PyroscopeConnection.to(URI.create(url))
                .withTimeout(Duration.ofSeconds(10)), 4);
        source = new GuardedProfileSource(pyroscope, new SourceGuard(pyroscope.name(), Duration.ofSeconds(10),
                resilience, GuardedProfileSource.failures(pyroscope.name()), registry), Duration.ofSeconds(2));
        AnalysisProperties settings = AnalysisProperties.defaults();
        AnalysisConfig config = AnalysisConfig.defaults(settings, FlaggerProperties.defaults(),
                PrometheusProperties.defaults());
        AnalysisRequest request = new AnalysisRequest("shop", null, shop("a"), shop("b"), null, WINDOW,
                List.of(ProfileType.CPU, ProfileType.ALLOC_BYTES), config, Deadline.after(Duration.ofSeconds(30), CLOCK),
                "http://judge.test", List.of());
        AnalysisRunner runner = new AnalysisRunner(new Judge(), new InMemoryVerdictStore(10), settings, null,
                ReportSettings.NONE, Schedulers.boundedElastic(), new JudgeMetrics(registry), CLOCK);
        return runner.run(request, source).block(Duration.ofSeconds(60)).verdict();
    }

    private static ProfileSelector shop(String hash) {
        return new ProfileSelector("shop", List.of(new LabelMatcher("pod_template_hash", hash)));
    }
}
