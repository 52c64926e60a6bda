package io.canaryjudge.report;

import static io.canaryjudge.report.JsonTreeReader.array;
import static io.canaryjudge.report.JsonTreeReader.bool;
import static io.canaryjudge.report.JsonTreeReader.constant;
import static io.canaryjudge.report.JsonTreeReader.integer;
import static io.canaryjudge.report.JsonTreeReader.number;
import static io.canaryjudge.report.JsonTreeReader.optionalObject;
import static io.canaryjudge.report.JsonTreeReader.strings;
import static io.canaryjudge.report.JsonTreeReader.text;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.DataQuality;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.GroupQuality;
import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.Measure;
import io.canaryjudge.verdict.MemoryQuality;
import io.canaryjudge.verdict.MetricComparison;
import io.canaryjudge.verdict.MetricUnit;
import io.canaryjudge.verdict.PodHeapSummary;
import io.canaryjudge.verdict.RequestMix;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.TypeQuality;
import io.canaryjudge.verdict.Verdict;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The verdict JSON (docs/API.md, "The verdict"). The tree is built field by field rather than by
 * serialising the records, so the contract's names (and {@code "cpu"} rather than {@code "CPU"} for
 * profile types) cannot change by renaming a Java component. Values that do not exist — null, NaN,
 * infinities, unknown sample counts (-1) — are written as JSON null. {@link #read} turns such a
 * document back into a verdict (for a verdict store); values written as null read back as null
 * (a GroupQuality total as NaN, a sample count as -1).
 */
public final class VerdictJson implements VerdictRenderer {
    private static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Override
    public String render(Verdict verdict) {
        return MAPPER.writeValueAsString(tree(verdict)) + "\n";
    }

    /** The verdict as a Jackson tree, for callers that embed it in a larger document. */
    public ObjectNode tree(Verdict verdict) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("id", verdict.id());
        root.put("result", verdict.result() == null ? null : verdict.result().name());
        root.put("pass", verdict.pass());
        root.put("score", verdict.score());
        root.put("summary", verdict.summary());
        ArrayNode findings = root.putArray("findings");
        for (Finding finding : verdict.findings()) {
            finding(findings.addObject(), finding);
        }
        ArrayNode metrics = root.putArray("metrics");
        for (MetricComparison metric : verdict.metrics()) {
            ObjectNode node = metrics.addObject();
            node.put("name", metric.name());
            putNumber(node, "baseline", metric.baseline());
            putNumber(node, "canary", metric.canary());
            putNumber(node, "relativeChange", metric.relativeChange());
            node.put("note", metric.note());
            if (metric.unit() != MetricUnit.NONE) {
                node.put("unit", metric.unit().id());
            }
        }
        dataQuality(root.putObject("dataQuality"), verdict.dataQuality());
        root.put("reportUrl", verdict.reportUrl());
        ArrayNode hottest = root.putArray("hottest");
        for (Finding finding : verdict.hottest()) {
            finding(hottest.addObject(), finding);
        }
        ArrayNode incidents = root.putArray("incidents");
        for (Incident incident : verdict.incidents()) {
            incident(incidents.addObject(), incident);
        }
        return root;
    }

    /**
     * Reads a verdict JSON written by {@link #render}.
     *
     * @throws InvalidReportException naming the field and the problem
     */
    public Verdict read(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new InvalidReportException("verdict: not JSON: " + e.getOriginalMessage(), e);
        }
        return fromTree(root, "verdict");
    }

    /** Reads a verdict from a tree written by {@link #tree}; {@code path} prefixes error messages. */
    public Verdict fromTree(JsonNode root, String path) {
        if (root == null || !root.isObject()) {
            throw JsonTreeReader.problem(path, "expected a verdict object", root);
        }
        Result result = constant(Result.class, root, "result", path);
        if (result == null) {
            throw JsonTreeReader.problem(path + ".result", "expected PASS, FAIL or INCONCLUSIVE", root.path("result"));
        }
        List<Finding> findings = findings(root, "findings", path);
        List<MetricComparison> metrics = new ArrayList<>();
        List<JsonNode> metricNodes = array(root, "metrics", path);
        for (int i = 0; i < metricNodes.size(); i++) {
            JsonNode m = metricNodes.get(i);
            String at = path + ".metrics[" + i + "]";
            metrics.add(new MetricComparison(text(m, "name", at), number(m, "baseline", at), number(m, "canary", at),
                    number(m, "relativeChange", at), text(m, "note", at), MetricUnit.of(text(m, "unit", at))));
        }
        List<Incident> incidents = new ArrayList<>();
        List<JsonNode> incidentNodes = array(root, "incidents", path);
        for (int i = 0; i < incidentNodes.size(); i++) {
            JsonNode n = incidentNodes.get(i);
            String at = path + ".incidents[" + i + "]";
            incidents.add(new Incident(profileType(n, at), text(n, "entryFrame", at),
                    constant(FindingKind.class, n, "kind", at), constant(Measure.class, n, "measure", at),
                    number(n, "baseline", at), number(n, "canary", at), number(n, "relativeChange", at),
                    number(n, "ciLow", at), number(n, "ciHigh", at), number(n, "qValue", at), bool(n, "failing", at),
                    strings(n, "callPath", at), strings(n, "functions", at), text(n, "detail", at),
                    text(n, "summary", at)));
        }
        return new Verdict(text(root, "id", path), result, bool(root, "pass", path),
                (int) integer(root, "score", path, 0), text(root, "summary", path), findings, metrics,
                readDataQuality(optionalObject(root, "dataQuality", path), path + ".dataQuality"),
                text(root, "reportUrl", path), findings(root, "hottest", path), incidents);
    }

    private static List<Finding> findings(JsonNode root, String field, String path) {
        List<Finding> findings = new ArrayList<>();
        List<JsonNode> nodes = array(root, field, path);
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode n = nodes.get(i);
            String at = path + "." + field + "[" + i + "]";
            findings.add(new Finding(profileType(n, at), text(n, "function", at), constant(FindingKind.class, n, "kind", at),
                    constant(Measure.class, n, "measure", at), number(n, "baseline", at), number(n, "canary", at),
                    number(n, "relativeChange", at), number(n, "absoluteChange", at), number(n, "pValue", at),
                    number(n, "qValue", at), number(n, "ciLow", at), number(n, "ciHigh", at), bool(n, "failing", at),
                    bool(n, "jvmInternal", at), strings(n, "callPath", at), text(n, "explanation", at),
                    bool(n, "entryFrame", at), text(n, "unit", at)));
        }
        return findings;
    }

    private static DataQuality readDataQuality(JsonNode node, String path) {
        if (node == null) {
            return null;
        }
        List<TypeQuality> types = new ArrayList<>();
        List<JsonNode> typeNodes = array(node, "types", path);
        for (int i = 0; i < typeNodes.size(); i++) {
            JsonNode t = typeNodes.get(i);
            String at = path + ".types[" + i + "]";
            Double functionsTested = number(t, "functionsTested", at);
            types.add(new TypeQuality(profileType(t, at), bool(t, "judged", at),
                    readGroup(optionalObject(t, "baseline", at), at + ".baseline"),
                    readGroup(optionalObject(t, "canary", at), at + ".canary"),
                    functionsTested == null ? 0 : functionsTested.intValue(), number(t, "betweenInstanceCv", at),
                    number(t, "overdispersion", at), number(t, "minimumDetectableChange1pct", at),
                    number(t, "minimumDetectableChange5pct", at), strings(t, "notes", at), text(t, "noiseSource", at),
                    text(t, "unit", at)));
        }
        return new DataQuality(types, strings(node, "warnings", path), strings(node, "skipped", path),
                readMemory(optionalObject(node, "memory", path), path + ".memory"),
                readRequestMix(optionalObject(node, "requestMix", path), path + ".requestMix"));
    }

    private static RequestMix readRequestMix(JsonNode node, String path) {
        if (node == null) {
            return null;
        }
        List<RequestMix.Endpoint> endpoints = new ArrayList<>();
        List<JsonNode> nodes = array(node, "endpoints", path);
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode e = nodes.get(i);
            String at = path + ".endpoints[" + i + "]";
            Double b = number(e, "baselineRequests", at);
            Double c = number(e, "canaryRequests", at);
            Double bs = number(e, "baselineShare", at);
            Double cs = number(e, "canaryShare", at);
            endpoints.add(new RequestMix.Endpoint(text(e, "endpoint", at), b == null ? 0 : b.longValue(),
                    c == null ? 0 : c.longValue(), bs == null ? 0 : bs, cs == null ? 0 : cs, number(e, "ratio", at),
                    bool(e, "judged", at)));
        }
        Double smallest = number(node, "smallestRatio", path);
        return new RequestMix(bool(node, "differs", path), number(node, "largestRatio", path),
                smallest == null ? 0 : smallest, endpoints);
    }

    /** {@code [[timestampMillis, bytes], ...]}; a missing field reads as empty. */
    private static List<PodHeapSummary.HeapPoint> heapPoints(JsonNode pod, String field, String at) {
        List<PodHeapSummary.HeapPoint> points = new ArrayList<>();
        List<JsonNode> pointNodes = array(pod, field, at);
        for (int k = 0; k < pointNodes.size(); k++) {
            JsonNode point = pointNodes.get(k);
            if (!point.isArray() || point.size() != 2 || !point.get(0).isNumber() || !point.get(1).isNumber()) {
                throw JsonTreeReader.problem(at + "." + field + "[" + k + "]", "expected [timestampMillis, bytes]", point);
            }
            points.add(new PodHeapSummary.HeapPoint(point.get(0).asLong(), point.get(1).asLong()));
        }
        return points;
    }

    private static MemoryQuality readMemory(JsonNode node, String path) {
        if (node == null) {
            return null;
        }
        List<PodHeapSummary> pods = new ArrayList<>();
        List<JsonNode> podNodes = array(node, "pods", path);
        for (int i = 0; i < podNodes.size(); i++) {
            JsonNode p = podNodes.get(i);
            String at = path + ".pods[" + i + "]";
            pods.add(new PodHeapSummary(text(p, "instance", at), text(p, "group", at), number(p, "slopeBytesPerHour", at),
                    number(p, "ciLow", at), number(p, "ciHigh", at), number(p, "bytesPer1000Requests", at),
                    number(p, "ageMinutes", at), bool(p, "used", at), heapPoints(p, "points", at),
                    heapPoints(p, "windowPoints", at)));
        }
        return new MemoryQuality(bool(node, "judged", path), text(node, "unit", path),
                (int) integer(node, "baselinePods", path, 0), (int) integer(node, "canaryPods", path, 0),
                (int) integer(node, "referenceSlopes", path, 0), number(node, "baselineSlope", path),
                number(node, "canarySlope", path), number(node, "slopeSpread", path),
                number(node, "minimumDetectableGrowth", path), text(node, "reference", path), pods,
                strings(node, "notes", path));
    }

    private static GroupQuality readGroup(JsonNode node, String path) {
        if (node == null) {
            return null;
        }
        Double total = number(node, "total", path);
        return new GroupQuality((int) integer(node, "instances", path, 0), (int) integer(node, "observations", path, 0),
                (int) integer(node, "excludedWarmup", path, 0), integer(node, "samples", path, -1),
                total == null ? Double.NaN : total);
    }

    static ProfileType profileType(JsonNode node, String path) {
        String id = text(node, "profileType", path);
        if (id == null) {
            return null;
        }
        try {
            return ProfileType.fromId(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidReportException(path + ".profileType: " + e.getMessage());
        }
    }

    private static void finding(ObjectNode node, Finding finding) {
        node.put("profileType", finding.profileType() == null ? null : finding.profileType().id());
        node.put("function", finding.function());
        node.put("kind", finding.kind() == null ? null : finding.kind().name());
        node.put("measure", finding.measure() == null ? null : finding.measure().name());
        putNumber(node, "baseline", finding.baseline());
        putNumber(node, "canary", finding.canary());
        putNumber(node, "relativeChange", finding.relativeChange());
        putNumber(node, "absoluteChange", finding.absoluteChange());
        putNumber(node, "pValue", finding.pValue());
        putNumber(node, "qValue", finding.qValue());
        putNumber(node, "ciLow", finding.ciLow());
        putNumber(node, "ciHigh", finding.ciHigh());
        node.put("failing", finding.failing());
        node.put("jvmInternal", finding.jvmInternal());
        node.put("entryFrame", finding.entryFrame());
        if (finding.unit() != null) { // per-request amounts: the unit they are in (samples for collapsed cpu)
            node.put("unit", finding.unit());
        }
        node.put("explanation", finding.explanation());
        ArrayNode path = node.putArray("callPath");
        finding.callPath().forEach(path::add);
    }

    private static void incident(ObjectNode node, Incident incident) {
        node.put("profileType", incident.profileType() == null ? null : incident.profileType().id());
        node.put("entryFrame", incident.entryFrame());
        node.put("kind", incident.kind() == null ? null : incident.kind().name());
        node.put("measure", incident.measure() == null ? null : incident.measure().name());
        putNumber(node, "baseline", incident.baseline());
        putNumber(node, "canary", incident.canary());
        putNumber(node, "relativeChange", incident.relativeChange());
        putNumber(node, "ciLow", incident.ciLow());
        putNumber(node, "ciHigh", incident.ciHigh());
        putNumber(node, "qValue", incident.qValue());
        node.put("failing", incident.failing());
        node.put("summary", incident.summary());
        node.put("detail", incident.detail());
        ArrayNode path = node.putArray("callPath");
        incident.callPath().forEach(path::add);
        ArrayNode functions = node.putArray("functions");
        incident.functions().forEach(functions::add);
    }

    private static void dataQuality(ObjectNode node, DataQuality quality) {
        ArrayNode types = node.putArray("types");
        ArrayNode warnings = node.putArray("warnings");
        ArrayNode skipped = node.putArray("skipped");
        if (quality == null) {
            return;
        }
        for (TypeQuality type : quality.types()) {
            ObjectNode t = types.addObject();
            t.put("profileType", type.profileType() == null ? null : type.profileType().id());
            t.put("unit", type.unit());
            t.put("judged", type.judged());
            group(t, "baseline", type.baseline());
            group(t, "canary", type.canary());
            t.put("functionsTested", type.functionsTested());
            putNumber(t, "betweenInstanceCv", type.betweenInstanceCv());
            putNumber(t, "overdispersion", type.overdispersion());
            t.put("noiseSource", type.noiseSource());
            putNumber(t, "minimumDetectableChange1pct", type.minimumDetectableChange1pct());
            putNumber(t, "minimumDetectableChange5pct", type.minimumDetectableChange5pct());
            ArrayNode notes = t.putArray("notes");
            type.notes().forEach(notes::add);
        }
        quality.warnings().forEach(warnings::add);
        quality.skipped().forEach(skipped::add);
        memory(node, quality.memory());
        requestMix(node, quality.requestMix());
    }

    /** {@code dataQuality.requestMix}: the groups' request mix from per-endpoint counts; left out when not given. */
    private static void requestMix(ObjectNode parent, RequestMix mix) {
        if (mix == null) {
            return;
        }
        ObjectNode node = parent.putObject("requestMix");
        node.put("differs", mix.differs());
        putNumber(node, "largestRatio", mix.largestRatio());
        putNumber(node, "smallestRatio", mix.smallestRatio());
        ArrayNode endpoints = node.putArray("endpoints");
        for (RequestMix.Endpoint e : mix.endpoints()) {
            ObjectNode n = endpoints.addObject();
            n.put("endpoint", e.endpoint());
            n.put("baselineRequests", e.baselineRequests());
            n.put("canaryRequests", e.canaryRequests());
            putNumber(n, "baselineShare", e.baselineShare());
            putNumber(n, "canaryShare", e.canaryShare());
            putNumber(n, "ratio", e.ratio());
            n.put("judged", e.judged());
        }
    }

    /** {@code dataQuality.memory}: the after-GC heap behind the memory-growth check; null without heap data. */
    private static void memory(ObjectNode parent, MemoryQuality memory) {
        if (memory == null) {
            parent.putNull("memory");
            return;
        }
        ObjectNode node = parent.putObject("memory");
        node.put("judged", memory.judged());
        node.put("unit", memory.unit());
        node.put("baselinePods", memory.baselinePods());
        node.put("canaryPods", memory.canaryPods());
        node.put("referenceSlopes", memory.referenceSlopes());
        putNumber(node, "baselineSlope", memory.baselineSlope());
        putNumber(node, "canarySlope", memory.canarySlope());
        putNumber(node, "slopeSpread", memory.slopeSpread());
        putNumber(node, "minimumDetectableGrowth", memory.minimumDetectableGrowth());
        node.put("reference", memory.reference());
        ArrayNode notes = node.putArray("notes");
        memory.notes().forEach(notes::add);
        ArrayNode pods = node.putArray("pods");
        for (PodHeapSummary pod : memory.pods()) {
            ObjectNode p = pods.addObject();
            p.put("instance", pod.instance());
            p.put("group", pod.group());
            putNumber(p, "slopeBytesPerHour", pod.slopeBytesPerHour());
            putNumber(p, "ciLow", pod.ciLow());
            putNumber(p, "ciHigh", pod.ciHigh());
            putNumber(p, "bytesPer1000Requests", pod.bytesPer1000Requests());
            putNumber(p, "ageMinutes", pod.ageMinutes());
            p.put("used", pod.used());
            putPoints(p.putArray("points"), pod.points());
            if (!pod.windowPoints().isEmpty()) {
                putPoints(p.putArray("windowPoints"), pod.windowPoints());
            }
        }
    }

    private static void putPoints(ArrayNode array, List<PodHeapSummary.HeapPoint> points) {
        for (PodHeapSummary.HeapPoint point : points) {
            ArrayNode pair = array.addArray();
            pair.add(point.timestampMillis());
            pair.add(point.bytes());
        }
    }

    private static void group(ObjectNode parent, String name, GroupQuality group) {
        if (group == null) {
            parent.putNull(name);
            return;
        }
        ObjectNode node = parent.putObject(name);
        node.put("instances", group.instances());
        node.put("observations", group.observations());
        node.put("excludedWarmup", group.excludedWarmup());
        if (group.samples() < 0) {
            node.putNull("samples");
        } else {
            node.put("samples", group.samples());
        }
        putNumber(node, "total", group.total());
    }

    private static void putNumber(ObjectNode node, String name, Double value) {
        Double finite = ReportCells.finite(value);
        if (finite == null) {
            node.putNull(name);
        } else {
            node.put(name, finite.doubleValue());
        }
    }
}
