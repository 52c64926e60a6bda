package io.canaryjudge.profile.jfr;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks the structure of a JFR file before async-profiler's reader sees it, because that reader
 * trusts its input: an event of size 0 makes it loop forever, a checkpoint chain that points
 * back to itself re-reads pools forever, a chunk size past the end makes it stop silently.
 *
 * <p>For every chunk: magic, version 2.x, size within the file, constant-pool and metadata
 * offsets inside the chunk, a positive tick frequency; the metadata event (string table and
 * element tree bounded by the event's own length, nesting depth bounded); the checkpoint chain
 * (every link inside the chunk, no link visited twice); and every event's size (positive and
 * inside the chunk). It also reads what the reader needs and the library does not expose: the
 * type ids of the sampled events and the sampling settings.
 */
final class JfrChunkScanner {
    static final int CHUNK_HEADER_SIZE = 68;
    static final int CHUNK_MAGIC = 0x464c5200; // "FLR\0"
    private static final int METADATA_MAX_DEPTH = 32;
    private static final int EVENT_TYPE_METADATA = 0;
    private static final int EVENT_TYPE_CHECKPOINT = 1;

    private JfrChunkScanner() {
    }

    /**
     * @param buf the whole file, absolute positions from 0 to {@code limit()}
     * @return the chunks in file order; at least one
     */
    static List<JfrChunk> scan(ByteBuffer buf) throws JfrFormatException {
        List<JfrChunk> chunks = new ArrayList<>();
        JfrSamplingSettings settings = JfrSamplingSettings.NONE;
        int limit = buf.limit();
        int pos = 0;
        while (pos < limit) {
            JfrChunk chunk = scanChunk(buf, pos, limit, settings, chunks.size());
            chunks.add(chunk);
            settings = chunk.settings();
            pos += chunk.size();
        }
        if (chunks.isEmpty()) {
            throw new JfrFormatException(0, "empty file");
        }
        return chunks;
    }

    private static JfrChunk scanChunk(ByteBuffer buf, int pos, int limit, JfrSamplingSettings inherited, int index)
            throws JfrFormatException {
        String which = "chunk " + (index + 1) + " at byte " + pos;
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

        Metadata metadata = readMetadata(buf, pos + (int) metaOffset, end);
        checkCheckpointChain(buf, pos, (int) cpOffset, end);

        int[] typeIds = new int[JfrEventKind.values().length];
        for (JfrEventKind kind : JfrEventKind.values()) {
            Integer id = metadata.classIds.get(kind.eventName());
            typeIds[kind.ordinal()] = id == null ? -1 : id;
        }
        long[] counts = new long[typeIds.length];
        JfrSamplingSettings settings = inherited;
        Integer activeSetting = metadata.classIds.get("jdk.ActiveSetting");
        int activeSettingId = activeSetting == null ? -1 : activeSetting;
        int executionSampleId = typeIds[JfrEventKind.EXECUTION_SAMPLE.ordinal()];

        JfrBytes events = new JfrBytes(buf, pos + CHUNK_HEADER_SIZE, end);
        int eventStart = pos + CHUNK_HEADER_SIZE;
        while (eventStart < end) {
            events.seek(eventStart);
            int eventSize = events.eventSize(eventStart, which + ": event size");
            int type = events.varint();
            if (type == 'L' && buf.getInt(eventStart) == CHUNK_MAGIC) {
                throw new JfrFormatException(eventStart, which + ": a chunk header inside the chunk");
            }
            int kind = kindOf(typeIds, type);
            if (kind >= 0) {
                counts[kind]++;
            } else if (type == activeSettingId && type > EVENT_TYPE_CHECKPOINT) {
                settings = readActiveSetting(buf, eventStart, eventSize, metadata.activeSettingFields, executionSampleId, settings);
            }
            eventStart += eventSize;
        }
        return new JfrChunk(pos, chunkSize, startNanos, durationNanos, startTicks, ticksPerSecond, typeIds, counts, settings);
    }

    /**
     * The kinds of the chunk's sampled events in file order, one byte ({@link JfrEventKind}
     * ordinal) each: the reader pairs them with the events async-profiler's reader decodes.
     * The chunk has been checked by {@link #scan}.
     */
    static byte[] kindSequence(ByteBuffer buf, JfrChunk chunk) throws JfrFormatException {
        long total = 0;
        for (long c : chunk.eventCounts()) {
            total += c;
        }
        byte[] kinds = new byte[(int) total];
        int n = 0;
        int end = chunk.offset() + chunk.size();
        JfrBytes events = new JfrBytes(buf, chunk.offset() + CHUNK_HEADER_SIZE, end);
        int eventStart = chunk.offset() + CHUNK_HEADER_SIZE;
        while (eventStart < end) {
            events.seek(eventStart);
            int eventSize = events.varint();
            int kind = kindOf(chunk.typeIds(), events.varint());
            if (kind >= 0) {
                kinds[n++] = (byte) kind;
            }
            eventStart += eventSize;
        }
        return kinds;
    }

    private static int kindOf(int[] typeIds, int type) {
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

    /** The parts of the metadata event the scan needs. */
    private static final class Metadata {
        final java.util.Map<String, Integer> classIds = new java.util.HashMap<>();
        final List<String> activeSettingFields = new ArrayList<>();
    }

    private static Metadata readMetadata(ByteBuffer buf, int at, int chunkEnd) throws JfrFormatException {
        JfrBytes header = new JfrBytes(buf, at, chunkEnd);
        int size = header.eventSize(at, "metadata event size");
        int type = header.varint();
        if (type != EVENT_TYPE_METADATA) {
            throw new JfrFormatException(at, "the metadata offset points at an event of type " + type + ", not metadata");
        }
        JfrBytes meta = new JfrBytes(buf, header.position(), at + size);
        meta.varlong(); // start time
        meta.varlong(); // duration
        meta.varlong(); // metadata id
        int stringCount = meta.count("metadata string count");
        String[] strings = new String[stringCount];
        for (int i = 0; i < stringCount; i++) {
            strings[i] = meta.string();
        }
        Metadata metadata = new Metadata();
        readElement(meta, strings, metadata, null, 0);
        return metadata;
    }

    private static void readElement(JfrBytes meta, String[] strings, Metadata metadata, String enclosingClass, int depth)
            throws JfrFormatException {
        if (depth > METADATA_MAX_DEPTH) {
            throw new JfrFormatException(meta.position(), "metadata nested deeper than " + METADATA_MAX_DEPTH + " levels");
        }
        String name = stringAt(meta, strings);
        int attributes = meta.count("metadata attribute count");
        String nameAttribute = null;
        String idAttribute = null;
        for (int i = 0; i < attributes; i++) {
            String key = stringAt(meta, strings);
            String value = stringAt(meta, strings);
            if ("name".equals(key)) {
                nameAttribute = value;
            } else if ("id".equals(key)) {
                idAttribute = value;
            }
        }
        String childClass = enclosingClass;
        if ("class".equals(name) && nameAttribute != null && idAttribute != null) {
            try {
                metadata.classIds.put(nameAttribute, Integer.parseInt(idAttribute));
            } catch (NumberFormatException e) {
                throw new JfrFormatException(meta.position(), "metadata class " + nameAttribute + " has id " + idAttribute);
            }
            childClass = nameAttribute;
        } else if ("field".equals(name) && "jdk.ActiveSetting".equals(enclosingClass) && nameAttribute != null) {
            metadata.activeSettingFields.add(nameAttribute);
        }
        int children = meta.count("metadata child count");
        for (int i = 0; i < children; i++) {
            readElement(meta, strings, metadata, "field".equals(name) ? null : childClass, depth + 1);
        }
    }

    private static String stringAt(JfrBytes meta, String[] strings) throws JfrFormatException {
        int at = meta.position();
        int index = meta.varint();
        if (index < 0 || index >= strings.length) {
            throw new JfrFormatException(at, "metadata string index " + Integer.toUnsignedString(index)
                    + " outside the table of " + strings.length);
        }
        return strings[index];
    }

    /**
     * Walks the checkpoint chain the way async-profiler's reader will: from the header's
     * constant-pool offset, following each checkpoint's delta until it is 0.
     */
    private static void checkCheckpointChain(ByteBuffer buf, int chunkStart, int cpOffset, int chunkEnd)
            throws JfrFormatException {
        Set<Integer> visited = new HashSet<>();
        long offset = cpOffset;
        while (true) {
            if (offset < CHUNK_HEADER_SIZE || offset >= chunkEnd - chunkStart) {
                throw new JfrFormatException(chunkStart + Math.max(0, Math.min(offset, chunkEnd - chunkStart)),
                        "checkpoint chain leads outside the chunk (offset " + offset + ")");
            }
            int at = chunkStart + (int) offset;
            if (!visited.add(at)) {
                throw new JfrFormatException(at, "checkpoint chain loops back to byte " + at);
            }
            JfrBytes checkpoint = new JfrBytes(buf, at, chunkEnd);
            checkpoint.eventSize(at, "checkpoint size");
            int type = checkpoint.varint();
            if (type != EVENT_TYPE_CHECKPOINT) {
                throw new JfrFormatException(at, "the constant pool offset points at an event of type " + type
                        + ", not a checkpoint");
            }
            checkpoint.varlong(); // start time
            checkpoint.varlong(); // duration
            long delta = checkpoint.varlong();
            if (delta == 0) {
                return;
            }
            offset += delta;
        }
    }

}
