package io.canaryjudge.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

/**
 * An upload of real async-profiler recordings whose stacks are deeper than {@code canary-judge.upload.max-stack-depth}
 * ({@code src/test/resources/qa33}: 9,003 frames, the property set to 9,000 here) is a 400 naming the file, the limit
 * and the property: the stack-depth limit was fixed at 8,192 for uploads, and a collapsed or pprof upload beyond it was
 * told to "raise the max stack depth", which nothing in the service could.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DeepStackUploadTest {
    private static final Path DIR = Path.of("src/test/resources/qa33");

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("canary-judge.local.directory", () -> ProfileDirectories.EXAMPLE_SHOP.getParent().toString());
        registry.add("canary-judge.analysis.deadline", () -> "30s");
        registry.add("canary-judge.upload.max-stack-depth", () -> "9000");
    }

    private static void file(MultipartBodyBuilder body, String group, String name) throws IOException {
        byte[] content = Files.readAllBytes(DIR.resolve(name));
        body.part(group, new ByteArrayResource(content) {
            @Override
            public String getFilename() {
                return group + "-pod/" + name;
            }
        }).contentType(MediaType.APPLICATION_OCTET_STREAM);
    }

    @Test
    void stacksBeyondTheUploadLimitAre400NamingTheFileTheLimitAndTheProperty() throws IOException {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        file(body, "baseline", "deep-1.jfr.gz");
        file(body, "canary", "deep-2.jfr.gz");
        WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(60)).build();

        String answer = client.post().uri("/api/v1/analyses").contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(body.build())).exchange()
                .expectStatus().isEqualTo(400).expectBody(String.class).returnResult().getResponseBody();

        JsonNode problem = AnalysisApiTest.JSON.readTree(answer);
        assertThat(problem.get("type").asString()).isEqualTo("urn:canary-judge:problem:invalid-upload");
        assertThat(problem.get("detail").asString()).contains("baseline-pod/deep-1.jfr.gz")
                .contains("more than the limit of 9000").contains("(canary-judge.upload.max-stack-depth)");
    }
}
