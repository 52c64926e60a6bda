package io.canaryjudge.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.ProfileSource;
import io.canaryjudge.profile.source.SliceProfile;
import io.canaryjudge.profile.source.SourceInstance;
import io.canaryjudge.profile.source.TimeWindow;
import io.canaryjudge.profile.source.local.LocalDirectorySource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * Bounded analyses over real HTTP: with one slot and no queue, a second analysis while the first is still
 * fetching (from a deliberately slow real source) is refused at once with 429 and Retry-After, and the slot is
 * free again afterwards. The slow source also shows the deadline: the answer comes when it passes, INCONCLUSIVE.
 */
@SpringBootTest(classes = {CanaryJudgeApplication.class, AnalysisLimitsTest.SlowSource.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "canary-judge.analysis.max-concurrent=1", "canary-judge.analysis.queue=0",
        "canary-judge.analysis.deadline=6s", "canary-judge.analysis.judge-time=1s"})
class AnalysisLimitsTest {
    static final String EXAMPLE = AnalysisApiTest.EXAMPLE;

    @LocalServerPort
    int port;

    /** The example's local source whose profile reads take 30 s: every analysis holds its slot to its deadline. */
    @TestConfiguration
    static class SlowSource {
        @Bean
        @Primary
        ProfileSource slowProfiles() {
            ProfileSource local = new LocalDirectorySource(ProfileDirectories.EXAMPLE_SHOP.getParent(), false, "pod",
                    ReadOptions.defaults(), Schedulers.boundedElastic());
            return new ProfileSource() {
                @Override
                public String name() {
                    return "slow";
                }

                @Override
                public Mono<List<SourceInstance>> instances(ProfileSelector selector, ProfileType type, TimeWindow window) {
                    return local.instances(selector, type, window);
                }

                @Override
                public Flux<SliceProfile> profiles(ProfileSelector selector, SourceInstance instance, ProfileType type,
                                                   List<TimeWindow> slices) {
                    return local.profiles(selector, instance, type, slices).delaySubscription(Duration.ofSeconds(30));
                }

                @Override
                public Mono<Health> health() {
                    return local.health();
                }

                @Override
                public boolean timeAware() {
                    return false;
                }
            };
        }
    }

    @Test
    void aSecondAnalysisBeyondTheBoundIs429WithRetryAfterAndTheFirstAnswersAtItsDeadline() throws Exception {
        String base = "http://127.0.0.1:" + port;
        WebTestClient client = WebTestClient.bindToServer().baseUrl(base).responseTimeout(Duration.ofSeconds(60)).build();
        long started = System.nanoTime();
        Mono<String> first = WebClient.create(base).post().uri("/api/v1/analyses").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(EXAMPLE).retrieve().bodyToMono(String.class).cache();
        first.subscribe();
        awaitRunning(client, 1);

        EntityExchangeResult<String> refused = client.post().uri("/api/v1/analyses").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(EXAMPLE).exchange().expectBody(String.class).returnResult();

        assertThat(refused.getStatus().value()).isEqualTo(429);
        assertThat(refused.getResponseHeaders().getFirst("Retry-After")).isEqualTo("6");
        JsonNode problem = AnalysisApiTest.JSON.readTree(refused.getResponseBody());
        assertThat(problem.get("type").asString()).isEqualTo("urn:canary-judge:problem:too-many-analyses");

        JsonNode verdict = AnalysisApiTest.JSON.readTree(first.block(Duration.ofSeconds(60)));
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(verdict.get("result").asString()).isEqualTo("INCONCLUSIVE");
        assertThat(verdict.get("summary").asString()).contains("had not arrived when the 6 s deadline came");
        assertThat(seconds).as("answered at the deadline, long before the source would have").isLessThan(25);

        awaitRunning(client, 0);
        client.post().uri("/api/v1/analyses").contentType(MediaType.APPLICATION_JSON).bodyValue(EXAMPLE).exchange()
                .expectStatus().isOk();
    }

    private static void awaitRunning(WebTestClient client, int running) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            String metrics = client.get().uri("/actuator/prometheus").exchange().expectBody(String.class)
                    .returnResult().getResponseBody();
            if (metrics.contains("canary_judge_analyses_running " + running + ".0")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("never " + running + " analyses running");
    }
}
