package io.canaryjudge.metrics;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

/**
 * Prometheus' JSON envelope, read with a streaming parser so a large matrix goes straight into
 * primitive arrays (no tree of nodes per point):
 * <pre>
 * {"status":"success"|"error", "data":{"resultType":"matrix","result":[{"metric":{…},"values":[[1700000000.5,"1.25"],…]}]},
 *  "errorType":"bad_data", "error":"…", "warnings":["…"]}
 * </pre>
 * Field order does not matter, unknown fields are skipped. Values are Go's float formatting
 * ({@code NaN}, {@code +Inf}, {@code -Inf} included); timestamps are Unix seconds with millisecond
 * precision.
 *
 * @param status     {@code success} or {@code error}; null when absent
 * @param errorType  e.g. {@code bad_data}, {@code execution}, {@code timeout}; null when absent
 * @param error      Prometheus' error text; null when absent
 * @param resultType e.g. {@code matrix}; null when absent
 * @param series     the result when it is a matrix, else empty
 * @param warnings   Prometheus' warnings and notes about skipped native histogram samples
 */
record ResponseEnvelope(String status, String errorType, String error, String resultType, List<TimeSeries> series,
                        List<String> warnings) {

    private static final JsonFactory JSON = new JsonFactory();
    /** Go's strconv.FormatFloat(v, 'f', -1, 64) output, and the exponent form other servers use. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    /** The body is not the documented envelope. */
    static final class InvalidEnvelopeException extends Exception {
        InvalidEnvelopeException(String reason) {
            super(reason);
        }
    }

    boolean isMatrix() {
        return "matrix".equals(resultType);
    }

    static ResponseEnvelope read(byte[] body) throws InvalidEnvelopeException {
        if (body.length == 0) {
            throw new InvalidEnvelopeException("empty body");
        }
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidEnvelopeException("body is not a JSON object");
            }
            Reading reading = new Reading();
            String name;
            while ((name = parser.nextName()) != null) {
                switch (name) {
                    case "status" -> reading.status = stringOrNull(parser, "status");
                    case "errorType" -> reading.errorType = stringOrNull(parser, "errorType");
                    case "error" -> reading.error = stringOrNull(parser, "error");
                    case "warnings" -> readWarnings(parser, reading.warnings);
                    case "data" -> readData(parser, reading);
                    default -> skipValue(parser);
                }
            }
            if (parser.nextToken() != null) {
                throw new InvalidEnvelopeException("content after the JSON object");
            }
            List<TimeSeries> series = "matrix".equals(reading.resultType) ? reading.series : List.of();
            return new ResponseEnvelope(reading.status, reading.errorType, reading.error, reading.resultType, series,
                    reading.warnings);
        } catch (JacksonException e) {
            throw new InvalidEnvelopeException("not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** Fields of the envelope as they are met, in any order. */
    private static final class Reading {
        String status;
        String errorType;
        String error;
        String resultType;
        final List<TimeSeries> series = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
    }

    private static void readData(JsonParser parser, Reading reading) throws InvalidEnvelopeException {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        if (token != JsonToken.START_OBJECT) {
            throw new InvalidEnvelopeException("\"data\" is not an object");
        }
        String name;
        while ((name = parser.nextName()) != null) {
            switch (name) {
                case "resultType" -> reading.resultType = stringOrNull(parser, "data.resultType");
                case "result" -> readResult(parser, reading);
                default -> skipValue(parser);
            }
        }
    }

    private static void readResult(JsonParser parser, Reading reading) throws InvalidEnvelopeException {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        if (token != JsonToken.START_ARRAY) {
            throw new InvalidEnvelopeException("\"data.result\" is not an array");
        }
        if (reading.resultType != null && !reading.resultType.equals("matrix")) {
            parser.skipChildren(); // the caller reports the result type
            return;
        }
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.START_OBJECT) {
                // A scalar or string result ([time, "value"]); the result type check names it.
                parser.skipChildren();
                continue;
            }
            readSeries(parser, reading.series.size(), reading);
        }
    }

    private static void readSeries(JsonParser parser, int index, Reading reading) throws InvalidEnvelopeException {
        Map<String, String> labels = Map.of();
        Points points = new Points();
        boolean histograms = false;
        String name;
        while ((name = parser.nextName()) != null) {
            switch (name) {
                case "metric" -> labels = readLabels(parser, index);
                case "values" -> readPoints(parser, index, points);
                case "histograms" -> {
                    skipValue(parser);
                    histograms = true;
                }
                default -> skipValue(parser);
            }
        }
        if (histograms) {
            reading.warnings.add("series " + labels + " has native histogram samples, which are not read");
        }
        reading.series.add(new TimeSeries(labels, points.times(), points.values()));
    }

    private static Map<String, String> readLabels(JsonParser parser, int index) throws InvalidEnvelopeException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new InvalidEnvelopeException("result[" + index + "].metric is not an object");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        while ((name = parser.nextName()) != null) {
            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                throw new InvalidEnvelopeException("result[" + index + "].metric." + name + " is not a string");
            }
            labels.put(name, parser.getString());
        }
        return labels;
    }

    private static void readPoints(JsonParser parser, int index, Points points) throws InvalidEnvelopeException {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        if (token != JsonToken.START_ARRAY) {
            throw new InvalidEnvelopeException("result[" + index + "].values is not an array");
        }
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            String where = "result[" + index + "].values[" + points.size + "]";
            if (token != JsonToken.START_ARRAY) {
                throw new InvalidEnvelopeException(where + " is not [time, \"value\"]");
            }
            token = parser.nextToken();
            if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                throw new InvalidEnvelopeException(where + " time is not a number");
            }
            double seconds = parser.getDoubleValue();
            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                throw new InvalidEnvelopeException(where + " value is not a string");
            }
            double value = parseValue(parser.getString(), where);
            if (parser.nextToken() != JsonToken.END_ARRAY) {
                throw new InvalidEnvelopeException(where + " has more than [time, \"value\"]");
            }
            // Prometheus' timestamps have millisecond precision; rounding undoes the float's binary error.
            long millis = Math.round(seconds * 1000);
            if (points.size > 0 && millis <= points.lastTime()) {
                throw new InvalidEnvelopeException(where + " time " + BigDecimal.valueOf(millis, 3).stripTrailingZeros()
                        .toPlainString() + " is not after the previous point");
            }
            points.add(millis, value);
        }
    }

    static double parseValue(String text, String where) throws InvalidEnvelopeException {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
            case "Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                if (!DECIMAL.matcher(text).matches()) {
                    throw new InvalidEnvelopeException(where + " value \"" + shorten(text) + "\" is not a number");
                }
                return Double.parseDouble(text);
        }
    }

    private static void readWarnings(JsonParser parser, List<String> warnings) throws InvalidEnvelopeException {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        if (token != JsonToken.START_ARRAY) {
            throw new InvalidEnvelopeException("\"warnings\" is not an array");
        }
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.VALUE_STRING) {
                throw new InvalidEnvelopeException("\"warnings\" holds something other than strings");
            }
            warnings.add(parser.getString());
        }
    }

    private static String stringOrNull(JsonParser parser, String field) throws InvalidEnvelopeException {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw new InvalidEnvelopeException("\"" + field + "\" is not a string");
        }
        return parser.getString();
    }

    private static void skipValue(JsonParser parser) {
        parser.nextToken();
        parser.skipChildren();
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    /** Growable primitive arrays of one series' points. */
    private static final class Points {
        private long[] times = new long[16];
        private double[] values = new double[16];
        int size;

        void add(long time, double value) {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            times[size] = time;
            values[size] = value;
            size++;
        }

        long lastTime() {
            return times[size - 1];
        }

        long[] times() {
            return Arrays.copyOf(times, size);
        }

        double[] values() {
            return Arrays.copyOf(values, size);
        }
    }
}
