package io.canaryjudge.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reads fields of a Jackson tree with errors that name the field's path and what was wrong
 * ({@code verdict.findings[2].qValue: expected a number or null, got "x"}).
 */
final class JsonTreeReader {
    private JsonTreeReader() {
    }

    static JsonNode object(JsonNode parent, String field, String path) {
        JsonNode node = parent.path(field);
        if (!node.isObject()) {
            throw problem(path + "." + field, "expected an object", node);
        }
        return node;
    }

    /** The object, or null when the field is missing or null. */
    static JsonNode optionalObject(JsonNode parent, String field, String path) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw problem(path + "." + field, "expected an object or null", node);
        }
        return node;
    }

    /** The array; a missing field or null reads as empty. */
    static List<JsonNode> array(JsonNode parent, String field, String path) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw problem(path + "." + field, "expected an array", node);
        }
        List<JsonNode> items = new ArrayList<>(node.size());
        node.forEach(items::add);
        return items;
    }

    /** A string or null (missing reads as null). */
    static String text(JsonNode parent, String field, String path) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw problem(path + "." + field, "expected a string or null", node);
        }
        return node.stringValue();
    }

    static String requiredText(JsonNode parent, String field, String path) {
        String text = text(parent, field, path);
        if (text == null) {
            throw problem(path + "." + field, "expected a string", parent.path(field));
        }
        return text;
    }

    /** A number or null (missing reads as null). */
    static Double number(JsonNode parent, String field, String path) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw problem(path + "." + field, "expected a number or null", node);
        }
        return node.doubleValue();
    }

    static long integer(JsonNode parent, String field, String path, long ifNull) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return ifNull;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw problem(path + "." + field, "expected an integer", node);
        }
        return node.longValue();
    }

    static boolean bool(JsonNode parent, String field, String path) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw problem(path + "." + field, "expected true or false", node);
        }
        return node.booleanValue();
    }

    static List<String> strings(JsonNode parent, String field, String path) {
        List<String> values = new ArrayList<>();
        List<JsonNode> items = array(parent, field, path);
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if (!item.isString()) {
                throw problem(path + "." + field + "[" + i + "]", "expected a string", item);
            }
            values.add(item.stringValue());
        }
        return values;
    }

    /** An enum constant by name; null stays null. */
    static <E extends Enum<E>> E constant(Class<E> type, JsonNode parent, String field, String path) {
        String name = text(parent, field, path);
        if (name == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new InvalidReportException(path + "." + field + ": \"" + shorten(name) + "\" must be one of: "
                    + Arrays.toString(type.getEnumConstants()));
        }
    }

    static InvalidReportException problem(String path, String expected, JsonNode got) {
        String shown = got == null || got.isMissingNode() ? "nothing" : shorten(got.toString());
        return new InvalidReportException(path + ": " + expected + ", got " + shown);
    }

    private static String shorten(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
