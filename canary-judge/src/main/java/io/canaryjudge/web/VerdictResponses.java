package io.canaryjudge.web;

import io.canaryjudge.judge.Judge;
import io.canaryjudge.report.VerdictJson;
import io.canaryjudge.store.StoredAnalysis;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The verdict JSON the HTTP API answers with: the verdict contract ({@link VerdictJson}) plus an {@code analysis}
 * object saying what was judged (application, window, selectors, source). The answer to {@code POST} is kept
 * small — Argo Rollouts stores measurements in the AnalysisRun and Flagger copies bodies into events — so it
 * leaves out {@code hottest} and keeps only the first findings and incidents (the most severe; the count left out
 * is given) and any failing cost per request; {@code GET /api/v1/analyses/{id}} answers everything.
 */
final class VerdictResponses {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final int findings;

    /** @param findings findings (and incidents) kept in a compact answer */
    VerdictResponses(int findings) {
        this.findings = findings;
    }

    /** The answer to an analysis request. */
    String compact(StoredAnalysis analysis) {
        ObjectNode tree = full(analysis);
        tree.remove("hottest");
        cap(tree, "findings", "findingsOmitted");
        cap(tree, "incidents", "incidentsOmitted");
        return MAPPER.writeValueAsString(tree);
    }

    /** The stored analysis, whole. */
    String complete(StoredAnalysis analysis) {
        return MAPPER.writeValueAsString(full(analysis));
    }

    private ObjectNode full(StoredAnalysis analysis) {
        ObjectNode tree = new VerdictJson().tree(analysis.verdict());
        ObjectNode about = tree.putObject("analysis");
        about.put("application", analysis.application());
        about.put("namespace", analysis.namespace());
        about.put("source", analysis.source());
        about.put("config", analysis.config());
        about.put("start", analysis.windowStart() == null ? null : analysis.windowStart().toString());
        about.put("end", analysis.windowEnd() == null ? null : analysis.windowEnd().toString());
        ObjectNode baseline = about.putObject("baseline").putObject("labels");
        analysis.baselineLabels().forEach(baseline::put);
        ObjectNode canary = about.putObject("canary").putObject("labels");
        analysis.canaryLabels().forEach(canary::put);
        ArrayNode types = about.putArray("profileTypes");
        analysis.profileTypes().forEach(types::add);
        about.put("completedAt", analysis.completedAt().toString());
        about.put("elapsedMillis", analysis.elapsed() == null ? null : analysis.elapsed().toMillis());
        return tree;
    }

    /**
     * Keeps the first {@link #findings} items, and beyond them a failing whole-profile one ({@code <total>}: the cost per
     * request), which ranks after the failing methods it does not join (a benchmark's cost per operation spread over
     * several of them) yet is what a {@code load=closed} comparison is asked for.
     */
    private void cap(ObjectNode tree, String field, String omittedField) {
        if (!(tree.get(field) instanceof ArrayNode items) || items.size() <= findings) {
            return;
        }
        int omitted = 0;
        for (int i = items.size() - 1; i >= findings; i--) {
            JsonNode item = items.get(i);
            boolean total = Judge.TOTAL.equals(item.path("function").asString(null))
                    || Judge.TOTAL.equals(item.path("entryFrame").asString(null));
            if (!(total && item.path("failing").asBoolean(false))) {
                items.remove(i);
                omitted++;
            }
        }
        if (omitted > 0) {
            tree.put(omittedField, omitted);
        }
    }
}
