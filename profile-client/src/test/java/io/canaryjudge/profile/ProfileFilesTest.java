package io.canaryjudge.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ProfileFilesTest {
    private static final ReadOptions DEFAULTS = ReadOptions.defaults();

    @Test
    void formatsAreDetectedFromContentNotNames() throws Exception {
        byte[] gzippedPprof = Files.readAllBytes(SharedFixtures.kafkaPprof().get(0));
        byte[] jfr = gunzip(Files.readAllBytes(SharedFixtures.folder("jfr-parser").resolve("async-profiler.jfr.gz")));

        assertThat(ProfileFiles.detect(gzippedPprof)).isEqualTo(ProfileFormat.GZIP);
        assertThat(ProfileFiles.detect(gunzip(gzippedPprof))).isEqualTo(ProfileFormat.PPROF);
        assertThat(ProfileFiles.detect(jfr)).isEqualTo(ProfileFormat.JFR);
        assertThat(ProfileFiles.detect(utf8("a;b;c 42\nx y;z 1\n"))).isEqualTo(ProfileFormat.COLLAPSED);
        assertThat(ProfileFiles.detect(utf8("\n\r\n  a;b 0\r\n"))).isEqualTo(ProfileFormat.COLLAPSED);
        assertThat(ProfileFiles.detect(new byte[0])).isNull();
    }

    @Test
    void csvAndReadmeAreNotProfiles(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("cpu.pb.gz"), "time,pod,cpu\n2026-11-25T10:00:00Z,checkout-1,0.42\n");
        Path readme = Files.writeString(dir.resolve("profile.jfr"), "# Recordings\n\nThese files hold 10 s slices.\n");
        Path binary = Files.write(dir.resolve("image.pprof"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});

        for (Path file : new Path[] {csv, readme, binary}) {
            assertThat(ProfileFiles.detect(Files.readAllBytes(file))).as(file.toString()).isNull();
            assertThatThrownBy(() -> ProfileFiles.read(file, DEFAULTS)).isInstanceOf(NotAProfileException.class)
                    .hasMessageStartingWith(file + ": not a profile");
        }
    }

    /**
     * Text whose first line runs past what detection reads (5 MiB of frames with no line break) is not
     * taken for collapsed stacks; the message says why, rather than only "not collapsed stacks".
     */
    @Test
    void textWithAFirstLineTooLongToDetectSaysSo() {
        byte[] oneLine = utf8("frame;".repeat(900_000) + "leaf 1\n");
        assertThatThrownBy(() -> ProfileFiles.read(oneLine, "one-line.txt", DEFAULTS))
                .isInstanceOf(NotAProfileException.class)
                .hasMessageContaining("one-line.txt: not a profile")
                .hasMessageContaining("its first line is longer than 4 MiB");
        assertThatThrownBy(() -> ProfileFiles.read(utf8("time,pod\n" + "x".repeat(5 << 20)), "wide.csv", DEFAULTS))
                .isInstanceOf(NotAProfileException.class).hasMessageNotContaining("first line is longer");
    }

    @Test
    void emptyFileIsNotAProfile(@TempDir Path dir) throws Exception {
        Path empty = Files.write(dir.resolve("empty.pb"), new byte[0]);
        assertThatThrownBy(() -> ProfileFiles.read(empty, DEFAULTS)).isInstanceOf(NotAProfileException.class)
                .hasMessage(empty + ": not a profile: file is empty");
        assertThatThrownBy(() -> ProfileFiles.read(gzip(new byte[0]), "empty.gz", DEFAULTS))
                .isInstanceOf(NotAProfileException.class).hasMessageContaining("gzip content is empty");
    }

    @Test
    void missingFileNamesThePath(@TempDir Path dir) {
        Path missing = dir.resolve("nope.pb.gz");
        assertThatThrownBy(() -> ProfileFiles.read(missing, DEFAULTS)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(missing.toString());
    }

    /** A FIFO without a writer would block the open forever, a device never ends: neither is opened. */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void onlyRegularFilesAreOpened(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("slice.jfr");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assumeTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "no mkfifo here");
        Path zero = Files.createSymbolicLink(dir.resolve("zero.pb"), Path.of("/dev/zero"));

        for (Path file : new Path[] {fifo, zero}) {
            assertThatThrownBy(() -> ProfileFiles.read(file, DEFAULTS)).isInstanceOf(FileSystemException.class)
                    .hasMessage(file + ": " + RegularFile.NOT_REGULAR);
            assertThatThrownBy(() -> ProfileFiles.readHeap(file, DEFAULTS)).isInstanceOf(FileSystemException.class)
                    .hasMessage(file + ": " + RegularFile.NOT_REGULAR);
        }
        assertThatThrownBy(() -> ProfileFiles.read(dir, DEFAULTS)).hasMessage(dir + ": is a directory");
        Files.delete(zero); // the link, not /dev/zero: @TempDir would warn about it
    }

    @Test
    void gzipBombFailsAtTheLimit() throws Exception {
        byte[] bomb = gzip(new byte[8 << 20]); // 8 MiB of zeros in about 8 KiB
        assertThat(bomb.length).isLessThan(16 << 10);

        assertThatThrownBy(() -> ProfileFiles.read(bomb, "bomb.gz", DEFAULTS.withMaxDecompressedBytes(1 << 20)))
                .isInstanceOf(DecompressedSizeLimitException.class)
                .hasMessageEndingWith("gzip content inflates beyond the limit of 1048576 bytes")
                .satisfies(e -> assertThat(((InvalidProfileException) e).format()).isEqualTo(ProfileFormat.GZIP));
    }

    @Test
    void nestedGzipIsInflatedTwiceButNotThreeTimes() throws Exception {
        byte[] pprofGz = Files.readAllBytes(SharedFixtures.kafkaPprof().get(1));
        Profile once = ProfileFiles.read(pprofGz, "once", DEFAULTS).get(0);
        Profile twice = ProfileFiles.read(gzip(pprofGz), "twice", DEFAULTS).get(0);

        assertThat(twice.total(0)).isEqualTo(once.total(0)).isPositive();
        assertThat(twice.stackCount()).isEqualTo(once.stackCount());
        assertThatThrownBy(() -> ProfileFiles.read(gzip(gzip(pprofGz)), "thrice", DEFAULTS))
                .isInstanceOf(InvalidProfileException.class).hasMessageContaining("nested more than 2 levels");
    }

    @Test
    void gzippedCsvIsNotAProfile() {
        assertThatThrownBy(() -> ProfileFiles.read(gzip(utf8("a,b\n1,2\n")), "data.csv.gz", DEFAULTS))
                .isInstanceOf(NotAProfileException.class).hasMessageContaining("after inflating gzip");
    }

    @Test
    void corruptGzipIsInvalid() throws Exception {
        byte[] gz = Files.readAllBytes(SharedFixtures.kafkaPprof().get(0));
        byte[] cut = java.util.Arrays.copyOf(gz, gz.length / 2);
        assertThatThrownBy(() -> ProfileFiles.read(cut, "cut.pb.gz", DEFAULTS))
                .isInstanceOf(InvalidProfileException.class)
                .hasMessageStartingWith("cut.pb.gz: invalid gzip profile: corrupt gzip stream after");
    }

    /** GZIPInputStream's EOFException has no message: the reason is said in words, never "null". */
    @Test
    void gzipMagicAloneIsInvalidSayingTheDataEndsEarly() {
        assertThatThrownBy(() -> ProfileFiles.read(new byte[] {0x1f, (byte) 0x8b}, "two.gz", DEFAULTS))
                .isInstanceOf(InvalidProfileException.class)
                .hasMessage("two.gz: invalid gzip profile: corrupt gzip stream after 0 inflated bytes: the data ends early");
    }

    @Test
    void collapsedFileReadsWithAGivenType(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("stacks"), "main;work 3\nmain;idle 1\n");
        assertThatThrownBy(() -> ProfileFiles.read(file, DEFAULTS)).isInstanceOf(ProfileTypeRequiredException.class);

        Profile profile = ProfileFiles.read(file, DEFAULTS.withCollapsedType(ProfileType.CPU)).get(0);
        assertThat(profile.format()).isEqualTo(ProfileFormat.COLLAPSED);
        assertThat(profile.total(0)).isEqualTo(4);
    }

    @Test
    void collapsedFileDamagedAfterItsStartIsInvalidNotSkipped() {
        byte[] damaged = utf8("main;a 1\nmain;b 2\nmain;c 3\nmain;d\n");

        assertThat(ProfileFiles.detect(damaged)).isEqualTo(ProfileFormat.COLLAPSED);
        assertThatThrownBy(() -> ProfileFiles.read(damaged, "cut.txt", DEFAULTS.withCollapsedType(ProfileType.WALL)))
                .isInstanceOf(InvalidProfileException.class)
                .hasMessage("cut.txt: invalid collapsed profile at byte 27: line 4: expected \"frames count\", found no count");
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static byte[] gunzip(byte[] gzipped) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gzipped))) {
            return in.readAllBytes();
        }
    }

    /**
     * Each file's own limit bounds one file, not several inflated at once: concurrent uploads of a 1 MB gzip bomb
     * each inflated to the 256 MB limit (twice that while the buffer grew) and ran the service out of heap. The
     * files inflated at the same time share half the heap; one that would take more is refused naming it, and what
     * it held is given back.
     */
    @Test
    void filesInflatedAtOnceShareABudgetAndOneBeyondItIsRefusedNamingIt() throws Exception {
        byte[] bomb = gzip(new byte[32 << 20]); // 32 MiB of zeros
        ProfileFiles.InflateMemory budget = ProfileFiles.INFLATE_MEMORY;
        long inUse = budget.used();
        // Other files being inflated now hold all but 16 MiB of the budget.
        long others = budget.reserve(Runtime.getRuntime().maxMemory() / 2 - inUse - (16 << 20), 0, "others");
        try {
            // It would fit alone: not the file's fault, and not for good (a service answers "try again").
            assertThatThrownBy(() -> ProfileFiles.read(bomb, "pod-1/bomb.pb.gz", DEFAULTS))
                    .isInstanceOf(InflateMemoryBusyException.class)
                    .hasMessageContaining("pod-1/bomb.pb.gz")
                    .hasMessageContaining("of the memory this process keeps for inflating profiles")
                    .hasMessageContaining("files read at the same time hold");
        } finally {
            budget.release(others);
        }
        assertThat(budget.used()).as("the refused file gave back what it held").isEqualTo(inUse);

        // Alone it inflates (zeros are no profile) and gives its memory back once read.
        assertThatThrownBy(() -> ProfileFiles.read(bomb, "pod-1/bomb.pb.gz", DEFAULTS))
                .isInstanceOf(NotAProfileException.class);
        assertThat(budget.used()).isEqualTo(inUse);
    }

    /** A file that alone needs more than the whole budget is refused for good, not told to wait. */
    @Test
    void aFileBeyondTheWholeBudgetIsInvalidNotBusy() throws Exception {
        ProfileFiles.InflateMemory budget = new ProfileFiles.InflateMemory(10 << 20);
        long held = budget.reserve(6 << 20, 0, "a");
        assertThatThrownBy(() -> budget.reserve(12 << 20, 0, "big.pb.gz")).isInstanceOf(InvalidProfileException.class)
                .isNotInstanceOf(InflateMemoryBusyException.class).hasMessageContaining("-Xmx");
        assertThatThrownBy(() -> budget.reserve(5 << 20, 0, "b.pb.gz")).isInstanceOf(InflateMemoryBusyException.class);
        // A growing file counts what it holds itself: 4 held + 8 more is beyond the 10 MB whatever others hold.
        budget.release(held);
        long own = budget.reserve(4 << 20, 0, "c");
        assertThatThrownBy(() -> budget.reserve(8 << 20, own, "c")).isNotInstanceOf(InflateMemoryBusyException.class);
    }
}
