package io.canaryjudge.qa38;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Figures of real verdicts read as a release engineer reads them, each checked against what it claims (qa38): a share
 * is part of a whole, a q-value is not zero, a bound is not a bound of nothing, and a wall profile's cost per request is
 * not a request's latency. Recordings: the shop scenarios (async-profiler 4.2, scenarios/README.md), the qa32 wall
 * session and the memory leak pods (memory/recording.properties).
 */
class VerdictFiguresTest {
    private static final Path RESOURCES = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** "Canary spends 105.9 % of allocated bytes in …", "vs 61.2 % in baseline": a share said in a sentence. */
    private static final Pattern SPENDS = Pattern.compile("(?:spends|vs) ([0-9.]+) % ");

    /**
     * The canary of the alloc-regression scenario (beside its own baseline session) builds its JSON through a
     * StringBuilder per field: the request handler's normalised inclusive share of allocated bytes reads 107.5 % (raw
     * 86 %). Its explanation said "Canary spends 107.5 % of allocated bytes in `…ShopRequestHandler.handle`", no part of
     * any whole, and nothing said what a flame graph would show. The same verdict quoted "allocated objects per request
     * rose from 0.00199 to 0.00344": async-profiler counts one event per sampled allocation (2 MiB apart), not objects.
     */
    @Test
    void aShareAboveTheWholeIsSaidWithTheSharesTheFlameGraphsShowAndSampleCountsAreNotObjects() throws Exception {
        String[] inputs = shop("session-4", "alloc-regression");
        JsonNode verdict = JSON.readTree(compare("json", inputs));
        assertThat(verdict.get("result").asString()).as(verdict.get("summary").asString()).isEqualTo("FAIL");
        boolean aboveWhole = false;
        boolean objectsPerRequest = false;
        for (JsonNode finding : verdict.get("findings")) {
            String measure = finding.get("measure").asString();
            String explanation = finding.get("explanation").asString();
            if (measure.equals("TOTAL_PER_REQUEST") && finding.get("profileType").asString().equals("alloc_objects")) {
                objectsPerRequest = true;
                assertThat(explanation).doesNotContain("rose from").contains("sampled allocations, not objects");
            }
            if (!measure.equals("SELF") && !measure.equals("INCLUSIVE")) {
                continue;
            }
            aboveWhole |= finding.get("canary").asDouble() > 1;
            Matcher said = SPENDS.matcher(explanation);
            while (said.find()) {
                assertThat(Double.parseDouble(said.group(1))).as(explanation).isLessThanOrEqualTo(100);
            }
        }
        assertThat(aboveWhole).as("the recording still gives a normalised share above 100 %").isTrue();
        assertThat(objectsPerRequest).as("allocated objects per request is still compared").isTrue();
        assertThat(verdict.get("summary").asString()).doesNotContain("objects per request rose from");
        List<String> notes = new ArrayList<>();
        verdict.get("dataQuality").get("types").forEach(t -> t.get("notes").forEach(n -> notes.add(n.asString())));
        assertThat(notes).anySatisfy(note -> assertThat(note).containsPattern(
                "read above 100 %: .*`io\\.canaryjudge\\.scenario\\.shop\\.ShopRequestHandler\\.handle` with its callees "
                        + "1[0-9]{2}\\.[0-9] % in the canary \\(raw [1-9][0-9]?\\.[0-9] %\\)"));
        assertThat(notes).anySatisfy(note -> assertThat(note).startsWith("allocated objects per request: +")
                .contains("not objects"));

        String text = compare("text", inputs);
        assertThat(text).containsPattern("<total> +total/req +— +— +\\+[0-9.]+%");
    }

    /**
     * An incident's q-value is its most credible finding's. A failing incident read "`ProductCatalog.lookup` +0.3 %
     * (19.8 % → 19.8 % of CPU with its callees, q = 8.4e-08)": the q was `LinkedHashMap.afterNodeAccess`'s self rise
     * below it, beside a change of lookup's own whose q is 0.9. Whenever the q is another function's, the headline
     * names it: in the alloc-regression canary beside session 2's baseline pods, `OrderSerializer.toJson`'s CPU
     * incident, whose own rows do not fail there, carries the q of `AbstractStringBuilder.<init>` below it. (Beside its
     * own session, session 4, toJson's own inclusive row fails and its q is quoted: the row the incident names, qa53.)
     */
    @Test
    void anIncidentsQValueNamesItsFunctionWhenItIsNotTheEntryFramesOwn() throws Exception {
        JsonNode verdict = JSON.readTree(compare("json", shop("session-2", "alloc-regression")));
        int named = 0;
        for (JsonNode incident : verdict.get("incidents")) {
            String entry = incident.get("entryFrame").asString();
            if (!incident.hasNonNull("qValue") || entry.equals("<total>")
                    || incident.get("kind").asString().equals("NEW_HOT_PATH")) {
                continue;
            }
            double q = incident.get("qValue").asDouble();
            String owner = null;
            for (JsonNode finding : verdict.get("findings")) {
                if (finding.get("profileType").equals(incident.get("profileType")) && finding.hasNonNull("qValue")
                        && finding.get("qValue").asDouble() == q) {
                    owner = owner == null || finding.get("function").asString().equals(entry)
                            ? finding.get("function").asString() : owner;
                }
            }
            if (owner != null && !owner.equals(entry)) {
                named++;
                assertThat(incident.get("summary").asString()).contains("for `" + owner + "`");
            }
        }
        assertThat(named).as("the recording still gives an incident whose q is another function's").isPositive();
    }

    /**
     * Wall profiles count every thread: "wall time per request: baseline 72.1 ms" for requests of about 5 ms read as
     * latency. A new back-off's absence test underflows to q = 0, which the sentences printed as "q = 0.0e+00" and the
     * table as "q=0".
     */
    @Test
    void wallTimePerRequestIsEveryThreadsTimeAndAnUnderflowedQIsNotZero() throws Exception {
        Path wall = RESOURCES.resolve("qa32/wall");
        String text = compare("text", "--profile-type", "wall", "--baseline", wall.resolve("b1").toString(),
                "--baseline", wall.resolve("b2").toString(), "--canary", wall.resolve("b3").toString(),
                "--canary", wall.resolve("z1").toString());
        assertThat(text).contains("wall time of all threads per request: baseline ")
                .contains("idle and waiting ones included: not a request's latency")
                .doesNotContain("0.0e+00").doesNotContainPattern("q=0 ");
        assertThat(text).containsPattern("backoff +inclusive .* q=<1e-300 ");
        assertThat(text).contains("q < 1e-300");
    }

    /**
     * The same code with 32 workers instead of 8 (src/test/resources/qa38/idle-pool, wall-clock only): 24 more threads
     * parked on the work queue raised "wall time per request" 71.5 ms → 131 ms (+83 %), which failed the canary with
     * wall in failOnTypes, though no request waited longer. The total is said, with why it is not compared.
     */
    @Test
    void aLargerIdlePoolDoesNotRaiseACostPerRequest() throws Exception {
        Path pool = RESOURCES.resolve("qa38/idle-pool");
        Path config = Files.createTempFile("qa38-wall", ".yaml");
        try {
            Files.writeString(config, "failOnTypes: [cpu, wall]\n");
            JsonNode verdict = JSON.readTree(compare("json", "--profile-type", "wall", "--config", config.toString(),
                    "--baseline", pool.resolve("b1").toString(), "--baseline", pool.resolve("b2").toString(),
                    "--baseline", pool.resolve("b3").toString(), "--canary", pool.resolve("w1").toString(),
                    "--canary", pool.resolve("w2").toString()));
            for (JsonNode finding : verdict.get("findings")) {
                assertThat(finding.get("measure").asString()).as(verdict.get("summary").asString())
                        .isNotEqualTo("TOTAL_PER_REQUEST");
            }
            List<String> notes = new ArrayList<>();
            verdict.get("dataQuality").get("types").forEach(t -> t.get("notes").forEach(n -> notes.add(n.asString())));
            assertThat(notes).anySatisfy(note -> assertThat(note).startsWith("wall time of all threads per request: ")
                    .contains("not compared: a larger thread pool alone raises it"));
        } finally {
            Files.deleteIfExists(config);
        }
    }

    /**
     * Live-set profiles (pprof without a count column) carry no sample counts, so no sampling bound can be put on a
     * share the baseline never showed: "sampling alone bounds its baseline share below 0.00 % (95 %)" (a bound of
     * nothing, and of bytes taken for samples) is not said.
     */
    @Test
    void noSamplingBoundWithoutSampleCounts() throws Exception {
        Path pods = RESOURCES.resolve("memory/pods");
        JsonNode verdict = JSON.readTree(compare("json", "--profile-type", "live_bytes",
                "--baseline", pods.resolve("baseline-1").toString(), "--canary", pods.resolve("leak-sessions-1").toString()));
        List<String> explanations = new ArrayList<>();
        verdict.get("findings").forEach(f -> explanations.add(f.get("explanation").asString()));
        assertThat(explanations).as("the leak's new path is found").anyMatch(e -> e.contains("SessionRegistry.register"));
        assertThat(explanations).noneMatch(e -> e.contains("sampling alone bounds"));
    }

    /** --baseline and --canary arguments of a shop scenario's three canary pods beside its baseline session's three. */
    private static String[] shop(String session, String scenario) {
        List<String> args = new ArrayList<>();
        for (int pod = 1; pod <= 3; pod++) {
            args.addAll(List.of("--baseline", RESOURCES.resolve("scenarios/baselines/" + session + "/pod-" + pod).toString()));
        }
        for (int pod = 1; pod <= 3; pod++) {
            args.addAll(List.of("--canary", RESOURCES.resolve("scenarios/" + scenario + "/canary/pod-" + pod).toString()));
        }
        return args.toArray(String[]::new);
    }

    private static String compare(String format, String... rest) {
        List<String> args = new ArrayList<>(List.of("compare", "--format", format));
        args.addAll(List.of(rest));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Cli.run(args.toArray(String[]::new), o, e);
        }
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isBetween(0, 2);
        return out.toString(StandardCharsets.UTF_8);
    }
}
