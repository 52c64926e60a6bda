package io.canaryjudge.qa100;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.config.AnalysisConfigs;
import io.canaryjudge.config.PropertiesConfiguration;
import io.canaryjudge.judge.memory.HeapMeasure;
import io.canaryjudge.metrics.HeapQueries;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * What a pod's heap series measures travels with the heap query from the exporter preset that chose it
 * ({@link HeapQueries#preset()}), bound as the service binds {@code canary-judge.prometheus.heap.*}: the
 * {@code client-golang} preset's own query is client_golang's heap in use, judged from Go's heap profiles once it FAILs
 * ({@link HeapMeasure#GO_HEAP_IN_USE}); a heap query the user gave is judged as given, whatever metric it names and
 * even when it repeats the preset's text word for word (the rule {@code liveSet} already followed: the user chose what
 * to judge). Before qa100 the measure, and Micrometer's live-set fallback, were read back from the query's text, so a
 * user's query equal to a preset's was taken for the preset.
 */
class HeapPresetMeasureTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(PropertiesConfiguration.class)
            .withPropertyValues("canary-judge.local.directory=..");

    private static final String CUSTOM_GO_HEAP =
            "max by ({{instance_label}}) (go_memstats_heap_alloc_bytes{{{selector}}})";

    @Test
    void theClientGolangPresetsOwnQueryIsGosHeapInUseAlsoWithItsStartAndAreasReplaced() {
        runner.withPropertyValues("canary-judge.prometheus.heap.exporter=client-golang",
                "canary-judge.prometheus.heap.jvm-start=max by ({{instance_label}}) (my_start_seconds{{{selector}}})",
                "canary-judge.prometheus.heap.areas.goroutines=").run(context -> {
            assertThat(context).hasNotFailed();
            HeapQueries queries = context.getBean(AnalysisConfigs.class).resolve(null, "checkout").heapQueries();
            assertThat(queries.preset()).isEqualTo(HeapQueries.Exporter.CLIENT_GOLANG);
            assertThat(queries.areas()).isEmpty();
            assertThat(HeapMeasure.of(queries)).isEqualTo(HeapMeasure.GO_HEAP_IN_USE);
        });
    }

    @Test
    void aUsersHeapQueryNamingClientGolangsMetricIsJudgedAsGiven() {
        runner.withPropertyValues("canary-judge.prometheus.heap.exporter=client-golang",
                "canary-judge.prometheus.heap.after-gc=" + CUSTOM_GO_HEAP).run(context -> {
            assertThat(context).hasNotFailed();
            HeapQueries queries = context.getBean(AnalysisConfigs.class).resolve(null, "checkout").heapQueries();
            assertThat(queries.heapAfterGc().text()).isEqualTo(CUSTOM_GO_HEAP);
            assertThat(queries.preset()).isNull();
            assertThat(HeapMeasure.of(queries)).isEqualTo(HeapMeasure.AS_GIVEN);
        });
    }

    /** The preset's text written out under another exporter: the user's query, not client_golang's preset. */
    @Test
    void aUsersHeapQueryRepeatingThePresetsTextIsJudgedAsGiven() {
        runner.withPropertyValues("canary-judge.prometheus.heap.exporter=micrometer",
                "canary-judge.prometheus.heap.after-gc=" + HeapQueries.CLIENT_GOLANG_HEAP_ALLOC).run(context -> {
            assertThat(context).hasNotFailed();
            HeapQueries queries = context.getBean(AnalysisConfigs.class).resolve(null, "checkout").heapQueries();
            assertThat(queries.heapAfterGc().text()).isEqualTo(HeapQueries.CLIENT_GOLANG_HEAP_ALLOC);
            assertThat(HeapMeasure.of(queries)).isEqualTo(HeapMeasure.AS_GIVEN);
        });
    }

    /**
     * Micrometer's live data size is asked beside Micrometer's preset heap query only; the same text given as the
     * user's own query is judged alone (fails before qa100: its text matched the preset's, so the fallback was asked).
     */
    @Test
    void micrometersLiveSetFallbackFollowsThePresetNotTheText() {
        runner.withPropertyValues("canary-judge.prometheus.heap.exporter=micrometer").run(context -> {
            HeapQueries queries = context.getBean(AnalysisConfigs.class).resolve(null, "checkout").heapQueries();
            assertThat(queries.liveSetFallback()).isNotNull();
            assertThat(queries.liveSetFallback().text()).isEqualTo(HeapQueries.MICROMETER_LIVE_DATA);
        });
        runner.withPropertyValues("canary-judge.prometheus.heap.exporter=micrometer",
                "canary-judge.prometheus.heap.after-gc=" + HeapQueries.MICROMETER_HEAP_USED).run(context -> {
            assertThat(context).hasNotFailed();
            HeapQueries queries = context.getBean(AnalysisConfigs.class).resolve(null, "checkout").heapQueries();
            assertThat(queries.heapAfterGc().text()).isEqualTo(HeapQueries.MICROMETER_HEAP_USED);
            assertThat(queries.liveSetFallback()).isNull();
        });
    }
}
