package io.canaryjudge.profile.testing;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One decoded request to the stand-in's {@code querier.v1.QuerierService}, from binary protobuf or
 * protojson (either field name form: {@code profileTypeID} or {@code profile_typeID}), with the field
 * numbers of Pyroscope's {@code querier.proto} and {@code types.proto}:
 * SelectMergeProfileRequest {1 profile_typeID, 2 label_selector, 3 start, 4 end, 5 optional max_nodes},
 * SelectSeriesRequest {1, 2, 3, 4 as above, 5 repeated group_by, 6 double step},
 * LabelValuesRequest {1 name, 2 repeated matchers, 3 start, 4 end}, ProfileTypesRequest {1 start, 2 end}.
 */
record QuerierRequest(String profileTypeId, String labelSelector, long startMs, long endMs, Long maxNodes,
                      List<String> groupBy, double stepSeconds, String labelName, List<String> matchers) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static QuerierRequest decode(PyroscopeStandIn.Route route, boolean binary, byte[] body) {
        return binary ? binary(route, body) : json(route, body);
    }

    private static QuerierRequest binary(PyroscopeStandIn.Route route, byte[] body) {
        String profileTypeId = "";
        String labelSelector = "";
        long start = 0;
        long end = 0;
        Long maxNodes = null;
        List<String> groupBy = new ArrayList<>();
        double step = 0;
        String name = "";
        List<String> matchers = new ArrayList<>();
        Protobuf.Reader in = new Protobuf.Reader(body);
        while (in.more()) {
            int tag = in.tag();
            int field = tag >>> 3;
            int wire = tag & 7;
            switch (route) {
                case PROFILE_TYPES -> {
                    switch (field) {
                        case 1 -> start = in.varint();
                        case 2 -> end = in.varint();
                        default -> in.skip(wire);
                    }
                }
                case LABEL_VALUES -> {
                    switch (field) {
                        case 1 -> name = in.string();
                        case 2 -> matchers.add(in.string());
                        case 3 -> start = in.varint();
                        case 4 -> end = in.varint();
                        default -> in.skip(wire);
                    }
                }
                default -> {
                    switch (field) {
                        case 1 -> profileTypeId = in.string();
                        case 2 -> labelSelector = in.string();
                        case 3 -> start = in.varint();
                        case 4 -> end = in.varint();
                        case 5 -> {
                            if (route == PyroscopeStandIn.Route.SELECT_SERIES) {
                                groupBy.add(in.string());
                            } else {
                                maxNodes = in.varint();
                            }
                        }
                        case 6 -> {
                            if (route == PyroscopeStandIn.Route.SELECT_SERIES && wire == Protobuf.I64) {
                                step = Double.longBitsToDouble(in.fixed64());
                            } else {
                                in.skip(wire);
                            }
                        }
                        default -> in.skip(wire);
                    }
                }
            }
        }
        return new QuerierRequest(profileTypeId, labelSelector, start, end, maxNodes, List.copyOf(groupBy), step, name,
                List.copyOf(matchers));
    }

    private static QuerierRequest json(PyroscopeStandIn.Route route, byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("request is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("request is not a JSON object");
        }
        JsonNode maxNodes = field(root, "maxNodes", "max_nodes");
        return new QuerierRequest(text(field(root, "profileTypeID", "profile_typeID")),
                text(field(root, "labelSelector", "label_selector")),
                int64(field(root, "start", "start")), int64(field(root, "end", "end")),
                maxNodes == null ? null : int64(maxNodes),
                strings(field(root, "groupBy", "group_by")),
                field(root, "step", "step") == null ? 0 : field(root, "step", "step").asDouble(),
                text(field(root, "name", "name")),
                strings(field(root, "matchers", "matchers")));
    }

    private static JsonNode field(JsonNode root, String jsonName, String protoName) {
        JsonNode node = root.get(jsonName);
        if (node == null) {
            node = root.get(protoName);
        }
        return node == null || node.isNull() ? null : node;
    }

    private static String text(JsonNode node) {
        if (node == null) {
            return "";
        }
        if (!node.isString()) {
            throw new IllegalArgumentException("expected a string, got " + node);
        }
        return node.asString();
    }

    private static long int64(JsonNode node) {
        if (node == null) {
            return 0;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isString()) {
            return Long.parseLong(node.asString());
        }
        throw new IllegalArgumentException("expected an int64, got " + node);
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node != null) {
            if (!node.isArray()) {
                throw new IllegalArgumentException("expected an array, got " + node);
            }
            node.forEach(n -> out.add(text(n)));
        }
        return List.copyOf(out);
    }
}
