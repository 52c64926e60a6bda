package io.canaryjudge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Without Prometheus the service judges memory growth from the pods' own files, as {@code compare} does: a local
 * directory pod's {@code heap.csv} ({@link HeapFilePods}), and an uploaded {@code POD/heap.csv}. Real HTTP to the
 * running service; the profiles alone pass, so only the heap can fail the leaking canary.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.deadline=60s"})
class HeapFromFilesServiceTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Path ROOT = Path.of("target", "heap-files-" + UUID.randomUUID()).toAbsolutePath();

    @LocalServerPort
    int port;

    WebTestClient client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        HeapFilePods.write(ROOT);
        registry.add("canary-judge.local.directory", ROOT::toString);
    }

    @BeforeEach
    void client() {
        client = HeapFilePods.client(port);
    }

    private JsonNode analyse(String canaryTrack) {
        return HeapFilePods.analyse(client, HeapFilePods.APPLICATION, canaryTrack);
    }

    @Test
    void aLeakingCanaryInTheLocalDirectoryFailsWithMemoryGrowthFromItsHeapCsv() {
        JsonNode verdict = analyse("leak");

        assertThat(verdict.get("result").asString()).as(verdict.toString()).isEqualTo("FAIL");
        assertThat(verdict.get("summary").asString()).startsWith("FAIL: canary retains +");
        assertThat(verdict.get("findings").get(0).get("kind").asString()).isEqualTo("MEMORY_GROWTH");
        JsonNode memory = verdict.get("dataQuality").get("memory");
        assertThat(memory.get("judged").asBoolean()).isTrue();
        assertThat(memory.get("pods")).hasSize(6);
        assertThat(verdict.get("dataQuality").get("skipped").toString()).doesNotContain("heap.csv");
    }

    @Test
    void aFlatCanaryInTheLocalDirectoryPassesWithItsHeapJudged() {
        JsonNode verdict = analyse("flat");

        assertThat(verdict.get("result").asString()).as(verdict.toString()).isEqualTo("PASS");
        assertThat(verdict.get("findings").toString()).doesNotContain("MEMORY_GROWTH");
        assertThat(verdict.get("dataQuality").get("memory").get("judged").asBoolean()).isTrue();
        assertThat(verdict.get("dataQuality").get("skipped").toString()).doesNotContain("heap.csv");
    }

    @Test
    void anUploadWithHeapCsvHasItsMemoryGrowthJudged() throws IOException {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        for (int n = 1; n <= 3; n++) {
            pod(body, "baseline", "base-" + n);
            pod(body, "canary", "leak-" + n);
        }
        body.part("application", HeapFilePods.APPLICATION);

        JsonNode verdict = JSON.readTree(upload(body).expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody());

        assertThat(verdict.get("result").asString()).as(verdict.toString()).isEqualTo("FAIL");
        assertThat(verdict.get("findings").get(0).get("kind").asString()).isEqualTo("MEMORY_GROWTH");
        assertThat(verdict.get("dataQuality").get("memory").get("pods")).hasSize(6);
        assertThat(verdict.get("dataQuality").get("skipped").toString()).doesNotContain("heap.csv");
    }

    @Test
    void anUploadedHeapCsvWithABadRowIsRefusedNamingTheLine() throws IOException {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        pod(body, "baseline", "base-1");
        pod(body, "canary", "leak-1");
        file(body, "canary", "leak-2/slice-1.pb.gz", Files.readAllBytes(dir("leak-2").resolve("slice-1.pb.gz")));
        file(body, "canary", "leak-2/heap.csv", "timestamp_ms,heap_after_gc_bytes\n1796316500000,eighty\n".getBytes());

        String problem = upload(body).expectStatus().isBadRequest().expectBody(String.class).returnResult()
                .getResponseBody();

        assertThat(problem).contains("invalid-upload").contains("canary: leak-2/heap.csv line 2")
                .contains("heap_after_gc_bytes \\\"eighty\\\" must be a whole number >= 0");
    }

    private WebTestClient.ResponseSpec upload(MultipartBodyBuilder body) {
        return client.post().uri("/api/v1/analyses").contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(body.build())).exchange();
    }

    private static Path dir(String pod) {
        return ROOT.resolve(HeapFilePods.APPLICATION).resolve(pod);
    }

    /** A pod's profiles and heap.csv as parts of {@code group}, named {@code POD/FILE}. */
    private static void pod(MultipartBodyBuilder body, String group, String pod) throws IOException {
        try (var files = Files.list(dir(pod))) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.equals("labels.properties")) {
                    file(body, group, pod + "/" + name, Files.readAllBytes(file));
                }
            }
        }
    }

    private static void file(MultipartBodyBuilder body, String group, String name, byte[] content) {
        body.part(group, new ByteArrayResource(content) {
            @Override
            public String getFilename() {
                return name;
            }
        }).contentType(MediaType.APPLICATION_OCTET_STREAM);
    }
}
