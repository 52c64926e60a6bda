package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.GeneratedBusyMethod;
import io.canaryjudge.profile.testing.SyntheticWorkload;
import io.canaryjudge.profile.testing.WorkloadRecording;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM method name may hold backticks and pipes (javac never writes them, other compilers and generators can).
 * The Markdown summary quoted such a name by splitting the judge's sentence at every backtick, so the pull-request
 * comment's headline came out as broken code spans with a literal {@code \|}. The canary here runs a new hot method
 * named {@code `audit|log`}, generated at run time and recorded by async-profiler in this JVM; the headline must
 * show it as one code element.
 */
class CompareMarkdownQuotedNamesTest {
    private static final String METHOD = "`audit|log`";

    @TempDir
    Path dir;

    @Test
    void aNameHoldingBackticksIsOneCodeElementInTheHeadline() throws Throwable {
        MethodHandle audit = GeneratedBusyMethod.define("io.canaryjudge.cli.gen.Audit", METHOD);
        // The profiler's timer samples only while this JVM runs: on a busy machine 3 runs of 3 s gave under 1,000
        // samples, INCONCLUSIVE whatever the names. This test is about names, so a lower floor.
        Path config = Files.writeString(dir.resolve("floor.yaml"), "minSamplesPerGroup: 300\n");
        String[] args = {"compare", "--format", "markdown", "--config", config.toString()};
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(args));
        for (int k = 1; k <= 3; k++) {
            Path main = Files.createDirectories(dir.resolve("main-" + k)).resolve("run.jfr");
            Path pr = Files.createDirectories(dir.resolve("pr-" + k)).resolve("run.jfr");
            WorkloadRecording.record(main, Duration.ofMillis(3000), Duration.ofMillis(4), 0, new Step(null));
            WorkloadRecording.record(pr, Duration.ofMillis(3000), Duration.ofMillis(4), 0, new Step(audit));
            command.addAll(java.util.List.of("--baseline", main.toString(), "--canary", pr.toString()));
        }
        command.addAll(java.util.List.of("--slice", "500ms"));
        CliRun run = CliRun.of(command.toArray(String[]::new));
        assertThat(run.status()).as(run.err() + run.out()).isEqualTo(1);
        String headline = run.out().lines().skip(2).findFirst().orElseThrow();
        // one element, whatever form the class part takes (slashes or dots); not
        // necessarily the first incident: a short real recording's JIT may add another new path beside it
        assertThat(headline).containsPattern("new hot path under <code>[^<]*Audit\\.\\\\`audit&#124;log\\\\`</code>, ")
                .doesNotContain("\\|").doesNotContain("``");
    }

    /** One step of the benchmark, the same frames on both sides; the canary's also calls the generated method. */
    private static final class Step implements Runnable {
        private final MethodHandle audit;
        private long sink;

        Step(MethodHandle audit) {
            this.audit = audit;
        }

        @Override
        public void run() {
            SyntheticWorkload.step();
            if (audit != null) {
                try {
                    sink += (long) audit.invokeExact(sink);
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
