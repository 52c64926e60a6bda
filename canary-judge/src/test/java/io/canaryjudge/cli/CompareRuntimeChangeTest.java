package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Canaries that change no application code — a JDK upgrade in the image, a JVM flag — FAILed or passed on JDK and JVM
 * frames (JDK 25's {@code DoubleToDecimal} and method-handle reflection read as "new hot path under
 * `OrderCodec.encode`") without a word that the JVM had changed: a release engineer looked for the culprit in a code
 * diff that had none. The recordings say which JVM they ran in ({@code jdk.JVMInformation}); the verdict now names
 * the change of JVM version and of JVM options, and not a change of system properties. Real async-profiler
 * recordings of one service in four JVMs (resources/qa22/README.md).
 */
class CompareRuntimeChangeTest {
    @TempDir
    Path tmp;

    @Test
    void aJdkUpgradeIsNamedInTheSummaryAndTheWarnings() throws Exception {
        JsonNode verdict = VerdictNodes.compareJson("--baseline", recording("base-a"), "--canary", recording("jdk25"));

        List<String> runtime = runtimeWarnings(verdict);
        assertThat(runtime).hasSize(1);
        assertThat(runtime.get(0)).contains("JVM 25.0.3").contains("in the canary, 17.0.15").contains("in the baseline")
                .doesNotContain("JVM options");
        assertThat(verdict.path("summary").asString()).contains("The canary ran on a different JVM (JVM 25.0.3");
    }

    @Test
    void aJvmFlagOnlyTheCanaryHasIsNamedAndSystemPropertiesAreNot() throws Exception {
        JsonNode verdict = VerdictNodes.compareJson("--baseline", recording("base-b"), "--canary", recording("c1"));

        List<String> runtime = runtimeWarnings(verdict);
        assertThat(runtime).hasSize(1);
        assertThat(runtime.get(0)).contains("JVM options only in the canary: -XX:TieredStopAtLevel=1")
                .doesNotContain("-Dqa22").doesNotContain("JVM 17");
        assertThat(verdict.path("summary").asString())
                .contains("The canary ran on a different JVM (JVM options only in the canary: -XX:TieredStopAtLevel=1)");
    }

    @Test
    void theSameJvmWithOtherSystemPropertiesIsNoChangeOfJvm() throws Exception {
        JsonNode verdict = VerdictNodes.compareJson("--baseline", recording("base-a"), "--canary", recording("base-b"));

        assertThat(runtimeWarnings(verdict)).isEmpty();
        assertThat(verdict.path("summary").asString()).doesNotContain("different JVM");
    }

    private static List<String> runtimeWarnings(JsonNode verdict) {
        return VerdictNodes.warnings(verdict).stream().filter(w -> w.contains("different JVMs")).toList();
    }

    private String recording(String name) throws Exception {
        Path file = tmp.resolve(name + ".jfr.gz");
        try (InputStream in = getClass().getResourceAsStream("/qa22/" + name + ".jfr.gz")) {
            Files.copy(in, file);
        }
        return file.toString();
    }
}
