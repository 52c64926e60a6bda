package io.canaryjudge.memory;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.canaryjudge.CanaryJudgeApplication;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The pods' live data size, asked beside the default heap query on a saw-tooth heap ({@link SawToothService}), fails
 * (Prometheus answers that query with 503; every other query reaches the real Prometheus through a WireMock proxy on
 * loopback). The verdict said "the pods export no live data size (Micrometer's jvm_gc_live_data_size_bytes)" — false,
 * and no warning named the failure (review of qa52). It now warns that the live data size could not be read, why, and
 * that the heap after GC was judged alone; the heap's own check and the profiles are unaffected.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.local.match-windows=true", "canary-judge.analysis.warmup=0s",
                "canary-judge.analysis.deadline=60s", "canary-judge.prometheus.application-label=app",
                "canary-judge.prometheus.timeout=20s", "canary-judge.prometheus.gates.error-ratio.enabled=false",
                "canary-judge.prometheus.gates.latency-p99.enabled=false"})
class SawToothLiveDataFailsServiceTest extends SawToothService {
    static WireMockServer proxy;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        register(registry, prometheusUrl -> {
            proxy = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
            proxy.start();
            proxy.stubFor(any(anyUrl()).atPriority(10)
                    .willReturn(aResponse().proxiedFrom(prometheusUrl.replaceAll("/$", ""))));
            proxy.stubFor(post(urlPathEqualTo("/api/v1/query_range")).atPriority(1)
                    .withRequestBody(containing("jvm_gc_live_data_size_bytes"))
                    .willReturn(aResponse().withStatus(503).withBody("service unavailable")));
            return proxy.baseUrl();
        });
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.stop();
        }
    }

    @Test
    void aFailedLiveDataQueryIsWarnedAboutNotTakenForPodsWithoutTheSeries() {
        JsonNode verdict = analyse("aa", null, Duration.ofMinutes(30));

        assertThat(proxy.getAllServeEvents()).as("the live data size was asked")
                .anyMatch(e -> e.getRequest().getBodyAsString().contains("jvm_gc_live_data_size_bytes"));
        String all = verdict.get("dataQuality").toString() + verdict.get("summary").asString();
        assertThat(all).as(verdict.toString()).doesNotContain("export no live data size")
                .contains("live data size could not be read from Prometheus")
                .contains("the heap after GC judged alone");
        assertThat(verdict.get("findings").toString()).doesNotContain("MEMORY_GROWTH");
    }
}
