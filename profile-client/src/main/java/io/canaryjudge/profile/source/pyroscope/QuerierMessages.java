package io.canaryjudge.profile.source.pyroscope;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The request and response messages of {@code querier.v1.QuerierService} this client uses, from
 * Pyroscope's {@code api/querier/v1/querier.proto} and {@code api/types/v1/types.proto}:
 *
 * <pre>
 * SelectMergeProfileRequest { string profile_typeID = 1; string label_selector = 2; int64 start = 3;
 *                             int64 end = 4; optional int64 max_nodes = 5; ... }   → google.v1.Profile (pprof)
 * SelectSeriesRequest { string profile_typeID = 1; string label_selector = 2; int64 start = 3; int64 end = 4;
 *                       repeated string group_by = 5; double step = 6; ... }      → SelectSeriesResponse
 * SelectSeriesResponse { repeated types.v1.Series series = 1; }
 * Series { repeated LabelPair labels = 1; repeated Point points = 2; }  LabelPair { string name = 1; string value = 2; }
 * Point { double value = 1; int64 timestamp = 2; ... }                  (timestamps in milliseconds)
 * ProfileTypesRequest { int64 start = 1; int64 end = 2; }  → ProfileTypesResponse { repeated ProfileType profile_types = 1; }
 * LabelValuesRequest { string name = 1; repeated string matchers = 2; int64 start = 3; int64 end = 4; }
 *                                                          → LabelValuesResponse { repeated string names = 1; }
 * </pre>
 *
 * <p>Codecs, chosen per call (a Connect server answers in the codec of the request):
 * {@code SelectMergeProfile} is sent as binary protobuf ({@code application/proto}) because its answer
 * then is the pprof message itself, raw protobuf the pprof reader decodes directly; as JSON the same
 * profile would be several times larger and need a second decoder. The discovery and health calls use
 * JSON (protojson: lowerCamelCase names such as {@code profileTypeID}, {@code labelSelector},
 * {@code groupBy}; int64 written as strings, read as strings or numbers): small answers, readable in a
 * capture, parsed with Jackson instead of hand-written protobuf.
 */
final class QuerierMessages {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private QuerierMessages() {
    }

    /** {@code SelectMergeProfileRequest} as protobuf; {@code maxNodes} 0 leaves the optional field out. */
    static byte[] selectMergeProfile(String profileTypeId, String labelSelector, long startMs, long endMs, long maxNodes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + labelSelector.length());
        string(out, 1, profileTypeId);
        string(out, 2, labelSelector);
        int64(out, 3, startMs);
        int64(out, 4, endMs);
        if (maxNodes != 0) {
            int64(out, 5, maxNodes);
        }
        return out.toByteArray();
    }

    /** {@code SelectSeriesRequest} as protojson. */
    static byte[] selectSeries(String profileTypeId, String labelSelector, long startMs, long endMs, String groupBy,
                               double stepSeconds) {
        ObjectNode request = JSON.createObjectNode();
        request.put("profileTypeID", profileTypeId);
        request.put("labelSelector", labelSelector);
        request.put("start", Long.toString(startMs));
        request.put("end", Long.toString(endMs));
        request.putArray("groupBy").add(groupBy);
        request.put("step", stepSeconds);
        return JSON.writeValueAsBytes(request);
    }

    /** {@code ProfileTypesRequest} as protojson. */
    static byte[] profileTypes(long startMs, long endMs) {
        ObjectNode request = JSON.createObjectNode();
        request.put("start", Long.toString(startMs));
        request.put("end", Long.toString(endMs));
        return JSON.writeValueAsBytes(request);
    }

    /** {@code LabelValuesRequest} (types.v1) as protojson: the values of label {@code name} among the series of {@code matchers}. */
    static byte[] labelValues(String name, String matchers, long startMs, long endMs) {
        ObjectNode request = JSON.createObjectNode();
        request.put("name", name);
        request.putArray("matchers").add(matchers);
        request.put("start", Long.toString(startMs));
        request.put("end", Long.toString(endMs));
        return JSON.writeValueAsBytes(request);
    }

    /**
     * Parses a {@code LabelValuesResponse}: the values (protojson leaves an empty list out: {@code {}}).
     *
     * @throws IllegalArgumentException describing what is malformed
     */
    static List<String> labelValues(byte[] body) {
        List<String> names = new ArrayList<>();
        for (JsonNode name : array(parse(body, "LabelValuesResponse"), "names")) {
            if (!name.isString()) {
                throw new IllegalArgumentException("LabelValuesResponse.names holds " + name.getNodeType() + ", not a string");
            }
            names.add(name.asString());
        }
        return names;
    }

    /** One series of a {@code SelectSeriesResponse}: its labels and its points (timestamp ms, value). */
    record Series(Map<String, String> labels, long[] timestamps, double[] values) {
    }

    /**
     * Parses a {@code SelectSeriesResponse}. protojson leaves out empty fields (a response without series
     * is {@code {}}, a point of value 0 has no {@code value}); non-finite values come as strings.
     *
     * @throws IllegalArgumentException describing what is malformed
     */
    static List<Series> series(byte[] body) {
        JsonNode root = parse(body, "SelectSeriesResponse");
        List<Series> result = new ArrayList<>();
        for (JsonNode series : array(root, "series")) {
            Map<String, String> labels = new TreeMap<>();
            for (JsonNode pair : array(series, "labels")) {
                labels.put(text(pair, "name"), text(pair, "value"));
            }
            ArrayNode points = array(series, "points");
            long[] timestamps = new long[points.size()];
            double[] values = new double[points.size()];
            for (int i = 0; i < points.size(); i++) {
                JsonNode point = points.get(i);
                timestamps[i] = int64(point.get("timestamp"), "Point.timestamp");
                values[i] = number(point.get("value"), "Point.value");
            }
            result.add(new Series(labels, timestamps, values));
        }
        return result;
    }

    /** The number of profile types in a {@code ProfileTypesResponse}. */
    static int profileTypeCount(byte[] body) {
        return array(parse(body, "ProfileTypesResponse"), "profileTypes").size();
    }

    /** A Connect error: {@code {"code": "unavailable", "message": "..."}}; either may be missing. */
    record ConnectError(String code, String message) {
    }

    /** The Connect error in an error body, or null when the body is not one. */
    static ConnectError error(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            if (root == null || !root.isObject() || !root.path("code").isString()) {
                return null;
            }
            JsonNode message = root.get("message");
            return new ConnectError(root.get("code").asString(), message != null && message.isString()
                    ? message.asString() : null);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static JsonNode parse(byte[] body, String message) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(message + " is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(message + " is not a JSON object");
        }
        return root;
    }

    private static ArrayNode array(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return JSON.createArrayNode();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("\"" + field + "\" is not an array");
        }
        return (ArrayNode) node;
    }

    private static String text(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return "";
        }
        if (!node.isString()) {
            throw new IllegalArgumentException("\"" + field + "\" is not a string");
        }
        return node.asString();
    }

    private static long int64(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return 0;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.asLong();
        }
        if (node.isString()) {
            try {
                return Long.parseLong(node.asString());
            } catch (NumberFormatException e) {
                // fall through to the error
            }
        }
        throw new IllegalArgumentException(field + " \"" + node + "\" is not an int64");
    }

    private static double number(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return 0;
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isString()) {
            switch (node.asString()) {
                case "NaN" -> {
                    return Double.NaN;
                }
                case "Infinity" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-Infinity" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                default -> {
                    try {
                        return Double.parseDouble(node.asString());
                    } catch (NumberFormatException e) {
                        // fall through to the error
                    }
                }
            }
        }
        throw new IllegalArgumentException(field + " \"" + node + "\" is not a number");
    }

    private static void string(ByteArrayOutputStream out, int field, String value) {
        if (value.isEmpty()) {
            return; // proto3: the default is not written
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        varint(out, (long) field << 3 | 2);
        varint(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void int64(ByteArrayOutputStream out, int field, long value) {
        if (value == 0) {
            return;
        }
        varint(out, (long) field << 3);
        varint(out, value);
    }

    /** Base-128 varint; a negative int64 takes ten bytes, as protobuf encodes it. */
    private static void varint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }
}
