package io.canaryjudge.profile.jfr;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The first of the reader's two passes over each chunk: checks the structure and counts what
 * is there, so that the second pass ({@link JfrRecordingDecoder}) knows every column and
 * sampling interval before it decodes an event.
 *
 * <p>For every chunk: magic, version 2.x, size within the file, constant-pool and metadata
 * offsets inside the chunk, a positive tick frequency; the metadata event (string table and
 * element tree bounded by the event's own length, nesting depth bounded); every event's size
 * (positive and inside the chunk), its type, and the sampling settings
 * ({@code jdk.ActiveSetting}). Only the two varints that start each event are read here.
 */
final class JfrChunkScanner {
    static final int CHUNK_HEADER_SIZE = 68;
    static final int CHUNK_MAGIC = 0x464c5200; // "FLR\0"
    static final int EVENT_TYPE_CHECKPOINT = 1;
    /**
     * Sample events of dd-trace-java's native profiler (ddprof, an async-profiler fork), which
     * this reader does not decode yet. dd-trace-java's JFR-based profiler writes the JDK's
     * events instead (as in the shared dd-trace-java recording) and is read normally.
     */
    static final List<String> FOREIGN_SAMPLE_EVENTS = List.of(
            "datadog.ExecutionSample", "datadog.MethodSample", "datadog.ObjectSample", "datadog.HeapLiveObject");

    private JfrChunkScanner() {
    }

    /**
     * @param buf the whole file, absolute positions from 0 to {@code limit()}
     * @return the chunks in file order; at least one
     */
    static List<JfrChunk> scan(ByteBuffer buf) throws JfrFormatException {
        List<JfrChunk> chunks = new ArrayList<>();
        JfrSamplingSettings settings = JfrSamplingSettings.NONE;
        JfrMetadata metadata = null;
        int limit = buf.limit();
        int pos = 0;
        while (pos < limit) {
            JfrChunk chunk = scanChunk(buf, pos, limit, settings, metadata, chunks.size(), 0);
            metadata = chunk.metadata();
            chunks.add(chunk);
            settings = chunk.settings();
            pos += chunk.size();
        }
        if (chunks.isEmpty()) {
            throw new JfrFormatException(0, "empty file");
        }
        return chunks;
    }

    /**
     * Checks the chunk at {@code pos} of {@code buf}.
     *
     * @param limit one past the file's last byte, in {@code buf}'s positions (the buffer may hold
     *              less when the header already shows the chunk is bad: the header is checked first)
     * @param previous the previous chunk's metadata, reused when this chunk's is the same; or null
     * @param base  the file offset of {@code buf}'s position 0 (0 for a whole file, the chunk's
     *              offset when the file is read one chunk at a time); the returned chunk's offset
     *              and the byte positions in messages are file offsets, the exception's offset is
     *              a position in {@code buf}
     */
    static JfrChunk scanChunk(ByteBuffer buf, int pos, int limit, JfrSamplingSettings inherited, JfrMetadata previous,
                              int index, int base)
            throws JfrFormatException {
        String which = "chunk " + (index + 1) + " at byte " + (base + pos);
        if (limit - pos < CHUNK_HEADER_SIZE) {
            throw new JfrFormatException(pos, "truncated: " + (limit - pos) + " bytes after the last chunk are too few for a chunk header (" + CHUNK_HEADER_SIZE + ")");
        }
        if (buf.getInt(pos) != CHUNK_MAGIC) {
            throw new JfrFormatException(pos, which + " does not start with the JFR magic FLR\\0");
        }
        int major = buf.getShort(pos + 4) & 0xffff;
        int minor = buf.getShort(pos + 6) & 0xffff;
        if (major != 2) {
            throw new JfrFormatException(pos + 4, which + " has JFR format version " + major + "." + minor
                    + "; only 2.x (JDK 11 and later, async-profiler) is supported");
        }
        long size = buf.getLong(pos + 8);
        if (size == 0) {
            throw new JfrFormatException(pos + 8, which + " is unfinished (size 0): the recording was still being written");
        }
        if (size < CHUNK_HEADER_SIZE) {
            throw new JfrFormatException(pos + 8, which + " declares an impossible size of " + size + " bytes");
        }
        if (size > limit - pos) {
            throw new JfrFormatException(pos + 8, "truncated: " + which + " declares " + size + " bytes but only "
                    + (limit - pos) + " remain");
        }
        int chunkSize = (int) size;
        int end = pos + chunkSize;
        long cpOffset = buf.getLong(pos + 16);
        long metaOffset = buf.getLong(pos + 24);
        if (cpOffset < CHUNK_HEADER_SIZE || cpOffset >= chunkSize) {
            throw new JfrFormatException(pos + 16, which + ": constant pool offset " + cpOffset + " lies outside the chunk"
                    + (cpOffset == 0 ? " (unfinished recording)" : ""));
        }
        if (metaOffset < CHUNK_HEADER_SIZE || metaOffset >= chunkSize) {
            throw new JfrFormatException(pos + 24, which + ": metadata offset " + metaOffset + " lies outside the chunk"
                    + (metaOffset == 0 ? " (unfinished recording)" : ""));
        }
        long startNanos = buf.getLong(pos + 32);
        long durationNanos = buf.getLong(pos + 40);
        long startTicks = buf.getLong(pos + 48);
        long ticksPerSecond = buf.getLong(pos + 56);
        if (ticksPerSecond <= 0) {
            throw new JfrFormatException(pos + 56, which + " declares a tick frequency of " + ticksPerSecond);
        }
        if (durationNanos < 0 || startNanos < 0) {
            throw new JfrFormatException(pos + 32, which + " declares a negative start or duration");
        }

        JfrMetadata metadata = JfrMetadata.read(buf, pos + (int) metaOffset, end, previous);

        int[] typeIds = new int[JfrEventKind.values().length];
        for (JfrEventKind kind : JfrEventKind.values()) {
            typeIds[kind.ordinal()] = metadata.classId(kind.eventName());
        }
        EventCounts counted = new EventCounts(typeIds.length, inherited);
        countEvents(buf, pos + CHUNK_HEADER_SIZE, end, which, metadata, typeIds, counted);
        return new JfrChunk(base + pos, chunkSize, startNanos, durationNanos, startTicks, ticksPerSecond, (int) cpOffset,
                metadata, typeIds, counted.counts, counted.settings, counted.foreign);
    }

    /** What {@link #countEvents} found in one chunk. */
    private static final class EventCounts {
        final long[] counts;
        long foreign;
        JfrSamplingSettings settings;

        EventCounts(int kinds, JfrSamplingSettings inherited) {
            this.counts = new long[kinds];
            this.settings = inherited;
        }
    }

    /** Codes of {@link #typeCodes} beside a kind's ordinal + 1: another producer's sample; a setting. */
    private static final byte FOREIGN = -1;
    private static final byte ACTIVE_SETTING = -2;

    /**
     * The events of one chunk, from {@code start} to {@code end}: every size checked, counted by
     * kind, settings read, {@value EventCounter#BATCH} events per call of {@link EventCounter#count}.
     * HotSpot compiles a method after ~100 calls, but a loop body inside one long call only after
     * ~60,000 iterations (on-stack replacement), and then compiles it a second time, inlined into
     * the loop's own compilation: with every event in this loop, a recording's first 60,000
     * events were interpreted and C2 compiled the scan twice.
     */
    private static void countEvents(ByteBuffer buf, int start, int end, String which, JfrMetadata metadata, int[] typeIds,
                                    EventCounts counted) throws JfrFormatException {
        EventCounter counter = new EventCounter(buf, start, end, which, metadata, typeIds, counted);
        for (int eventStart = start; eventStart < end; ) {
            eventStart = counter.count(eventStart, end);
        }
    }

    /** Checks and counts one chunk's events, a batch per call. */
    private static final class EventCounter {
        private final ByteBuffer buf;
        private final JfrBytes events;
        private final String which;
        /** Once per chunk: per event it was 100+ MB of garbage on 64 MiB. */
        private final String eventSizeName;
        private final JfrMetadata metadata;
        private final int[] typeIds;
        private final int[] foreignTypeIds;
        private final int activeSettingId;
        private final int executionSampleId;
        private final byte[] codes;
        private final long[] counts;
        private final EventCounts counted;

        EventCounter(ByteBuffer buf, int start, int end, String which, JfrMetadata metadata, int[] typeIds,
                     EventCounts counted) {
            this.buf = buf;
            this.events = new JfrBytes(buf, start, end);
            this.which = which;
            this.eventSizeName = which + ": event size";
            this.metadata = metadata;
            this.typeIds = typeIds;
            this.foreignTypeIds = foreignTypeIds(metadata);
            this.activeSettingId = metadata.classId("jdk.ActiveSetting");
            this.executionSampleId = typeIds[JfrEventKind.EXECUTION_SAMPLE.ordinal()];
            this.codes = typeCodes(typeIds, foreignTypeIds, activeSettingId);
            this.counts = counted.counts;
            this.counted = counted;
        }

        /** Events per call of {@link #count}: few enough that the method is compiled after ~100 calls. */
        static final int BATCH = 16;

        /**
         * Checks and counts up to {@link #BATCH} events from {@code eventStart}; returns where the
         * next one starts. The body is not a method of its own, so that C2 compiles it once.
         */
        int count(int eventStart, int end) throws JfrFormatException {
            for (int n = 0; n < BATCH && eventStart < end; n++) {
                events.seek(eventStart);
                int eventSize = events.eventSize(eventStart, eventSizeName);
                int type = events.varint();
                if (type < 0) {
                    throw new JfrFormatException(eventStart, which + ": negative event type " + type);
                }
                if (type == 'L' && buf.getInt(eventStart) == CHUNK_MAGIC) {
                    throw new JfrFormatException(eventStart, which + ": a chunk header inside the chunk");
                }
                int code = type < codes.length ? codes[type] : code(type, typeIds, foreignTypeIds, activeSettingId);
                if (code != 0) {
                    if (code > 0) {
                        counts[code - 1]++;
                    } else if (code == FOREIGN) {
                        counted.foreign++;
                    } else {
                        counted.settings = readActiveSetting(buf, eventStart, eventSize, metadata.activeSettingFields,
                                executionSampleId, counted.settings);
                    }
                }
                eventStart += eventSize;
            }
            return eventStart;
        }
    }

    /**
     * Per event type id, what the scan does with such events: kind ordinal + 1, {@link #FOREIGN},
     * {@link #ACTIVE_SETTING}, or 0 (skip). Ids 0 and 1 (metadata, checkpoint) are never events to count.
     */
    private static byte[] typeCodes(int[] typeIds, int[] foreignTypeIds, int activeSettingId) {
        int max = Math.max(activeSettingId, 1);
        for (int id : typeIds) {
            max = Math.max(max, id);
        }
        for (int id : foreignTypeIds) {
            max = Math.max(max, id);
        }
        // Ids come from the metadata's int attributes: a chunk declares a few hundred, a lying one
        // could declare 2^31; ids past the table are looked up one by one (code()).
        byte[] codes = new byte[Math.min(max, MAX_TABLE_TYPE_ID) + 1];
        for (int id = 0; id < codes.length; id++) {
            codes[id] = code(id, typeIds, foreignTypeIds, activeSettingId);
        }
        return codes;
    }

    private static final int MAX_TABLE_TYPE_ID = 1 << 16;

    private static byte code(int type, int[] typeIds, int[] foreignTypeIds, int activeSettingId) {
        int kind = kindOf(typeIds, type);
        if (kind >= 0) {
            return (byte) (kind + 1);
        }
        if (type > EVENT_TYPE_CHECKPOINT && contains(foreignTypeIds, type)) {
            return FOREIGN;
        }
        return type == activeSettingId && type > EVENT_TYPE_CHECKPOINT ? ACTIVE_SETTING : 0;
    }

    /** Type ids of the other producers' sample events this chunk declares (plain loop: no stream set-up at start-up). */
    private static int[] foreignTypeIds(JfrMetadata metadata) {
        int[] ids = new int[FOREIGN_SAMPLE_EVENTS.size()];
        int n = 0;
        for (String name : FOREIGN_SAMPLE_EVENTS) {
            int id = metadata.classId(name);
            if (id > EVENT_TYPE_CHECKPOINT) {
                ids[n++] = id;
            }
        }
        return Arrays.copyOf(ids, n);
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    static int kindOf(int[] typeIds, int type) {
        if (type <= EVENT_TYPE_CHECKPOINT) {
            return -1;
        }
        for (int k = 0; k < typeIds.length; k++) {
            if (typeIds[k] == type) {
                return k;
            }
        }
        return -1;
    }

    /** Fields of jdk.ActiveSetting up to {@code id} are numbers; then come name and value strings. */
    private static JfrSamplingSettings readActiveSetting(ByteBuffer buf, int eventStart, int eventSize,
                                                         List<String> fields, int executionSampleId,
                                                         JfrSamplingSettings settings) throws JfrFormatException {
        JfrBytes event = new JfrBytes(buf, eventStart, eventStart + eventSize);
        event.varint();
        event.varint();
        long settingOf = -1;
        for (String field : fields) {
            long value = event.varlong();
            if (field.equals("id")) {
                settingOf = value;
                break;
            }
        }
        String name = event.string();
        String value = event.string();
        if (name == null) {
            return settings;
        }
        if (name.equals("period") && settingOf == executionSampleId && executionSampleId >= 0) {
            return settings.withJdkPeriod(value);
        }
        return settings.withAsyncProfilerSetting(name, value);
    }
}
