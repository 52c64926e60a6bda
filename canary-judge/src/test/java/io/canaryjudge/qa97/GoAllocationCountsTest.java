package io.canaryjudge.qa97;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import io.canaryjudge.profile.GoHeapProfiles;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Go's allocation columns ({@code alloc_objects}, {@code alloc_space}) counted in samples (issue 10): Go's runtime
 * keeps one sample per 512 KiB allocated and writes each row scaled up, with no count, so the judge learned their noise
 * from the slices alone. On go-pprof's s1+s2 (priceOrder ×1.5, no allocation change) {@code fmt.Sprintf}'s
 * alloc_objects, which one canary pod's sampler caught and no baseline pod's, read p = 0; on qa69's per-minute
 * profiles an unchanged canary (b3) FAILed on alloc_objects ({@code compress/flate}, p 1.2e-06). Recorded Go 1.19
 * processes (bench/go-pod): src/test/resources/go-pprof (one lifetime heap profile per pod) and qa69/alloc (five
 * one-minute profiles per pod; a1, a2 allocate a 6 KiB reply buffer instead of 2 KiB).
 */
class GoAllocationCountsTest {
    static final Path GO_PPROF = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/go-pprof");
    static final Path PER_MINUTE = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa69/alloc");
    private static final long PERIOD = 512 * 1024; // the recordings' MemProfileRate, their pprof period

    /**
     * The runtime's scaling undone row by row. A sample of size s reads s / (1 − e^(−s/512 KiB)) bytes, never less than
     * 512 KiB, so the count is at most the bytes over 512 KiB; large buffers (20 KiB gzip writers, 648 KiB log buffers)
     * carry more (s1: 13,333 samples for 20,490 periods' bytes, by awk over {@code go tool pprof -raw}; Kish 12,738).
     */
    @Test
    void aLifetimeHeapProfileCountsTheSamplesItsRowsHold() throws Exception {
        Profile heap = read(GO_PPROF.resolve("s1/heap.pb.gz"));
        int bytes = heap.sampleTypeIndex(ProfileType.ALLOC_BYTES);
        int objects = heap.sampleTypeIndex(ProfileType.ALLOC_OBJECTS);
        assertThat(heap.sampledHeapPeriod()).isEqualTo(PERIOD);

        double perPeriod = (double) heap.total(bytes) / PERIOD;
        assertThat((double) heap.sampleCount(bytes)).isBetween(0.55 * perPeriod, 0.7 * perPeriod);
        // a 16-byte sample weighs 32,768 objects, a 648 KiB one a single object: far fewer effective samples (361)
        assertThat(heap.sampleCount(objects)).isBetween(100L, heap.sampleCount(bytes) / 10);
    }

    /**
     * A minute's window (a cumulative profile less the one before) holds that minute's allocation samples, not the
     * lifetime's, and the later profile's in-use samples (qa92's live_* counts; lost before the fix).
     */
    @Test
    void aWindowCountsItsOwnSamples() throws Exception {
        List<Profile> cumulative = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            cumulative.add(read(PER_MINUTE.resolve("b1/heap-0" + i + ".pb.gz")));
        }
        List<Profile> windows = GoHeapProfiles.perWindow(cumulative).profiles();
        for (int i = 1; i < 5; i++) {
            Profile window = windows.get(i);
            int bytes = window.sampleTypeIndex(ProfileType.ALLOC_BYTES);
            long lifetime = cumulative.get(i).sampleCount(bytes);
            long before = cumulative.get(i - 1).sampleCount(bytes);
            assertThat(window.sampleCount(bytes)).as("minute %d", i)
                    .isBetween(Math.round(0.95 * (lifetime - before)), lifetime - before + 2);
            assertThat((double) window.sampleCount(bytes)).as("minute %d", i)
                    .isBetween(0.5 * window.total(bytes) / PERIOD, 1.01 * window.total(bytes) / PERIOD);
            // in-use is a snapshot: the window's live columns, and their samples, are the later profile's
            for (ProfileType live : List.of(ProfileType.LIVE_BYTES, ProfileType.LIVE_OBJECTS)) {
                long later = cumulative.get(i).sampleCount(cumulative.get(i).sampleTypeIndex(live));
                assertThat(later).as("minute %d %s", i, live).isPositive();
                assertThat(window.sampleCount(window.sampleTypeIndex(live))).as("minute %d %s", i, live)
                        .isEqualTo(later);
            }
        }
    }

    /**
     * Unchanged Go canaries: no allocation test reaches q < 0.01. At the default {@code minSamplesPerGroup} (1,000
     * effective samples) alloc_objects is below the floor on every one (qa69 baselines 563-589, canaries 185-211), so
     * it is not judged: that, not the counts, is why b3 no longer FAILs there. With the floor lowered to 100 (a
     * {@code --config}) qa69's alloc_objects IS judged and still discovers nothing with the counts; with the counting
     * switched off (a probe, not committed) b3 FAILs there on alloc_objects ({@code writeStoredHeader}, p 1.2e-06).
     * go-pprof's A/A hold one lifetime profile per canary pod (one observation): alloc_objects is not judged at either
     * floor, counted or not, so they add no allocation evidence either way.
     */
    @Test
    void unchangedGoCanariesDiscoverNoAllocationChange(@TempDir Path dir) throws Exception {
        String lowFloor = lowSampleFloor(dir);
        for (Path pods : List.of(GO_PPROF, PER_MINUTE)) {
            List<String> all = List.of("b1", "b2", "b3", "b4");
            for (String canary : all) {
                List<String> baseline = all.stream().filter(b -> !b.equals(canary)).toList();
                JsonNode verdict = CompareJson.of(pods, baseline, List.of(canary));
                String what = pods.getFileName() + " " + canary + ": " + verdict.path("summary").asString();
                assertThat(verdict.path("result").asString()).as(what).isNotEqualTo("FAIL");
                assertThat(allocationDiscoveries(verdict)).as(what).isEmpty();
                assertThat(judged(verdict, "alloc_objects")).as(what).isFalse();

                JsonNode lowered = CompareJson.of(pods, baseline, List.of(canary), List.of(), "--config", lowFloor);
                String low = "floor 100, " + pods.getFileName() + " " + canary + ": " + lowered.path("summary").asString();
                assertThat(judged(lowered, "alloc_objects")).as(low).isEqualTo(pods == PER_MINUTE);
                assertThat(lowered.path("result").asString()).as(low).isNotEqualTo("FAIL");
                assertThat(allocationDiscoveries(lowered)).as(low).isEmpty();
            }
        }
    }

    /**
     * priceOrder ×1.5 allocates nothing new. At the default floor alloc_objects (746 canary samples) is not judged; with
     * the floor at 100 it is, and fmt.Sprintf is no longer p = 0 (it was with the counting off, at either floor): no
     * allocation test discovers anything.
     */
    @Test
    void aCpuOnlyChangeDiscoversNoAllocationChange(@TempDir Path dir) throws Exception {
        JsonNode verdict = CompareJson.of(GO_PPROF, List.of("b1", "b2", "b3", "b4"), List.of("s1", "s2"));
        assertThat(judged(verdict, "alloc_objects")).as(verdict.path("summary").asString()).isFalse();
        assertThat(allocationDiscoveries(verdict)).as(verdict.path("summary").asString()).isEmpty();

        JsonNode lowered = CompareJson.of(GO_PPROF, List.of("b1", "b2", "b3", "b4"), List.of("s1", "s2"), List.of(),
                "--config", lowSampleFloor(dir));
        assertThat(judged(lowered, "alloc_objects")).as(lowered.path("summary").asString()).isTrue();
        assertThat(allocationDiscoveries(lowered)).as(lowered.path("summary").asString()).isEmpty();
        for (JsonNode finding : lowered.path("findings")) {
            if (finding.path("function").asString().equals("fmt.Sprintf")
                    && finding.path("profileType").asString().startsWith("alloc")) {
                assertThat(finding.path("pValue").asDouble()).as(finding.toString()).isGreaterThan(1e-3);
            }
        }
        for (JsonNode type : lowered.path("dataQuality").path("types")) {
            if (type.path("profileType").asString().startsWith("alloc")) {
                assertThat(type.path("canary").path("samples").asLong()).as(type.toString()).isPositive();
            }
        }
    }

    /**
     * The 6 KiB reply buffer (an allocation-only change) still FAILs at its site with the default types, at the default
     * floor and with alloc_objects judged (floor 100).
     */
    @Test
    void anAllocationChangeStillFailsAtItsSite(@TempDir Path dir) throws Exception {
        for (String[] options : List.of(new String[0], new String[] {"--config", lowSampleFloor(dir)})) {
            JsonNode verdict = CompareJson.of(PER_MINUTE, List.of("b1", "b2", "b3"), List.of("a1", "a2"), List.of(),
                    options);
            String what = Arrays.toString(options) + ": " + verdict.path("summary").asString();
            assertThat(judged(verdict, "alloc_objects")).as(what).isEqualTo(options.length > 0);
            assertThat(verdict.path("result").asString()).as(what).isEqualTo("FAIL");
            List<String> failing = new ArrayList<>();
            verdict.path("findings").forEach(f -> {
                if (f.path("failing").asBoolean()) {
                    failing.add(f.path("profileType").asString() + " " + f.path("function").asString());
                }
            });
            assertThat(failing).as(what).contains("alloc_bytes main.encodeReply");
        }
    }

    /** A config with {@code minSamplesPerGroup} 100, so alloc_objects's few effective samples are judged. */
    private static String lowSampleFloor(Path dir) throws Exception {
        Path config = dir.resolve("low-sample-floor.yaml");
        if (!Files.exists(config)) {
            Files.writeString(config, "minSamplesPerGroup: 100\n");
        }
        return config.toString();
    }

    /** The verdict's dataQuality {@code judged} for {@code type}; fails when the type is not listed. */
    private static boolean judged(JsonNode verdict, String type) {
        for (JsonNode t : verdict.path("dataQuality").path("types")) {
            if (t.path("profileType").asString().equals(type)) {
                return t.path("judged").asBoolean();
            }
        }
        throw new AssertionError(type + " not in " + verdict.path("dataQuality"));
    }

    /**
     * A window whose two profiles declare different sampling periods (b4's fourth profile rewritten to say 256 KiB, one
     * varint of the same length) has no count: it takes the fewest samples the pod's counted windows allow, and the
     * verdict's warnings say so; the type keeps its counts, the A/A stays unfailed.
     */
    @Test
    void aWindowWhoseRateChangedTakesTheFewestSamplesAndSaysSo(@TempDir Path dir) throws Exception {
        for (String pod : List.of("b1", "b2", "b3", "b4")) {
            Path copy = Files.createDirectories(dir.resolve(pod));
            try (var files = Files.list(PER_MINUTE.resolve(pod))) {
                for (Path file : files.toList()) {
                    Files.copy(file, copy.resolve(file.getFileName()));
                }
            }
        }
        Path patched = dir.resolve("b4/heap-03.pb.gz");
        byte[] pprof;
        try (var in = new GZIPInputStream(Files.newInputStream(patched))) {
            pprof = in.readAllBytes();
        }
        // Profile.period (field 12, varint): 524,288 = 80 80 20, 262,144 = 80 80 10
        byte[] period = {0x60, (byte) 0x80, (byte) 0x80, 0x20};
        int at = indexOf(pprof, period);
        assertThat(at).isNotNegative();
        assertThat(indexOf(Arrays.copyOfRange(pprof, at + 1, pprof.length), period)).isNegative();
        pprof[at + 3] = 0x10;
        try (var out = new GZIPOutputStream(Files.newOutputStream(patched))) {
            out.write(pprof);
        }
        assertThat(read(patched).sampledHeapPeriod()).isEqualTo(PERIOD / 2);

        JsonNode verdict = CompareJson.of(dir, List.of("b1", "b2", "b3"), List.of("b4"));

        assertThat(verdict.path("result").asString()).as(verdict.path("summary").asString()).isNotEqualTo("FAIL");
        List<String> warnings = new ArrayList<>();
        verdict.path("dataQuality").path("warnings").forEach(w -> warnings.add(w.asString()));
        assertThat(warnings).as(verdict.toString()).contains(
                "alloc_bytes in 2 of 16 profile(s) is not what its name says: " + GoHeapProfiles.SAMPLES_UNKNOWN);
        for (JsonNode type : verdict.path("dataQuality").path("types")) {
            if (type.path("profileType").asString().startsWith("alloc")) {
                assertThat(type.path("canary").path("samples").asLong()).as(type.toString()).isPositive();
            }
            if (type.path("profileType").asString().equals("alloc_bytes")) {
                assertThat(type.path("notes").toString()).contains("the sample counts of 2 of");
            }
        }
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> allocationDiscoveries(JsonNode verdict) {
        List<String> found = new ArrayList<>();
        for (JsonNode finding : verdict.path("findings")) {
            if (finding.path("profileType").asString().startsWith("alloc") && finding.path("qValue").asDouble(1) < 0.01) {
                found.add(finding.path("profileType").asString() + " " + finding.path("function").asString() + " p "
                        + finding.path("pValue").asDouble() + " q " + finding.path("qValue").asDouble());
            }
        }
        return found;
    }

    private static Profile read(Path file) throws Exception {
        return ProfileFiles.read(file, ReadOptions.defaults()).get(0);
    }
}
