package io.canaryjudge.profile.pprof;

import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.ProfileFormat;
import java.nio.ByteBuffer;

/**
 * A bounds-checked protobuf wire-format cursor over a region of a {@link ByteBuffer}, using
 * absolute reads so the buffer's own position is never touched. Every read checks the region's
 * end first, so a truncated or corrupt message becomes an {@link InvalidProfileException} naming
 * the byte offset — never an {@link IndexOutOfBoundsException}.
 *
 * <p>Nested messages are read with a child cursor over {@code [start, end)} of the same buffer
 * ({@link #message}), so nothing is copied.
 */
final class ProtoInput {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LEN = 2;
    static final int FIXED32 = 5;

    private final ByteBuffer buffer;
    private final String source;
    private final String messageName;
    private final int end;
    private int position;
    private int fieldStart;
    private int currentTag;

    ProtoInput(ByteBuffer buffer, String source, String messageName, int start, int end) {
        this.buffer = buffer;
        this.source = source;
        this.messageName = messageName;
        this.position = start;
        this.end = end;
    }

    boolean hasMore() {
        return position < end;
    }

    int position() {
        return position;
    }

    /** Offset where the field last returned by {@link #readTag} starts (its tag byte). */
    int fieldStart() {
        return fieldStart;
    }

    /**
     * Reads a field tag: {@code fieldNumber << 3 | wireType}.
     *
     * @throws InvalidProfileException on field number 0, a number beyond the protobuf maximum,
     *                                 or a wire type this decoder does not support (groups, 6, 7)
     */
    int readTag() throws InvalidProfileException {
        fieldStart = position;
        long tag = readVarint();
        long field = tag >>> 3;
        int wireType = (int) (tag & 7);
        if (field == 0 || field > 0x1FFF_FFFF) {
            throw error(fieldStart, "field number " + field + " is not valid");
        }
        if (wireType != VARINT && wireType != FIXED64 && wireType != LEN && wireType != FIXED32) {
            throw error(fieldStart, "field " + field + " has unsupported wire type " + wireType);
        }
        currentTag = (int) tag;
        return currentTag;
    }

    static int fieldNumber(int tag) {
        return tag >>> 3;
    }

    static int wireType(int tag) {
        return tag & 7;
    }

    /** A base-128 varint of at most 10 bytes, as an unsigned 64-bit value in a {@code long}. */
    long readVarint() throws InvalidProfileException {
        int start = position;
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= end) {
                throw error(start, "varint runs past the end of the " + messageName);
            }
            int b = buffer.get(position++);
            if (shift == 63 && (b & 0xFE) != 0) {
                throw error(start, "bad varint: more than 64 bits");
            }
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw error(start, "bad varint: longer than 10 bytes");
    }

    /** A varint that must fit a non-negative {@code int} (a string index, a count). */
    int readIndex(String what) throws InvalidProfileException {
        int start = position;
        long value = readVarint();
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw error(start, what + " " + Long.toUnsignedString(value) + " is out of range");
        }
        return (int) value;
    }

    /**
     * Reads the length of a length-delimited field and checks it against the bytes that remain.
     *
     * @return the end offset (exclusive) of the field's payload, which starts at {@link #position()}
     */
    int readLengthEnd() throws InvalidProfileException {
        int start = position;
        long length = readVarint();
        long remaining = end - position;
        if (length < 0 || length > remaining) {
            throw error(start, "field " + fieldNumber(currentTag) + " of the " + messageName + " declares "
                    + Long.toUnsignedString(length) + " bytes, only " + remaining + " remain");
        }
        return position + (int) length;
    }

    /** Moves to {@code offset}, an end returned by {@link #readLengthEnd} of this cursor. */
    void skipTo(int offset) {
        position = offset;
    }

    /** A child cursor over the payload of the current length-delimited field; skips it here. */
    ProtoInput message(String childName) throws InvalidProfileException {
        int childEnd = readLengthEnd();
        ProtoInput child = new ProtoInput(buffer, source, childName, position, childEnd);
        position = childEnd;
        return child;
    }

    /** Skips the value of a field of {@code wireType}. */
    void skip(int wireType) throws InvalidProfileException {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> skipBytes(8);
            case FIXED32 -> skipBytes(4);
            case LEN -> position = readLengthEnd();
            default -> throw error(fieldStart, "unsupported wire type " + wireType);
        }
    }

    private void skipBytes(int count) throws InvalidProfileException {
        if (end - position < count) {
            throw error(position, "fixed-size field runs past the end of the " + messageName);
        }
        position += count;
    }

    /**
     * Requires the current field to have {@code expected} wire type.
     *
     * @throws InvalidProfileException naming the field, the message and both wire types
     */
    void expect(int tag, int expected) throws InvalidProfileException {
        if (wireType(tag) != expected) {
            throw error(fieldStart, "field " + fieldNumber(tag) + " of the " + messageName + " has wire type "
                    + wireType(tag) + ", expected " + expected);
        }
    }

    /**
     * Calls {@code sink} for each value of a repeated varint field, whether packed (one
     * length-delimited run) or unpacked (this single varint).
     */
    void readRepeatedVarint(int tag, VarintSink sink) throws InvalidProfileException {
        if (wireType(tag) == VARINT) {
            sink.accept(readVarint());
            return;
        }
        expect(tag, LEN);
        int runEnd = readLengthEnd();
        ProtoInput run = new ProtoInput(buffer, source, messageName, position, runEnd);
        while (run.hasMore()) {
            sink.accept(run.readVarint());
        }
        position = runEnd;
    }

    InvalidProfileException error(long offset, String reason) {
        return new InvalidProfileException(source, ProfileFormat.PPROF, offset, reason);
    }

    String messageName() {
        return messageName;
    }

    @FunctionalInterface
    interface VarintSink {
        void accept(long value) throws InvalidProfileException;
    }
}
