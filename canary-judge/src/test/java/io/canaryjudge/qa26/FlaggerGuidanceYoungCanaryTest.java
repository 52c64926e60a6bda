package io.canaryjudge.qa26;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.SharedFixtures;
import io.canaryjudge.profile.testing.PyroscopeStandIn;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Flagger settings the README and {@code examples/flagger/canary.yaml} tell users to copy, played against the
 * service (defaults: 2 min canary warm-up, 60 s slices) as Flagger plays them: Flagger scales the canary up from zero
 * for every rollout, so its pods' first profiles come with the rollout, and calls the {@code rollout} webhook every
 * {@code interval} from one interval after that (the first tick only sets the first weight). Until each canary pod
 * has two slices past its warm-up the answer is INCONCLUSIVE — a 412, one failed check, and Flagger's failed checks
 * add up over the whole analysis. The README's {@code interval: 1m} with {@code threshold: 2} rolled back every
 * release in its second call, before anything was judged (qa26: 42 of 42 recorded A/A rollouts' first two calls).
 * The canary and baseline pods are the recorded shop's A/A pods, their 6 s slices stamped every 10 s (as the
 * Pyroscope agent uploads), repeated to fill the timeline.
 */
@SpringBootTest(classes = {CanaryJudgeApplication.class, FlaggerGuidanceYoungCanaryTest.Clocks.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.deadline=40s", "canary-judge.analysis.max-deadline=60s"})
class FlaggerGuidanceYoungCanaryTest {
    static final Path ROOT = SharedFixtures.projectRoot();
    static final Path SCENARIOS = ROOT.resolve("canary-judge/src/test/resources/scenarios");
    /** The canary pods' first profile: the rollout scaled them up just before. */
    static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
    static PyroscopeStandIn pyroscope;

    /** A random port: a fixed one failed the test whenever another run on the machine held it. */
    @LocalServerPort
    int port;

    @TestConfiguration(proxyBeanMethods = false)
    static class Clocks {
        /** The service's "now" (Flagger's window ends there), moving with real time from the instant set. */
        @Bean
        @Primary
        Clock settableClock() {
            return new MovingClock();
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        pyroscope = PyroscopeStandIn.start();
        for (int n = 1; n <= 3; n++) {
            // The primary's pods ran long before the rollout; the canary's start with it.
            stamp(Map.of("service_name", "shop", "namespace", "qa26", "app", "shop-primary", "pod", "shop-primary-" + n),
                    SCENARIOS.resolve("baselines/session-1/pod-" + n), T0.minus(Duration.ofMinutes(20)), T0.plus(Duration.ofMinutes(12)));
            stamp(Map.of("service_name", "shop", "namespace", "qa26", "app", "shop", "pod", "shop-canary-" + n),
                    SCENARIOS.resolve("aa/canary/pod-" + n), T0, T0.plus(Duration.ofMinutes(12)));
        }
        registry.add("canary-judge.pyroscope.url", pyroscope::url);
    }

    /** The pod's slices, one every 10 s from {@code from} to {@code to}, in turn. */
    static void stamp(Map<String, String> labels, Path pod, Instant from, Instant to) throws IOException {
        List<Path> slices;
        try (Stream<Path> files = Files.list(pod)) {
            slices = files.filter(p -> p.getFileName().toString().endsWith(".pb.gz")).sorted().toList();
        }
        int i = 0;
        for (Instant at = from; at.isBefore(to); at = at.plusSeconds(10), i++) {
            pyroscope.addProfile(labels, at, at.plusSeconds(6), slices.get(i % slices.size()));
        }
    }

    @AfterAll
    static void stop() {
        if (pyroscope != null) {
            pyroscope.close();
        }
    }

    /** A Flagger analysis's settings as a user copies them. */
    record FlaggerSettings(String where, Duration interval, int threshold, String lookback) {
    }

    static FlaggerSettings settings(String where, String yaml) {
        return new FlaggerSettings(where, Duration.ofMinutes(Long.parseLong(find(yaml, "\\binterval: (\\d+)m"))),
                Integer.parseInt(find(yaml, "\\bthreshold: (\\d+)")), find(yaml, "\\blookback: (\\d+m)"));
    }

    static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("%s in:%n%s", regex, text).isTrue();
        return m.group(1);
    }

    static List<FlaggerSettings> guidance() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String flagger = readme.substring(readme.indexOf("## Use with Flagger"));
        String snippet = flagger.substring(flagger.indexOf("```yaml"), flagger.indexOf("```", flagger.indexOf("```yaml") + 7));
        String example = Files.readString(ROOT.resolve("examples/flagger/canary.yaml"));
        String analysis = example.substring(example.indexOf("  analysis:"));
        return List.of(settings("README.md", snippet), settings("examples/flagger/canary.yaml", analysis));
    }

    /** The webhook's answers at the first calls of a rollout, until one judged the canary's code. */
    List<String> firstCalls(FlaggerSettings settings) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<String> answers = new ArrayList<>();
        for (int call = 1; call <= 6; call++) {
            MovingClock.set(T0.plus(settings.interval().multipliedBy(call)));
            String body = """
                    {"name": "shop", "namespace": "qa26", "phase": "Progressing", "checksum": "c1",
                     "metadata": {"lookback": "%s", "profileTypes": "cpu"}}""".formatted(settings.lookback());
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/api/v1/webhooks/flagger"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            String line = answer.statusCode() + " " + answer.body().lines().findFirst().orElse("");
            answers.add(line);
            if (!unjudged(line)) {
                break;
            }
        }
        return answers;
    }

    /** A 412 that judged nothing: the canary pods' warm-up, or too few slices past it. */
    static boolean unjudged(String answer) {
        return answer.startsWith("412 INCONCLUSIVE: every canary pod started inside the window")
                || answer.startsWith("412 INCONCLUSIVE: not enough data");
    }

    @Test
    void theCopiedFlaggerSettingsLeaveFailedChecksBeyondTheCanarysWarmUp() throws Exception {
        for (FlaggerSettings settings : guidance()) {
            List<String> answers = firstCalls(settings);
            long unjudged = answers.stream().filter(FlaggerGuidanceYoungCanaryTest::unjudged).count();

            assertThat(unjudged).as("%s (interval %s, lookback %s): the first calls of every rollout answer %s",
                    settings.where(), settings.interval(), settings.lookback(), answers).isGreaterThanOrEqualTo(1);
            // A healthy canary must not be rolled back before it was judged, and must keep at least one failed check
            // for a judged INCONCLUSIVE (few pods) after its warm-up.
            assertThat(unjudged + 1).as("%s: threshold %d against the warm-up calls %s", settings.where(),
                    settings.threshold(), answers).isLessThan(settings.threshold());
        }
    }
}
