package io.canaryjudge.profile.jfr;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A chunk's metadata event: every type the chunk declares, with its fields in the order their
 * values are written, and how to read or skip a value of each type ({@link Layout}). The reader
 * decodes events and constant pools by these declarations, not by a field order assumed per
 * producer: async-profiler, the JDK (11 to 25) and dd-trace-java add, drop and reorder fields.
 *
 * <p>Encoding of a field's value, as the JDK and async-profiler write it (compressed integers):
 * {@code boolean} and {@code byte} one byte; {@code char}, {@code short}, {@code int},
 * {@code long} and every constant-pool reference a LEB128 varint; {@code float} 4 bytes,
 * {@code double} 8; {@code java.lang.String} a string (encoding byte first); any other type
 * inline, field by field. A field with {@code dimension="1"} is an array: a varint count, then
 * the elements.
 */
final class JfrMetadata {
    private static final int MAX_DEPTH = 32;
    private static final int EVENT_TYPE_METADATA = 0;

    /** How a value of a field is encoded. */
    static final byte VARINT = 0;
    static final byte ONE_BYTE = 1;
    static final byte FOUR_BYTES = 2;
    static final byte EIGHT_BYTES = 3;
    static final byte STRING = 4;
    static final byte STRUCT = 5;
    /** A field whose type the metadata does not declare: a value of it cannot be read. */
    static final byte UNDECLARED = 6;

    /** A field of a metadata class. */
    record Field(String name, int typeId, boolean constantPool, boolean array) {
    }

    /** A metadata class. */
    static final class TypeInfo {
        final String name;
        final List<Field> fields = new ArrayList<>();

        TypeInfo(String name) {
            this.name = name;
        }
    }

    final Map<String, Integer> classIds = new HashMap<>();
    final Map<Integer, TypeInfo> types = new HashMap<>();
    final List<String> activeSettingFields = new ArrayList<>();
    private final Map<Integer, Layout> layouts = new HashMap<>();
    /** The metadata event's bytes: a chunk with the same bytes shares this parse. */
    private byte[] source;

    /** The id of the class named {@code name}, or -1. */
    int classId(String name) {
        Integer id = classIds.get(name);
        return id == null ? -1 : id;
    }

    /**
     * Reads the metadata event at {@code at}, or returns {@code previous} when the event's bytes
     * are the same (async-profiler and the JDK repeat the metadata in every chunk of a recording:
     * one parse for a recording of a hundred chunks).
     */
    static JfrMetadata read(ByteBuffer buf, int at, int chunkEnd, JfrMetadata previous) throws JfrFormatException {
        JfrBytes header = new JfrBytes(buf, at, chunkEnd);
        int size = header.eventSize(at, "metadata event size");
        int type = header.varint();
        if (type != EVENT_TYPE_METADATA) {
            throw new JfrFormatException(at, "the metadata offset points at an event of type " + type + ", not metadata");
        }
        int from = buf.arrayOffset() + header.position();
        int to = buf.arrayOffset() + at + size;
        if (previous != null && previous.source != null
                && Arrays.equals(previous.source, 0, previous.source.length, buf.array(), from, to)) {
            return previous;
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
        JfrMetadata metadata = new JfrMetadata();
        metadata.readElement(meta, strings, null, 0);
        metadata.source = Arrays.copyOfRange(buf.array(), from, to);
        return metadata;
    }

    private void readElement(JfrBytes meta, String[] strings, TypeInfo enclosing, int depth) throws JfrFormatException {
        if (depth > MAX_DEPTH) {
            throw new JfrFormatException(meta.position(), "metadata nested deeper than " + MAX_DEPTH + " levels");
        }
        int at = meta.position();
        String name = stringAt(meta, strings);
        int attributeCount = meta.count("metadata attribute count");
        // The attributes the reader uses, without a map per element (a metadata event has thousands).
        String nameAttribute = null;
        String id = null;
        String fieldClass = null;
        String dimension = null;
        boolean constantPool = false;
        for (int i = 0; i < attributeCount; i++) {
            String key = stringAt(meta, strings);
            String value = stringAt(meta, strings);
            if (key == null) {
                continue;
            }
            switch (key) {
                case "name":
                    nameAttribute = value;
                    break;
                case "id":
                    id = value;
                    break;
                case "class":
                    fieldClass = value;
                    break;
                case "dimension":
                    dimension = value;
                    break;
                case "constantPool":
                    constantPool = "true".equals(value);
                    break;
                default:
                    break;
            }
        }
        TypeInfo childContext = null;
        if ("class".equals(name)) {
            int typeId = parseId(id, at, "class " + nameAttribute);
            TypeInfo type = new TypeInfo(nameAttribute);
            if (nameAttribute != null) {
                classIds.put(nameAttribute, typeId);
            }
            types.put(typeId, type);
            childContext = type;
        } else if ("field".equals(name) && enclosing != null) {
            Field field = new Field(nameAttribute, parseId(fieldClass, at, "field " + nameAttribute), constantPool,
                    dimension != null && !dimension.equals("0"));
            enclosing.fields.add(field);
            if ("jdk.ActiveSetting".equals(enclosing.name)) {
                activeSettingFields.add(field.name());
            }
        }
        int children = meta.count("metadata child count");
        for (int i = 0; i < children; i++) {
            readElement(meta, strings, childContext, depth + 1);
        }
    }

    private static int parseId(String value, int at, String what) throws JfrFormatException {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new JfrFormatException(at, "metadata " + what + " has no numeric id (" + value + ")");
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

    /** The layout of type {@code typeId}, or {@code null} when the metadata does not declare it. */
    Layout layout(int typeId) {
        Layout layout = layouts.get(typeId);
        if (layout == null) {
            TypeInfo type = types.get(typeId);
            if (type == null) {
                return null;
            }
            layout = new Layout(type);
            layouts.put(typeId, layout); // before its fields: a type may contain itself
            layout.resolve(this);
        }
        return layout;
    }

    /** How a value of one type is laid out: per field, its encoding, whether an array, and the inline type. */
    static final class Layout {
        final TypeInfo type;
        final int fieldCount;
        final byte[] encodings;
        final boolean[] arrays;
        final Layout[] structs;
        /** Per array field, how an error names its length ("jdk.types.StackTrace.frames length"). */
        final String[] lengthNames;
        /** True when every field is one varint: a value is skipped or read without recursion. */
        boolean allVarints;
        /**
         * When every field is one number (no string, array or struct), per field its size in bytes,
         * 0 for a varint: such values (methods, classes) are skipped in one call.
         */
        byte[] scalarSizes;

        Layout(TypeInfo type) {
            this.type = type;
            this.fieldCount = type.fields.size();
            this.encodings = new byte[fieldCount];
            this.arrays = new boolean[fieldCount];
            this.structs = new Layout[fieldCount];
            this.lengthNames = new String[fieldCount];
        }

        private void resolve(JfrMetadata metadata) {
            boolean varints = true;
            for (int f = 0; f < fieldCount; f++) {
                Field field = type.fields.get(f);
                arrays[f] = field.array();
                lengthNames[f] = field.array() ? type.name + "." + field.name() + " length" : null;
                encodings[f] = encoding(metadata, field);
                if (encodings[f] == STRUCT) {
                    structs[f] = metadata.layout(field.typeId());
                }
                varints &= encodings[f] == VARINT && !arrays[f];
            }
            allVarints = varints;
            scalarSizes = scalarSizes(0, fieldCount);
        }

        /**
         * Per field from {@code from} to {@code to} (exclusive), its size in bytes, 0 for a varint;
         * null when one of them is not a single number (a string, array or struct).
         */
        byte[] scalarSizes(int from, int to) {
            byte[] sizes = new byte[to - from];
            for (int f = from; f < to; f++) {
                if (arrays[f]) {
                    return null;
                }
                switch (encodings[f]) {
                    case VARINT:
                        break;
                    case ONE_BYTE:
                        sizes[f - from] = 1;
                        break;
                    case FOUR_BYTES:
                        sizes[f - from] = 4;
                        break;
                    case EIGHT_BYTES:
                        sizes[f - from] = 8;
                        break;
                    default:
                        return null;
                }
            }
            return sizes;
        }

        private static byte encoding(JfrMetadata metadata, Field field) {
            if (field.constantPool()) {
                return VARINT;
            }
            TypeInfo fieldType = metadata.types.get(field.typeId());
            if (fieldType == null || fieldType.name == null) {
                return UNDECLARED;
            }
            switch (fieldType.name) {
                case "boolean":
                case "byte":
                    return ONE_BYTE;
                case "char":
                case "short":
                case "int":
                case "long":
                    return VARINT;
                case "float":
                    return FOUR_BYTES;
                case "double":
                    return EIGHT_BYTES;
                case "java.lang.String":
                    return STRING;
                default:
                    return STRUCT;
            }
        }

        /** Index of the field named {@code name}, or -1. */
        int field(String name) {
            for (int f = 0; f < fieldCount; f++) {
                if (name.equals(type.fields.get(f).name())) {
                    return f;
                }
            }
            return -1;
        }

        /** Whether field {@code f} holds one varint (a number or a constant-pool reference). */
        boolean isVarint(int f) {
            return f >= 0 && encodings[f] == VARINT && !arrays[f];
        }

        /** Skips one value of this type. */
        void skip(JfrBytes in) throws JfrFormatException {
            skip(in, 0);
        }

        private void skip(JfrBytes in, int depth) throws JfrFormatException {
            if (allVarints) {
                in.skipVarlongs(fieldCount);
                return;
            }
            if (scalarSizes != null) {
                in.skipScalars(scalarSizes);
                return;
            }
            if (depth > MAX_DEPTH) {
                throw new JfrFormatException(in.position(), "values of " + type.name + " nested deeper than " + MAX_DEPTH
                        + " levels");
            }
            for (int f = 0; f < fieldCount; f++) {
                skipField(in, f, depth);
            }
        }

        /** Skips the value of field {@code f} (an array's count and every element). */
        void skipField(JfrBytes in, int f, int depth) throws JfrFormatException {
            if (arrays[f]) {
                int count = in.count(lengthNames[f]);
                if (encodings[f] == STRUCT && structs[f].allVarints) {
                    // Stack frames: one loop over count × fields varints, not a call per value (the bulk of a pool).
                    in.skipVarlongs((long) count * structs[f].fieldCount);
                    return;
                }
                for (int i = 0; i < count; i++) {
                    int before = in.position();
                    skipOne(in, f, depth);
                    if (in.position() == before) {
                        break; // elements of a type without bytes (only empty structs): the rest take none either
                    }
                }
            } else {
                skipOne(in, f, depth);
            }
        }

        private void skipOne(JfrBytes in, int f, int depth) throws JfrFormatException {
            switch (encodings[f]) {
                case VARINT:
                    in.varlong();
                    break;
                case ONE_BYTE:
                    in.skip(1);
                    break;
                case FOUR_BYTES:
                    in.skip(4);
                    break;
                case EIGHT_BYTES:
                    in.skip(8);
                    break;
                case STRING:
                    in.skipString();
                    break;
                case STRUCT:
                    structs[f].skip(in, depth + 1);
                    break;
                default:
                    Field field = type.fields.get(f);
                    throw new JfrFormatException(in.position(), "field " + field.name() + " of " + type.name
                            + " has type id " + field.typeId() + ", which the metadata does not declare");
            }
        }
    }
}
