package io.canaryjudge.profile.collapsed;

import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileBuilder;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileReader;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ProfileTypeRequiredException;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.SampleType;
import io.canaryjudge.profile.SamplingSetting;
import io.canaryjudge.profile.StackDepthLimitException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Reads collapsed ("folded") stacks: one line per stack, frames root first joined by {@code ;},
 * a space, a non-negative integer ({@code a;b;c 42}). Frames may contain spaces — the count is
 * the last space-separated field; blank lines are skipped; {@code \r\n} line ends and a UTF-8
 * byte-order mark are accepted. A root frame naming a thread ({@code [main tid=1234]}, async-profiler's
 * {@code threads} option) is left out: see {@link #isThreadFrame}. Malformed UTF-8 becomes U+FFFD, as in most tools.
 *
 * <p>The text says nothing about what its numbers mean, so {@link ReadOptions#collapsedType()}
 * must: for {@code cpu} and {@code wall} they are sample counts (column unit {@code samples}, and
 * the profile's sample count is their sum); for other types they are in that type's unit
 * ({@code alloc_bytes}: bytes). Without a type this throws {@link ProfileTypeRequiredException}.
 */
public final class CollapsedReader implements ProfileReader {
    @Override
    public ProfileFormat format() {
        return ProfileFormat.COLLAPSED;
    }

    @Override
    public List<Profile> read(ByteBuffer data, String source, ReadOptions options) throws InvalidProfileException {
        ProfileType type = options.collapsedType();
        if (type == null) {
            throw new ProfileTypeRequiredException(source);
        }
        boolean sampled = type == ProfileType.CPU || type == ProfileType.WALL;
        SampleType column = sampled ? new SampleType(type.id(), "samples", type) : SampleType.of(type);
        ProfileBuilder builder = new ProfileBuilder(source, ProfileFormat.COLLAPSED, List.of(column),
                options.maxStackDepth());

        ByteBuffer b = data.slice();
        int n = b.limit();
        int pos = n >= 3 && b.get(0) == (byte) 0xEF && b.get(1) == (byte) 0xBB && b.get(2) == (byte) 0xBF ? 3 : 0;
        byte[] line = new byte[256];
        byte[] previous = new byte[256];
        int previousLength = 0;
        int[] frames = new int[64];
        int[] rootFirst = new int[64];
        int[] frameEnds = new int[64];
        int[] previousRootFirst = new int[64];
        int[] previousFrameEnds = new int[64];
        int previousDepth = 0;
        long lineNumber = 0;
        long gcd = 0;
        long records = 0;
        long total = 0;
        while (pos < n) {
            lineNumber++;
            int lineStart = pos;
            int lineEnd = pos;
            while (lineEnd < n && b.get(lineEnd) != '\n') {
                lineEnd++;
            }
            pos = lineEnd + 1;
            int end = trimEnd(b, lineStart, lineEnd);
            int start = trimStart(b, lineStart, end);
            if (start == end) {
                continue;
            }
            int space = countSeparator(b, start, end);
            if (space == start) {
                throw error(source, lineStart, lineNumber, "expected \"frames count\", found no count");
            }
            long count = count(b, space + 1, end, source, lineStart, lineNumber);
            int framesEnd = trimEnd(b, start, space);
            if (endsInCount(b, start, framesEnd)) {
                // difffolded.pl's "stack before after", or jfr-parser's "stack objects bytes": read with one count,
                // the first count became part of the leaf's name and the second the value
                throw error(source, lineStart, lineNumber, "two counts (\"" + field(b, countSeparator(b, start,
                        framesEnd) + 1, end) + "\"): a differential or two-value collapsed file; give one count per line");
            }
            if (++records > options.maxSamples()) {
                throw error(source, lineStart, lineNumber, "more than " + options.maxSamples()
                        + " stacks in one file: " + ReadOptions.TOO_MANY_SAMPLES_REMEDY);
            }
            int depth = 1;
            for (int i = start; i < framesEnd; i++) {
                if (b.get(i) == ';') {
                    depth++;
                }
            }
            if (depth > options.maxStackDepth()) {
                throw new StackDepthLimitException(source, ProfileFormat.COLLAPSED, lineStart, "line " + lineNumber
                        + ": stack of " + depth + " frames exceeds the limit of " + options.maxStackDepth(),
                        options.maxStackDepth());
            }
            int length = framesEnd - start;
            if (length > line.length) {
                line = Arrays.copyOf(line, Math.max(length, line.length * 2));
            }
            b.get(start, line, 0, length);
            if (depth > frames.length) {
                int capacity = Math.max(depth, frames.length * 2);
                frames = new int[capacity];
                rootFirst = Arrays.copyOf(rootFirst, capacity);
                frameEnds = Arrays.copyOf(frameEnds, capacity);
            }
            // Sorted collapsed text repeats long prefixes: frames whose bytes (and the ';' after
            // them) equal the previous line's are not decoded or looked up again.
            int common = 0;
            int comparable = Math.min(length, previousLength);
            while (common < comparable && line[common] == previous[common]) {
                common++;
            }
            int reused = 0;
            while (reused < previousDepth && previousFrameEnds[reused] < common) {
                rootFirst[reused] = previousRootFirst[reused];
                frameEnds[reused] = previousFrameEnds[reused];
                reused++;
            }
            int frameStart = reused == 0 ? 0 : frameEnds[reused - 1] + 1;
            for (int f = reused; f < depth; f++) {
                int frameEnd = frameStart;
                while (frameEnd < length && line[frameEnd] != ';') {
                    frameEnd++;
                }
                rootFirst[f] = f == 0 && depth > 1 && isThreadFrame(line, frameEnd) ? THREAD_FRAME
                        : builder.function(new String(line, frameStart, frameEnd - frameStart, StandardCharsets.UTF_8));
                frameEnds[f] = frameEnd;
                frameStart = frameEnd + 1;
            }
            int root = rootFirst[0] == THREAD_FRAME ? 1 : 0;
            for (int f = root; f < depth; f++) {
                frames[depth - 1 - f] = rootFirst[f]; // leaf first in the profile
            }
            byte[] swapBytes = previous;
            previous = line;
            line = swapBytes.length >= previous.length ? swapBytes : new byte[previous.length];
            previousLength = length;
            int[] swap = previousRootFirst;
            previousRootFirst = rootFirst;
            rootFirst = swap.length >= rootFirst.length ? swap : new int[rootFirst.length];
            swap = previousFrameEnds;
            previousFrameEnds = frameEnds;
            frameEnds = swap.length >= frameEnds.length ? swap : new int[frameEnds.length];
            previousDepth = depth;
            try {
                total = Math.addExact(total, count);
            } catch (ArithmeticException e) {
                throw error(source, lineStart, lineNumber, "count " + count + " brings the file's total above "
                        + Long.MAX_VALUE + " (the most a 64-bit total holds)");
            }
            builder.add(builder.stack(frames, depth - root, 0), 0, count);
            gcd = SamplingSetting.commonDivisor(gcd, count);
        }
        if (sampled) {
            // Collapsed cpu/wall values are sample counts (the collapsed format has no unit), but tools that write
            // nanoseconds (jfr-parser, our own `collapse`) give values that are all multiples of the
            // sampling interval; counting each interval as one sample keeps the judge's sampling
            // noise honest instead of claiming 10^7 samples per 10 ms tick.
            builder.addSampleCount(0, gcd > 1 ? total / gcd : total);
        }
        return List.of(builder.build());
    }

    /** {@code rootFirst}'s mark for a root frame that names a thread and is left out. */
    private static final int THREAD_FRAME = -1;

    /**
     * Whether the root frame {@code line[0, end)} names a thread, as async-profiler's {@code threads} option and
     * jfrconv's {@code --threads} write it: {@code [pool-1-thread-3 tid=1234]} (the OS thread name, cut to 15
     * characters, and its id), {@code [tid=1234]} for a thread without a name. The id is new in every JVM and
     * pool threads are numbered in start order, so such a root would be a vanished path in the baseline and a
     * new hot path in the canary for the same work; the same recording read as JFR or pprof has no thread frames
     * (async-profiler's pprof puts threads in a label). The frame is left out, the stack kept.
     */
    static boolean isThreadFrame(byte[] line, int end) {
        if (end < 7 || line[0] != '[' || line[end - 1] != ']') {
            return false;
        }
        int digits = end - 1;
        while (digits > 0 && line[digits - 1] >= '0' && line[digits - 1] <= '9') {
            digits--;
        }
        int tid = digits - 4;
        return digits < end - 1 && tid >= 1 && line[tid] == 't' && line[tid + 1] == 'i' && line[tid + 2] == 'd'
                && line[tid + 3] == '=' && (tid == 1 || line[tid - 1] == ' ');
    }

    /**
     * The count field {@code [from, to)}. A negative or too large integer is a count out of range, reported as
     * such (the line is a stack, {@link #looksLikeCollapsed} says so too); anything else is not a count.
     */
    private static long count(ByteBuffer b, int from, int to, String source, int lineStart, long lineNumber)
            throws InvalidProfileException {
        boolean negative = to - from > 1 && b.get(from) == '-';
        long value = 0;
        boolean tooLarge = false;
        for (int i = negative ? from + 1 : from; i < to; i++) {
            int digit = b.get(i) - '0';
            if (digit < 0 || digit > 9) {
                throw error(source, lineStart, lineNumber, "the last field \"" + field(b, from, to)
                        + "\" is not a count (a non-negative integer)");
            }
            if (value > (Long.MAX_VALUE - digit) / 10) {
                tooLarge = true;
            } else {
                value = value * 10 + digit;
            }
        }
        if (negative) {
            throw error(source, lineStart, lineNumber, "count " + field(b, from, to) + " is negative");
        }
        if (tooLarge) {
            throw error(source, lineStart, lineNumber, "count " + field(b, from, to) + " is too large (at most "
                    + Long.MAX_VALUE + ")");
        }
        return value;
    }

    /** The text of {@code [from, to)} for a message, cut after 40 bytes. */
    private static String field(ByteBuffer b, int from, int to) {
        byte[] field = new byte[Math.min(to - from, 40)];
        b.get(from, field);
        return new String(field, StandardCharsets.UTF_8) + (to - from > field.length ? "…" : "");
    }

    private static boolean isBlank(byte c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    /** First non-blank position in [from, to), or {@code to}. */
    private static int trimStart(ByteBuffer b, int from, int to) {
        while (from < to && isBlank(b.get(from))) {
            from++;
        }
        return from;
    }

    /** End of [from, to) without trailing blanks (and the CR of CRLF). */
    private static int trimEnd(ByteBuffer b, int from, int to) {
        while (to > from && isBlank(b.get(to - 1))) {
            to--;
        }
        return to;
    }

    /** Whether [start, end) ends in a space or tab and digits after its last frame separator: a second count. */
    private static boolean endsInCount(ByteBuffer b, int start, int end) {
        int space = countSeparator(b, start, end);
        if (space == start || space + 1 >= end) {
            return false;
        }
        for (int i = space + 1; i < end; i++) {
            byte c = b.get(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Position of the last space or tab in [start, end) — before the count — or {@code start} when none. */
    private static int countSeparator(ByteBuffer b, int start, int end) {
        int space = end - 1;
        while (space > start && b.get(space) != ' ' && b.get(space) != '\t') {
            space--;
        }
        return space;
    }

    /**
     * Content detection: the first non-blank lines (at most {@code maxLines}, within the first
     * {@code maxBytes}) end in a space and an integer after some frames. A line cut by
     * the window is not judged. Only the first lines are judged, so a file damaged further down is
     * still read as collapsed and reported at its broken line. A negative or too large count still
     * makes a stack line: such a file is a broken collapsed file, for the reader to report at that
     * line, not some other kind of file.
     */
    public static boolean looksLikeCollapsed(ByteBuffer b, int maxBytes, int maxLines) {
        int n = b.limit();
        int windowEnd = Math.min(n, maxBytes);
        int checked = 0;
        int pos = 0;
        while (pos < windowEnd && checked < maxLines) {
            int lineEnd = pos;
            while (lineEnd < windowEnd && b.get(lineEnd) != '\n') {
                lineEnd++;
            }
            if (lineEnd == windowEnd && windowEnd < n) {
                break;
            }
            int end = trimEnd(b, pos, lineEnd);
            int start = trimStart(b, pos, end);
            pos = lineEnd + 1;
            if (start == end) {
                continue;
            }
            int space = countSeparator(b, start, end);
            int digits = end - space > 2 && b.get(space + 1) == '-' ? space + 2 : space + 1;
            if (space == start || digits == end) {
                return false;
            }
            for (int i = digits; i < end; i++) {
                if (b.get(i) < '0' || b.get(i) > '9') {
                    return false;
                }
            }
            checked++;
        }
        return checked > 0;
    }

    private static InvalidProfileException error(String source, int offset, long lineNumber, String reason) {
        return new InvalidProfileException(source, ProfileFormat.COLLAPSED, offset, "line " + lineNumber + ": " + reason);
    }
}
