package io.canaryjudge.web;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
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
            throw new InvalidFieldException(field.isEmpty() ? "body" : field, (field.isEmpty() ? "the body" : field)
                    + " has the wrong kind of value" + where(e) + ": " + firstLine(e.getOriginalMessage()));
        }
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
