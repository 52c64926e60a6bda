package io.canaryjudge.report;

import io.canaryjudge.verdict.DataQuality;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.GroupQuality;
import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.MemoryQuality;
import io.canaryjudge.verdict.MetricComparison;
import io.canaryjudge.verdict.PodHeapSummary;
import io.canaryjudge.verdict.TypeQuality;
import io.canaryjudge.verdict.Verdict;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The verdict JSON of DESIGN.md ("Verdict JSON"). The tree is built field by field rather than by
 * serialising the records, so the contract's names (and {@code "cpu"} rather than {@code "CPU"} for
 * profile types) cannot change by renaming a Java component. Values that do not exist — null, NaN,
 * infinities, unknown sample counts (-1) — are written as JSON null.
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
            number(node, "baseline", metric.baseline());
            number(node, "canary", metric.canary());
            number(node, "relativeChange", metric.relativeChange());
            node.put("note", metric.note());
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

    private static void finding(ObjectNode node, Finding finding) {
        node.put("profileType", finding.profileType() == null ? null : finding.profileType().id());
        node.put("function", finding.function());
        node.put("kind", finding.kind() == null ? null : finding.kind().name());
        node.put("measure", finding.measure() == null ? null : finding.measure().name());
        number(node, "baseline", finding.baseline());
        number(node, "canary", finding.canary());
        number(node, "relativeChange", finding.relativeChange());
        number(node, "absoluteChange", finding.absoluteChange());
        number(node, "pValue", finding.pValue());
        number(node, "qValue", finding.qValue());
        number(node, "ciLow", finding.ciLow());
        number(node, "ciHigh", finding.ciHigh());
        node.put("failing", finding.failing());
        node.put("jvmInternal", finding.jvmInternal());
        node.put("explanation", finding.explanation());
        ArrayNode path = node.putArray("callPath");
        finding.callPath().forEach(path::add);
    }

    private static void incident(ObjectNode node, Incident incident) {
        node.put("profileType", incident.profileType() == null ? null : incident.profileType().id());
        node.put("entryFrame", incident.entryFrame());
        node.put("kind", incident.kind() == null ? null : incident.kind().name());
        node.put("measure", incident.measure() == null ? null : incident.measure().name());
        number(node, "baseline", incident.baseline());
        number(node, "canary", incident.canary());
        number(node, "relativeChange", incident.relativeChange());
        number(node, "ciLow", incident.ciLow());
        number(node, "ciHigh", incident.ciHigh());
        number(node, "qValue", incident.qValue());
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
            t.put("unit", type.profileType() == null ? null : type.profileType().unit());
            t.put("judged", type.judged());
            group(t, "baseline", type.baseline());
            group(t, "canary", type.canary());
            t.put("functionsTested", type.functionsTested());
            number(t, "betweenInstanceCv", type.betweenInstanceCv());
            number(t, "overdispersion", type.overdispersion());
            number(t, "minimumDetectableChange1pct", type.minimumDetectableChange1pct());
            number(t, "minimumDetectableChange5pct", type.minimumDetectableChange5pct());
            ArrayNode notes = t.putArray("notes");
            type.notes().forEach(notes::add);
        }
        quality.warnings().forEach(warnings::add);
        quality.skipped().forEach(skipped::add);
        memory(node, quality.memory());
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
        number(node, "baselineSlope", memory.baselineSlope());
        number(node, "canarySlope", memory.canarySlope());
        number(node, "slopeSpread", memory.slopeSpread());
        number(node, "minimumDetectableGrowth", memory.minimumDetectableGrowth());
        node.put("reference", memory.reference());
        ArrayNode notes = node.putArray("notes");
        memory.notes().forEach(notes::add);
        ArrayNode pods = node.putArray("pods");
        for (PodHeapSummary pod : memory.pods()) {
            ObjectNode p = pods.addObject();
            p.put("instance", pod.instance());
            p.put("group", pod.group());
            number(p, "slopeBytesPerHour", pod.slopeBytesPerHour());
            number(p, "ciLow", pod.ciLow());
            number(p, "ciHigh", pod.ciHigh());
            number(p, "bytesPer1000Requests", pod.bytesPer1000Requests());
            number(p, "ageMinutes", pod.ageMinutes());
            p.put("used", pod.used());
            ArrayNode points = p.putArray("points");
            for (PodHeapSummary.HeapPoint point : pod.points()) {
                ArrayNode pair = points.addArray();
                pair.add(point.timestampMillis());
                pair.add(point.bytes());
            }
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
        number(node, "total", group.total());
    }

    private static void number(ObjectNode node, String name, Double value) {
        Double finite = ReportCells.finite(value);
        if (finite == null) {
            node.putNull(name);
        } else {
            node.put(name, finite.doubleValue());
        }
    }
}
