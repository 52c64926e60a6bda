package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.pprof.PprofSampleTypes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    /**
     * Fails before fxe (exit 65). Read as live heap with qa92's correction (fxh): each file's rows are undone from
     * V8's 32 KiB sampler to the samples behind them (baseline 130-155, canary about 410), too few to test (1,000), so
     * the types are reported with their counts and not judged. Before fxh the renamed columns skipped the correction
     * and were judged in bytes with noise learned from two snapshots a side (cacheSession +104 %, q 0.005).
     */
    @Test
    void datadogHeapProfilesAreReadAsLiveHeapWithTheirSampleCounts() throws Exception {
        String v = "datadog-pprof-5.14.4/";
        CliRun run = CliRun.of("compare", "--format", "json",
                "--baseline", file(v + "base-1.pb.gz"), "--baseline", file(v + "base-2.pb.gz"),
                "--canary", file(v + "retain-1.pb.gz"), "--canary", file(v + "retain-2.pb.gz"));

        // live heap is reported, not failed on (docs/CLI.md): with no fail-on type the verdict is INCONCLUSIVE (2)
        assertThat(run.status()).as(run.err()).isEqualTo(2);
        JsonNode verdict = JsonMapper.builder().build().readTree(run.out());
        int liveTypes = 0;
        for (JsonNode type : verdict.path("dataQuality").path("types")) {
            String id = type.path("profileType").asString();
            if (id.equals("live_bytes") || id.equals("live_objects")) {
                liveTypes++;
                assertThat(type.path("baseline").path("samples").asLong()).as(id).isBetween(1L, 999L);
                assertThat(type.path("judged").asBoolean()).as(id).isFalse();
                assertThat(type.path("notes").toString()).as(id).contains("at least 1000 needed");
            }
        }
        assertThat(liveTypes).as(run.out()).isEqualTo(2);
    }

    /**
     * Fails before fxe: the message advised async-profiler's JFR recording and jfrconv for Go's profile. The columns it
     * names come from the reader's mapping table ({@link PprofSampleTypes#mappedColumns}), each with its profile type;
     * fails before qa100, whose hand-written list left out {@code @datadog/pprof}'s own {@code space/bytes} and
     * {@code objects/count} that fxe added, Pyroscope's {@code live/count} and the Java agent's TLAB columns.
     */
    @Test
    void pprofWithNoComparedColumnNamesItsColumnsAndEveryComparedOne() {
        String threadcreate = file("go/threadcreate.pb.gz");
        CliRun run = CliRun.of("compare", "--baseline", threadcreate, "--canary", file("datadog-pprof-5.14.4/base-1.pb.gz"));

        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(65);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("canary-judge: " + threadcreate
                        + ": no column the judge compares (threadcreate/count); pprof columns the judge compares are")
                .contains("cpu/nanoseconds", "inuse_space/bytes", "goroutine/count", "space/bytes", "objects/count",
                        "live/count", "alloc_in_new_tlab_bytes/bytes")
                .contains("live_bytes: inuse_space/bytes, space/bytes")
                .doesNotContain("JFR", "jfrconv").hasLineCount(1);
        Map<ProfileType, List<String>> mapped = PprofSampleTypes.mappedColumns();
        assertThat(mapped.values().stream().mapToInt(List::size).sum()).isGreaterThanOrEqualTo(21);
        mapped.forEach((type, columns) -> {
            for (String column : columns) {
                assertThat(column).as(type.id()).isEqualTo(column.strip());
                // each column is read as the type it is listed under
                String[] typeAndUnit = column.split("/");
                assertThat(PprofSampleTypes.profileType(typeAndUnit[0], typeAndUnit[1])).isEqualTo(type);
            }
            assertThat(run.err()).as("the message names %s's columns", type.id())
                    .contains(type.id() + ": " + String.join(", ", columns));
        });
    }
}
