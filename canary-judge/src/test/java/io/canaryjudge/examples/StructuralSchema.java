package io.canaryjudge.examples;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A CRD version's {@code openAPIV3Schema}, validated the way the Kubernetes API server validates a
 * custom object with strict field validation ({@code kubectl apply}'s default): a real JSON-Schema
 * validator (networknt, draft 4 — OpenAPI 3.0's schema dialect) on a translation of the schema that
 * spells out Kubernetes' extensions, plus the one rule JSON Schema cannot express.
 *
 * <ul>
 *   <li>Unknown fields are errors: every object schema that is not
 *       {@code x-kubernetes-preserve-unknown-fields} and has no {@code additionalProperties} gets
 *       {@code additionalProperties: false} (the API server rejects what it would otherwise prune).</li>
 *   <li>{@code x-kubernetes-int-or-string}: an integer or a string, nothing else.</li>
 *   <li>{@code x-kubernetes-list-type: set}: unique items; {@code map}: items unique by their
 *       {@code x-kubernetes-list-map-keys} (checked here, with the keys' schema defaults).</li>
 *   <li>The object's {@code metadata} is ObjectMeta, which CRDs leave as a bare object: the fields the
 *       examples use are checked (name, namespace, labels, annotations; anything else is an error).</li>
 *   <li>Not checked: CEL rules ({@code x-kubernetes-validations}) — counted by {@link #celRules()}.</li>
 * </ul>
 */
final class StructuralSchema {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);

    private final JsonNode original;
    private final Schema schema;
    private final int celRules;

    private StructuralSchema(JsonNode original, Schema schema, int celRules) {
        this.original = original;
        this.schema = schema;
        this.celRules = celRules;
    }

    /** @param openApiV3Schema a CRD version's {@code schema.openAPIV3Schema} */
    static StructuralSchema of(JsonNode openApiV3Schema) {
        int[] cel = {0};
        ObjectNode translated = translate(openApiV3Schema, cel);
        ((ObjectNode) translated.path("properties")).set("metadata", objectMeta());
        return new StructuralSchema(openApiV3Schema, REGISTRY.getSchema(translated), cel[0]);
    }

    /** Problems of one object, each naming where it is ({@code /spec/metrics/0/...}); empty when valid. */
    List<String> validate(JsonNode object) {
        List<String> problems = new ArrayList<>();
        for (Error error : schema.validate(object)) {
            problems.add(describe(error));
        }
        duplicateListMapKeys(original, object, "", problems);
        return problems;
    }

    /**
     * One line per problem, from the error's parts: the validator's own message texts lose their
     * arguments (networknt 3.0.9 prints "property '{1}' is not defined").
     */
    private static String describe(Error error) {
        String where = error.getInstanceLocation().toString();
        Object[] args = error.getArguments() == null ? new Object[0] : error.getArguments();
        String value = String.valueOf(error.getInstanceNode());
        if (value.length() > 120) {
            value = value.substring(0, 120) + "...";
        }
        return switch (error.getKeyword()) {
            case "additionalProperties" -> where + ": unknown field '" + error.getProperty() + "'";
            case "required" -> where + ": required field '" + error.getProperty() + "' is missing";
            case "type" -> where + ": " + value + " is " + args[0] + ", the schema wants " + args[1];
            case "enum" -> where + ": " + value + " is not one of " + args[0];
            case "pattern" -> where + ": " + value + " does not match " + args[0];
            default -> where + ": " + error.getKeyword() + " " + java.util.Arrays.toString(args) + " fails for " + value;
        };
    }

    /** CEL validation rules in the schema, which this validator does not evaluate. */
    int celRules() {
        return celRules;
    }

    private static ObjectNode translate(JsonNode node, int[] cel) {
        ObjectNode out = ExampleManifests.JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            switch (key) {
                case "properties" -> {
                    ObjectNode properties = out.putObject("properties");
                    for (Map.Entry<String, JsonNode> property : value.properties()) {
                        properties.set(property.getKey(), translate(property.getValue(), cel));
                    }
                }
                case "items", "not" -> out.set(key, translate(value, cel));
                case "additionalProperties" ->
                        out.set(key, value.isObject() ? translate(value, cel) : value);
                case "anyOf", "allOf", "oneOf" -> {
                    ArrayNode list = out.putArray(key);
                    value.forEach(item -> list.add(translate(item, cel)));
                }
                case "x-kubernetes-validations" -> cel[0] += value.size();
                default -> {
                    if (!key.startsWith("x-kubernetes-")) {
                        out.set(key, value);
                    }
                }
            }
        }
        boolean preserveUnknown = node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        if (node.path("x-kubernetes-int-or-string").asBoolean(false) && !node.has("anyOf")) {
            ArrayNode anyOf = out.putArray("anyOf");
            anyOf.addObject().put("type", "integer");
            anyOf.addObject().put("type", "string");
        }
        if ("object".equals(node.path("type").asString("")) && !preserveUnknown && !node.has("additionalProperties")) {
            out.put("additionalProperties", false);
        }
        if ("set".equals(node.path("x-kubernetes-list-type").asString(""))) {
            out.put("uniqueItems", true);
        }
        return out;
    }

    /** ObjectMeta as far as the examples use it. */
    private static ObjectNode objectMeta() {
        ObjectNode meta = ExampleManifests.JSON.createObjectNode();
        meta.put("type", "object");
        meta.put("additionalProperties", false);
        ObjectNode properties = meta.putObject("properties");
        properties.putObject("name").put("type", "string");
        properties.putObject("namespace").put("type", "string");
        for (String map : List.of("labels", "annotations")) {
            ObjectNode stringMap = properties.putObject(map);
            stringMap.put("type", "object");
            stringMap.putObject("additionalProperties").put("type", "string");
        }
        meta.putArray("required").add("name");
        return meta;
    }

    /** {@code x-kubernetes-list-type: map}: no two items may agree on all the list's map keys. */
    private static void duplicateListMapKeys(JsonNode schema, JsonNode value, String path, List<String> problems) {
        if (schema == null || schema.isMissingNode() || value == null) {
            return;
        }
        if (value.isObject()) {
            JsonNode properties = schema.path("properties");
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                JsonNode fieldSchema = properties.has(field.getKey())
                        ? properties.get(field.getKey())
                        : schema.path("additionalProperties").isObject() ? schema.get("additionalProperties") : null;
                duplicateListMapKeys(fieldSchema, field.getValue(), path + "/" + field.getKey(), problems);
            }
        } else if (value.isArray()) {
            JsonNode items = schema.path("items");
            if ("map".equals(schema.path("x-kubernetes-list-type").asString(""))) {
                Map<List<String>, Integer> seen = new HashMap<>();
                for (int i = 0; i < value.size(); i++) {
                    List<String> key = new ArrayList<>();
                    for (JsonNode keyName : schema.path("x-kubernetes-list-map-keys")) {
                        JsonNode keyValue = value.get(i).get(keyName.asString());
                        key.add(keyValue != null ? keyValue.asString()
                                : items.path("properties").path(keyName.asString()).path("default").asString(""));
                    }
                    Integer first = seen.putIfAbsent(key, i);
                    if (first != null) {
                        problems.add(path + "/" + i + ": duplicate of " + path + "/" + first + " by its keys "
                                + schema.path("x-kubernetes-list-map-keys") + " = " + key);
                    }
                }
            }
            for (int i = 0; i < value.size(); i++) {
                duplicateListMapKeys(items, value.get(i), path + "/" + i, problems);
            }
        }
    }
}
