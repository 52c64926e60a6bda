package io.canaryjudge.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.SharedFixtures;
import io.canaryjudge.profile.ProfileFiles;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
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
 * Multipart uploads over real HTTP: the example's real recordings sent as {@code POD/FILE} parts stay pods, bare
 * names are pods of their own, and uploads without profiles or beyond the limits are problems naming the part.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class UploadApiTest {
    private static final Path SHOP = ProfileDirectories.EXAMPLE_SHOP;
    private static final String[] BASELINE = {"shop-6d4f8c7b9-k2x7p", "shop-6d4f8c7b9-w5n3j"};
    private static final String[] CANARY = {"shop-7f9b6c5d4-m4q8z", "shop-7f9b6c5d4-r9t2w"};

    @LocalServerPort
    int port;

    WebTestClient client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("canary-judge.local.directory", () -> SHOP.getParent().toString());
        registry.add("canary-judge.analysis.deadline", () -> "30s");
        registry.add("canary-judge.upload.max-file-size", () -> "64KB");
        registry.add("canary-judge.upload.max-total-size", () -> "1MB");
        registry.add("canary-judge.upload.max-files", () -> "40");
        registry.add("canary-judge.upload.max-decompressed-size", () -> "200KB"); // the shop's slices inflate to 41 KB
    }

    @BeforeEach
    void client() {
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(60)).build();
    }

    /** Adds every file of a pod directory as a part of {@code group}, named {@code as/FILE}. */
    private static void pod(MultipartBodyBuilder body, String group, String pod, String as) throws IOException {
        for (String file : new String[] {"slice-1.pb.gz", "slice-2.pb.gz", "slice-3.pb.gz", "slice-4.pb.gz",
                "slice-5.pb.gz", "requests.csv"}) {
            file(body, group, (as == null ? "" : as + "/") + file, Files.readAllBytes(SHOP.resolve(pod).resolve(file)));
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

    private WebTestClient.ResponseSpec send(MultipartBodyBuilder body) {
        return client.post().uri("/api/v1/analyses").contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(body.build())).exchange();
    }

    private static JsonNode json(WebTestClient.ResponseSpec response) {
        return AnalysisApiTest.JSON.readTree(response.expectBody(String.class).returnResult().getResponseBody());
    }

    @Test
    void podSlashFileNamesKeepPodsAsPodsAndTheExampleFails() throws IOException {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        for (int i = 0; i < 2; i++) {
            pod(body, "baseline", BASELINE[i], "base-" + i);
            pod(body, "canary", CANARY[i], "can-" + i);
        }
        file(body, "canary", "can-0/README.md", "# not a profile\n".getBytes(StandardCharsets.UTF_8));
        body.part("application", "shop");
        body.part("profileTypes", "cpu");

        JsonNode verdict = json(send(body).expectStatus().isOk());

        assertThat(verdict.get("result").asString()).isEqualTo("FAIL");
        assertThat(verdict.get("findings").get(0).get("function").asString()).endsWith("PriceCalculator.applyDiscounts");
        JsonNode cpu = verdict.get("dataQuality").get("types").get(0);
        assertThat(cpu.get("baseline").get("instances").asInt()).isEqualTo(2);
        assertThat(cpu.get("baseline").get("observations").asInt()).isEqualTo(10);
        assertThat(cpu.get("canary").get("instances").asInt()).isEqualTo(2);
        assertThat(cpu.get("canary").get("observations").asInt()).isEqualTo(10);
        assertThat(verdict.get("dataQuality").get("skipped").toString()).contains("can-0/README.md");
        assertThat(verdict.get("analysis").get("source").asString()).isEqualTo("upload");
        assertThat(verdict.get("analysis").get("application").asString()).isEqualTo("shop");
        client.get().uri(java.net.URI.create(verdict.get("reportUrl").asString()).getPath()).exchange()
                .expectStatus().isOk();
    }

    @Test
    void bareFileNamesAreInstancesOfTheirOwnAndHistoryIsNoiseOnly() throws IOException {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        for (int s = 1; s <= 3; s++) {
            file(body, "baseline", "b" + s + ".pb.gz", Files.readAllBytes(SHOP.resolve(BASELINE[0]).resolve("slice-" + s + ".pb.gz")));
            file(body, "canary", "c" + s + ".pb.gz", Files.readAllBytes(SHOP.resolve(CANARY[0]).resolve("slice-" + s + ".pb.gz")));
        }
        pod(body, "history", BASELINE[1], "older-pod");

        JsonNode verdict = json(send(body).expectStatus().isOk());

        JsonNode cpu = verdict.get("dataQuality").get("types").get(0);
        assertThat(cpu.get("baseline").get("instances").asInt()).isEqualTo(3);
        assertThat(cpu.get("baseline").get("observations").asInt()).isEqualTo(3);
        assertThat(cpu.get("canary").get("instances").asInt()).isEqualTo(3);
        assertThat(verdict.get("dataQuality").get("warnings").toString())
                .contains("history: 5 earlier observation(s) of 1 baseline pod(s) used to learn noise only");
        assertThat(verdict.get("analysis").get("application").asString()).isEqualTo("upload");
    }

    @Test
    void aSliceFieldCutsEachUploadedRecordingIntoSeveralObservations() throws IOException {
        // One JFR recording per pod, as async-profiler writes it: compare --slice's counterpart for uploads.
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        for (int n = 0; n < 4; n++) {
            Path recording = SharedFixtures.folder("jfr-parser").resolve("cortex-dev-01__kafka-0__cpu__" + n + ".jfr.gz");
            file(body, n < 2 ? "baseline" : "canary", "kafka-" + n + "/recording.jfr.gz", Files.readAllBytes(recording));
        }
        body.part("profileTypes", "cpu");
        body.part("slice", "2s");

        JsonNode cpu = json(send(body).expectStatus().isOk()).get("dataQuality").get("types").get(0);
        assertThat(cpu.get("baseline").get("instances").asInt()).isEqualTo(2);
        assertThat(cpu.get("baseline").get("observations").asInt()).isGreaterThanOrEqualTo(8); // 10 s each
        assertThat(cpu.get("canary").get("observations").asInt()).isGreaterThanOrEqualTo(8);

        MultipartBodyBuilder bad = new MultipartBodyBuilder();
        file(bad, "baseline", "b/recording.jfr.gz", Files.readAllBytes(
                SharedFixtures.folder("jfr-parser").resolve("cortex-dev-01__kafka-0__cpu__0.jfr.gz")));
        bad.part("slice", "0s");
        JsonNode problem = json(send(bad).expectStatus().isBadRequest());
        assertThat(problem.get("field").asString()).isEqualTo("slice");
        assertThat(problem.get("detail").asString()).contains("slice must be longer than zero");
    }

    /**
     * {@code load=closed}, as {@code compare --load closed}: requests.csv counts a closed loop's operations, so a canary
     * at a far lower rate is compared per operation, not set aside as a traffic shift. The recorded {@code low-rate}
     * scenario (the same code paced to a fifth of the baseline's rate: served traffic, where the default is right)
     * shows the switch: read as a closed loop, its fixed costs spread over fewer requests are a per-operation rise.
     */
    @Test
    void aLoadFieldOfClosedComparesCostPerOperationWhateverTheRates() throws IOException {
        MultipartBodyBuilder open = lowRateUpload();
        JsonNode served = json(send(open).expectStatus().isOk());
        assertThat(notes(served)).anyMatch(n -> n.contains("per-request costs are not comparable at such different loads"));

        MultipartBodyBuilder closed = lowRateUpload();
        closed.part("load", "closed");
        JsonNode benchmark = json(send(closed).expectStatus().isOk());
        assertThat(notes(benchmark)).anyMatch(n -> n.matches("canary pods completed [0-9]+ % of the baseline pods' "
                + "operations per second: .*costs per operation were compared"));
        assertThat(benchmark.get("findings").toString()).contains("COST_PER_REQUEST");

        MultipartBodyBuilder typo = lowRateUpload();
        typo.part("load", "closed-loop");
        assertThat(json(send(typo).expectStatus().isBadRequest()).toString()).contains("load must be open")
                .contains("\\\"closed-loop\\\"");
    }

    private static MultipartBodyBuilder lowRateUpload() throws IOException {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        for (int n = 1; n <= 3; n++) {
            directory(body, "baseline", ProfileDirectories.SCENARIOS.resolve("baselines/session-5/pod-" + n), "base-" + n);
            directory(body, "canary", ProfileDirectories.SCENARIOS.resolve("low-rate/canary/pod-" + n), "can-" + n);
        }
        body.part("application", "shop");
        body.part("profileTypes", "cpu");
        return body;
    }

    /** Adds every file of {@code dir} as a part of {@code group}, named {@code as/FILE}. */
    private static void directory(MultipartBodyBuilder body, String group, Path dir, String as) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                file(body, group, as + "/" + f.getFileName(), Files.readAllBytes(f));
            }
        }
    }

    private static java.util.List<String> notes(JsonNode verdict) {
        java.util.List<String> notes = new java.util.ArrayList<>();
        verdict.path("dataQuality").path("types").forEach(t -> t.path("notes").forEach(n -> notes.add(n.asString())));
        return notes;
    }

    @Test
    void anUploadWithoutAProfileNamesThePart() {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        file(body, "baseline", "pod/notes.txt", "hello\n".getBytes(StandardCharsets.UTF_8));
        file(body, "canary", "pod/notes.txt", "hello\n".getBytes(StandardCharsets.UTF_8));

        JsonNode problem = json(send(body).expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));

        assertThat(problem.get("type").asString()).isEqualTo("urn:canary-judge:problem:invalid-upload");
        assertThat(problem.get("field").asString()).isEqualTo("baseline");
        assertThat(problem.get("detail").asString()).contains("none of the 1 baseline file(s) is a profile");
    }

    @Test
    void unknownPartsAndFieldsAndCorruptProfilesAreProblems() throws IOException {
        MultipartBodyBuilder typo = new MultipartBodyBuilder();
        pod(typo, "baseline", BASELINE[0], "b");
        pod(typo, "canari", CANARY[0], "c");
        JsonNode unknownPart = json(send(typo).expectStatus().isBadRequest());
        assertThat(unknownPart.get("field").asString()).isEqualTo("canari");
        assertThat(unknownPart.get("detail").asString()).contains("unknown part \"canari\"");

        MultipartBodyBuilder field = new MultipartBodyBuilder();
        pod(field, "baseline", BASELINE[0], "b");
        pod(field, "canary", CANARY[0], "c");
        field.part("lookback", "10m");
        assertThat(json(send(field).expectStatus().isBadRequest()).get("field").asString()).isEqualTo("lookback");

        MultipartBodyBuilder types = new MultipartBodyBuilder();
        pod(types, "baseline", BASELINE[0], "b");
        pod(types, "canary", CANARY[0], "c");
        types.part("profileTypes", "cpu,heap");
        assertThat(json(send(types).expectStatus().isBadRequest()).get("field").asString()).isEqualTo("profileTypes[1]");

        byte[] slice = Files.readAllBytes(SHOP.resolve(CANARY[0]).resolve("slice-1.pb.gz"));
        MultipartBodyBuilder corrupt = new MultipartBodyBuilder();
        pod(corrupt, "baseline", BASELINE[0], "b");
        file(corrupt, "canary", "c/slice-1.pb.gz", java.util.Arrays.copyOf(slice, slice.length / 2));
        JsonNode broken = json(send(corrupt).expectStatus().isBadRequest());
        assertThat(broken.get("type").asString()).isEqualTo("urn:canary-judge:problem:invalid-upload");
        assertThat(broken.get("field").asString()).isEqualTo("canary");
        assertThat(broken.get("detail").asString()).contains("c/slice-1.pb.gz");
    }

    @Test
    void aFileOverTheLimitIs413NamingThePart() throws IOException {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        pod(body, "baseline", BASELINE[0], "b");
        byte[] big = new byte[100 * 1024];
        new Random(7).nextBytes(big);
        file(body, "canary", "c/huge.pb.gz", big);

        JsonNode problem = json(send(body).expectStatus().isEqualTo(413)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));

        assertThat(problem.get("type").asString()).isEqualTo("urn:canary-judge:problem:payload-too-large");
        assertThat(problem.get("field").asString()).isEqualTo("canary");
        assertThat(problem.get("detail").asString()).contains("c/huge.pb.gz").contains("max-file-size")
                .contains("larger than 64 KB"); // was "larger than 0 MB"
    }

    /** The reader's message gave only a byte count ("inflates beyond the limit of 204800 bytes"), not the setting. */
    @Test
    void aGzippedFileInflatingBeyondTheLimitIs400NamingTheSetting() throws IOException {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        pod(body, "baseline", BASELINE[0], "b");
        java.io.ByteArrayOutputStream bomb = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(bomb)) {
            gzip.write(new byte[1 << 20]);
        }
        file(body, "canary", "c/bomb.pb.gz", bomb.toByteArray());

        JsonNode problem = json(send(body).expectStatus().isEqualTo(400));

        assertThat(problem.get("type").asString()).isEqualTo("urn:canary-judge:problem:invalid-upload");
        assertThat(problem.get("detail").asString()).contains("c/bomb.pb.gz").contains("204800 bytes")
                .contains("canary-judge.upload.max-decompressed-size");
    }

    @Test
    void tooManyFilesIs413() throws IOException {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        for (int i = 0; i < 7; i++) {
            pod(body, "baseline", BASELINE[0], "b" + i); // 7 pods x 6 files = 42 > 40
        }
        JsonNode problem = json(send(body).expectStatus().isEqualTo(413));
        assertThat(problem.get("detail").asString()).contains("more than 40 files");
    }

    /**
     * A multipart body cut short (a proxy's size limit, a client killed mid-upload) or without the boundary its
     * Content-Type names was a 400 saying only "Failed to read HTTP message": the problem now says what is wrong.
     */
    @Test
    void aMultipartBodyCutShortIsAProblemSayingSo(CapturedOutput output) throws InterruptedException {
        String cut = "--xyz\r\nContent-Disposition: form-data; name=\"baseline\"; filename=\"b/s.pb\"\r\n\r\nabc";
        JsonNode problem = json(client.post().uri("/api/v1/analyses")
                .contentType(MediaType.parseMediaType("multipart/form-data; boundary=xyz")).bodyValue(cut)
                .exchange().expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));

        assertThat(problem.get("type").asString()).isEqualTo("urn:canary-judge:problem:invalid-request");
        assertThat(problem.get("field").asString()).isEqualTo("body");
        assertThat(problem.get("detail").asString()).contains("end of body").contains("--xyz");

        JsonNode noBoundary = json(client.post().uri("/api/v1/analyses")
                .contentType(MediaType.parseMediaType("multipart/form-data; boundary=xyz")).bodyValue("no parts here")
                .exchange().expectStatus().isBadRequest());
        assertThat(noBoundary.get("detail").asString()).isNotEqualTo("Failed to read HTTP message")
                .contains("boundary");
        // The parser fails a second time after the 400: Reactor logged that at ERROR with a stack trace, paging
        // whoever alerts on ERROR lines for a client's malformed upload.
        Thread.sleep(500);
        assertThat(output.getAll()).doesNotContain("onErrorDropped").doesNotContain("Could not find end of body (␍␊--xyz)\n\tat ");
    }

    /**
     * A client that hangs up while its upload arrives (killed, or its own timeout) was logged at ERROR as an
     * "internal error" with Reactor Netty's AbortedException and some forty lines of stack: the client went away,
     * nothing in the service failed. It is DEBUG now, and the upload's slot is given back.
     */
    @Test
    void aClientThatHangsUpDuringItsUploadIsNoErrorInTheLog(CapturedOutput output) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("POST /api/v1/analyses HTTP/1.1\r\nHost: judge\r\n"
                    + "Content-Type: multipart/form-data; boundary=XX\r\nContent-Length: 100000\r\n\r\n--XX\r\n"
                    + "Content-Disposition: form-data; name=\"baseline\"; filename=\"b1/s1.txt\"\r\n\r\na;b 1")
                    .getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            awaitRunning(1);
        }
        awaitRunning(0);
        Thread.sleep(300);

        assertThat(output.getAll()).doesNotContain("AbortedException").doesNotContain(" ERROR ");
    }

    /** Waits until {@code running} analyses hold a slot, as the service's own gauge says. */
    private void awaitRunning(int running) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            String metrics = client.get().uri("/actuator/prometheus").exchange().expectBody(String.class)
                    .returnResult().getResponseBody();
            if (metrics.contains("canary_judge_analyses_running " + running + ".0")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("never " + running + " analyses running");
    }

    /** One shop pod a side, judged on CPU only. */
    private static MultipartBodyBuilder onePodEachCpu() throws IOException {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        pod(body, "baseline", BASELINE[0], "b");
        pod(body, "canary", CANARY[0], "c");
        body.part("profileTypes", "cpu");
        return body;
    }

    /**
     * max-total-size bounds one upload and max-concurrent the uploads at once, not their product against the heap:
     * four 120 MB uploads at once ran a 512 MB service out of heap (no answer, or the pod gone with
     * ExitOnOutOfMemoryError). The uploads held at once share a quarter of the heap; past it an upload is told to
     * come back (429 with Retry-After), and what an upload held is given back when it has been judged.
     */
    @Test
    void uploadsBeyondTheMemoryTheyShareAreToldToRetryAndGiveItBack() throws IOException {
        MultipartBodyBuilder body = onePodEachCpu();
        long before = UploadReader.MEMORY.used();
        // Other uploads being judged now hold all of it but 16 KB.
        long others = Runtime.getRuntime().maxMemory() / 4 - before - (16 << 10);
        UploadReader.MEMORY.reserve(others, 0, "others");
        try {
            WebTestClient.ResponseSpec refused = send(body).expectStatus().isEqualTo(429)
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().exists("Retry-After");
            JsonNode problem = json(refused);
            assertThat(problem.get("type").asString()).isEqualTo("urn:canary-judge:problem:too-many-analyses");
            assertThat(problem.get("detail").asString()).contains("keeps for uploads").contains("try again");
        } finally {
            UploadReader.MEMORY.release(others);
        }
        assertThat(UploadReader.MEMORY.used()).as("the refused upload gave back what it held").isEqualTo(before);

        json(send(body).expectStatus().isOk());
        assertThat(UploadReader.MEMORY.used()).as("a judged upload gives back what it held").isEqualTo(before);
    }

    /**
     * An upload refused while its body was still arriving was answered at once, and its connection then closed under
     * the rest of the body with Netty's {@code IllegalReferenceCountException} logged at ERROR: a client still sending
     * saw the connection reset ("Connection has been closed BEFORE response, while sending request body") instead of
     * the 429 and its Retry-After — the test above, about once in ten runs. The rest of the body is now read and
     * dropped before the answer: every refused upload hears its 429, and nothing is logged at ERROR.
     */
    @Test
    void uploadsRefusedWhileTheyArriveHearTheirAnswerEveryTime(CapturedOutput output) throws IOException {
        MultipartBodyBuilder body = onePodEachCpu();
        long before = UploadReader.MEMORY.used();
        long others = Runtime.getRuntime().maxMemory() / 4 - before - (16 << 10);
        UploadReader.MEMORY.reserve(others, 0, "others");
        try {
            for (int i = 0; i < 20; i++) {
                send(body).expectStatus().isEqualTo(429).expectHeader().exists("Retry-After");
            }
        } finally {
            UploadReader.MEMORY.release(others);
        }
        assertThat(UploadReader.MEMORY.used()).isEqualTo(before);
        assertThat(output.getAll()).doesNotContain("IllegalReferenceCountException").doesNotContain(" ERROR ");
    }

    /**
     * Gzipped files that would fit the memory kept for inflating profiles while other files hold it now were a 400
     * "invalid upload", though nothing was wrong with them: they are told to come back (429 with Retry-After).
     */
    @Test
    void gzippedFilesWaitingForInflateMemoryAreToldToRetryNotInvalid() throws Exception {
        MultipartBodyBuilder body = onePodEachCpu();
        ProfileFiles.InflateMemory inflate = ProfileFiles.INFLATE_MEMORY;
        long before = inflate.used();
        long others = inflate.reserve(Runtime.getRuntime().maxMemory() / 2 - before - (16 << 10), 0, "others");
        try {
            WebTestClient.ResponseSpec refused = send(body).expectStatus().isEqualTo(429)
                    .expectHeader().exists("Retry-After");
            JsonNode problem = json(refused);
            assertThat(problem.get("type").asString()).isEqualTo("urn:canary-judge:problem:too-many-analyses");
            assertThat(problem.get("detail").asString()).contains("files read at the same time hold");
        } finally {
            inflate.release(others);
        }
        json(send(body).expectStatus().isOk());
        assertThat(inflate.used()).isEqualTo(before);
    }
}
