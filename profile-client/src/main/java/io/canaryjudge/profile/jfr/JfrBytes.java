package io.canaryjudge.profile.jfr;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked cursor over one region of a JFR file: everything the reader decodes goes
 * through it. Every read checks the region's end and fails with {@link JfrFormatException}
 * naming the position, so a lying length can never make the reader read past its region,
 * allocate from an untrusted count or loop. Reads the buffer's backing array directly (the
 * hot path of a large recording: about 2 bytes per varint, tens of millions of them).
 */
final class JfrBytes {
    private final byte[] bytes;
    /** Index in {@link #bytes} of the buffer's position 0. */
    private final int base;
    private int end;
    private int position;

    /**
     * @param buf   the file or chunk, array-backed; positions here are {@code buf}'s absolute positions
     * @param start first byte of the region
     * @param end   one past the last byte of the region
     */
    JfrBytes(ByteBuffer buf, int start, int end) {
        this.bytes = buf.array();
        this.base = buf.arrayOffset();
        this.position = start;
        this.end = end;
    }

    /** Moves to another region of the same buffer. */
    void region(int start, int end) {
        this.position = start;
        this.end = end;
    }

    int end() {
        return end;
    }

    int position() {
        return position;
    }

    int remaining() {
        return end - position;
    }

    byte get() throws JfrFormatException {
        if (position >= end) {
            throw new JfrFormatException(position, "unexpected end of data");
        }
        return bytes[base + position++];
    }

    /**
     * A varint for sizes, counts and type ids: 32-bit arithmetic, any number of continuation
     * bytes, shifts past 31 bits wrapping (as async-profiler's reader decodes them; a lying value
     * comes out negative or too large and is refused by the caller). JDK 2.1 chunks pad some
     * sizes to eight bytes ({@code df 84 80 80 80 80 80 00}), which decodes to the same value.
     */
    int varint() throws JfrFormatException {
        if (position < end) {
            byte first = bytes[base + position];
            if (first >= 0) {
                position++;
                return first;
            }
        }
        int result = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = get();
            result |= (b & 0x7f) << shift;
            if (b >= 0) {
                return result;
            }
        }
    }

    /** LEB128 varlong; the ninth byte carries 8 bits, as in JFR's compressed longs. */
    long varlong() throws JfrFormatException {
        if (position < end) {
            byte first = bytes[base + position];
            if (first >= 0) {
                position++;
                return first;
            }
        }
        long result = 0;
        for (int shift = 0; shift < 56; shift += 7) {
            byte b = get();
            result |= (b & 0x7fL) << shift;
            if (b >= 0) {
                return result;
            }
        }
        return result | (get() & 0xffL) << 56;
    }

    /**
     * Skips {@code count} varlongs (each at most nine bytes, as {@link #varlong()} reads them).
     * {@code count} may exceed the values left (a struct count times its fields): the end is
     * reached first and fails.
     */
    void skipVarlongs(long count) throws JfrFormatException {
        int p = base + position;
        int limit = base + end;
        byte[] b = bytes;
        for (long i = 0; i < count; i++) {
            int start = p;
            while (true) {
                if (p >= limit) {
                    position = p - base;
                    throw new JfrFormatException(position, "unexpected end of data");
                }
                if (b[p++] >= 0 || p - start == 9) {
                    break;
                }
            }
        }
        position = p - base;
    }

    /** Skips one value per entry of {@code sizes}: that many bytes, or a varlong where it is 0. */
    void skipScalars(byte[] sizes) throws JfrFormatException {
        for (byte size : sizes) {
            if (size == 0) {
                skipVarlongs(1);
            } else {
                skip(size);
            }
        }
    }

    /** A varint that counts or sizes something in this region: never more than {@code remaining()}. */
    int count(String what) throws JfrFormatException {
        int at = position;
        int value = varint();
        if (value < 0 || value > remaining()) {
            throw new JfrFormatException(at, what + " of " + Integer.toUnsignedString(value)
                    + " does not fit in the " + remaining() + " bytes left");
        }
        return value;
    }

    /** An event's leading size varint: positive and within the region, counted from {@code eventStart}. */
    int eventSize(int eventStart, String what) throws JfrFormatException {
        int value = varint();
        if (value <= 0 || value > end - eventStart) {
            throw new JfrFormatException(eventStart, what + " of " + Integer.toUnsignedString(value)
                    + " is not within the " + (end - eventStart) + " bytes left");
        }
        return value;
    }

    /**
     * A JFR string: 0 null, 1 empty, 2 constant-pool reference (returned as {@code null}; see
     * {@link #stringReference()}), 3 UTF-8, 4 UTF-16 chars as varints, 5 Latin-1.
     */
    String string() throws JfrFormatException {
        int at = position;
        byte encoding = get();
        switch (encoding) {
            case 0:
                return null;
            case 1:
                return "";
            case 2:
                varlong();
                return null;
            case 3:
            case 5: {
                int length = count("string length");
                String text = new String(bytes, base + position, length,
                        encoding == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
                position += length;
                return text;
            }
            case 4: {
                int length = count("string length");
                char[] chars = new char[length];
                for (int i = 0; i < length; i++) {
                    chars[i] = (char) varint();
                }
                return new String(chars);
            }
            default:
                throw new JfrFormatException(at, "unknown string encoding " + encoding);
        }
    }

    /**
     * The constant-pool key when the string at the current position is a reference into the
     * {@code java.lang.String} pool (encoding 2), else -1; does not move.
     */
    long stringReference() throws JfrFormatException {
        int at = position;
        if (position < end && bytes[base + position] == 2) {
            position++;
            long key = varlong();
            position = at;
            return key;
        }
        return -1;
    }

    /** Skips a JFR string without decoding it (same encodings and checks as {@link #string()}). */
    void skipString() throws JfrFormatException {
        int at = position;
        byte encoding = get();
        switch (encoding) {
            case 0:
            case 1:
                return;
            case 2:
                varlong();
                return;
            case 3:
            case 5:
                skip(count("string length"));
                return;
            case 4:
                for (int length = count("string length"); length > 0; length--) {
                    varint();
                }
                return;
            default:
                throw new JfrFormatException(at, "unknown string encoding " + encoding);
        }
    }

    void skip(int bytes) throws JfrFormatException {
        if (bytes < 0 || bytes > remaining()) {
            throw new JfrFormatException(position, "cannot skip " + bytes + " of the " + remaining() + " bytes left");
        }
        position += bytes;
    }

    void seek(int absolute) {
        position = absolute;
    }
}
