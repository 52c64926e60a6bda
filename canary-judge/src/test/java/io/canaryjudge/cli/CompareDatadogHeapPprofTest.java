package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code compare} of the heap profiles {@code @datadog/pprof} 5.14.4 writes by itself ({@code objects/count},
 * {@code space/bytes}: V8's live heap), recorded by {@code bench/fxe-datadog-heap/record.sh}, two processes a side: the
 * canary's script keeps four times the sessions in {@code cacheSession}. Before fxe every such file was invalid input
 * (65, "no column the judge compares") with advice for async-profiler's JFR recordings, which a Node user has none of;
 * a pprof file that really holds no compared column now names the columns the judge reads instead.
 */
class CompareDatadogHeapPprofTest {
    static final Path FXE = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/fxe");

    private static String file(String name) {
        return FXE.resolve(name).toString();
    }

    /** Fails before fxe (exit 65). */
    @Test
    void datadogHeapProfilesAreComparedAsLiveHeap() throws Exception {
        String v = "datadog-pprof-5.14.4/";
        CliRun run = CliRun.of("compare", "--format", "json",
                "--baseline", file(v + "base-1.pb.gz"), "--baseline", file(v + "base-2.pb.gz"),
                "--canary", file(v + "retain-1.pb.gz"), "--canary", file(v + "retain-2.pb.gz"));

        // live heap is reported, not failed on (docs/CLI.md): with no fail-on type the verdict is INCONCLUSIVE (2)
        assertThat(run.status()).as(run.err()).isIn(0, 1, 2);
        JsonNode verdict = JsonMapper.builder().build().readTree(run.out());
        assertThat(verdict.get("summary").asString()).contains("live_bytes, live_objects compared");
        boolean retained = false;
        for (JsonNode finding : verdict.get("findings")) {
            retained |= finding.get("profileType").asString().equals("live_bytes")
                    && finding.get("function").asString().equals("/tmp/fxe/app/heap.js:cacheSession")
                    && finding.get("kind").asString().equals("REGRESSION");
        }
        assertThat(retained).as(run.out()).isTrue();
    }

    /** Fails before fxe: the message advised async-profiler's JFR recording and jfrconv for Go's profile. */
    @Test
    void pprofWithNoComparedColumnNamesItsColumnsAndTheComparedOnes() {
        String threadcreate = file("go/threadcreate.pb.gz");
        CliRun run = CliRun.of("compare", "--baseline", threadcreate, "--canary", file("datadog-pprof-5.14.4/base-1.pb.gz"));

        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(65);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("canary-judge: " + threadcreate
                        + ": no column the judge compares (threadcreate/count); pprof columns the judge compares are")
                .contains("cpu/nanoseconds", "inuse_space/bytes", "goroutine/count")
                .doesNotContain("JFR", "jfrconv").hasLineCount(1);
    }
}
