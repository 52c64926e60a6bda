package io.canaryjudge.fxh;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * qa76's V8 heap uploads with their columns named as {@code @datadog/pprof} itself writes them ({@code space/bytes},
 * {@code objects/count}, period type {@code space}) instead of the {@code inuse_*} names Pyroscope's Node SDK gives
 * them. Both names map to live bytes and live objects, so both must get qa92's correction (the sampler's scaling
 * undone, a pod's snapshots counted as one). Before fxh the correction keyed on the {@code inuse_} prefix: the renamed
 * A/A canary a1 held 37 live discoveries at q &lt; 0.01 (0 with the inuse names) and d1 FAILed on the heap's false
 * discoveries (INCONCLUSIVE with the inuse names). Each test here fails before the fix.
 */
class RenamedHeapColumnsTest {
    private static final Path QA76 = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa76/pods");
    private static final List<String> PODS = List.of("a1", "b1", "b2", "b3", "d1");
    /** @datadog/pprof's own names for V8's in-use heap, by the names Pyroscope's Node SDK uploads. */
    private static final Map<String, String> DATADOG_NAMES = Map.of("inuse_space", "space", "inuse_objects", "objects");

    @TempDir
    static Path renamed;

    @BeforeAll
    static void renameHeapColumns() throws IOException {
        for (String pod : PODS) {
            Path target = Files.createDirectories(renamed.resolve(pod));
            try (Stream<Path> files = Files.list(QA76.resolve(pod))) {
                for (Path file : files.toList()) {
                    Path out = target.resolve(file.getFileName());
                    if (file.getFileName().toString().startsWith("heap-")) {
                        Files.write(out, gzip(renameStrings(gunzip(Files.readAllBytes(file)), DATADOG_NAMES)));
                    } else {
                        Files.copy(file, out);
                    }
                }
            }
        }
    }

    /** The renamed upload is read as the same live heap with the same sample counts as the inuse-named one. */
    @Test
    void aRenamedUploadHoldsAsFewSamplesAsTheInuseNamedOne() throws Exception {
        Profile inuse = ProfileFiles.read(QA76.resolve("b1/heap-002.pb.gz"), ReadOptions.defaults()).get(0);
        Profile datadog = ProfileFiles.read(renamed.resolve("b1/heap-002.pb.gz"), ReadOptions.defaults()).get(0);
        for (ProfileType type : List.of(ProfileType.LIVE_BYTES, ProfileType.LIVE_OBJECTS)) {
            int column = datadog.sampleTypeIndex(type);
            assertThat(datadog.sampleTypes().get(column).type()).as(type.id()).isIn("space", "objects");
            assertThat(datadog.sampleCount(column)).as(type.id())
                    .isEqualTo(inuse.sampleCount(inuse.sampleTypeIndex(type))).isBetween(1L, 14L);
        }
    }

    /** qa76's A/A canary a1 against b1-b3: no live-heap discovery at q &lt; 0.01 under either name (was 37 renamed). */
    @Test
    void anUnchangedCanaryDiscoversNothingOnTheRenamedHeap() {
        JsonNode verdict = CompareJson.of(renamed, List.of("b1", "b2", "b3"), List.of("a1"));

        assertThat(CompareJson.liveHeapDiscoveries(verdict)).as(verdict.path("summary").asString()).isZero();
    }

    /** d1 (priceOrder slower) is judged the same whatever the heap columns are named (was FAIL renamed). */
    @Test
    void theRenamedHeapGivesTheSameVerdictAsTheInuseNamedHeap() {
        List<String> baseline = List.of("b1", "b2", "b3");
        JsonNode inuse = CompareJson.of(QA76, baseline, List.of("d1"));
        JsonNode datadog = CompareJson.of(renamed, baseline, List.of("d1"));

        assertThat(datadog.path("result").asString()).as(datadog.path("summary").asString())
                .isEqualTo(inuse.path("result").asString());
        assertThat(CompareJson.liveHeapDiscoveries(datadog)).isEqualTo(CompareJson.liveHeapDiscoveries(inuse));
    }

    // ------------------------------------------------------------ pprof string table rewrite

    /**
     * The pprof {@code Profile} message with each string-table entry (field 6) found in {@code names} replaced; every
     * other field copied byte for byte, so sample types, period type and all else keep their string indices.
     */
    static byte[] renameStrings(byte[] profile, Map<String, String> names) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(profile.length);
        int[] pos = {0};
        while (pos[0] < profile.length) {
            int start = pos[0];
            long tag = varint(profile, pos);
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            switch (wireType) {
                case 0 -> varint(profile, pos);
                case 1 -> pos[0] += 8;
                case 5 -> pos[0] += 4;
                case 2 -> {
                    int length = (int) varint(profile, pos);
                    if (field == 6) {
                        String s = new String(profile, pos[0], length, StandardCharsets.UTF_8);
                        String renamedString = names.get(s);
                        if (renamedString != null) {
                            byte[] bytes = renamedString.getBytes(StandardCharsets.UTF_8);
                            writeVarint(out, tag);
                            writeVarint(out, bytes.length);
                            out.writeBytes(bytes);
                            pos[0] += length;
                            continue;
                        }
                    }
                    pos[0] += length;
                }
                default -> throw new IllegalArgumentException("wire type " + wireType + " at byte " + start);
            }
            out.write(profile, start, pos[0] - start);
        }
        return out.toByteArray();
    }

    private static long varint(byte[] b, int[] pos) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b[pos[0]++];
            value |= (long) (x & 0x7f) << shift;
            if (x >= 0) {
                return value;
            }
        }
    }

    private static void writeVarint(OutputStream out, long value) {
        try {
            while ((value & ~0x7fL) != 0) {
                out.write((int) (value & 0x7f) | 0x80);
                value >>>= 7;
            }
            out.write((int) value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(raw);
        }
        return bytes.toByteArray();
    }
}
