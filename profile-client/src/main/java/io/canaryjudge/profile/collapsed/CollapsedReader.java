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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Reads collapsed ("folded") stacks: one line per stack, frames root first joined by {@code ;},
 * a space, a non-negative integer ({@code a;b;c 42}). Frames may contain spaces — the count is
 * the last space-separated field; blank lines are skipped; {@code \r\n} line ends and a UTF-8
 * byte-order mark are accepted. Malformed UTF-8 becomes U+FFFD, as in most tools.
 *
 * <p>The text says nothing about what its numbers mean, so {@link ReadOptions#collapsedType()}
 * must: for {@code cpu} and {@code wall} they are sample counts (column unit {@code samples}, and
 * the profile's sample count is their sum); for other types they are in that type's unit
 * ({@code alloc_bytes}: bytes). Without a type this throws {@link ProfileTypeRequiredException}.
 */
public final class CollapsedReader implements ProfileReader {
    /** Counts longer than this many digits cannot be a {@code long}. */
    private static final int MAX_COUNT_DIGITS = 19;

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
        int[] frames = new int[64];
        long lineNumber = 0;
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
            int start = lineStart;
            int end = lineEnd;
            while (end > start && isBlank(b.get(end - 1))) {
                end--;
            }
            while (start < end && isBlank(b.get(start))) {
                start++;
            }
            if (start == end) {
                continue;
            }
            int space = end - 1;
            while (space > start && b.get(space) != ' ' && b.get(space) != '\t') {
                space--;
            }
            if (space == start) {
                throw error(source, lineStart, lineNumber, "expected \"frames count\", found no count");
            }
            long count = count(b, space + 1, end, source, lineStart, lineNumber);
            int framesEnd = space;
            while (framesEnd > start && isBlank(b.get(framesEnd - 1))) {
                framesEnd--;
            }
            if (++records > options.maxSamples()) {
                throw error(source, lineStart, lineNumber, "more than " + options.maxSamples()
                        + " stacks (raise the sample limit if this is genuine)");
            }
            int depth = 1;
            for (int i = start; i < framesEnd; i++) {
                if (b.get(i) == ';') {
                    depth++;
                }
            }
            if (depth > options.maxStackDepth()) {
                throw error(source, lineStart, lineNumber, "stack of " + depth + " frames exceeds the limit of "
                        + options.maxStackDepth() + " (raise the max stack depth if this is genuine)");
            }
            int length = framesEnd - start;
            if (length > line.length) {
                line = new byte[Math.max(length, line.length * 2)];
            }
            b.get(start, line, 0, length);
            String text = new String(line, 0, length, StandardCharsets.UTF_8);
            if (depth > frames.length) {
                frames = Arrays.copyOf(frames, Math.max(depth, frames.length * 2));
            }
            // Root first in the text, leaf first in the profile: fill from the back.
            int slot = depth;
            int frameStart = 0;
            for (int i = 0; i <= text.length(); i++) {
                if (i == text.length() || text.charAt(i) == ';') {
                    frames[--slot] = builder.function(text.substring(frameStart, i));
                    frameStart = i + 1;
                }
            }
            builder.add(builder.stack(frames, depth, 0), 0, count);
            total += count;
        }
        if (sampled) {
            builder.addSampleCount(0, total);
        }
        return List.of(builder.build());
    }

    private static long count(ByteBuffer b, int from, int to, String source, int lineStart, long lineNumber)
            throws InvalidProfileException {
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = b.get(i) - '0';
            if (digit < 0 || digit > 9 || to - from > MAX_COUNT_DIGITS) {
                byte[] field = new byte[Math.min(to - from, 40)];
                b.get(from, field);
                throw error(source, lineStart, lineNumber, "the last field \""
                        + new String(field, StandardCharsets.UTF_8) + "\" is not a count (a non-negative integer)");
            }
            value = value * 10 + digit;
            if (value < 0) {
                throw error(source, lineStart, lineNumber, "count overflows a 64-bit integer");
            }
        }
        return value;
    }

    private static boolean isBlank(byte c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    private static InvalidProfileException error(String source, int offset, long lineNumber, String reason) {
        return new InvalidProfileException(source, ProfileFormat.COLLAPSED, offset, "line " + lineNumber + ": " + reason);
    }
}
