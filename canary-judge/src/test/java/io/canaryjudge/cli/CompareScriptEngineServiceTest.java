package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.canaryjudge.SharedFixtures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A service running user scripts compiled at run time (Groovy's {@code GroovyShell}, Rhino, SpEL): each JVM compiles
 * them in another order, so the same script is {@code Script2} in one pod and {@code Script5} in the next. Real pods
 * recorded by async-profiler ({@code src/test/resources/qa29/README.md}), judged by {@code compare} with default
 * settings.
 */
class CompareScriptEngineServiceTest {
    private static final Path DIR = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa29");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode compare(List<String> baseline, List<String> canary) {
        List<String> args = new ArrayList<>(List.of("compare", "--format", "json", "--profile-type", "cpu"));
        baseline.forEach(pod -> args.addAll(List.of("--baseline", DIR.resolve(pod).toString())));
        canary.forEach(pod -> args.addAll(List.of("--canary", DIR.resolve(pod).toString())));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.status()).as(run.err()).isIn(0, 1, 2);
        return JSON.readTree(run.out());
    }

    /**
     * Unchanged code: before FrameNames dropped the compile counters, 3 + 3 pods FAILed with "new hot path under
     * `Script5.score`" (and 9 of 10 such splits of the 30 s recordings, docs/EVALUATION.md).
     */
    @ParameterizedTest(name = "{0} against {1}")
    @CsvSource({"aa-1 aa-2 aa-3, aa-4 aa-5 aa-6", "aa-4 aa-5 aa-6, aa-1 aa-2 aa-3", "aa-1 aa-2 aa-5, aa-6",
            "aa-2 aa-3 aa-6, aa-5"})
    void scriptsCompiledInAnotherOrderAreTheSameFunctionsInEveryPod(String baseline, String canary) {
        JsonNode verdict = compare(List.of(baseline.split(" ")), List.of(canary.split(" ")));

        assertThat(verdict.path("result").asString()).as(verdict.path("summary").asString()).isNotEqualTo("FAIL");
        verdict.path("findings").forEach(f -> assertThat(f.path("function").asString())
                .as("a generated name with its compile counter")
                .doesNotContainPattern("^Script\\d").doesNotContainPattern("javascript\\.gen\\.\\w+_\\d"));
    }

    /**
     * One unchanged pod against three, where Groovy's runtime took another path in the canary JVM
     * ({@code IntegerArrayGetAtMetaMethod.invoke}, 0.0 % → 0.40 % of CPU in its own code) while the scripts' share fell
     * (the canary pod ran at three times the others' rate). The verdict FAILed headed "`Script.score` -48 % (14.1 % →
     * 7.2 % of CPU with its callees, q = 3.2e-04)": a fall, quoted as the failing change, beside the q of the rise.
     * The rise is what the FAIL rests on, so the headline says it, and the fall as a fall; the entry frame's row, which
     * had read REGRESSION -48 % with {@code failing: true}, names the change without failing.
     */
    @Test
    void aFailingRiseBelowAFallingFrameIsHeadedByTheRise() {
        JsonNode verdict = compare(List.of("aa-2", "aa-3", "aa-4"), List.of("aa-1"));

        String summary = verdict.path("summary").asString();
        org.junit.jupiter.api.Assumptions.assumeTrue(verdict.path("result").asString().equals("FAIL"), summary);
        assertThat(summary).doesNotContainPattern("^FAIL: `[^`]+` -[0-9]")
                .contains("`org.codehaus.groovy.runtime.dgmimpl.arrays.IntegerArrayGetAtMetaMethod.invoke` new in its own"
                        + " code (0.0 % → 0.40 % of CPU, q = ")
                .contains("under `Script.score`, which fell -48 % with its callees (14.1 % → 7.2 %)");
        // The entry frame's row names the change, but its fall is not a failing regression.
        JsonNode entry = verdict.path("findings").get(0);
        assertThat(entry.path("function").asString()).isEqualTo("Script.score");
        assertThat(entry.path("entryFrame").asBoolean()).isTrue();
        assertThat(entry.path("relativeChange").asDouble()).isNegative();
        assertThat(entry.path("failing").asBoolean()).as("a fall marked failing").isFalse();
    }

    /**
     * A new step in every canary pod and no baseline pod, most of whose CPU is {@code Math.sin} (HotSpot's
     * {@code libmSin} stub): it was excused as "JVM work below it carries the rise" (INCONCLUSIVE, "no material
     * regression seen"). The stub computes the application's sines: the step FAILs, named.
     */
    @Test
    void aNewStepComputingSinesFailsNamedAtTheStep() {
        JsonNode verdict = compare(List.of("aa-1", "aa-2", "aa-3"), List.of("new-1", "new-2", "new-3"));

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(summary).contains("new hot path under `io.canaryjudge.qa29.ScriptRules.screenFraud`")
                .contains("mostly the JDK's intrinsic stubs");
    }

    /**
     * A canary compiling its rule per request ({@code GroovyShell.parse} under {@code ScriptRules.groovyRule} in
     * every request): the new path took 28 % of the canary's CPU, and the JIT much of the rest, so the composition
     * normalisation scaled the canary's shares up and the headline read "new hot path under
     * `ScriptRules.groovyRule`, 103.3 % of CPU" — more than all of it. The headline gives the share of the canary's
     * own CPU, as the files hold it.
     */
    @Test
    void aNewHotPathIsSaidAsAShareOfTheCanarysOwnCpu() throws Exception {
        JsonNode verdict = compare(List.of("aa-1", "aa-2", "aa-3"), List.of("rec-1"));

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("FAIL");
        Matcher headline = Pattern
                .compile("new hot path under `io\\.canaryjudge\\.qa29\\.ScriptRules\\.groovyRule`, ([0-9.]+) % of CPU")
                .matcher(summary);
        assertThat(headline.find()).as(summary).isTrue();
        assertThat(Double.parseDouble(headline.group(1)))
                .isCloseTo(100 * rawShare("rec-1", "/qa29/ScriptRules.groovyRule_"),
                        within(1.0));
    }

    /** The fraction of a pod's samples, over its collapsed slices, in stacks with a frame containing {@code frame}. */
    private static double rawShare(String pod, String frame) throws IOException {
        long through = 0;
        long all = 0;
        try (var slices = Files.list(DIR.resolve(pod))) {
            for (Path slice : slices.toList()) {
                try (var in = new BufferedReader(new InputStreamReader(
                        new GZIPInputStream(Files.newInputStream(slice)),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        int space = line.lastIndexOf(' ');
                        long samples = Long.parseLong(line.substring(space + 1));
                        all += samples;
                        if (line.substring(0, space).contains(frame)) {
                            through += samples;
                        }
                    }
                }
            }
        }
        return (double) through / all;
    }
}
