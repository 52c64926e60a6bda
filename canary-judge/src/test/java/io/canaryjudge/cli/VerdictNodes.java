package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What CLI tests read from a JSON verdict: the command's answer, its warnings, judged types and notes. */
final class VerdictNodes {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private VerdictNodes() {
    }

    /** {@code compare --format json --slice 1s ARGS}: the verdict of a run that answered PASS, FAIL or INCONCLUSIVE. */
    static JsonNode compareJson(String... args) {
        List<String> all = new ArrayList<>(List.of("compare", "--format", "json", "--slice", "1s"));
        all.addAll(List.of(args));
        CliRun run = CliRun.of(all.toArray(String[]::new));
        assertThat(run.status()).as(run.err()).isIn(0, 1, 2);
        return JSON.readTree(run.out());
    }

    static List<String> warnings(JsonNode verdict) {
        List<String> warnings = new ArrayList<>();
        verdict.path("dataQuality").path("warnings").forEach(w -> warnings.add(w.asString()));
        return warnings;
    }

    /** The profile types the verdict has a data-quality entry for, judged or not. */
    static List<String> types(JsonNode verdict) {
        List<String> types = new ArrayList<>();
        verdict.path("dataQuality").path("types").forEach(t -> types.add(t.path("profileType").asString()));
        return types;
    }

    /** Every type's notes, in order. */
    static List<String> notes(JsonNode verdict) {
        List<String> notes = new ArrayList<>();
        verdict.path("dataQuality").path("types").forEach(t -> t.path("notes").forEach(n -> notes.add(n.asString())));
        return notes;
    }
}
