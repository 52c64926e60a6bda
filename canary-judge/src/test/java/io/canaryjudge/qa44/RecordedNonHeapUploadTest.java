package io.canaryjudge.qa44;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Uploads judge memory outside the heap from each pod's files, as compare does (the recorded qa44 pods: areas.csv,
 * heap.csv and a collapsed allocation profile each). Real HTTP to the running service over loopback. Before, an upload
 * of the thread-leak pod came back without any finding outside the heap.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.deadline=60s"})
class RecordedNonHeapUploadTest {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    private WebTestClient client() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(120))
                .build();
    }

    @Test
    void anUploadedThreadLeakFailsNamingItsArea() throws IOException {
        JsonNode verdict = upload("leak-threads-1", true);
        assertThat(RecordedNonHeapCompareTest.failingAreas(verdict)).as(verdict.get("summary").asString())
                .containsExactly("<threads>");
        assertThat(verdict.get("result").asString()).isEqualTo("FAIL");
    }

    @Test
    void anUploadedCanaryWithoutAreasBesideBaselinesWithThemIsSaid() throws IOException {
        JsonNode verdict = upload("leak-threads-1", false);
        assertThat(RecordedNonHeapCompareTest.failingAreas(verdict)).isEmpty();
        List<String> warnings = new ArrayList<>();
        verdict.get("dataQuality").get("warnings").forEach(w -> warnings.add(w.asString()));
        assertThat(warnings).contains("memory outside the heap: live threads not judged: the canary's instances"
                + " recorded none where the baseline's did (JFR's jdk.JavaThreadStatistics); record both sides alike"
                + " (the same JDK and JFR settings, async-profiler with jfrsync, or an areas.csv beside each)");
    }

    /**
     * Two canary pods with areas and the leaking one without: the areas are judged on the two, and the pod left out is
     * named, as compare names it (the service judged without it silently: "live threads: no abnormal growth").
     */
    @Test
    void aCanaryPodWithoutAreasBesideOthersWithThemIsNamed() throws IOException {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        for (String pod : RecordedNonHeapCompareTest.BASELINE) {
            pod(body, "baseline", pod, true);
        }
        pod(body, "canary", "aa-1", true);
        pod(body, "canary", "aa-2", true);
        pod(body, "canary", "leak-threads-1", false);
        JsonNode verdict = post(body);
        List<String> warnings = new ArrayList<>();
        verdict.get("dataQuality").get("warnings").forEach(w -> warnings.add(w.asString()));
        assertThat(warnings).as(verdict.toString()).contains("memory outside the heap: live threads judged without"
                + " leak-threads-1, whose files recorded none (JFR's jdk.JavaThreadStatistics)");
    }

    private JsonNode upload(String canary, boolean canaryAreas) throws IOException {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        for (String pod : RecordedNonHeapCompareTest.BASELINE) {
            pod(body, "baseline", pod, true);
        }
        pod(body, "canary", canary, canaryAreas);
        return post(body);
    }

    private JsonNode post(MultipartBodyBuilder body) {
        body.part("application", "orders");
        body.part("profileTypes", "alloc_bytes");
        return JSON.readTree(client().post().uri("/api/v1/analyses").contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(body.build())).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    private static void pod(MultipartBodyBuilder body, String group, String pod, boolean areas) throws IOException {
        for (String file : List.of("alloc.collapsed", "heap.csv", "areas.csv")) {
            if (!areas && file.equals("areas.csv")) {
                continue;
            }
            byte[] content = Files.readAllBytes(RecordedNonHeapCompareTest.PODS.resolve(pod).resolve(file));
            String name = pod + "/" + file;
            body.part(group, new ByteArrayResource(content) {
                @Override
                public String getFilename() {
                    return name;
                }
            }).contentType(MediaType.APPLICATION_OCTET_STREAM);
        }
    }
}
