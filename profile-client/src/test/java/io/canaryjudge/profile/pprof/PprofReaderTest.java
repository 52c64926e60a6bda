package io.canaryjudge.profile.pprof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canaryjudge.profile.AsyncProfilerConversions;
import io.canaryjudge.profile.FrameNames;
import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.SampleType;
import io.canaryjudge.profile.SharedFixtures;
import io.canaryjudge.profile.pprof.TestPprof.Label;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PprofReaderTest {
    private static final ReadOptions DEFAULTS = ReadOptions.defaults();

    // ------------------------------------------------------------------ real data

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void kafkaPprofStacksEqualJfrParsersAnswerKey(int slice) throws Exception {
        Path pprof = SharedFixtures.kafkaPprof().get(slice);
        List<Profile> profiles = ProfileFiles.read(pprof, DEFAULTS);

        assertThat(profiles).hasSize(1);
        Profile profile = profiles.get(0);
        assertThat(profile.format()).isEqualTo(ProfileFormat.PPROF);
        assertThat(profile.sampleTypes()).containsExactly(new SampleType("cpu", "nanoseconds", ProfileType.CPU));
        Map<String, Long> expected = peerStacks(SharedFixtures.kafkaExpectedCollapsed(slice));
        assertThat(expected).hasSizeGreaterThan(100);
        assertThat(stacks(profile, 0)).isEqualTo(expected);
    }

    /**
     * Pyroscope's conversions say {@code period = 1 s} for 10 ms samples and
     * {@code duration_nanos == time_nanos}; the reader must not turn either into a sample count
     * or a 54-year duration.
     */
    @Test
    void kafkaPprofImplausiblePeriodAndDurationAreUnknown() throws Exception {
        Profile profile = ProfileFiles.read(SharedFixtures.kafkaPprof().get(0), DEFAULTS).get(0);

        assertThat(profile.startEpochNanos()).isEqualTo(1_708_078_384_699_000_000L); // 2024-02-16, its time_nanos
        assertThat(profile.durationNanos()).isZero();
        assertThat(profile.sampleCount(0)).isEqualTo(-1);
        assertThat(profile.total(0) % 10_000_000L).isZero();
    }

    /** Pyroscope's SelectMergeProfile answers raw protobuf: it must read exactly like the gzipped file. */
    @ParameterizedTest
    @ValueSource(ints = {0, 3})
    void rawPprofReadsLikeGzipped(int slice) throws Exception {
        Path gzipped = SharedFixtures.kafkaPprof().get(slice);
        byte[] raw = gunzip(Files.readAllBytes(gzipped));
        assertThat(ProfileFiles.detect(raw)).isEqualTo(ProfileFormat.PPROF);

        Profile fromFile = ProfileFiles.read(gzipped, DEFAULTS).get(0);
        Profile fromRaw = ProfileFiles.read(raw, "SelectMergeProfile", DEFAULTS).get(0);
        Profile direct = new PprofReader().read(ByteBuffer.wrap(raw), "direct", DEFAULTS).get(0);

        for (Profile profile : List.of(fromRaw, direct)) {
            assertThat(profile.sampleTypes()).isEqualTo(fromFile.sampleTypes());
            assertThat(stacks(profile, 0)).isEqualTo(stacks(fromFile, 0));
            assertThat(profile.functionCount()).isEqualTo(fromFile.functionCount());
        }
    }

    /**
     * A second producer: async-profiler's own converter writes pprof (unpacked values, thread
     * and category labels, a comment) and collapsed stacks from the same recording; reading the
     * pprof must give the collapsed stacks.
     */
    @Test
    void asyncProfilersCpuPprofEqualsItsCollapsedOutput(@TempDir Path tmp) throws Exception {
        AsyncProfilerOutputs outputs = AsyncProfilerOutputs.of("async-profiler.jfr.gz", "--cpu", tmp);

        assertThat(outputs.profile().sampleTypes()).containsExactly(new SampleType("cpu", "nanoseconds", ProfileType.CPU));
        assertThat(stacks(outputs.profile(), 0)).isEqualTo(outputs.collapsed());
        // Labels were read: thread labels split stacks that the collapsed output merges.
        assertThat(outputs.profile().labels(0)).containsKey("thread");
        assertThat(outputs.profile().stackCount()).isGreaterThan(outputs.collapsed().size());
    }

    /**
     * One legitimate difference: async-profiler's pprof keeps an allocation event whose Java
     * stack is empty (the sample holds only the allocated class, checked with an independent
     * decode), while its collapsed converter drops such events.
     */
    @Test
    void asyncProfilersAllocPprofKeepsTheEmptyStackItsCollapsedOutputDrops(@TempDir Path tmp) throws Exception {
        AsyncProfilerOutputs outputs = AsyncProfilerOutputs.of("dd-trace-java.jfr.gz", "--alloc", tmp);

        assertThat(outputs.profile().sampleTypes()).containsExactly(new SampleType("allocations", "bytes", ProfileType.ALLOC_BYTES));
        Map<String, Long> read = stacks(outputs.profile(), 0);
        Map<String, Long> onlyInPprof = new TreeMap<>(read);
        onlyInPprof.keySet().removeAll(outputs.collapsed().keySet());
        assertThat(onlyInPprof).containsExactly(Map.entry("java.lang.String", 6752L));
        read.keySet().removeAll(onlyInPprof.keySet());
        assertThat(read).isEqualTo(outputs.collapsed());
    }

    /**
     * Lock durations are converted from ticks to nanoseconds with a floating-point factor, and
     * the two converters round at different points: totals agree to a rounding unit, not exactly.
     */
    @Test
    void asyncProfilersLockPprofEqualsItsCollapsedOutputUpToRounding(@TempDir Path tmp) throws Exception {
        AsyncProfilerOutputs outputs = AsyncProfilerOutputs.of("dd-trace-java.jfr.gz", "--lock", tmp);

        assertThat(outputs.profile().sampleTypes()).containsExactly(new SampleType("locks", "nanoseconds", ProfileType.LOCK_DELAY));
        Map<String, Long> read = stacks(outputs.profile(), 0);
        assertThat(read.keySet()).isEqualTo(outputs.collapsed().keySet());
        read.forEach((stack, value) -> assertThat(value)
                .isCloseTo(outputs.collapsed().get(stack), org.assertj.core.data.Offset.offset(value / 1_000_000 + 1)));
    }

    /** Both converters of async-profiler run on one fixture recording; {@code --total} makes values time/bytes. */
    private record AsyncProfilerOutputs(Profile profile, Map<String, Long> collapsed) {
        static AsyncProfilerOutputs of(String recording, String mode, Path tmp) throws Exception {
            Path jfr = AsyncProfilerConversions.recording(recording, tmp);
            byte[] pprof = AsyncProfilerConversions.pprof(jfr, mode, "--total", "--threads", "--classify");
            String collapsed = AsyncProfilerConversions.collapsed(jfr, mode, "--total");
            Profile profile = new PprofReader().read(ByteBuffer.wrap(pprof), recording, DEFAULTS).get(0);
            Map<String, Long> expected = collapsedStacks(new StringReader(collapsed));
            assertThat(expected).hasSizeGreaterThan(2);
            return new AsyncProfilerOutputs(profile, expected);
        }
    }

    /** Without {@code --total} async-profiler writes counts: cpu/count is not CPU time, locks/count is. */
    @Test
    void asyncProfilerCountColumnsMapOnlyWhereTheyMeanTheType(@TempDir Path tmp) throws Exception {
        Path jfr = AsyncProfilerConversions.recording("dd-trace-java.jfr.gz", tmp);

        Profile locks = new PprofReader().read(ByteBuffer.wrap(AsyncProfilerConversions.pprof(jfr, "--lock")), "l", DEFAULTS).get(0);
        assertThat(locks.sampleTypes()).containsExactly(new SampleType("locks", "count", ProfileType.LOCK_COUNT));

        Path cpuJfr = AsyncProfilerConversions.recording("async-profiler.jfr.gz", tmp);
        Profile cpu = new PprofReader().read(ByteBuffer.wrap(AsyncProfilerConversions.pprof(cpuJfr, "--cpu")), "c", DEFAULTS).get(0);
        assertThat(cpu.sampleTypes()).containsExactly(new SampleType("cpu", "count", null));
        assertThat(cpu.profileTypes()).isEmpty();
    }

    // ------------------------------------------------------------------ shapes the fixtures lack

    @Test
    void inlinedLinesBecomeFramesWithTheLastLineAsCaller() throws Exception {
        byte[] pprof = new TestPprof()
                .sampleType("cpu", "nanoseconds")
                .function(1, "com/shop/Main.main").function(2, "com/shop/Cart.total").function(3, "com/shop/Price.of")
                .location(10, 1)
                .location(20, 3, 2) // Price.of inlined into Cart.total
                .sample(new long[] {20, 10}, new long[] {7})
                .bytes();

        Profile profile = read(pprof);

        assertThat(stacks(profile, 0)).containsExactly(Map.entry("com.shop.Main.main;com.shop.Cart.total;com.shop.Price.of", 7L));
        assertThat(profile.functionTotals(ProfileType.CPU).self(profile.stackFunction(0, 0))).isEqualTo(7);
    }

    @Test
    void tlabColumnsAreSummedIntoAllocBytesAndTheJdkSampleIsNotAdded() throws Exception {
        byte[] pprof = new TestPprof()
                .sampleType("alloc_in_new_tlab_objects", "count")
                .sampleType("alloc_in_new_tlab_bytes", "bytes")
                .sampleType("alloc_outside_tlab_objects", "count")
                .sampleType("alloc_outside_tlab_bytes", "bytes")
                .sampleType("alloc_sample_bytes", "bytes")
                .function(1, "a").location(1, 1)
                .function(2, "b").location(2, 2)
                .sample(new long[] {1}, new long[] {1, 100, 2, 4000, 999})
                .sample(new long[] {2, 1}, new long[] {3, 300, 0, 0, 777})
                .bytes();

        Profile profile = read(pprof);

        assertThat(profile.sampleTypes()).containsExactly(
                new SampleType("alloc_in_new_tlab_objects+alloc_outside_tlab_objects", "count", ProfileType.ALLOC_OBJECTS),
                new SampleType("alloc_in_new_tlab_bytes+alloc_outside_tlab_bytes", "bytes", ProfileType.ALLOC_BYTES),
                new SampleType("alloc_sample_bytes", "bytes", null));
        int bytes = profile.sampleTypeIndex(ProfileType.ALLOC_BYTES);
        assertThat(stacks(profile, bytes)).containsExactly(Map.entry("a", 4100L), Map.entry("a;b", 300L));
        assertThat(stacks(profile, profile.sampleTypeIndex(ProfileType.ALLOC_OBJECTS)))
                .containsExactly(Map.entry("a", 3L), Map.entry("a;b", 3L));
        assertThat(profile.total(2)).isEqualTo(999 + 777);
    }

    @Test
    void jdkAllocationSampleIsAllocBytesWhenThereAreNoTlabColumns() throws Exception {
        byte[] pprof = new TestPprof()
                .sampleType("alloc_sample_objects", "count").sampleType("alloc_sample_bytes", "bytes")
                .function(1, "a").location(1, 1)
                .sample(new long[] {1}, new long[] {2, 512})
                .bytes();

        Profile profile = read(pprof);

        assertThat(profile.profileTypes()).containsExactlyInAnyOrder(ProfileType.ALLOC_OBJECTS, ProfileType.ALLOC_BYTES);
        assertThat(profile.total(profile.sampleTypeIndex(ProfileType.ALLOC_BYTES))).isEqualTo(512);
    }

    @Test
    void goProfileTypesMapAndUnknownOnesAreKeptUnjudged() throws Exception {
        byte[] pprof = new TestPprof()
                .sampleType("samples", "count").sampleType("cpu", "nanoseconds")
                .sampleType("contentions", "count").sampleType("delay", "nanoseconds")
                .sampleType("inuse_space", "bytes").sampleType("wall", "nanoseconds")
                .function(1, "main.main").location(1, 1)
                .sample(new long[] {1}, new long[] {3, 30_000_000, 1, 5, 6, 7})
                .sample(new long[] {1}, new long[] {2, 20_000_000, 1, 5, 6, 7})
                .bytes();

        Profile profile = read(pprof);

        assertThat(profile.sampleTypes()).extracting(SampleType::profileType)
                .containsExactly(null, ProfileType.CPU, ProfileType.LOCK_COUNT, ProfileType.LOCK_DELAY, ProfileType.LIVE_BYTES,
                        ProfileType.WALL);
        int cpu = profile.sampleTypeIndex(ProfileType.CPU);
        assertThat(profile.total(cpu)).isEqualTo(50_000_000);
        // the samples/count column says how many samples are behind the mapped columns
        assertThat(profile.sampleCount(cpu)).isEqualTo(5);
        assertThat(profile.sampleCount(0)).isEqualTo(-1);
        assertThat(PprofSampleTypes.fromPyroscopeId("process_cpu:cpu:nanoseconds:cpu:nanoseconds")).isEqualTo(ProfileType.CPU);
        assertThat(PprofSampleTypes.fromPyroscopeId("memory:alloc_outside_tlab_bytes:bytes:space:bytes"))
                .isEqualTo(ProfileType.ALLOC_BYTES);
        assertThat(PprofSampleTypes.fromPyroscopeId("mutex:delay:nanoseconds:mutex:count")).isEqualTo(ProfileType.LOCK_DELAY);
        assertThat(PprofSampleTypes.fromPyroscopeId("process_cpu:samples:count:cpu:nanoseconds")).isNull();
    }

    @Test
    void inuseSpaceAndObjectsAreLiveBytesAndObjects() throws Exception {
        // Go's heap profile: alloc_* and inuse_* columns; the inuse ones are what is still live.
        byte[] pprof = new TestPprof()
                .sampleType("alloc_objects", "count").sampleType("alloc_space", "bytes")
                .sampleType("inuse_objects", "count").sampleType("inuse_space", "bytes")
                .function(1, "main.cacheSession").function(2, "main.handle").location(1, 1).location(2, 2)
                .sample(new long[] {1, 2}, new long[] {10, 5120, 8, 4096})
                .sample(new long[] {2}, new long[] {30, 30720, 0, 0})
                .bytes();

        Profile profile = read(pprof);

        assertThat(profile.sampleTypes()).extracting(SampleType::profileType).containsExactly(
                ProfileType.ALLOC_OBJECTS, ProfileType.ALLOC_BYTES, ProfileType.LIVE_OBJECTS, ProfileType.LIVE_BYTES);
        assertThat(profile.total(profile.sampleTypeIndex(ProfileType.LIVE_BYTES))).isEqualTo(4096);
        assertThat(profile.total(profile.sampleTypeIndex(ProfileType.LIVE_OBJECTS))).isEqualTo(8);
        // Pyroscope's Java live-object profile (jfr-parser's "live" column) holds counts only.
        assertThat(PprofSampleTypes.fromPyroscopeId("memory:live:count:objects:count")).isEqualTo(ProfileType.LIVE_OBJECTS);
        assertThat(PprofSampleTypes.profileType("inuse_space", "megabytes")).isNull();
    }

    @Test
    void periodGivesTheSampleCountWhenValuesAreWholePeriods() throws Exception {
        byte[] pprof = new TestPprof()
                .sampleType("cpu", "nanoseconds").periodType("cpu", "nanoseconds").varintField(12, 10_000_000)
                .varintField(9, 1_700_000_000_000_000_000L).varintField(10, 10_000_000_000L)
                .function(1, "a").location(1, 1)
                .sample(new long[] {1}, new long[] {30_000_000})
                .sample(false, new long[] {1}, new long[] {20_000_000}, Label.str("span", "x"))
                .bytes();

        Profile profile = read(pprof);

        assertThat(profile.sampleCount(0)).isEqualTo(5);
        assertThat(profile.startEpochNanos()).isEqualTo(1_700_000_000_000_000_000L);
        assertThat(profile.durationNanos()).isEqualTo(10_000_000_000L);
    }

    @Test
    void labelsAreKeptAndNumericLabelsCarryTheirUnit() throws Exception {
        byte[] pprof = new TestPprof()
                .sampleType("cpu", "nanoseconds")
                .function(1, "a").location(1, 1)
                .sample(new long[] {1}, new long[] {1}, Label.str("thread", "main"), Label.num("bytes", 64, "bytes"))
                .sample(new long[] {1}, new long[] {2}, Label.str("thread", "main"), Label.num("bytes", 64, "bytes"))
                .sample(new long[] {1}, new long[] {4}, Label.num("id", 3, null))
                .bytes();

        Profile profile = read(pprof);

        assertThat(profile.stackCount()).isEqualTo(2);
        assertThat(profile.labels(0)).isEqualTo(Map.of("thread", "main", "bytes", "64 bytes"));
        assertThat(profile.value(0, 0)).isEqualTo(3);
        assertThat(profile.labels(1)).isEqualTo(Map.of("id", "3"));
    }

    @Test
    void packedAndUnpackedSamplesReadTheSame() throws Exception {
        TestPprof packed = new TestPprof();
        TestPprof unpacked = new TestPprof();
        for (TestPprof p : List.of(packed, unpacked)) {
            p.sampleType("cpu", "nanoseconds").sampleType("samples", "count")
                    .function(1, "a").function(2, "b").location(1, 1).location(2, 2);
        }
        packed.sample(true, new long[] {2, 1}, new long[] {10, 1}).sample(true, new long[] {1}, new long[] {5, 1});
        unpacked.sample(false, new long[] {2, 1}, new long[] {10, 1}).sample(false, new long[] {1}, new long[] {5, 1});

        assertThat(stacks(read(unpacked.bytes()), 0)).isEqualTo(stacks(read(packed.bytes()), 0))
                .containsExactly(Map.entry("a", 5L), Map.entry("a;b", 10L));
    }

    @Test
    void unknownFieldsAreSkipped() throws Exception {
        ByteArrayOutputStream unknown = new ByteArrayOutputStream();
        TestPprof.tag(unknown, 99, 2);
        TestPprof.varint(unknown, 3);
        unknown.writeBytes(new byte[] {1, 2, 3});
        TestPprof.tag(unknown, 100, 5);
        unknown.writeBytes(new byte[] {1, 2, 3, 4});
        TestPprof.tag(unknown, 101, 1);
        unknown.writeBytes(new byte[8]);
        byte[] pprof = new TestPprof().sampleType("cpu", "nanoseconds").raw(unknown.toByteArray())
                .function(1, "a").location(1, 1).sample(new long[] {1}, new long[] {9}).bytes();

        assertThat(stacks(read(pprof), 0)).containsExactly(Map.entry("a", 9L));
    }

    // ------------------------------------------------------------------ errors name offset and reason

    @Test
    void missingLocationIsReportedWithItsSampleOffset() {
        byte[] pprof = new TestPprof().sampleType("cpu", "nanoseconds")
                .function(1, "a").location(1, 1).sample(new long[] {7}, new long[] {1}).bytes();

        assertThatThrownBy(() -> read(pprof)).isInstanceOf(InvalidProfileException.class)
                .hasMessageContaining("location id 7")
                .hasMessageContaining("not found")
                .satisfies(e -> assertThat(((InvalidProfileException) e).offset()).isPositive());
    }

    @Test
    void stringIndexOutOfRangeIsReported() {
        ByteArrayOutputStream function = new ByteArrayOutputStream();
        TestPprof.tag(function, 1, 0);
        TestPprof.varint(function, 1);
        TestPprof.tag(function, 2, 0);
        TestPprof.varint(function, 500);
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        TestPprof.field(field, 5, function.toByteArray());
        byte[] pprof = new TestPprof().sampleType("cpu", "nanoseconds").raw(field.toByteArray()).bytes();

        assertThatThrownBy(() -> read(pprof)).isInstanceOf(InvalidProfileException.class)
                .hasMessageContaining("string index 500 is out of range");
    }

    @Test
    void truncatedPprofNamesOffsetAndRemainingBytes() throws Exception {
        byte[] raw = gunzip(Files.readAllBytes(SharedFixtures.kafkaPprof().get(0)));
        byte[] cut = Arrays.copyOf(raw, raw.length / 2);

        assertThatThrownBy(() -> read(cut)).isInstanceOf(InvalidProfileException.class)
                .hasMessageMatching(".*invalid pprof profile at byte \\d+: .*(declares \\d+ bytes, only \\d+ remain|past the end).*");
    }

    /**
     * pprof frame names may hold any character; collapsed output is one stack per line and text. A name with a
     * control character (ESC, SOH, DEL) made {@code collapse}'s output unreadable as collapsed stacks ("not a
     * profile") and sent terminal escapes to the screen.
     */
    @Test
    void collapsedOutputOfNamesWithControlCharactersReadsBack() throws Exception {
        byte[] pprof = new TestPprof().sampleType("cpu", "nanoseconds")
                .function(1, "com.a.Esc\u001b[2Jape").function(2, "com.a.Ctl\u0001\u007f").function(3, "com.a.Semi;New\nLine")
                .function(4, "java.lang.Thread.run").location(1, 1).location(2, 2).location(3, 3).location(4, 4)
                .sample(new long[] {1, 4}, new long[] {10}).sample(new long[] {2, 4}, new long[] {20})
                .sample(new long[] {3, 4}, new long[] {30}).bytes();
        java.io.ByteArrayOutputStream collapsed = new java.io.ByteArrayOutputStream();
        new io.canaryjudge.profile.collapsed.CollapsedWriter().add(read(pprof), 0).writeTo(collapsed);

        assertThat(collapsed.toString(StandardCharsets.UTF_8)).isEqualTo("java.lang.Thread.run;com.a.Ctl   20\n"
                + "java.lang.Thread.run;com.a.Esc [2Jape 10\n" + "java.lang.Thread.run;com.a.Semi,New Line 30\n");
        Profile back = ProfileFiles.read(collapsed.toByteArray(), "collapsed", DEFAULTS.withCollapsedType(ProfileType.CPU)).get(0);
        assertThat(stacks(back, 0)).containsOnly(Map.entry("java.lang.Thread.run;com.a.Ctl", 20L),
                Map.entry("java.lang.Thread.run;com.a.Esc [2Jape", 10L), Map.entry("java.lang.Thread.run;com.a.Semi,New Line", 30L));
    }

    /** A negative value (a diff profile's) summed into the total once made the judge drop the file as empty. */
    @Test
    void negativeSampleValueIsRejected() {
        byte[] pprof = new TestPprof().sampleType("cpu", "nanoseconds")
                .function(1, "a").function(2, "b").location(1, 1).location(2, 2)
                .sample(new long[] {1}, new long[] {-100}).sample(new long[] {2}, new long[] {50}).bytes();

        assertThatThrownBy(() -> read(pprof)).isInstanceOf(InvalidProfileException.class)
                .hasMessageContaining("sample value -100 of cpu/nanoseconds is negative");
    }

    /** Two samples of Long.MAX_VALUE wrapped the total below zero: the file read as holding no samples. */
    @Test
    void totalBeyondALongIsRejected() {
        byte[] pprof = new TestPprof().sampleType("cpu", "nanoseconds")
                .function(1, "a").function(2, "b").location(1, 1).location(2, 2)
                .sample(new long[] {1}, new long[] {Long.MAX_VALUE}).sample(new long[] {2}, new long[] {1}).bytes();

        assertThatThrownBy(() -> read(pprof)).isInstanceOf(InvalidProfileException.class)
                .hasMessageContaining("sample value 1 of cpu/nanoseconds brings the profile's total above " + Long.MAX_VALUE);
    }

    @Test
    void badVarintIsReported() {
        byte[] bad = new byte[12];
        bad[0] = 0x48; // field 9 (time_nanos), varint
        Arrays.fill(bad, 1, 12, (byte) 0xFF);
        assertThatThrownBy(() -> read(bad)).isInstanceOf(InvalidProfileException.class)
                .hasMessageContaining("at byte 1: bad varint");
    }

    @Test
    void stackDeeperThanTheLimitIsRejected() {
        long[] deep = new long[20_000];
        Arrays.fill(deep, 1);
        byte[] pprof = new TestPprof().sampleType("cpu", "nanoseconds")
                .function(1, "recurse").location(1, 1).sample(deep, new long[] {1}).bytes();

        assertThatThrownBy(() -> read(pprof)).isInstanceOf(InvalidProfileException.class)
                .hasMessageContaining("exceeds the limit");
        assertThatThrownBy(() -> new PprofReader().read(ByteBuffer.wrap(pprof), "deep", DEFAULTS.withMaxStackDepth(100)))
                .hasMessageContaining("more than 100 frames");
    }

    @Test
    void moreSamplesThanTheLimitAreRejected() throws Exception {
        byte[] raw = gunzip(Files.readAllBytes(SharedFixtures.kafkaPprof().get(0)));
        assertThatThrownBy(() -> new PprofReader().read(ByteBuffer.wrap(raw), "kafka", DEFAULTS.withMaxSamples(10)))
                .isInstanceOf(InvalidProfileException.class)
                .hasMessageContaining("more than 10 samples");
    }

    @Test
    void sampleWithTheWrongNumberOfValuesIsRejected() {
        byte[] pprof = new TestPprof().sampleType("cpu", "nanoseconds").sampleType("samples", "count")
                .function(1, "a").location(1, 1).sample(new long[] {1}, new long[] {1}).bytes();
        assertThatThrownBy(() -> read(pprof)).hasMessageContaining("sample has 1 values, the profile declares 2 sample types");
    }

    // ------------------------------------------------------------------ helpers

    private static Profile read(byte[] pprof) throws InvalidProfileException {
        return new PprofReader().read(ByteBuffer.wrap(pprof), "test.pb", DEFAULTS).get(0);
    }

    /** Root-first normalised stacks of one column, merged over labels, zero totals dropped. */
    static Map<String, Long> stacks(Profile profile, int column) {
        Map<String, Long> stacks = new TreeMap<>();
        for (int s = 0; s < profile.stackCount(); s++) {
            List<String> frames = new ArrayList<>();
            for (int d = profile.stackDepth(s) - 1; d >= 0; d--) {
                frames.add(profile.functionName(profile.stackFunction(s, d)));
            }
            stacks.merge(String.join(";", frames), profile.value(s, column), Long::sum);
        }
        stacks.values().removeIf(v -> v == 0);
        return stacks;
    }

    /** jfr-parser's lines {@code frame;…;leaf [value]}, each frame normalised, equal stacks merged. */
    static Map<String, Long> peerStacks(Path expectedCollapsedGz) throws IOException {
        Map<String, Long> stacks = new TreeMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(expectedCollapsedGz)), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                int open = line.lastIndexOf(" [");
                stacks.merge(normalizedStack(line.substring(0, open)),
                        Long.parseLong(line.substring(open + 2, line.length() - 1)), Long::sum);
            }
        }
        return stacks;
    }

    /** Standard collapsed lines {@code frame;…;leaf value}, each frame normalised, equal stacks merged. */
    static Map<String, Long> collapsedStacks(Reader text) throws IOException {
        Map<String, Long> stacks = new TreeMap<>();
        BufferedReader reader = new BufferedReader(text);
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            stacks.merge(normalizedStack(line.substring(0, space)), Long.parseLong(line.substring(space + 1)), Long::sum);
        }
        stacks.values().removeIf(v -> v == 0);
        return stacks;
    }

    private static String normalizedStack(String frames) {
        List<String> names = new ArrayList<>();
        for (String frame : frames.split(";", -1)) {
            names.add(FrameNames.normalize(frame));
        }
        return String.join(";", names);
    }

    static byte[] gunzip(byte[] gzipped) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gzipped))) {
            return in.readAllBytes();
        }
    }
}
