package io.canaryjudge.profile.collapsed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canaryjudge.profile.FunctionTotals;
import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ProfileTypeRequiredException;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.SampleType;
import io.canaryjudge.profile.SharedFixtures;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CollapsedReaderTest {
    private static final ReadOptions CPU = ReadOptions.defaults().withCollapsedType(ProfileType.CPU);

    @Test
    void framesMayContainSpacesAndTheCountIsTheLastField() throws Exception {
        Profile profile = read("\uFEFFmain;com/shop/Cart.total;operator new(unsigned long) 5\r\n"
                + "\n"
                + "   \n"
                + "main;com/shop/Cart.total 2\n"
                + "main;com/shop/Cart.total 1", CPU);

        assertThat(profile.sampleTypes()).containsExactly(new SampleType("cpu", "samples", ProfileType.CPU));
        assertThat(profile.stackCount()).isEqualTo(2);
        assertThat(write(profile, 0)).isEqualTo("main;com.shop.Cart.total 3\nmain;com.shop.Cart.total;operator new 5\n");
        assertThat(profile.sampleCount(0)).isEqualTo(8);
        assertThat(profile.functionName(profile.stackFunction(0, 0))).isEqualTo("operator new");
        assertThat(profile.rawFunctionName(profile.stackFunction(0, 0))).isEqualTo("operator new(unsigned long)");
    }

    /** Lines sharing byte prefixes must not share frames unless whole frames match. */
    @Test
    void sharedPrefixesOfNeighbouringLinesKeepFramesApart() throws Exception {
        Profile profile = read("a;bc 1\na;b 2\na;b;c 4\nab;c 8\nab;c;d 16\nab 32\n", CPU);

        assertThat(write(profile, 0)).isEqualTo("a;b 2\na;b;c 4\na;bc 1\nab 32\nab;c 8\nab;c;d 16\n");
        assertThat(byName(profile.functionTotals(0), true))
                .isEqualTo(Map.of("bc", 1L, "b", 2L, "c", 12L, "d", 16L, "ab", 32L));
        assertThat(byName(profile.functionTotals(0), false))
                .isEqualTo(Map.of("a", 7L, "bc", 1L, "b", 6L, "c", 28L, "ab", 56L, "d", 16L));
    }

    @Test
    void cpuCountsAreSamplesAndNanosecondValuesCountOneSamplePerInterval() throws Exception {
        assertThat(read("a;b 3\na;c 4\n", CPU).sampleCount(0)).isEqualTo(7);
        // What `collapse` and jfr-parser write for 10 ms sampling: 7 samples, not 70 million.
        assertThat(read("a;b 30000000\na;c 40000000\n", CPU).sampleCount(0)).isEqualTo(7);
    }

    @Test
    void allocBytesValuesAreBytes() throws Exception {
        Profile profile = read("a;b 4096\n", ReadOptions.defaults().withCollapsedType(ProfileType.ALLOC_BYTES));
        assertThat(profile.sampleTypes()).containsExactly(new SampleType("alloc_bytes", "bytes", ProfileType.ALLOC_BYTES));
        assertThat(profile.total(0)).isEqualTo(4096);
        assertThat(profile.sampleCount(0)).isEqualTo(-1);
    }

    @Test
    void collapsedWithoutATypeAsksForOne() {
        assertThatThrownBy(() -> read("a;b 1\n", ReadOptions.defaults()))
                .isInstanceOf(ProfileTypeRequiredException.class)
                .hasMessageContaining("one of [cpu, wall, alloc_bytes");
    }

    @Test
    void malformedLineNamesItsNumberAndOffset() {
        String text = "a;b 1\n\na;c 2\na;d two\n";
        assertThatThrownBy(() -> read(text, CPU)).isInstanceOf(InvalidProfileException.class)
                .hasMessage("stacks.txt: invalid collapsed profile at byte 13: line 4: the last field \"two\" is not a count"
                        + " (a non-negative integer)");
        assertThatThrownBy(() -> read("a;b 1\nlonely\n", CPU)).hasMessageContaining("line 2: expected \"frames count\"");
    }

    /**
     * difffolded.pl writes "stack before after" and jfr-parser's two-value files "stack objects bytes": read with one
     * count, "c 5" became the leaf's name and 1234 its value, silently. A frame may still hold spaces and digits.
     */
    @Test
    void twoCountsPerLineAreRefusedNotReadAsAFrameName() throws Exception {
        assertThatThrownBy(() -> read("a;b 3\na;b;c 5 1234\n", CPU)).isInstanceOf(InvalidProfileException.class)
                .hasMessageContaining("line 2: two counts (\"5 1234\"): a differential or two-value collapsed file");
        assertThatThrownBy(() -> read("a;b\t7\t9\n", CPU)).hasMessageContaining("two counts");
        Profile spaced = read("main;Worker 2 loop;work 4\nmain;[thread 12];run x 3\n", CPU);
        assertThat(spaced.sampleCount(0)).isEqualTo(7);
    }

    /** A stack line whose count is out of range is a broken collapsed file, not some other kind of file. */
    @Test
    void countsOutOfRangeAreCollapsedFilesReportedAtTheirLine() throws Exception {
        String tooLarge = "a;b;c 99999999999999999999999\n";
        String negative = "a;b 1\na;b;c -5\n";
        String overflow = "a;b 9223372036854775807\na;c 9223372036854775807\n";
        for (String text : new String[] {tooLarge, negative, overflow}) {
            assertThat(ProfileFiles.detect(text.getBytes(StandardCharsets.UTF_8))).as(text).isEqualTo(ProfileFormat.COLLAPSED);
        }

        assertThatThrownBy(() -> ProfileFiles.read(tooLarge.getBytes(StandardCharsets.UTF_8), "big.txt", CPU))
                .isInstanceOf(InvalidProfileException.class).hasMessage("big.txt: invalid collapsed profile at byte 0:"
                        + " line 1: count 99999999999999999999999 is too large (at most 9223372036854775807)");
        assertThatThrownBy(() -> read("a 9223372036854775808\n", CPU))
                .hasMessageContaining("line 1: count 9223372036854775808 is too large");
        assertThat(read("a 9223372036854775807\n", CPU).total(0)).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> ProfileFiles.read(negative.getBytes(StandardCharsets.UTF_8), "neg.txt", CPU))
                .isInstanceOf(InvalidProfileException.class)
                .hasMessage("neg.txt: invalid collapsed profile at byte 6: line 2: count -5 is negative");
        assertThatThrownBy(() -> read(overflow, CPU)).isInstanceOf(InvalidProfileException.class)
                .hasMessageContaining("line 2: count 9223372036854775807 brings the file's total above 9223372036854775807");
        // a bare minus is no count at all
        assertThat(ProfileFiles.detect("a;b -\n".getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void absurdStackDepthIsRejected() {
        String deep = "f;".repeat(100_000) + "leaf 1\n";
        assertThatThrownBy(() -> read(deep, CPU)).isInstanceOf(InvalidProfileException.class)
                .hasMessageContaining("line 1: stack of 100001 frames exceeds the limit of 8192");
    }

    /**
     * Neither {@code compare} nor the service has a setting for the most stacks one file may hold, so the
     * message gives the remedy every entry point has: shorter files.
     */
    @Test
    void tooManyStacksNamesARemedyTheCallerHas() {
        String lines = "a;b 1\n".repeat(4);
        assertThatThrownBy(() -> read(lines, CPU.withMaxSamples(3))).isInstanceOf(InvalidProfileException.class)
                .hasMessageContaining("line 4: more than 3 stacks in one file: split it into shorter recordings")
                .hasMessageNotContaining("raise the sample limit");
    }

    /**
     * The Kafka pprof written as collapsed and read back keeps every function's self and
     * inclusive total (values are copied as they are; the type only names them).
     */
    @Test
    void kafkaPprofRoundTripsThroughCollapsedText() throws Exception {
        for (var file : SharedFixtures.kafkaPprof()) {
            Profile pprof = ProfileFiles.read(file, ReadOptions.defaults()).get(0);
            String text = write(pprof, 0);
            Profile back = ProfileFiles.read(text.getBytes(StandardCharsets.UTF_8), "back", CPU).get(0);

            assertThat(text.lines().count()).isEqualTo(back.stackCount());
            assertThat(byName(back.functionTotals(0), true)).isEqualTo(byName(pprof.functionTotals(0), true));
            assertThat(byName(back.functionTotals(0), false)).isEqualTo(byName(pprof.functionTotals(0), false));
            assertThat(write(back, 0)).isEqualTo(text);
            // Sorted by the line's text, however the writer compares stacks, and the same in bytes.
            List<String> lines = text.lines().map(line -> line.substring(0, line.lastIndexOf(' '))).toList();
            assertThat(lines).isSorted();
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            new CollapsedWriter().add(pprof, 0).writeTo(bytes);
            assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(text);
        }
    }

    /** Names that start other names: the character after the shorter one (';', ' ' or the end) orders the lines. */
    @Test
    void linesAreInTextOrderWhenOneFrameNameStartsAnother() throws Exception {
        String text = "a b;c 1\na;c 2\na 3\na!;c 4\nab 5\na;b 6\na b 7\n";
        String written = write(read(text, CPU), 0);
        List<String> stacks = written.lines().map(line -> line.substring(0, line.lastIndexOf(' '))).toList();
        assertThat(stacks).containsExactly("a", "a b", "a b;c", "a!;c", "a;b", "a;c", "ab");
    }

    @Test
    void writerMergesStacksThatDifferOnlyByLabelsAndSkipsZeros() throws Exception {
        Profile profile = read("a;b 0\nb;a 2\na;b 3\n", CPU);
        assertThat(write(profile, 0)).isEqualTo("a;b 3\nb;a 2\n");

        CollapsedWriter writer = new CollapsedWriter().add(profile, 0).add(profile, 0);
        StringWriter out = new StringWriter();
        writer.writeTo(out);
        assertThat(out.toString()).isEqualTo("a;b 6\nb;a 4\n");
    }

    static Map<String, Long> byName(FunctionTotals totals, boolean self) {
        Map<String, Long> byName = new HashMap<>();
        for (int f = 0; f < totals.functionCount(); f++) {
            long value = self ? totals.self(f) : totals.inclusive(f);
            if (value != 0) {
                byName.merge(totals.functionName(f), value, Long::sum);
            }
        }
        return byName;
    }

    static String write(Profile profile, int column) throws Exception {
        StringWriter out = new StringWriter();
        CollapsedWriter.write(profile, column, out);
        return out.toString();
    }

    private static Profile read(String text, ReadOptions options) throws InvalidProfileException {
        List<Profile> profiles = new CollapsedReader().read(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)),
                "stacks.txt", options);
        assertThat(profiles).hasSize(1);
        return profiles.get(0);
    }
}
