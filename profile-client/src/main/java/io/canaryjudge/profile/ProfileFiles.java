package io.canaryjudge.profile;

import io.canaryjudge.profile.collapsed.CollapsedReader;
import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.profile.heap.MemoryAreaSeries;
import io.canaryjudge.profile.jfr.JfrProfileReader;
import io.canaryjudge.profile.pprof.PprofReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads profile files of any supported format, detected from content, never from file names:
 * gzip is inflated (bounded by {@link ReadOptions#maxDecompressedBytes()}) and detected again;
 * JFR, pprof and collapsed text go to their {@link ProfileReader}s.
 *
 * <p>Detection is cheap and looks only at the start of the input: gzip and JFR by their magic
 * bytes, pprof by a structural check of its first top-level protobuf fields (field numbers 1..14
 * with the wire types profile.proto gives them), collapsed stacks by their first three lines
 * ({@code frames count}). OpenTelemetry's OTLP profiles (protobuf or JSON) are named as such
 * ({@link UnsupportedProfileFormatException}); anything else is {@link NotAProfileException}. A profile damaged after
 * its start is still detected, so that its reader reports where and how it is broken.
 */
public final class ProfileFiles {
    /** gzip inside gzip is inflated at most this many times; deeper nesting is an error, not a loop. */
    static final int MAX_GZIP_LEVELS = 2;
    /** The most bytes one Java array (hence one buffer) can hold. */
    private static final long MAX_BUFFER_BYTES = Integer.MAX_VALUE - 8;
    /** Top-level pprof fields that must be well formed before a binary input counts as pprof. */
    private static final int PPROF_FIELDS_TO_CHECK = 64;
    /** A pprof input cut short still counts as pprof after this many well-formed fields. */
    private static final int PPROF_FIELDS_BEFORE_DAMAGE = 4;
    /** Bytes looked at to tell text from binary. */
    private static final int TEXT_CHECK_BYTES = 4096;
    /** Bytes of collapsed text looked at: room for a first line of thousands of frames. */
    private static final int COLLAPSED_CHECK_BYTES = 4 << 20;
    /**
     * Non-blank lines that must read as {@code frames count} (all of them in shorter input).
     * Few enough that a collapsed file damaged further down is still recognised — and then
     * reported as invalid at the broken line — yet a README or CSV fails on its first line.
     */
    private static final int COLLAPSED_CHECK_LINES = 3;

    private ProfileFiles() {
    }

    /**
     * Reads a profile file. A plain JFR recording is read one chunk at a time
     * ({@link JfrProfileReader#read(RandomAccessFile, String, ReadOptions)}); another file is
     * mapped read-only into memory, not copied onto the heap. gzip content is
     * inflated into a heap buffer, bounded by {@link ReadOptions#maxDecompressedBytes()}.
     * Only regular files are read ({@link RegularFile}): a device or pipe has no size to bound.
     *
     * @throws NotAProfileException    the file is not a profile in any supported format
     * @throws InvalidProfileException the file is a profile but cannot be read, or is larger than
     *                                 {@link ReadOptions#maxDecompressedBytes()}
     * @throws IOException             the file cannot be opened ({@link java.nio.file.NoSuchFileException}
     *                                 names the path), or is not a regular file
     */
    public static List<Profile> read(Path file, ReadOptions options)
            throws IOException, NotAProfileException, InvalidProfileException {
        String source = file.toString();
        long size = RegularFile.size(file);
        long limit = Math.min(options.maxDecompressedBytes(), MAX_BUFFER_BYTES);
        if (size > limit) {
            throw new InvalidProfileException(source, null, -1,
                    "file of " + size + " bytes exceeds the limit of " + limit + " bytes");
        }
        ByteBuffer data;
        // A RandomAccessFile, not a FileChannel: its classes are in the JDK's class-data archive, so a
        // JFR file (read chunk by chunk) never loads the channel's ~30; other files map through it.
        try (RandomAccessFile opened = new RandomAccessFile(file.toFile(), "r")) {
            long length = opened.length();
            if (length > limit) {
                throw new InvalidProfileException(source, null, -1,
                        "file of " + length + " bytes exceeds the limit of " + limit + " bytes");
            }
            if (startsWithJfrMagic(opened)) {
                // Chunk by chunk: a large recording never sits in memory whole (see JfrProfileReader).
                try {
                    return new JfrProfileReader().read(opened, source, options);
                } catch (RuntimeException e) {
                    throw new InvalidProfileException(source, ProfileFormat.JFR, -1, "internal reader error: " + e, e);
                }
            }
            data = length == 0 ? ByteBuffer.allocate(0) : opened.getChannel().map(FileChannel.MapMode.READ_ONLY, 0, length);
        }
        try {
            return read(data, source, options);
        } catch (InternalError e) {
            // What the JVM throws when a mapped file shrinks under it (SIGBUS): not the reader's fault.
            throw new IOException(source + ": the file changed while it was read", e);
        }
    }

    /**
     * The heap used after garbage collections that a profile file records: a JFR recording's
     * {@code jdk.GCHeapSummary} events (plain or gzipped), read by {@link JfrProfileReader#readHeap};
     * an empty series for any other file (pprof and collapsed stacks hold no heap usage).
     *
     * @throws InvalidProfileException the file is a JFR recording but cannot be read, or is too large
     * @throws IOException             the file cannot be opened, or is not a regular file
     */
    public static HeapSeries readHeap(Path file, ReadOptions options) throws IOException, InvalidProfileException {
        return readRecorded(file, options, HEAP);
    }

    /**
     * {@link #readHeap(Path, ReadOptions)} of a file held in memory (an upload): the heap summaries of a JFR
     * recording, plain or gzipped; an empty series for any other content (a corrupt gzip too: reading it as a
     * profile reports that).
     *
     * @throws InvalidProfileException the content is a JFR recording but cannot be read
     */
    public static HeapSeries readHeap(byte[] data, String source, ReadOptions options) throws InvalidProfileException {
        return readRecorded(data, source, options, HEAP);
    }

    /**
     * The memory outside the heap a JFR recording holds (plain or gzipped), read by {@link JfrProfileReader#readAreas};
     * empty for any other file. Same limits and errors as {@link #readHeap(Path, ReadOptions)}.
     */
    public static MemoryAreaSeries readAreas(Path file, ReadOptions options) throws IOException, InvalidProfileException {
        return readRecorded(file, options, AREAS);
    }

    /** {@link #readAreas(Path, ReadOptions)} of a file held in memory (an upload); empty for any other content. */
    public static MemoryAreaSeries readAreas(byte[] data, String source, ReadOptions options) throws InvalidProfileException {
        return readRecorded(data, source, options, AREAS);
    }

    /**
     * One series a JFR recording may hold besides its profile (the heap after GC, the areas outside it): how it is read
     * from a file, from a buffer, and what a file that is not a JFR recording holds of it.
     */
    private record RecordedSeries<T>(FileRead<T> fromFile, BufferRead<T> fromBuffer, Function<String, T> empty) {
    }

    @FunctionalInterface
    private interface FileRead<T> {
        T read(JfrProfileReader reader, RandomAccessFile file, String source, ReadOptions options)
                throws IOException, InvalidProfileException;
    }

    @FunctionalInterface
    private interface BufferRead<T> {
        T read(JfrProfileReader reader, ByteBuffer data, String source) throws InvalidProfileException;
    }

    private static final RecordedSeries<HeapSeries> HEAP = new RecordedSeries<>(JfrProfileReader::readHeap,
            JfrProfileReader::readHeap, HeapSeries::empty);
    private static final RecordedSeries<MemoryAreaSeries> AREAS = new RecordedSeries<>(JfrProfileReader::readAreas,
            JfrProfileReader::readAreas, source -> MemoryAreaSeries.empty());

    /**
     * A series of a file: a plain JFR read one chunk at a time from the file, a gzipped one inflated (only when its
     * content is JFR), anything else empty. A reader's runtime failure is the file's error, named, not a crash.
     */
    private static <T> T readRecorded(Path file, ReadOptions options, RecordedSeries<T> series)
            throws IOException, InvalidProfileException {
        String source = file.toString();
        long size = RegularFile.size(file);
        long limit = Math.min(options.maxDecompressedBytes(), MAX_BUFFER_BYTES);
        if (size > limit) {
            throw new InvalidProfileException(source, null, -1, "file of " + size
                    + " bytes exceeds the limit of " + limit + " bytes");
        }
        try (RandomAccessFile opened = new RandomAccessFile(file.toFile(), "r")) {
            if (startsWithJfrMagic(opened)) {
                try {
                    return series.fromFile().read(new JfrProfileReader(), opened, source, options);
                } catch (RuntimeException e) {
                    throw new InvalidProfileException(source, ProfileFormat.JFR, -1, "internal reader error: " + e, e);
                }
            }
        }
        if (!gzippedJfr(file)) {
            return series.empty().apply(source); // pprof and collapsed text are not read at all
        }
        try (Inflated inflated = inflate(ByteBuffer.wrap(Files.readAllBytes(file)), source,
                options.maxDecompressedBytes())) {
            ByteBuffer data = inflated.data();
            if (detect(data) != ProfileFormat.JFR) {
                return series.empty().apply(source);
            }
            return series.fromBuffer().read(new JfrProfileReader(), data, source);
        } catch (RuntimeException e) {
            throw new InvalidProfileException(source, ProfileFormat.JFR, -1, "internal reader error: " + e, e);
        }
    }

    /** {@link #readRecorded(Path, ReadOptions, RecordedSeries)} of content held in memory (an upload). */
    private static <T> T readRecorded(byte[] data, String source, ReadOptions options, RecordedSeries<T> series)
            throws InvalidProfileException {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        Inflated inflated = null;
        if (detect(buffer) == ProfileFormat.GZIP) {
            try {
                inflated = inflate(buffer, source, options.maxDecompressedBytes());
            } catch (InvalidProfileException e) {
                return series.empty().apply(source);
            }
            buffer = inflated.data();
        }
        try {
            if (detect(buffer) != ProfileFormat.JFR) {
                return series.empty().apply(source);
            }
            return series.fromBuffer().read(new JfrProfileReader(), buffer, source);
        } catch (RuntimeException e) {
            throw new InvalidProfileException(source, ProfileFormat.JFR, -1, "internal reader error: " + e, e);
        } finally {
            if (inflated != null) {
                inflated.close();
            }
        }
    }

    /** Whether the file is gzip whose content starts with the JFR magic (only the first bytes are inflated). */
    private static boolean gzippedJfr(Path file) throws IOException {
        byte[] magic = new byte[2];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(magic, 0, 2) < 2 || magic[0] != (byte) 0x1f || magic[1] != (byte) 0x8b) {
                return false;
            }
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            byte[] head = in.readNBytes(4);
            return detect(ByteBuffer.wrap(head)) == ProfileFormat.JFR;
        } catch (IOException e) {
            return false; // a corrupt gzip is not a recording this can read; the profile reader reports it
        }
    }

    private static boolean startsWithJfrMagic(RandomAccessFile file) throws IOException {
        byte[] magic = new byte[4];
        int n = 0;
        for (int read; n < magic.length && (read = file.read(magic, n, magic.length - n)) > 0; ) {
            n += read; // a short read of a regular file is rare; read on until 4 bytes or the end
        }
        return n == magic.length && detect(ByteBuffer.wrap(magic)) == ProfileFormat.JFR;
    }

    /** Reads a profile held in memory (an upload, an HTTP response body); see {@link #read(Path, ReadOptions)}. */
    public static List<Profile> read(byte[] data, String source, ReadOptions options)
            throws NotAProfileException, InvalidProfileException {
        return read(ByteBuffer.wrap(data), source, options);
    }

    /**
     * Reads a profile from {@code data}'s position to its limit; see {@link #read(Path, ReadOptions)}.
     * The buffer's position is not changed.
     */
    public static List<Profile> read(ByteBuffer data, String source, ReadOptions options)
            throws NotAProfileException, InvalidProfileException {
        return read(data.slice(), source, options, 0);
    }

    private static List<Profile> read(ByteBuffer data, String source, ReadOptions options, int gzipLevel)
            throws NotAProfileException, InvalidProfileException {
        if (!data.hasRemaining()) {
            throw new NotAProfileException(source, gzipLevel == 0 ? "file is empty" : "gzip content is empty");
        }
        ProfileFormat format = detect(data);
        if ((format == null || format == ProfileFormat.PPROF) && looksLikeOtlp(data.slice())) {
            throw new UnsupportedProfileFormatException(source, OTLP_NOT_SUPPORTED);
        }
        if (format == null) {
            throw new NotAProfileException(source, "content is not gzip, JFR, pprof or collapsed stacks"
                    + (gzipLevel > 0 ? " (after inflating gzip)" : "") + firstLineTooLong(data.slice()));
        }
        ProfileReader reader = switch (format) {
            case GZIP -> null;
            case JFR -> new JfrProfileReader();
            case PPROF -> new PprofReader();
            case COLLAPSED -> new CollapsedReader();
        };
        if (reader == null) {
            if (gzipLevel >= MAX_GZIP_LEVELS) {
                throw new InvalidProfileException(source, ProfileFormat.GZIP, -1,
                        "gzip nested more than " + MAX_GZIP_LEVELS + " levels deep");
            }
            try (Inflated inflated = inflate(data, source, options.maxDecompressedBytes())) {
                return read(inflated.data(), source, options, gzipLevel + 1);
            }
        }
        try {
            return reader.read(data, source, options);
        } catch (RuntimeException e) {
            // The reader contract forbids this; name the file rather than let it escape.
            throw new InvalidProfileException(source, format, -1, "internal reader error: " + e, e);
        }
    }

    /** The format of {@code data} (position to limit), or {@code null} when it is none; see {@link #detect(ByteBuffer)}. */
    public static ProfileFormat detect(byte[] data) {
        return detect(ByteBuffer.wrap(data));
    }

    /**
     * The format of the bytes from {@code data}'s position to its limit, from content only:
     * {@link ProfileFormat#GZIP} (still to be inflated), {@link ProfileFormat#JFR},
     * {@link ProfileFormat#PPROF}, {@link ProfileFormat#COLLAPSED}, or {@code null} when it is
     * none of these (including empty input). Reads at most a few MiB; does not move the position.
     */
    public static ProfileFormat detect(ByteBuffer data) {
        ByteBuffer b = data.slice();
        int n = b.remaining();
        if (n >= 2 && b.get(0) == (byte) 0x1f && b.get(1) == (byte) 0x8b) {
            return ProfileFormat.GZIP;
        }
        if (n >= 4 && b.get(0) == 'F' && b.get(1) == 'L' && b.get(2) == 'R' && b.get(3) == 0) {
            return ProfileFormat.JFR;
        }
        if (n == 0) {
            return null;
        }
        if (looksLikeText(b)) {
            return CollapsedReader.looksLikeCollapsed(b, COLLAPSED_CHECK_BYTES, COLLAPSED_CHECK_LINES)
                    ? ProfileFormat.COLLAPSED : null;
        }
        return looksLikePprof(b) ? ProfileFormat.PPROF : null;
    }

    /** What to say of an OTLP profile: the format, and what to give instead. */
    static final String OTLP_NOT_SUPPORTED = "OTLP profiles (OpenTelemetry's profiles signal) are not supported;"
            + " convert them to pprof, or give the profiler's own output: JFR, pprof or collapsed stacks";
    /** OTLP JSON's top-level key, as protojson writes it (lowerCamelCase) or reads it (the proto name too). */
    private static final Pattern OTLP_JSON_KEY = Pattern.compile(
            "\"(?:resourceProfiles|resource_profiles)\"\\s*:");
    /** Bytes of JSON looked at for OTLP's top-level key. */
    private static final int OTLP_JSON_CHECK_BYTES = 64 << 10;

    /**
     * OpenTelemetry's profiles signal ({@code ProfilesData} or {@code ExportProfilesServiceRequest}, every version
     * so far): in JSON an object with the key {@code resourceProfiles} ({@code resource_profiles}) near its start;
     * in protobuf a first field 1 ({@code resource_profiles}) whose message starts with a length-delimited field
     * ({@code ResourceProfiles} holds only messages and strings). pprof's field 1 is {@code sample_type}, a
     * {@code ValueType} of two varints, so no readable pprof profile is taken for OTLP; async-profiler's
     * {@code jfrconv -o otlp} output is recognised so.
     */
    static boolean looksLikeOtlp(ByteBuffer b) {
        int n = b.limit();
        if (n == 0) {
            return false;
        }
        int first = 0;
        while (first < n && first < TEXT_CHECK_BYTES && Character.isWhitespace(b.get(first))) {
            first++;
        }
        if (first < n && b.get(first) == '{') {
            int end = Math.min(n, OTLP_JSON_CHECK_BYTES);
            byte[] head = new byte[end - first];
            b.get(first, head);
            String text = new String(head, StandardCharsets.ISO_8859_1);
            return OTLP_JSON_KEY.matcher(text).find();
        }
        if (b.get(0) != ((1 << 3) | 2)) {
            return false;
        }
        long length = varint(b, 1);
        if (length <= 0) {
            return false;
        }
        int content = 1 + varintLength(b, 1);
        if (content >= n) {
            return false;
        }
        long tag = varint(b, content);
        return tag > 0 && (tag & 7) == 2 && (tag >>> 3) >= 1 && (tag >>> 3) <= 3;
    }

    /** No control characters but tab, newline and carriage return in the first bytes. */
    /**
     * Why text was not taken for collapsed stacks when its first line does not end within the bytes
     * {@link #detect(ByteBuffer)} reads (a stack of hundreds of thousands of frames, or a file with no
     * line breaks): the reader needs to see one whole {@code frames count} line. Empty otherwise.
     */
    private static String firstLineTooLong(ByteBuffer b) {
        if (b.limit() <= COLLAPSED_CHECK_BYTES || !looksLikeText(b)) {
            return "";
        }
        for (int i = 0; i < COLLAPSED_CHECK_BYTES; i++) {
            if (b.get(i) == '\n') {
                return "";
            }
        }
        return "; its first line is longer than " + (COLLAPSED_CHECK_BYTES >> 20) + " MiB, and collapsed stacks"
                + " are read only when the first line (one stack: frames, a space, a count) ends within it";
    }

    private static boolean looksLikeText(ByteBuffer b) {
        int end = Math.min(b.limit(), TEXT_CHECK_BYTES);
        for (int i = 0; i < end; i++) {
            int c = b.get(i) & 0xFF;
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    /**
     * The first top-level fields are well-formed protobuf with the field numbers (1..14) and
     * wire types of profile.proto's {@code Profile}. Input that ends or turns bad after a few
     * good fields still counts: it is a damaged profile, for the reader to report precisely.
     */
    private static boolean looksLikePprof(ByteBuffer b) {
        int n = b.limit();
        int pos = 0;
        int fields = 0;
        while (fields < PPROF_FIELDS_TO_CHECK) {
            if (pos == n) {
                return fields > 0;
            }
            long tag = varint(b, pos);
            if (tag < 0) {
                return fields >= PPROF_FIELDS_BEFORE_DAMAGE;
            }
            pos += varintLength(b, pos);
            int field = tag > ((14 << 3) | 7) ? 0 : (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            boolean lengthDelimited = field >= 1 && field <= 6 || field == 11 || field == 13;
            boolean varint = field >= 7 && field <= 10 || field == 12 || field == 13 || field == 14;
            if (wireType == 2 && lengthDelimited) {
                long length = varint(b, pos);
                if (length < 0) {
                    return fields >= PPROF_FIELDS_BEFORE_DAMAGE;
                }
                pos += varintLength(b, pos);
                if (length > n - pos) {
                    return fields >= PPROF_FIELDS_BEFORE_DAMAGE;
                }
                pos += (int) length;
            } else if (wireType == 0 && varint) {
                if (varint(b, pos) < 0) {
                    return fields >= PPROF_FIELDS_BEFORE_DAMAGE;
                }
                pos += varintLength(b, pos);
            } else {
                return fields >= PPROF_FIELDS_BEFORE_DAMAGE;
            }
            fields++;
        }
        return true;
    }

    /** A varint at {@code pos} that fits 63 bits, or -1 when it is cut off or longer. */
    private static long varint(ByteBuffer b, int pos) {
        long result = 0;
        for (int shift = 0; shift < 63 && pos < b.limit(); shift += 7) {
            int c = b.get(pos++);
            result |= (long) (c & 0x7F) << shift;
            if ((c & 0x80) == 0) {
                return result;
            }
        }
        return -1;
    }

    private static int varintLength(ByteBuffer b, int pos) {
        int length = 1;
        while ((b.get(pos++) & 0x80) != 0) {
            length++;
        }
        return length;
    }

    /**
     * Inflates gzip (all members) into one buffer, failing as soon as the output would exceed
     * {@code limit} bytes: a gzip bomb costs at most {@code limit} bytes of memory.
     */
    static Inflated inflate(ByteBuffer gzip, String source, long limit) throws InvalidProfileException {
        long cap = Math.min(limit, MAX_BUFFER_BYTES);
        int first = (int) Math.min(cap + 1, Math.max(64 << 10, gzip.remaining() * 4L));
        long reserved = INFLATE_MEMORY.reserve(first, 0, source);
        byte[] out = new byte[first];
        int size = 0;
        try (InputStream in = new GZIPInputStream(new BufferInputStream(gzip.duplicate()), 64 << 10)) {
            while (true) {
                if (size == out.length) {
                    if (size > cap) {
                        throw new DecompressedSizeLimitException(source, cap);
                    }
                    int grown = (int) Math.min(cap + 1, Math.max(out.length * 2L, 64 << 10));
                    // The old and the new array are both alive while one is copied into the other.
                    reserved += INFLATE_MEMORY.reserve(grown, reserved, source);
                    out = Arrays.copyOf(out, grown);
                    INFLATE_MEMORY.release(reserved - grown);
                    reserved = grown;
                }
                int read = in.read(out, size, out.length - size);
                if (read < 0) {
                    break;
                }
                size += read;
            }
        } catch (InvalidProfileException e) {
            INFLATE_MEMORY.release(reserved);
            throw e;
        } catch (IOException | RuntimeException e) {
            INFLATE_MEMORY.release(reserved);
            // GZIPInputStream's EOFException carries no message: say what it means rather than "null"
            String reason = e.getMessage() != null ? e.getMessage()
                    : e instanceof EOFException ? "the data ends early" : e.getClass().getSimpleName();
            throw new InvalidProfileException(source, ProfileFormat.GZIP, -1,
                    "corrupt gzip stream after " + size + " inflated bytes: " + reason, e);
        }
        return new Inflated(ByteBuffer.wrap(out, 0, size).slice(), reserved);
    }

    /**
     * What a gzipped file inflated to, holding its share of {@link #INFLATE_MEMORY} until closed (when the content
     * has been read).
     */
    record Inflated(ByteBuffer data, long reserved) implements AutoCloseable {
        @Override
        public void close() {
            INFLATE_MEMORY.release(reserved);
        }
    }

    /**
     * The heap that inflated files may hold at once in this JVM, all threads together: half the maximum heap. Each
     * file's own limit ({@link ReadOptions#maxDecompressedBytes()}, 256 MB for uploads) bounds one file, not
     * several read at once: four concurrent uploads of a 1 MB gzip bomb would ask for 4 x 256 MB (twice that while
     * a buffer grows), and one alone overran a 512 MB heap. An OutOfMemoryError there left the request without an
     * answer and its analysis slot taken for good, or (with {@code -XX:+ExitOnOutOfMemoryError}, as shipped) ended
     * the process and every analysis in it. Beyond this budget a file is refused naming it, like one beyond its limit.
     */
    public static final InflateMemory INFLATE_MEMORY = new InflateMemory(Runtime.getRuntime().maxMemory() / 2);

    /** The budget of bytes shared by the files inflated at once, with what a refusal says. */
    public static final class InflateMemory {
        private final MemoryBudget budget;

        InflateMemory(long total) {
            this.budget = new MemoryBudget(total);
        }

        /**
         * Reserves {@code bytes} more for a file that holds {@code held} already, or throws naming {@code source}:
         * {@link InflateMemoryBusyException} when the file alone would fit but other files hold the rest now.
         */
        public long reserve(long bytes, long held, String source) throws InvalidProfileException {
            long total = budget.total();
            switch (budget.reserve(bytes, held)) {
                case RESERVED -> {
                    return bytes;
                }
                case BUSY -> throw new InflateMemoryBusyException(source, "inflating it needs " + ((held + bytes) >> 20)
                        + " MB of the memory this process keeps for inflating profiles (" + (total >> 20)
                        + " MB, half its heap), but files read at the same time hold " + ((budget.used() - held) >> 20)
                        + " MB of it now");
                default -> throw new InvalidProfileException(source, ProfileFormat.GZIP, -1, "inflating it needs more"
                        + " memory than this process keeps for inflating profiles (" + (total >> 20) + " MB, half its"
                        + " heap, shared by the files read at the same time; " + (budget.used() >> 20) + " MB in use):"
                        + " a gzip bomb, or a file too large for this heap (run java with a larger heap, -Xmx, to read"
                        + " it)");
            }
        }

        public void release(long bytes) {
            budget.release(bytes);
        }

        public long used() {
            return budget.used();
        }
    }

    /** Streams a buffer's remaining bytes without copying them first. */
    private static final class BufferInputStream extends InputStream {
        private final ByteBuffer buffer;

        BufferInputStream(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public int read() {
            return buffer.hasRemaining() ? buffer.get() & 0xFF : -1;
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            if (!buffer.hasRemaining()) {
                return -1;
            }
            int count = Math.min(length, buffer.remaining());
            buffer.get(target, offset, count);
            return count;
        }

        @Override
        public int available() {
            return buffer.remaining();
        }
    }
}
