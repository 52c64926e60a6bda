package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Kotlin service (coroutines on {@code Dispatchers.Default} and {@code IO}, lambdas, an inline function): real pods
 * of {@code io.canaryjudge.qa31.KotlinPod} recorded by async-profiler ({@code src/test/resources/qa31/README.md}),
 * judged by {@code compare} with default settings.
 */
class CompareKotlinServiceTest {
    private static final Path DIR = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa31");
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
     * The pricing coroutine dispatched to {@code Dispatchers.IO} instead of {@code Dispatchers.Default}, the same work:
     * the coroutines now run under the IO dispatcher's worker loop, {@code LimitedDispatcher$Worker.run}, whose cost
     * with its callees went from 4 % to 34 % of CPU ("mostly application code"), and that FAILed every layout though
     * what runs below it costs what it did. Work that moved under a frame is not a regression.
     */
    @Test
    void theSameCoroutinesDispatchedToAnotherDispatcherDoNotFail() {
        JsonNode verdict = compare(List.of("aa-1", "aa-2", "aa-3"), List.of("io-1", "io-2", "io-3"));

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isNotEqualTo("FAIL");
        JsonNode worker = null;
        for (JsonNode f : verdict.path("findings")) {
            if (f.path("function").asString().equals("kotlinx.coroutines.internal.LimitedDispatcher$Worker.run")
                    && f.path("measure").asString().equals("INCLUSIVE")) {
                worker = f;
            }
        }
        assertThat(worker).as("the dispatcher's worker loop is compared").isNotNull();
        assertThat(worker.path("canary").asDouble()).as("it does run most coroutines in the canary")
                .isGreaterThan(5 * worker.path("baseline").asDouble());
        assertThat(worker.path("failing").asBoolean()).isFalse();
        assertThat(worker.path("explanation").asString()).contains("moved there, it did not grow")
                .contains("`kotlinx.coroutines.DispatchedTask.run`");
    }

    /**
     * A new suspend function ({@code fraudScore}, its body a {@code withContext(Dispatchers.Default)} block, mostly
     * {@code Math.sin}) FAILs at the class kotlinc made for that block, {@code QuoteService$fraudScore$2.invoke}, which
     * names the function only to one who knows kotlinc's naming; the summary says where the block is written.
     */
    @Test
    void aNewSuspendFunctionFailsNamedWhereItIsWritten() {
        JsonNode verdict = compare(List.of("aa-1", "aa-2", "aa-3"), List.of("new-1", "new-2", "new-3"));

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(summary).startsWith("FAIL: new hot path under `com.example.quotes.QuoteService$")
                .contains("(a lambda or coroutine in `com.example.quotes.QuoteService.fraudScore`)")
                .doesNotContain("`kotlinx.").doesNotContain("`kotlin.");
    }
}
