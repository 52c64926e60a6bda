package io.canaryjudge.qa44;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service's local directory source (the embedded default) judges memory outside the heap from each pod's
 * directory as compare and uploads do: the recorded qa44 pods (areas.csv, heap.csv, a collapsed allocation profile)
 * laid out as {@code DIRECTORY/APPLICATION/POD/} with labels; real HTTP over loopback. Application {@code threads}:
 * the three stable pods beside the thread-leak pod; {@code missing}: the same, the leak pod's areas.csv left out.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RecordedNonHeapLocalDirectoryTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Path DIRECTORY = Path.of("target", "qa44-local-" + UUID.randomUUID()).toAbsolutePath();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        for (String application : List.of("threads", "missing")) {
            for (String pod : RecordedNonHeapCompareTest.BASELINE) {
                copy(pod, application, "baseline", true);
            }
            copy("leak-threads-1", application, "canary", application.equals("threads"));
        }
        registry.add("canary-judge.local.directory", DIRECTORY::toString);
        registry.add("canary-judge.analysis.deadline", () -> "60s");
    }

    private static void copy(String pod, String application, String track, boolean withAreas) {
        Path from = RecordedNonHeapCompareTest.PODS.resolve(pod);
        Path to = DIRECTORY.resolve(application).resolve(pod);
        try (Stream<Path> files = Files.list(from)) {
            Files.createDirectories(to);
            for (Path file : files.toList()) {
                if (withAreas || !file.getFileName().toString().equals("areas.csv")) {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
            Files.writeString(to.resolve("labels.properties"), "track=" + track + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode analyse(String application) {
        String body = """
                {"application": "%s", "baseline": {"labels": {"track": "baseline"}},
                 "canary": {"labels": {"track": "canary"}}, "profileTypes": ["alloc_bytes"]}""".formatted(application);
        String answer = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(120)).build()
                .post().uri("/api/v1/analyses").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        return JSON.readTree(answer);
    }

    /**
     * The pods' profiles are collapsed text, which the local directory does not read (collapsed stacks do not say
     * what they measure): no profiles, but a thread leak. It was "INCONCLUSIVE: no baseline or canary profiles" with
     * the failing leak among its findings; a leak fails the canary without profiles, which could only add a FAIL.
     */
    @Test
    void aThreadLeakInTheLocalDirectoryFailsNamingItsAreaEvenWithoutProfiles() {
        JsonNode verdict = analyse("threads");

        assertThat(RecordedNonHeapCompareTest.failingAreas(verdict)).as(verdict.toString()).containsExactly("<threads>");
        assertThat(verdict.get("result").asString()).as(verdict.toString()).isEqualTo("FAIL");
        assertThat(verdict.get("summary").asString()).startsWith("FAIL: canary's live threads grow");
        assertThat(verdict.get("dataQuality").get("warnings").get(0).asString())
                .startsWith("no baseline or canary profiles: ").endsWith(": profiles not judged");
    }

    @Test
    void aCanaryPodWithoutAreasBesideBaselinesWithThemIsSaidNotPassedAsJudged() {
        JsonNode verdict = analyse("missing");

        assertThat(RecordedNonHeapCompareTest.failingAreas(verdict)).isEmpty();
        List<String> warnings = new ArrayList<>();
        verdict.get("dataQuality").get("warnings").forEach(w -> warnings.add(w.asString()));
        assertThat(warnings).as(verdict.toString()).anySatisfy(w -> assertThat(w)
                .startsWith("memory outside the heap: live threads not judged: the canary's"));
    }
}
