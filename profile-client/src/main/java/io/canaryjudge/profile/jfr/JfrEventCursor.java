package io.canaryjudge.profile.jfr;

import java.nio.ByteBuffer;

/**
 * Walks a checked chunk's events in step with async-profiler's reader: {@link #next()} finds the
 * next event the reader will hand out (one of {@link JfrEventKind}), skipping the others exactly
 * as the reader skips them (by their declared size). Constant memory; the chunk's sizes were
 * validated by {@link JfrChunkScanner}.
 */
final class JfrEventCursor {
    private final int[] typeIds;
    private final boolean[] handedOut;
    private final JfrBytes bytes;
    private final int end;
    private int position;
    private int eventEnd;

    /**
     * @param chunkBytes the chunk from position 0 (positions here are relative to the chunk)
     * @param handedOut per {@link JfrEventKind} ordinal, whether the reader hands such events out
     *                  (all when it reads with {@code readEvent()}, one decoded class with
     *                  {@code readEvent(Class)}); the others are skipped as the reader skips them
     */
    JfrEventCursor(ByteBuffer chunkBytes, JfrChunk chunk, boolean[] handedOut) {
        this.typeIds = chunk.typeIds();
        this.handedOut = handedOut;
        this.position = JfrChunkScanner.CHUNK_HEADER_SIZE;
        this.end = chunk.size();
        this.bytes = new JfrBytes(chunkBytes, position, end);
    }

    /** Where the reader must stand before it decodes the event {@link #next()} finds. */
    int position() {
        return position;
    }

    /**
     * @return the {@link JfrEventKind} ordinal of the next handed-out event, or -1 at the chunk's end;
     *         afterwards {@link #eventEnd()} is that event's end
     */
    int next() throws JfrFormatException {
        while (position < end) {
            int start = position;
            bytes.seek(start);
            int size = bytes.eventSize(start, "event size");
            int kind = JfrChunkScanner.kindOf(typeIds, bytes.varint());
            position = start + size;
            if (kind >= 0 && handedOut[kind]) {
                eventEnd = position;
                return kind;
            }
        }
        return -1;
    }

    int eventEnd() {
        return eventEnd;
    }
}
