package io.canaryjudge.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canaryjudge.profile.testing.WorkloadRecording;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenTelemetry's profiles signal (OTLP) is a profile format the judge does not read. Given one, the answer was
 * about pprof ("invalid pprof profile at byte 6: field 2 of the ValueType has wire type 2", as OTLP's protobuf
 * starts like pprof) or a generic "not gzip, JFR, pprof or collapsed stacks" (its JSON); it must name the format
 * and what to give instead, and never take a pprof profile for OTLP. The OTLP protobuf is async-profiler's own
 * ({@code jfrconv -o otlp}) of a recording made here; the JSON follows profiles.proto (v1development), as no
 * producer of it is at hand.
 */
class OtlpProfilesTest {
    /** OTLP JSON (protojson of {@code ProfilesData}): one resource, one scope, one CPU profile of one sample. */
    static final String OTLP_JSON = """
            {
              "resourceProfiles": [{
                "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "checkout"}}]},
                "scopeProfiles": [{
                  "scope": {"name": "async-profiler"},
                  "profiles": [{
                    "sampleType": {"typeStrindex": 1, "unitStrindex": 2},
                    "samples": [{"stackIndex": 1, "values": ["10000000"]}],
                    "timeUnixNano": "1764000000000000000",
                    "durationNano": "10000000000"
                  }]
                }]
              }],
              "dictionary": {
                "stringTable": ["", "cpu", "nanoseconds", "com.example.Checkout.total"],
                "functionTable": [{}, {"nameStrindex": 3}],
                "locationTable": [{}, {"lines": [{"functionIndex": 1}]}],
                "stackTable": [{}, {"locationIndices": [1]}]
              }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void asyncProfilersOtlpProtobufIsNamedRawOrGzipped() throws Exception {
        byte[] otlp = AsyncProfilerConversions.otlp(WorkloadRecording.shared().jfr());
        Path raw = Files.write(dir.resolve("cpu.pb"), otlp);
        Path gzipped = Files.write(dir.resolve("cpu.otlp.gz"), gzip(otlp));
        for (Path file : new Path[] {raw, gzipped}) {
            assertThatThrownBy(() -> ProfileFiles.read(file, ReadOptions.defaults()))
                    .isInstanceOf(UnsupportedProfileFormatException.class).isInstanceOf(InvalidProfileException.class)
                    .hasMessage(file + ": OTLP profiles (OpenTelemetry's profiles signal) are not supported; convert"
                            + " them to pprof, or give the profiler's own output: JFR, pprof or collapsed stacks");
        }
    }

    @Test
    void otlpJsonIsNamed() throws Exception {
        Path json = Files.writeString(dir.resolve("profiles.json"), OTLP_JSON);
        Path oneLine = Files.writeString(dir.resolve("export.jsonl"), OTLP_JSON.replaceAll("\\s*\\n\\s*", "") + "\n");
        for (Path file : new Path[] {json, oneLine}) {
            assertThatThrownBy(() -> ProfileFiles.read(file, ReadOptions.defaults()))
                    .isInstanceOf(UnsupportedProfileFormatException.class)
                    .hasMessageStartingWith(file + ": OTLP profiles (OpenTelemetry's profiles signal) are not supported;"
                            + " convert them to pprof");
        }
    }

    /** pprof's first field is a ValueType of varints: no pprof profile at hand is taken for OTLP. */
    @Test
    void pprofIsNotTakenForOtlp() throws Exception {
        byte[] asyncProfilers = AsyncProfilerConversions.pprof(WorkloadRecording.shared().jfr(), "--total");
        assertThat(ProfileFiles.read(asyncProfilers, "async-profiler.pprof", ReadOptions.defaults())).isNotEmpty();
        for (Path pprof : SharedFixtures.kafkaPprof()) {
            byte[] gzipped = Files.readAllBytes(pprof);
            assertThat(ProfileFiles.read(gzipped, pprof.toString(), ReadOptions.defaults())).isNotEmpty();
        }
        assertThatThrownBy(() -> ProfileFiles.read("{\"resource\": 1}".getBytes(StandardCharsets.UTF_8), "other.json",
                ReadOptions.defaults())).as("JSON without OTLP's key").isExactlyInstanceOf(NotAProfileException.class);
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
