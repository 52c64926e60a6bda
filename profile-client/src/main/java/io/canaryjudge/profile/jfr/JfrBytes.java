package io.canaryjudge.profile.jfr;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked cursor over one region of a JFR file, for the structural checks that run
 * before the bytes are handed to async-profiler's reader. Every read checks the region's end
 * and fails with {@link JfrFormatException} naming the absolute offset, so a lying length can
 * never make the scan read past its region, allocate from an untrusted count or loop.
 */
final class JfrBytes {
    private final ByteBuffer buf;
    private final int end;
    private int position;

    /**
     * @param buf   the whole file (absolute positions)
     * @param start first byte of the region
     * @param end   one past the last byte of the region
     */
    JfrBytes(ByteBuffer buf, int start, int end) {
        this.buf = buf;
        this.position = start;
        this.end = end;
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
        return buf.get(position++);
    }

    /**
     * A varint that must fit in a non-negative {@code int}. JDK 2.1 chunks pad some sizes to
     * eight bytes ({@code df 84 80 80 80 80 80 00}), so the encoding is read as a varlong.
     */
    int varint() throws JfrFormatException {
        int start = position;
        long value = varlong();
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new JfrFormatException(start, "value " + Long.toUnsignedString(value) + " too large for its field");
        }
        return (int) value;
    }

    /** LEB128 varlong; the ninth byte carries 8 bits, as in JFR's compressed longs. */
    long varlong() throws JfrFormatException {
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
     * A JFR string: 0 null, 1 empty, 2 constant-pool reference (returned as {@code null}: the
     * scan has no pools), 3 UTF-8, 4 UTF-16 chars as varints, 5 Latin-1.
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
                byte[] bytes = new byte[length];
                buf.get(position, bytes);
                position += length;
                return new String(bytes, encoding == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
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

    void seek(int absolute) {
        position = absolute;
    }
}
