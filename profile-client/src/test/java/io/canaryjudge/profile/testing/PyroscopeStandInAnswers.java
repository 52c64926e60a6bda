package io.canaryjudge.profile.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The stand-in's answer messages, in protobuf or protojson (lowerCamelCase names, int64 as strings),
 * from Pyroscope's {@code querier.proto} / {@code types.proto}: SelectSeriesResponse {1 series},
 * Series {1 labels, 2 points}, LabelPair {1 name, 2 value}, Point {1 double value, 2 int64 timestamp},
 * LabelValuesResponse {1 names}, ProfileTypesResponse {1 profile_types}, ProfileType {1 ID, 2 name,
 * 4 sample_type, 5 sample_unit, 6 period_type, 7 period_unit}.
 */
final class PyroscopeStandInAnswers {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private PyroscopeStandInAnswers() {
    }

    static byte[] series(boolean binary, Map<Map<String, String>, Map<Long, Double>> series) {
        if (binary) {
            Protobuf.Writer out = new Protobuf.Writer();
            series.forEach((labels, points) -> {
                Protobuf.Writer s = new Protobuf.Writer();
                labels.forEach((name, value) -> s.message(1, new Protobuf.Writer().string(1, name).string(2, value)));
                points.forEach((t, v) -> s.message(2, new Protobuf.Writer().doubleValue(1, v).varint(2, t)));
                out.message(1, s);
            });
            return out.toByteArray();
        }
        ObjectNode root = JSON.createObjectNode();
        if (!series.isEmpty()) {
            ArrayNode list = root.putArray("series");
            series.forEach((labels, points) -> {
                ObjectNode s = list.addObject();
                ArrayNode pairs = s.putArray("labels");
                labels.forEach((name, value) -> pairs.addObject().put("name", name).put("value", value));
                ArrayNode ps = s.putArray("points");
                points.forEach((t, v) -> {
                    ObjectNode p = ps.addObject();
                    if (v != 0) {
                        p.put("value", v); // protojson leaves zero out
                    }
                    p.put("timestamp", Long.toString(t));
                });
            });
        }
        return JSON.writeValueAsBytes(root);
    }

    static byte[] labelValues(boolean binary, List<String> names) {
        if (binary) {
            Protobuf.Writer out = new Protobuf.Writer();
            names.forEach(n -> out.string(1, n));
            return out.toByteArray();
        }
        ObjectNode root = JSON.createObjectNode();
        if (!names.isEmpty()) {
            ArrayNode list = root.putArray("names");
            names.forEach(list::add);
        }
        return JSON.writeValueAsBytes(root);
    }

    static byte[] profileTypes(boolean binary, List<String> ids) {
        if (binary) {
            Protobuf.Writer out = new Protobuf.Writer();
            for (String id : ids) {
                String[] p = id.split(":");
                out.message(1, new Protobuf.Writer().string(1, id).string(2, p[0]).string(4, p[1]).string(5, p[2])
                        .string(6, p[3]).string(7, p[4]));
            }
            return out.toByteArray();
        }
        ObjectNode root = JSON.createObjectNode();
        if (!ids.isEmpty()) {
            ArrayNode list = root.putArray("profileTypes");
            for (String id : ids) {
                String[] p = id.split(":");
                list.addObject().put("ID", id).put("name", p[0]).put("sampleType", p[1]).put("sampleUnit", p[2])
                        .put("periodType", p[3]).put("periodUnit", p[4]);
            }
        }
        return JSON.writeValueAsBytes(root);
    }

    static byte[] connectError(String code, String message) {
        return JSON.writeValueAsBytes(JSON.createObjectNode().put("code", code).put("message", message));
    }

    /**
     * The profile type IDs Pyroscope's JFR parser would file a stored profile's columns under:
     * {@code cpu} → {@code process_cpu} (with a wall period type, a Node upload's, kept), allocation columns → {@code memory} with period {@code space/bytes},
     * lock columns → {@code mutex} or {@code block} as the stored period type says; other columns under
     * their period type's name.
     */
    static List<String> profileTypeIds(PprofMessage pprof) {
        return profileTypeIds(pprof, false);
    }

    /** {@link #profileTypeIds(PprofMessage)}, only of columns that hold samples when {@code withSamples}. */
    static List<String> profileTypeIds(PprofMessage pprof, boolean withSamples) {
        List<String> ids = new ArrayList<>();
        PprofMessage.ValueType period = pprof.periodType;
        for (int c = 0; c < pprof.sampleTypes.size(); c++) {
            PprofMessage.ValueType column = pprof.sampleTypes.get(c);
            if (withSamples && pprof.total(c) == 0) {
                continue;
            }
            String type = column.type();
            String id;
            if (type.equals("cpu") && period != null && period.type().equals("wall")) {
                // a Node SDK's wall upload with collectCpuTime: Pyroscope's ingest renames the CPU column's profile to
                // process_cpu and keeps the upload's period type (PyroscopeProfileTypes.NODE_CPU)
                id = "process_cpu:cpu:" + column.unit() + ":" + period.type() + ":" + period.unit();
            } else if (type.equals("cpu")) {
                id = "process_cpu:cpu:" + column.unit() + ":cpu:nanoseconds";
            } else if (type.startsWith("alloc_")) {
                id = "memory:" + type + ":" + column.unit() + ":space:bytes";
            } else if (type.equals("contentions") || type.equals("delay")) {
                String name = period != null && period.type().equals("block") ? "block" : "mutex";
                id = name + ":" + type + ":" + column.unit() + ":" + name + ":count";
            } else if (period != null && !period.type().isEmpty()) {
                id = period.type() + ":" + type + ":" + column.unit() + ":" + period.type() + ":" + period.unit();
            } else {
                id = type + ":" + type + ":" + column.unit() + ":" + type + ":" + column.unit();
            }
            ids.add(id);
        }
        return ids;
    }
}
