package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** {@code compare --format json} run in-process on instances of one folder: the verdict, its exit status checked. */
public final class CompareJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CompareJson() {
    }

    /** The verdict of {@code baseline} against {@code canary} (instance folders under {@code folder}). */
    public static JsonNode of(Path folder, List<String> baseline, List<String> canary) {
        return of(folder, baseline, canary, List.of());
    }

    /** The same with {@code --history} for each of {@code history}. */
    public static JsonNode of(Path folder, List<String> baseline, List<String> canary, List<String> history) {
        return of(folder, baseline, canary, history, new String[0]);
    }

    /** The same with more options, e.g. {@code --profile-type alloc_bytes} for collapsed files. */
    public static JsonNode of(Path folder, List<String> baseline, List<String> canary, List<String> history,
                              String... options) {
        List<String> args = new ArrayList<>(List.of("compare", "--format", "json"));
        args.addAll(List.of(options));
        baseline.forEach(b -> args.addAll(List.of("--baseline", folder.resolve(b).toString())));
        canary.forEach(c -> args.addAll(List.of("--canary", folder.resolve(c).toString())));
        history.forEach(h -> args.addAll(List.of("--history", folder.resolve(h).toString())));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.status()).as(run.err()).isBetween(0, 2); // PASS, FAIL or INCONCLUSIVE, never an error
        return JSON.readTree(run.out());
    }

    /** The verdict's incident whose entry frame is {@code entryFrame}; an assertion error naming the summary if none. */
    public static JsonNode incident(JsonNode verdict, String entryFrame) {
        for (JsonNode i : verdict.path("incidents")) {
            if (i.path("entryFrame").asString().equals(entryFrame)) {
                return i;
            }
        }
        throw new AssertionError("no incident at " + entryFrame + ": " + verdict.path("summary").asString());
    }

    /**
     * How many live-heap rises ({@code live_bytes}, {@code live_objects}) the verdict found credible at q &lt; 0.01: what
     * an unchanged canary's heap must not discover (qa92, fxh, qa100).
     */
    public static long liveHeapDiscoveries(JsonNode verdict) {
        long n = 0;
        for (JsonNode f : verdict.path("findings")) {
            String type = f.path("profileType").asString();
            JsonNode q = f.path("qValue");
            if ((type.equals("live_bytes") || type.equals("live_objects")) && q.isNumber() && q.asDouble() < 0.01) {
                n++;
            }
        }
        return n;
    }

    /** The verdict's finding of {@code function}; an assertion error naming the summary if none. */
    public static JsonNode finding(JsonNode verdict, String function) {
        for (JsonNode f : verdict.path("findings")) {
            if (f.path("function").asString().equals(function)) {
                return f;
            }
        }
        throw new AssertionError("no finding of " + function + ": " + verdict.path("summary").asString());
    }
}
