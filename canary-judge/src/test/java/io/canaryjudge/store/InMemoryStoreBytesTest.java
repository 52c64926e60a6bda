package io.canaryjudge.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.report.VerdictJson;
import io.canaryjudge.verdict.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The in-memory store is bounded by bytes as well as by count: a run of very large verdicts (uploads with long part
 * names, many pods) pushes the oldest out before the heap fills, and the newest is always kept.
 */
class InMemoryStoreBytesTest {
    static final Verdict EXAMPLE = new VerdictJson().read(RealVerdicts.example());

    static StoredAnalysis analysis(String id) {
        return new StoredAnalysis(id, Instant.parse("2026-12-06T07:00:00Z"), null, "upload", null, "upload", null,
                null, null, Map.of(), Map.of(), List.of("cpu"), EXAMPLE.withId(id));
    }

    @Test
    void theOldestGoWhenTheBytesRunOutAndTheNewestAlwaysStays() {
        long oneAnalysis = 2L * new VerdictJson().render(EXAMPLE.withId("a-0")).length();
        InMemoryVerdictStore store = new InMemoryVerdictStore(1_000, oneAnalysis * 7 / 2);
        for (int i = 0; i < 10; i++) {
            store.save(analysis("a-" + i)).block();
        }
        for (int i = 0; i < 7; i++) {
            assertThat(store.findVerdict("a-" + i).blockOptional()).as("a-" + i).isEmpty();
        }
        for (int i = 7; i < 10; i++) {
            assertThat(store.findVerdict("a-" + i).block().verdict().id()).isEqualTo("a-" + i);
        }
        assertThat(store.check().block()).startsWith("in memory: 3 of at most 1000 analyses kept");

        InMemoryVerdictStore tiny = new InMemoryVerdictStore(1_000, 1);
        tiny.save(analysis("b-0")).block();
        tiny.save(analysis("b-1")).block();
        assertThat(tiny.findVerdict("b-0").blockOptional()).isEmpty();
        assertThat(tiny.findVerdict("b-1").block()).isNotNull();
    }

    @Test
    void savingAnAnalysisAgainCountsItsBytesOnce() {
        long oneAnalysis = 2L * new VerdictJson().render(EXAMPLE.withId("a-0")).length();
        InMemoryVerdictStore store = new InMemoryVerdictStore(1_000, oneAnalysis * 5 / 2);
        for (int i = 0; i < 20; i++) {
            store.save(analysis("same")).block();
        }
        store.save(analysis("other")).block();
        assertThat(store.findVerdict("same").block()).isNotNull();
        assertThat(store.findVerdict("other").block()).isNotNull();

        // Saved again, "same" is the newest: the next one over the bound pushes "other" out, not it.
        store.save(analysis("same")).block();
        store.save(analysis("third")).block();
        assertThat(store.findVerdict("other").blockOptional()).isEmpty();
        assertThat(store.findVerdict("same").block()).isNotNull();
        assertThat(store.findVerdict("third").block()).isNotNull();
    }
}
