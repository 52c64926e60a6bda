package io.canaryjudge.profile.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.SampleType;
import io.canaryjudge.profile.SharedFixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stand-in answers like Pyroscope, checked with a plain JDK HTTP client (not the source under test):
 * both codecs, one column per profile type, merging by time and labels, Connect errors.
 */
class PyroscopeStandInTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static PyroscopeStandIn pyroscope;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();

    @BeforeAll
    static void start() {
        pyroscope = PyroscopeStandIn.start();
        List<Path> kafka = SharedFixtures.kafkaPprof();
        for (int i = 0; i < 4; i++) {
            Instant at = T0.plusSeconds(10L * i);
            pyroscope.addProfile(Map.of("service_name", "kafka", "pod", "kafka-" + (i % 2)), at, at.plusSeconds(10), kafka.get(i));
        }
    }

    @AfterAll
    static void stop() {
        pyroscope.close();
    }

    private static HttpResponse<byte[]> post(String method, String contentType, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(pyroscope.url() + "/querier.v1.QuerierService/" + method))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String json(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static byte[] selectMergeProfile(String id, String selector, long startMs, long endMs) {
        return new Protobuf.Writer().string(1, id).string(2, selector).varint(3, startMs).varint(4, endMs).toByteArray();
    }

    private static Profile profile(byte[] pprof) throws Exception {
        return ProfileFiles.read(pprof, "answer", ReadOptions.defaults()).get(0);
    }

    @Test
    void selectMergeProfileMergesWhatTheRangeAndLabelsHoldInclusively() throws Exception {
        long start = T0.toEpochMilli();
        HttpResponse<byte[]> pod0 = post("SelectMergeProfile", "application/proto", selectMergeProfile(
                "process_cpu:cpu:nanoseconds:cpu:nanoseconds", "{service_name=\"kafka\", pod=\"kafka-0\"}", start, start + 20_000));
        HttpResponse<byte[]> all = post("SelectMergeProfile", "application/proto", selectMergeProfile(
                "process_cpu:cpu:nanoseconds:cpu:nanoseconds", "{service_name=\"kafka\"}", start, start + 20_000));

        assertThat(pod0.statusCode()).isEqualTo(200);
        assertThat(pod0.headers().firstValue("Content-Type")).hasValue("application/proto");
        List<Path> kafka = SharedFixtures.kafkaPprof();
        long slice0 = total(kafka.get(0));
        long slice1 = total(kafka.get(1));
        long slice2 = total(kafka.get(2));
        // pod kafka-0 holds slices 0 and 2; 20 000 ms is inclusive, so slice 2 (stamped there) counts.
        assertThat(profile(pod0.body()).total(0)).isEqualTo(slice0 + slice2);
        assertThat(profile(all.body()).total(0)).isEqualTo(slice0 + slice1 + slice2);
        assertThat(profile(pod0.body()).sampleTypes()).containsExactly(new SampleType("cpu", "nanoseconds", ProfileType.CPU));
    }

    @Test
    void nothingFoundIsAnEmptyProfileMessage() throws Exception {
        HttpResponse<byte[]> none = post("SelectMergeProfile", "application/proto", selectMergeProfile(
                "process_cpu:cpu:nanoseconds:cpu:nanoseconds", "{service_name=\"zookeeper\"}", 0, T0.toEpochMilli() + 60_000));
        HttpResponse<byte[]> wall = post("SelectMergeProfile", "application/proto", selectMergeProfile(
                "wall:wall:nanoseconds:wall:nanoseconds", "{service_name=\"kafka\"}", 0, T0.toEpochMilli() + 60_000));

        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(none.body()).isEmpty();
        assertThat(wall.body()).isEmpty();
    }

    @Test
    void selectSeriesGroupsAndBucketsInBothCodecs() throws Exception {
        long start = T0.toEpochMilli() - 1;
        String request = "{\"profileTypeID\":\"process_cpu:cpu:nanoseconds:cpu:nanoseconds\",\"labelSelector\":\"{service_name=\\\"kafka\\\"}\","
                + "\"start\":\"" + start + "\",\"end\":" + (start + 40_000) + ",\"groupBy\":[\"pod\"],\"step\":10}";
        HttpResponse<byte[]> answer = post("SelectSeries", "application/json", request.getBytes(StandardCharsets.UTF_8));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(json(answer)).contains("\"labels\":[{\"name\":\"pod\",\"value\":\"kafka-0\"}]")
                .contains("\"timestamp\":\"" + (start + 10_000) + "\"")
                .contains("\"timestamp\":\"" + (start + 30_000) + "\"");

        byte[] binary = new Protobuf.Writer().string(1, "process_cpu:cpu:nanoseconds:cpu:nanoseconds")
                .string(2, "{service_name=\"kafka\"}").varint(3, start).varint(4, start + 40_000).string(5, "pod")
                .doubleValue(6, 10).toByteArray();
        HttpResponse<byte[]> binaryAnswer = post("SelectSeries", "application/proto", binary);
        Protobuf.Reader series = new Protobuf.Reader(binaryAnswer.body());
        int count = 0;
        while (series.more()) {
            assertThat(series.tag() >>> 3).isEqualTo(1);
            series.message();
            count++;
        }
        assertThat(count).isEqualTo(2);
    }

    @Test
    void labelValuesAndProfileTypesDiscoverWhatIsStored() throws Exception {
        HttpResponse<byte[]> pods = post("LabelValues", "application/json",
                "{\"name\":\"pod\",\"matchers\":[\"{service_name=\\\"kafka\\\"}\"]}".getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> types = post("ProfileTypes", "application/json", "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(json(pods)).isEqualTo("{\"names\":[\"kafka-0\",\"kafka-1\"]}");
        assertThat(json(types)).contains("\"ID\":\"process_cpu:cpu:nanoseconds:cpu:nanoseconds\"");
    }

    @Test
    void badRequestsGetConnectErrors() throws Exception {
        HttpResponse<byte[]> badSelector = post("SelectMergeProfile", "application/proto", selectMergeProfile(
                "process_cpu:cpu:nanoseconds:cpu:nanoseconds", "{service_name=~\"kaf.*\"}", 0, 1));
        HttpResponse<byte[]> badType = post("SelectMergeProfile", "application/proto", selectMergeProfile(
                "process_cpu", "{}", 0, 1));
        HttpResponse<byte[]> unknown = post("SelectHeatmap", "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> text = post("ProfileTypes", "text/plain", "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(badSelector.statusCode()).isEqualTo(400);
        assertThat(json(badSelector)).contains("\"code\":\"invalid_argument\"").contains("only equality matchers");
        assertThat(badType.statusCode()).isEqualTo(400);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown)).contains("\"code\":\"unimplemented\"");
        assertThat(text.statusCode()).isEqualTo(415);
    }

    @Test
    void addInstanceStampsSlicesInNumericOrder(@TempDir Path dir) throws Exception {
        List<Path> kafka = SharedFixtures.kafkaPprof();
        Files.copy(kafka.get(0), dir.resolve("slice-2.pb.gz"));
        Files.copy(kafka.get(1), dir.resolve("slice-10.pb.gz"));
        Files.writeString(dir.resolve("requests.csv"), "profile,requests\n");
        try (PyroscopeStandIn own = PyroscopeStandIn.start()) {
            assertThat(own.addInstance(Map.of("service_name", "s", "pod", "p"), dir, T0, Duration.ofSeconds(30))).isEqualTo(2);
            HttpResponse<byte[]> first = HTTP.send(HttpRequest.newBuilder(URI.create(own.url()
                            + "/querier.v1.QuerierService/SelectMergeProfile")).header("Content-Type", "application/proto")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(selectMergeProfile("process_cpu:cpu:nanoseconds:cpu:nanoseconds",
                            "{pod=\"p\"}", T0.toEpochMilli(), T0.toEpochMilli() + 29_999))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(profile(first.body()).total(0)).isEqualTo(total(kafka.get(0)));
        }
        assertThatThrownBy(() -> pyroscope.addInstance(Map.of(), dir.resolve("requests.csv").getParent().resolve("none"),
                T0, Duration.ofSeconds(1))).hasMessageContaining("cannot list");
    }

    @Test
    void truncationCollapsesSmallNodesIntoOtherAndKeepsTheTotal() throws Exception {
        byte[] request = new Protobuf.Writer().string(1, "process_cpu:cpu:nanoseconds:cpu:nanoseconds")
                .string(2, "{pod=\"kafka-0\"}").varint(3, T0.toEpochMilli()).varint(4, T0.toEpochMilli() + 9_999)
                .varint(5, 32).toByteArray();
        Profile truncated = profile(post("SelectMergeProfile", "application/proto", request).body());
        Profile full = profile(Files.readAllBytes(SharedFixtures.kafkaPprof().get(0)));

        assertThat(truncated.total(0)).isEqualTo(full.total(full.sampleTypeIndex(ProfileType.CPU)));
        assertThat(truncated.functionCount()).isLessThan(full.functionCount());
        boolean hasOther = false;
        for (int f = 0; f < truncated.functionCount(); f++) {
            hasOther |= truncated.functionName(f).equals("other");
        }
        assertThat(hasOther).isTrue();
    }

    private static long total(Path pprof) throws Exception {
        Profile p = profile(Files.readAllBytes(pprof));
        return p.total(p.sampleTypeIndex(ProfileType.CPU));
    }
}
