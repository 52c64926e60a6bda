package io.canaryjudge.store;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.report.VerdictJson;
import io.canaryjudge.verdict.DataQuality;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.GroupQuality;
import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.Measure;
import io.canaryjudge.verdict.MetricComparison;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.TypeQuality;
import io.canaryjudge.verdict.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the verdict JSON that {@link VerdictJson} writes back into a {@link Verdict}, so a stored verdict comes
 * back as it was judged: JSON null reads as a null number (a group's {@code total} as NaN, {@code samples} as
 * -1, the values {@link VerdictJson} writes as null); fields it does not know are ignored and fields it misses
 * read as absent (null, empty, false), so replicas one version apart read each other's verdicts. A value of the
 * wrong kind, or an enum constant this version does not know, is an {@link IllegalArgumentException} naming the
 * field's path ({@code verdict.findings[2].qValue: expected a number or null, got "x"}).
 */
public final class VerdictJsonReader {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    public Verdict read(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("verdict: not JSON: " + e.getOriginalMessage(), e);
        }
        return read(root);
    }

    public Verdict read(JsonNode root) {
        String at = "verdict";
        if (root == null || !root.isObject()) {
            throw problem(at, "expected an object", root);
        }
        Result result = constant(Result.class, root, "result", at);
        if (result == null) {
            throw problem(at + ".result", "expected PASS, FAIL or INCONCLUSIVE", root.path("result"));
        }
        return new Verdict(text(root, "id", at), result, bool(root, "pass", at), (int) integer(root, "score", at, 0),
                text(root, "summary", at), list(root, "findings", at, this::finding),
                list(root, "metrics", at, this::metric), dataQuality(root.path("dataQuality"), at + ".dataQuality"),
                text(root, "reportUrl", at), list(root, "hottest", at, this::finding),
                list(root, "incidents", at, this::incident));
    }

    private Finding finding(JsonNode n, String at) {
        return new Finding(profileType(n, at), text(n, "function", at), constant(FindingKind.class, n, "kind", at),
                constant(Measure.class, n, "measure", at), number(n, "baseline", at), number(n, "canary", at),
                number(n, "relativeChange", at), number(n, "absoluteChange", at), number(n, "pValue", at),
                number(n, "qValue", at), number(n, "ciLow", at), number(n, "ciHigh", at), bool(n, "failing", at),
                bool(n, "jvmInternal", at), strings(n, "callPath", at), text(n, "explanation", at));
    }

    private MetricComparison metric(JsonNode n, String at) {
        return new MetricComparison(text(n, "name", at), number(n, "baseline", at), number(n, "canary", at),
                number(n, "relativeChange", at), text(n, "note", at));
    }

    private Incident incident(JsonNode n, String at) {
        return new Incident(profileType(n, at), text(n, "entryFrame", at), constant(FindingKind.class, n, "kind", at),
                constant(Measure.class, n, "measure", at), number(n, "baseline", at), number(n, "canary", at),
                number(n, "relativeChange", at), number(n, "ciLow", at), number(n, "ciHigh", at),
                number(n, "qValue", at), bool(n, "failing", at), strings(n, "callPath", at),
                strings(n, "functions", at), text(n, "detail", at), text(n, "summary", at));
    }

    /** {@link VerdictJson} writes an object even for a null data quality, so absent reads as empty. */
    private DataQuality dataQuality(JsonNode n, String at) {
        if (n.isMissingNode() || n.isNull()) {
            return new DataQuality(List.of(), List.of(), List.of());
        }
        if (!n.isObject()) {
            throw problem(at, "expected an object", n);
        }
        return new DataQuality(list(n, "types", at, this::typeQuality), strings(n, "warnings", at),
                strings(n, "skipped", at));
    }

    private TypeQuality typeQuality(JsonNode n, String at) {
        return new TypeQuality(profileType(n, at), bool(n, "judged", at), group(n, "baseline", at),
                group(n, "canary", at), (int) integer(n, "functionsTested", at, 0), number(n, "betweenInstanceCv", at),
                number(n, "overdispersion", at), number(n, "minimumDetectableChange1pct", at),
                number(n, "minimumDetectableChange5pct", at), strings(n, "notes", at));
    }

    private GroupQuality group(JsonNode parent, String field, String at) {
        JsonNode n = parent.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        String path = at + "." + field;
        if (!n.isObject()) {
            throw problem(path, "expected an object or null", n);
        }
        Double total = number(n, "total", path);
        return new GroupQuality((int) integer(n, "instances", path, 0), (int) integer(n, "observations", path, 0),
                (int) integer(n, "excludedWarmup", path, 0), integer(n, "samples", path, -1),
                total == null ? Double.NaN : total);
    }

    private static ProfileType profileType(JsonNode n, String at) {
        String id = text(n, "profileType", at);
        if (id == null) {
            return null;
        }
        try {
            return ProfileType.fromId(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ".profileType: " + e.getMessage(), e);
        }
    }

    private static <T> List<T> list(JsonNode parent, String field, String at, BiFunction<JsonNode, String, T> item) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw problem(at + "." + field, "expected an array", node);
        }
        List<T> items = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            String path = at + "." + field + "[" + i + "]";
            JsonNode element = node.get(i);
            if (!element.isObject()) {
                throw problem(path, "expected an object", element);
            }
            items.add(item.apply(element, path));
        }
        return items;
    }

    private static List<String> strings(JsonNode parent, String field, String at) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw problem(at + "." + field, "expected an array of strings", node);
        }
        List<String> values = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode element = node.get(i);
            if (!element.isString()) {
                throw problem(at + "." + field + "[" + i + "]", "expected a string", element);
            }
            values.add(element.stringValue());
        }
        return values;
    }

    private static String text(JsonNode parent, String field, String at) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw problem(at + "." + field, "expected a string or null", node);
        }
        return node.stringValue();
    }

    private static Double number(JsonNode parent, String field, String at) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw problem(at + "." + field, "expected a number or null", node);
        }
        return node.doubleValue();
    }

    /** A whole number; {@code absent} when missing or null. */
    private static long integer(JsonNode parent, String field, String at, long absent) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return absent;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw problem(at + "." + field, "expected a whole number or null", node);
        }
        return node.longValue();
    }

    private static boolean bool(JsonNode parent, String field, String at) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw problem(at + "." + field, "expected true or false", node);
        }
        return node.booleanValue();
    }

    private static <E extends Enum<E>> E constant(Class<E> type, JsonNode parent, String field, String at) {
        String name = text(parent, field, at);
        if (name == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + "." + field + ": \"" + name + "\" is not a " + type.getSimpleName()
                    + " this version knows (written by a newer one?)", e);
        }
    }

    private static IllegalArgumentException problem(String path, String expected, JsonNode got) {
        String shown = got == null || got.isMissingNode() ? "nothing" : got.toString();
        if (shown.length() > 80) {
            shown = shown.substring(0, 77) + "...";
        }
        return new IllegalArgumentException(path + ": " + expected + ", got " + shown);
    }
}
