package io.canaryjudge.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.verdict.Result;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The start-up warm-up judges the example packed in the jar (the real service, real profiles), out of the service's metrics. */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.warm-up.enabled=true", "canary-judge.local.directory=../examples/profiles"})
class ServiceWarmUpTest {
    /** The warm-up may outlast readiness's wait on a loaded machine: wait for its outcome, not for a time. */
    static final Duration OUTCOME_WITHIN = Duration.ofSeconds(120);

    @LocalServerPort
    int port;
    @Autowired
    ServiceWarmUp warmUp;
    @Autowired
    MeterRegistry registry;

    static WebTestClient client(int port) {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(60)).build();
    }

    @Test
    void judgesTheExamplesRegressionWithoutCountingIt() {
        await().atMost(OUTCOME_WITHIN).until(() -> warmUp.outcome() != null);

        ServiceWarmUp.Outcome outcome = warmUp.outcome();
        assertThat(outcome.failure()).isNull();
        // The packed example's canary doubles PriceCalculator.applyDiscounts: a full judgement, findings and all.
        assertThat(outcome.result()).isEqualTo(Result.FAIL);
        assertThat(registry.find("canary.judge.verdicts").counters()).isEmpty();
        client(port).get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }
}
