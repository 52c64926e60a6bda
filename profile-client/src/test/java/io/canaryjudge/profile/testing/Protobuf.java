package io.canaryjudge.profile.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.LongConsumer;

/**
 * Just enough protobuf for the Pyroscope stand-in: a reader over a byte range and a writer, from the
 * wire format (varint, 64-bit, length-delimited, 32-bit). Deliberately independent of the pprof reader
 * under test, so the stand-in cannot share its bugs.
 */
final class Protobuf {
    static final int VARINT = 0;
    static final int I64 = 1;
    static final int LEN = 2;
    static final int I32 = 5;

    private Protobuf() {
    }

    /** Reads the fields of one message from {@code data[from, to)}. */
    static final class Reader {
        private final byte[] data;
        private int pos;
        private final int end;

        Reader(byte[] data) {
            this(data, 0, data.length);
        }

        Reader(byte[] data, int from, int to) {
            this.data = data;
            this.pos = from;
            this.end = to;
        }

        boolean more() {
            return pos < end;
        }

        /** The next tag: {@code field << 3 | wireType}. */
        int tag() {
            long tag = varint();
            if (tag >>> 3 == 0 || tag > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("bad protobuf tag " + tag + " at offset " + pos);
            }
            return (int) tag;
        }

        long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new IllegalArgumentException("protobuf varint cut off at offset " + pos);
                }
                int b = data[pos++];
                result |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new IllegalArgumentException("protobuf varint longer than 10 bytes at offset " + pos);
        }

        long fixed64() {
            if (end - pos < 8) {
                throw new IllegalArgumentException("protobuf fixed64 cut off at offset " + pos);
            }
            long result = 0;
            for (int i = 0; i < 8; i++) {
                result |= (long) (data[pos++] & 0xFF) << (8 * i);
            }
            return result;
        }

        /** A length-delimited field's contents as a reader. */
        Reader message() {
            long length = varint();
            if (length < 0 || length > end - pos) {
                throw new IllegalArgumentException("protobuf length " + length + " runs past the end at offset " + pos);
            }
            Reader sub = new Reader(data, pos, pos + (int) length);
            pos += (int) length;
            return sub;
        }

        String string() {
            Reader sub = message();
            return new String(sub.data, sub.pos, sub.end - sub.pos, StandardCharsets.UTF_8);
        }

        /** A repeated varint field, packed or not. */
        void varints(int wireType, LongConsumer each) {
            if (wireType == LEN) {
                Reader packed = message();
                while (packed.more()) {
                    each.accept(packed.varint());
                }
            } else if (wireType == VARINT) {
                each.accept(varint());
            } else {
                throw new IllegalArgumentException("wire type " + wireType + " for a varint field at offset " + pos);
            }
        }

        void skip(int wireType) {
            switch (wireType) {
                case VARINT -> varint();
                case I64 -> fixed64();
                case LEN -> message();
                case I32 -> {
                    if (end - pos < 4) {
                        throw new IllegalArgumentException("protobuf fixed32 cut off at offset " + pos);
                    }
                    pos += 4;
                }
                default -> throw new IllegalArgumentException("unsupported wire type " + wireType + " at offset " + pos);
            }
        }
    }

    /** Writes fields of one message. */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer varint(int field, long value) {
            tag(field, VARINT);
            rawVarint(value);
            return this;
        }

        /** A varint field only when not zero (proto3 leaves defaults out). */
        Writer varintIfSet(int field, long value) {
            return value == 0 ? this : varint(field, value);
        }

        Writer string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Writer bytes(int field, byte[] value) {
            tag(field, LEN);
            rawVarint(value.length);
            out.writeBytes(value);
            return this;
        }

        Writer message(int field, Writer message) {
            return bytes(field, message.toByteArray());
        }

        Writer packed(int field, long[] values) {
            if (values.length == 0) {
                return this;
            }
            Writer packed = new Writer();
            for (long value : values) {
                packed.rawVarint(value);
            }
            return bytes(field, packed.toByteArray());
        }

        Writer doubleValue(int field, double value) {
            tag(field, I64);
            long bits = Double.doubleToLongBits(value);
            for (int i = 0; i < 8; i++) {
                out.write((int) (bits >>> (8 * i)) & 0xFF);
            }
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }

        private void tag(int field, int wireType) {
            rawVarint((long) field << 3 | wireType);
        }

        private void rawVarint(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) (value & 0x7F) | 0x80);
                value >>>= 7;
            }
            out.write((int) value);
        }
    }
}
