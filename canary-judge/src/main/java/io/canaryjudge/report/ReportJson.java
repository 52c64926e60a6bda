package io.canaryjudge.report;

import static io.canaryjudge.report.JsonTreeReader.array;
import static io.canaryjudge.report.JsonTreeReader.constant;
import static io.canaryjudge.report.JsonTreeReader.integer;
import static io.canaryjudge.report.JsonTreeReader.number;
import static io.canaryjudge.report.JsonTreeReader.object;
import static io.canaryjudge.report.JsonTreeReader.optionalObject;
import static io.canaryjudge.report.JsonTreeReader.requiredText;
import static io.canaryjudge.report.JsonTreeReader.strings;
import static io.canaryjudge.report.JsonTreeReader.text;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.report.flame.FlameDiff;
import io.canaryjudge.report.flame.FlameNode;
import io.canaryjudge.verdict.Measure;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@link Report} as compact JSON and back: what a verdict store keeps (gzip-compressed) instead
 * of the raw profiles, enough to render the report page again. Layout:
 *
 * <pre>
 * {"format": "canary-judge-report", "version": 1,
 *  "verdict": {... the verdict JSON ...},
 *  "context": {"source", "application", "baseline": {"selector", "pyroscopeQuery", "inputs"}, "canary": {...},
 *              "start", "end" (ISO-8601), "queries": [{"system", "text"}], "pyroscopeUrl"},
 *  "flames": [{"profileType", "minShare", "droppedNodes", "canaryScale", "names": [...],
 *              "parent": [...], "name": [...], "baselineTotal": [...], "baselineSelf": [...],
 *              "canaryTotal": [...], "canarySelf": [...]}],
 *  "evidence": [{"profileType", "function", "measure",
 *                "baseline": [{"instance", "value", "slices": [...]}], "canary": [...]}]}
 * </pre>
 *
 * Flame nodes are stored as columns (one array per field, node {@code i} at index {@code i}) with
 * frame names in a table: a frame appears on many paths, and columns of numbers compress well.
 */
public final class ReportJson {
    public static final String FORMAT = "canary-judge-report";
    public static final int VERSION = 1;

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private final VerdictJson verdictJson = new VerdictJson();

    /** The report as one line of JSON (UTF-8 when encoded). */
    public String write(Report report) {
        return MAPPER.writeValueAsString(tree(report));
    }

    public ObjectNode tree(Report report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.set("verdict", verdictJson.tree(report.verdict()));
        context(root.putObject("context"), report.context());
        ArrayNode flames = root.putArray("flames");
        report.flames().forEach(f -> flames.add(flame(f)));
        ArrayNode evidence = root.putArray("evidence");
        for (IncidentEvidence e : report.evidence()) {
            ObjectNode node = evidence.addObject();
            node.put("profileType", e.profileType().id());
            node.put("function", e.function());
            node.put("measure", e.measure().name());
            pods(node.putArray("baseline"), e.baseline());
            pods(node.putArray("canary"), e.canary());
        }
        return root;
    }

    /** One flame diff in the stored (column) layout; the report page embeds the same. */
    static ObjectNode flame(FlameDiff flame) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("profileType", flame.profileType().id());
        node.put("minShare", flame.minShare());
        node.put("droppedNodes", flame.droppedNodes());
        node.put("canaryScale", flame.canaryScale());
        Map<String, Integer> nameIds = new HashMap<>();
        ArrayNode names = node.putArray("names");
        ArrayNode parent = node.putArray("parent");
        ArrayNode name = node.putArray("name");
        ArrayNode baselineTotal = node.putArray("baselineTotal");
        ArrayNode baselineSelf = node.putArray("baselineSelf");
        ArrayNode canaryTotal = node.putArray("canaryTotal");
        ArrayNode canarySelf = node.putArray("canarySelf");
        for (FlameNode n : flame.nodes()) {
            Integer id = nameIds.get(n.name());
            if (id == null) {
                id = nameIds.size();
                nameIds.put(n.name(), id);
                names.add(n.name());
            }
            parent.add(n.parent());
            name.add(id);
            baselineTotal.add(n.baselineTotal());
            baselineSelf.add(n.baselineSelf());
            canaryTotal.add(n.canaryTotal());
            canarySelf.add(n.canarySelf());
        }
        return node;
    }

    private static void context(ObjectNode node, AnalysisContext context) {
        node.put("source", context.source());
        node.put("application", context.application());
        selection(node.putObject("baseline"), context.baseline());
        selection(node.putObject("canary"), context.canary());
        node.put("start", context.start() == null ? null : context.start().toString());
        node.put("end", context.end() == null ? null : context.end().toString());
        ArrayNode queries = node.putArray("queries");
        for (AnalysisContext.Query query : context.queries()) {
            queries.addObject().put("system", query.system()).put("text", query.text());
        }
        node.put("pyroscopeUrl", context.pyroscopeUrl());
    }

    private static void selection(ObjectNode node, AnalysisContext.Selection selection) {
        node.put("selector", selection.selector());
        node.put("pyroscopeQuery", selection.pyroscopeQuery());
        ArrayNode inputs = node.putArray("inputs");
        selection.inputs().forEach(inputs::add);
    }

    private static void pods(ArrayNode array, List<IncidentEvidence.PodValues> pods) {
        for (IncidentEvidence.PodValues pod : pods) {
            ObjectNode node = array.addObject();
            node.put("instance", pod.instance());
            node.put("value", pod.value());
            ArrayNode slices = node.putArray("slices");
            pod.slices().forEach(slices::add);
        }
    }

    /**
     * Reads a report written by {@link #write}.
     *
     * @throws InvalidReportException naming the field and the problem (not JSON, another format or a
     *                                newer version, a missing or malformed field)
     */
    public Report read(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new InvalidReportException("report: not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw JsonTreeReader.problem("report", "expected an object", root);
        }
        String format = text(root, "format", "report");
        if (!FORMAT.equals(format)) {
            throw new InvalidReportException("report.format: expected \"" + FORMAT + "\", got "
                    + (format == null ? "nothing" : "\"" + format + "\""));
        }
        long version = integer(root, "version", "report", -1);
        if (version != VERSION) {
            throw new InvalidReportException("report.version: this judge reads version " + VERSION + ", got " + version);
        }
        var verdict = verdictJson.fromTree(object(root, "verdict", "report"), "report.verdict");
        AnalysisContext context = readContext(optionalObject(root, "context", "report"), "report.context");
        List<FlameDiff> flames = new ArrayList<>();
        List<JsonNode> flameNodes = array(root, "flames", "report");
        for (int i = 0; i < flameNodes.size(); i++) {
            flames.add(readFlame(flameNodes.get(i), "report.flames[" + i + "]"));
        }
        List<IncidentEvidence> evidence = new ArrayList<>();
        List<JsonNode> evidenceNodes = array(root, "evidence", "report");
        for (int i = 0; i < evidenceNodes.size(); i++) {
            JsonNode e = evidenceNodes.get(i);
            String at = "report.evidence[" + i + "]";
            ProfileType type = requiredType(e, at);
            Measure measure = constant(Measure.class, e, "measure", at);
            if (measure == null) {
                throw JsonTreeReader.problem(at + ".measure", "expected a measure", e.path("measure"));
            }
            evidence.add(new IncidentEvidence(type, requiredText(e, "function", at), measure,
                    readPods(e, "baseline", at), readPods(e, "canary", at)));
        }
        return new Report(verdict, flames, evidence, context);
    }

    private static AnalysisContext readContext(JsonNode node, String path) {
        if (node == null) {
            return AnalysisContext.UNKNOWN;
        }
        List<AnalysisContext.Query> queries = new ArrayList<>();
        List<JsonNode> queryNodes = array(node, "queries", path);
        for (int i = 0; i < queryNodes.size(); i++) {
            String at = path + ".queries[" + i + "]";
            queries.add(new AnalysisContext.Query(requiredText(queryNodes.get(i), "system", at),
                    requiredText(queryNodes.get(i), "text", at)));
        }
        String source = text(node, "source", path);
        return new AnalysisContext(source == null ? "unknown" : source, text(node, "application", path),
                readSelection(optionalObject(node, "baseline", path), path + ".baseline"),
                readSelection(optionalObject(node, "canary", path), path + ".canary"),
                instant(node, "start", path), instant(node, "end", path), queries, text(node, "pyroscopeUrl", path));
    }

    private static AnalysisContext.Selection readSelection(JsonNode node, String path) {
        if (node == null) {
            return AnalysisContext.Selection.NONE;
        }
        return new AnalysisContext.Selection(text(node, "selector", path), text(node, "pyroscopeQuery", path),
                strings(node, "inputs", path));
    }

    private static Instant instant(JsonNode node, String field, String path) {
        String text = text(node, field, path);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw JsonTreeReader.problem(path + "." + field, "expected an ISO-8601 instant", node.path(field));
        }
    }

    private static FlameDiff readFlame(JsonNode node, String path) {
        ProfileType type = requiredType(node, path);
        List<String> names = strings(node, "names", path);
        List<JsonNode> parent = array(node, "parent", path);
        List<JsonNode> name = array(node, "name", path);
        double[][] columns = new double[4][];
        String[] columnNames = {"baselineTotal", "baselineSelf", "canaryTotal", "canarySelf"};
        for (int c = 0; c < columns.length; c++) {
            List<JsonNode> values = array(node, columnNames[c], path);
            if (values.size() != parent.size()) {
                throw new InvalidReportException(path + "." + columnNames[c] + ": " + values.size()
                        + " values for " + parent.size() + " nodes");
            }
            columns[c] = new double[values.size()];
            for (int i = 0; i < values.size(); i++) {
                JsonNode v = values.get(i);
                if (!v.isNumber() || !(v.doubleValue() >= 0 && v.doubleValue() <= 1.0 + 1e-6)) {
                    throw JsonTreeReader.problem(path + "." + columnNames[c] + "[" + i + "]", "expected a share in [0, 1]", v);
                }
                columns[c][i] = v.doubleValue();
            }
        }
        if (name.size() != parent.size() || parent.isEmpty()) {
            throw new InvalidReportException(path + ": " + parent.size() + " parents and " + name.size()
                    + " names; a flame diff has at least its root and one name per node");
        }
        List<FlameNode> nodes = new ArrayList<>(parent.size());
        for (int i = 0; i < parent.size(); i++) {
            JsonNode p = parent.get(i);
            JsonNode n = name.get(i);
            if (!p.isIntegralNumber() || (i == 0 ? p.intValue() != -1 : p.intValue() < 0 || p.intValue() >= i)) {
                throw JsonTreeReader.problem(path + ".parent[" + i + "]",
                        i == 0 ? "expected -1 (the root)" : "expected the index of an earlier node", p);
            }
            if (!n.isIntegralNumber() || n.intValue() < 0 || n.intValue() >= names.size()) {
                throw JsonTreeReader.problem(path + ".name[" + i + "]", "expected an index into names", n);
            }
            nodes.add(new FlameNode(p.intValue(), names.get(n.intValue()), columns[0][i], columns[1][i],
                    columns[2][i], columns[3][i]));
        }
        Double minShare = number(node, "minShare", path);
        Double scale = number(node, "canaryScale", path);
        if (scale != null && !(scale > 0)) {
            throw JsonTreeReader.problem(path + ".canaryScale", "expected a positive number", node.path("canaryScale"));
        }
        return new FlameDiff(type, minShare == null ? 0 : minShare, (int) integer(node, "droppedNodes", path, 0),
                scale == null ? 1.0 : scale, nodes);
    }

    private static List<IncidentEvidence.PodValues> readPods(JsonNode parent, String field, String path) {
        List<IncidentEvidence.PodValues> pods = new ArrayList<>();
        List<JsonNode> nodes = array(parent, field, path);
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode pod = nodes.get(i);
            String at = path + "." + field + "[" + i + "]";
            Double value = number(pod, "value", at);
            if (value == null) {
                throw JsonTreeReader.problem(at + ".value", "expected a number", pod.path("value"));
            }
            List<Double> slices = new ArrayList<>();
            List<JsonNode> sliceNodes = array(pod, "slices", at);
            for (int s = 0; s < sliceNodes.size(); s++) {
                if (!sliceNodes.get(s).isNumber()) {
                    throw JsonTreeReader.problem(at + ".slices[" + s + "]", "expected a number", sliceNodes.get(s));
                }
                slices.add(sliceNodes.get(s).doubleValue());
            }
            pods.add(new IncidentEvidence.PodValues(requiredText(pod, "instance", at), value, slices));
        }
        return pods;
    }

    private static ProfileType requiredType(JsonNode node, String path) {
        ProfileType type = VerdictJson.profileType(node, path);
        if (type == null) {
            throw JsonTreeReader.problem(path + ".profileType", "expected a profile type", node.path("profileType"));
        }
        return type;
    }
}
