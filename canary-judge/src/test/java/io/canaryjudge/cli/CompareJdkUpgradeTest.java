package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The same service on JDK 17 (baseline) and JDK 25 (canary), three JVMs a side (resources/qa22/README.md). JDK 25 runs
 * the application's work in renamed JDK internals: `Double.toString` calls `DoubleToDecimal` in place of
 * `FloatingDecimal` (half the CPU), `StringLatin1.hashCode` calls `ArraysSupport.hashCodeOfUnsigned` for the loop it
 * ran in its own frame (the same CPU per operation), and reflection's `Field.set` runs through method handles (35–70 %
 * more CPU per operation, counted from the runs). The verdict FAILed on `hashCodeOfUnsigned` as "new hot path under
 * `Pricing.fraudScore`": among the upgrade's hundreds of findings it was not among the 40 most severe, got no call
 * path, and so was never checked for code that took the place of its caller's own. Every rise that can fail now gets
 * its path; only the costlier reflection FAILs.
 */
class CompareJdkUpgradeTest {
    @TempDir
    Path tmp;

    @Test
    void renamedJdkInternalsAtTheSameOrLowerCostDoNotFailAndCostlierReflectionDoes() throws Exception {
        List<String> args = new ArrayList<>(List.of("compare", "--format", "json", "--profile-type", "cpu"));
        for (int i = 1; i <= 3; i++) {
            args.addAll(List.of("--baseline", recording("jdk17-" + i)));
        }
        for (int i = 1; i <= 3; i++) {
            args.addAll(List.of("--canary", recording("jdk25-" + i)));
        }
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.status()).as(run.err()).isIn(0, 1, 2);
        JsonNode verdict = tools.jackson.databind.json.JsonMapper.builder().build().readTree(run.out());
        String summary = verdict.path("summary").asString();

        JsonNode hash = finding(verdict, "jdk.internal.util.ArraysSupport.hashCodeOfUnsigned", "SELF");
        assertThat(hash.path("failing").asBoolean()).as(summary).isFalse();
        assertThat(hash.path("explanation").asString())
                .contains("its caller `java.lang.StringLatin1.hashCode`'s own cost");
        JsonNode decimal = finding(verdict, "jdk.internal.math.DoubleToDecimal.toString", "INCLUSIVE");
        assertThat(decimal.path("failing").asBoolean()).as(summary).isFalse();
        assertThat(decimal.path("explanation").asString())
                .contains("took the place of `jdk.internal.math.FloatingDecimal.toJavaFormatString`");
        assertThat(summary).doesNotContain("fraudScore");

        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(summary).startsWith("FAIL: new hot path under `io.canaryjudge.qa22.OrderService$OrderCodec.decode`")
                .contains("jdk.internal.reflect");
    }

    /**
     * The same JDK 17 with {@code -XX:TieredStopAtLevel=1} (no C2) in the canary: each operation cost 2.3 times the CPU
     * (the runs' counts, resources/qa22/README.md), spread over every function, so shares moved little. The FAIL read
     * "new hot path under `OrderCodec.decode`, 0.99 % of CPU, mostly java.lang; new hot path under
     * `OrderCodec.encode`, 0.52 % of CPU, …; 2 more failing change(s)": the cost per request, which had joined the
     * lead incident, was named nowhere in it.
     */
    @Test
    void aCostPerOperationThatRoseWithEveryFunctionIsNamedInTheSummary() throws Exception {
        List<String> args = new ArrayList<>(List.of("compare", "--format", "json", "--profile-type", "cpu", "--load",
                "closed"));
        long[] baselineOperations = {1_295_154, 1_229_946, 1_355_425};
        long[] canaryOperations = {684_968, 488_559, 522_588};
        for (int i = 1; i <= 3; i++) {
            args.addAll(List.of("--baseline", run("jdk17-" + i, baselineOperations[i - 1])));
        }
        for (int i = 1; i <= 3; i++) {
            args.addAll(List.of("--canary", run("c1-" + i, canaryOperations[i - 1])));
        }
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.status()).as(run.err()).isEqualTo(1);
        JsonNode verdict = tools.jackson.databind.json.JsonMapper.builder().build().readTree(run.out());
        JsonNode total = finding(verdict, "<total>", "TOTAL_PER_REQUEST");
        assertThat(total.path("failing").asBoolean()).isTrue();
        assertThat(total.path("relativeChange").asDouble()).isGreaterThan(1.0);

        assertThat(verdict.path("summary").asString()).startsWith("FAIL: ")
                .containsPattern("; CPU per request rose from [^;]+ to [^;]+ \\(\\+1\\d\\d %, q = ");
    }

    /** A directory holding the run's collapsed cpu and its operation count, as {@code requests.csv}. */
    private String run(String name, long operations) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.move(Path.of(recording(name)), dir.resolve("run.collapsed.gz"));
        Files.writeString(dir.resolve("requests.csv"), "profile,requests\nrun.collapsed.gz," + operations + "\n");
        return dir.toString();
    }

    private static JsonNode finding(JsonNode verdict, String function, String measure) {
        for (JsonNode f : verdict.path("findings")) {
            if (f.path("function").asString().equals(function) && f.path("measure").asString().equals(measure)) {
                return f;
            }
        }
        throw new AssertionError(function + " " + measure + " not among the findings: " + verdict.path("summary"));
    }

    private String recording(String name) throws Exception {
        Path file = tmp.resolve(name + ".collapsed.gz");
        try (InputStream in = getClass().getResourceAsStream("/qa22/jdk-upgrade/" + name + ".collapsed.gz")) {
            Files.copy(in, file);
        }
        return file.toString();
    }
}
