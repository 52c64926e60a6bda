package io.canaryjudge.web;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a JSON request body into its record with messages that name the field: malformed JSON says where
 * (line and column), an unknown field or a value of the wrong kind says which (e.g. {@code baseline.labels}).
 */
final class JsonBodies {
    private final JsonMapper strict;
    private final JsonMapper lenient;

    JsonBodies() {
        strict = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        lenient = strict.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    }

    /** Reads {@code body}; unknown fields are errors. */
    <T> T read(String body, Class<T> type) {
        return read(strict, body, type);
    }

    /** Reads {@code body}, ignoring fields {@code type} does not have (a peer's payload may grow). */
    <T> T readIgnoringUnknown(String body, Class<T> type) {
        return read(lenient, body, type);
    }

    private static <T> T read(JsonMapper mapper, String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw new InvalidFieldException("body", "the request body is empty; send a JSON document");
        }
        try {
            T value = mapper.readValue(body, type);
            if (value == null) {
                throw new InvalidFieldException("body", "the request body is JSON null; send a JSON object");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            String field = path(e);
            throw new InvalidFieldException(field, "unknown field \"" + field + "\"; known fields here: "
                    + e.getKnownPropertyIds());
        } catch (StreamConstraintsException e) {
            // Nesting too deep, a number or string too long: the document's fault, not the field being read.
            throw new InvalidFieldException("body", "the body is beyond what this service reads" + where(e) + ": "
                    + e.getOriginalMessage());
        } catch (StreamReadException e) {
            // Jackson adds where the object began as "(start marker at [Source: REDACTED (`StreamReadFeature…`
            // disabled); byte offset: #UNKNOWN])": its settings, not the client's document
            throw new InvalidFieldException("body", "malformed JSON" + where(e) + ": "
                    + e.getOriginalMessage().replaceFirst("\\s*\\(start marker at \\[Source: .*$", ""));
        } catch (JacksonException e) {
            String field = path(e);
            if (field.isEmpty()) {
                // an array, a string or a number where the document should be: Jackson's message named this
                // service's Java classes ("Cannot deserialize value of type `io.canaryjudge.web.…`")
                throw new InvalidFieldException("body", "the body must be a JSON object" + where(e));
            }
            if (e instanceof MismatchedInputException mismatched && !(e instanceof ValueInstantiationException)) {
                // Jackson's message names Java types ("Cannot deserialize value of type `java.util.List<…>`"):
                // say which JSON value the field takes instead, from the type it is read into
                throw new InvalidFieldException(field, field + " must be " + expected(e, mismatched.getTargetType())
                        + where(e));
            }
            throw new InvalidFieldException(field, field + " has the wrong kind of value" + where(e) + ": "
                    + firstLine(e.getOriginalMessage()));
        }
    }

    /**
     * The JSON value the failing field takes ("a JSON array of strings"), from the declared type of the record
     * component it is read into when known (it has the element types), else from the class Jackson was reading.
     */
    private static String expected(JacksonException e, Class<?> target) {
        Type declared = declaredType(e);
        return kind(declared != null ? declared : target, true);
    }

    /** The generic type of the record component (or collection element) the last path reference names; null if unknown. */
    private static Type declaredType(JacksonException e) {
        return e.getPath().isEmpty() ? null : declaredType(e.getPath());
    }

    private static Type declaredType(List<JacksonException.Reference> path) {
        JacksonException.Reference last = path.get(path.size() - 1);
        if (last.getPropertyName() != null) {
            Object from = last.from();
            Class<?> owner = from instanceof Class<?> c ? c : from == null ? null : from.getClass();
            if (owner != null && owner.isRecord()) {
                for (RecordComponent component : owner.getRecordComponents()) {
                    if (component.getName().equals(last.getPropertyName())) {
                        return component.getGenericType();
                    }
                }
            }
            return null;
        }
        if (last.getIndex() >= 0 && path.size() > 1) {
            // profileTypes[1]: the element type of the collection the reference before names
            Type collection = declaredType(path.subList(0, path.size() - 1));
            if (collection instanceof ParameterizedType parameterized && raw(parameterized) != null
                    && Collection.class.isAssignableFrom(raw(parameterized))) {
                return parameterized.getActualTypeArguments()[0];
            }
        }
        return null;
    }

    /** "a JSON array of strings", "a JSON object", "a JSON number", …; {@code single} false gives the plural. */
    static String kind(Type type, boolean single) {
        Class<?> raw = raw(type);
        if (raw == null) {
            return single ? "a JSON value" : "JSON values";
        }
        if (Collection.class.isAssignableFrom(raw) || raw.isArray()) {
            Type element = raw.isArray() ? raw.getComponentType()
                    : type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : null;
            String of = element == null || raw(element) == Object.class ? "" : " of " + kind(element, false);
            return (single ? "a JSON array" : "JSON arrays") + of;
        }
        if (Map.class.isAssignableFrom(raw)) {
            Type value = type instanceof ParameterizedType p ? p.getActualTypeArguments()[1] : null;
            String of = value == null || raw(value) == Object.class ? "" : " of " + kind(value, false);
            return (single ? "a JSON object" : "JSON objects") + of;
        }
        if (raw == String.class || raw == char.class || raw == Character.class || raw.isEnum()) {
            return single ? "a JSON string" : "strings";
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return single ? "true or false" : "booleans (true or false)";
        }
        if (Number.class.isAssignableFrom(raw) || raw.isPrimitive()) {
            return single ? "a JSON number" : "numbers";
        }
        if (raw == Object.class) {
            return single ? "a JSON value" : "JSON values";
        }
        return single ? "a JSON object" : "JSON objects";
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        if (type instanceof WildcardType w && w.getUpperBounds().length == 1) {
            return raw(w.getUpperBounds()[0]);
        }
        return null;
    }

    /** {@code baseline.labels.app}, {@code profileTypes[1]}: the path of the failing value. */
    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String where(JacksonException e) {
        return e.getLocation() == null || e.getLocation().getLineNr() < 0 ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
