package io.canaryjudge.profile.pprof;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes pprof protobuf from profile.proto's documented field numbers (INTEGRATIONS.md), for
 * shapes the real fixtures lack: inlined frames, labels, several columns, unpacked fields, errors.
 * Deliberately independent of the reader's code.
 */
final class TestPprof {
    record Label(String key, String str, long num, String unit) {
        static Label str(String key, String value) {
            return new Label(key, value, 0, null);
        }

        static Label num(String key, long value, String unit) {
            return new Label(key, null, value, unit);
        }
    }

    private final List<String> strings = new ArrayList<>(List.of(""));
    private final Map<String, Integer> stringIds = new HashMap<>(Map.of("", 0));
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    int string(String s) {
        return stringIds.computeIfAbsent(s, k -> {
            strings.add(k);
            return strings.size() - 1;
        });
    }

    TestPprof sampleType(String type, String unit) {
        field(body, 1, valueType(type, unit));
        return this;
    }

    TestPprof periodType(String type, String unit) {
        field(body, 11, valueType(type, unit));
        return this;
    }

    TestPprof varintField(int field, long value) {
        tag(body, field, 0);
        varint(body, value);
        return this;
    }

    TestPprof function(long id, String name) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        tag(f, 1, 0);
        varint(f, id);
        tag(f, 2, 0);
        varint(f, string(name));
        field(body, 5, f.toByteArray());
        return this;
    }

    /** A location whose lines call {@code functionIds}, innermost (inlined) first, caller last. */
    TestPprof location(long id, long... functionIds) {
        ByteArrayOutputStream l = new ByteArrayOutputStream();
        tag(l, 1, 0);
        varint(l, id);
        for (long functionId : functionIds) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            tag(line, 1, 0);
            varint(line, functionId);
            tag(line, 2, 0);
            varint(line, 42);
            field(l, 4, line.toByteArray());
        }
        field(body, 4, l.toByteArray());
        return this;
    }

    /** A sample with packed location ids (leaf first) and values. */
    TestPprof sample(long[] locationIds, long[] values, Label... labels) {
        return sample(true, locationIds, values, labels);
    }

    TestPprof sample(boolean packed, long[] locationIds, long[] values, Label... labels) {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        repeated(s, 1, locationIds, packed);
        repeated(s, 2, values, packed);
        for (Label label : labels) {
            ByteArrayOutputStream l = new ByteArrayOutputStream();
            tag(l, 1, 0);
            varint(l, string(label.key()));
            if (label.str() != null) {
                tag(l, 2, 0);
                varint(l, string(label.str()));
            } else {
                tag(l, 3, 0);
                varint(l, label.num());
                if (label.unit() != null) {
                    tag(l, 4, 0);
                    varint(l, string(label.unit()));
                }
            }
            field(s, 3, l.toByteArray());
        }
        field(body, 2, s.toByteArray());
        return this;
    }

    /** Appends bytes as they are (a hand-made field). */
    TestPprof raw(byte[] bytes) {
        body.writeBytes(bytes);
        return this;
    }

    /** Fields written so far, then the string table. */
    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(body.toByteArray());
        for (String s : strings) {
            field(out, 6, s.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private byte[] valueType(String type, String unit) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        tag(v, 1, 0);
        varint(v, string(type));
        tag(v, 2, 0);
        varint(v, string(unit));
        return v.toByteArray();
    }

    private static void repeated(ByteArrayOutputStream out, int field, long[] values, boolean packed) {
        if (packed) {
            ByteArrayOutputStream run = new ByteArrayOutputStream();
            for (long v : values) {
                varint(run, v);
            }
            field(out, field, run.toByteArray());
        } else {
            for (long v : values) {
                tag(out, field, 0);
                varint(out, v);
            }
        }
    }

    static void field(ByteArrayOutputStream out, int field, byte[] payload) {
        tag(out, field, 2);
        varint(out, payload.length);
        out.writeBytes(payload);
    }

    static void tag(ByteArrayOutputStream out, int field, int wireType) {
        varint(out, (long) field << 3 | wireType);
    }

    static void varint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }
}
