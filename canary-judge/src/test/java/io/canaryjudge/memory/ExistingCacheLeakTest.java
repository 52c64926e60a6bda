package io.canaryjudge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.judge.Observation;
import io.canaryjudge.judge.memory.MemoryGrowthConfig;
import io.canaryjudge.judge.memory.MemoryGrowthResult;
import io.canaryjudge.judge.memory.MemoryOutcome;
import io.canaryjudge.profile.FunctionTotals;
import io.canaryjudge.profile.ProfileType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * qa66: a leak in a cache the baseline already has, over the recorded pods of {@code src/test/resources/qa66} (see its
 * README; all 8 JVMs started together): every pod keeps each request's idempotency record in
 * {@code IdempotencyKeys.remember}; the baseline expires them after 30 s, {@code broken-100} never, {@code half-100} half
 * of them. The heap catches both leaks; the one-minute live-object profiles hold as many bytes per second at that site in
 * the baseline pods as in the leaking ones (objects not yet collected count as live, and collections come minutes apart),
 * so before qa66 the frame whose share moved most by chance — the metrics scrape's {@code MemoryPod.lambda$main$0},
 * whose share fell — was named the leak's site in 52 of 56 FAILing windows.
 */
class ExistingCacheLeakTest {
    static final long MINUTE = 60_000;
    static final String CACHE_SITE = "io.canaryjudge.memory.app.IdempotencyKeys.remember";
    static Map<String, RecordedPod> pods;
    static List<RecordedPod> baseline;
    static long start;

    @BeforeAll
    static void load() {
        pods = RecordedPod.loadAll(RecordedPod.folder().resolveSibling("qa66"));
        baseline = List.of(pods.get("baseline-1"), pods.get("baseline-2"), pods.get("baseline-3"));
        start = pods.values().stream().mapToLong(RecordedPod::jvmStartMillis).max().orElseThrow();
    }

    /** One canary pod and the baseline pods over minutes [from, to] of their life. */
    static MemoryGrowthResult judge(String canary, int from, int to, boolean counts) {
        return LoadShiftMemoryEvaluation.analyse(baseline, List.of(pods.get(canary)), start + from * MINUTE,
                start + to * MINUTE, start + from * MINUTE, start + to * MINUTE, counts, MemoryGrowthConfig.DEFAULTS);
    }

    @Test
    void aCacheThatNoLongerExpiresFailsWithoutNamingAFrameItsProfilesCannotTell() {
        for (boolean counts : new boolean[] {true, false}) {
            MemoryGrowthResult result = judge("broken-100", 15, 30, counts);

            assertThat(result.outcome()).as(String.valueOf(result.quality())).isEqualTo(MemoryOutcome.GROWTH);
            // before: named at the scrape, MemoryPod.lambda$main$0 ("rose from 2.2 % to 1.8 % of the live set")
            assertThat(result.site()).as(result.finding().explanation()).isNull();
            assertThat(result.finding().function()).isEqualTo("<heap>");
            assertThat(result.finding().explanation())
                    .contains("the live-object profiles name no allocation site")
                    .contains("a cache or registry the baseline has too")
                    .contains("compare a heap histogram or dump of a canary pod with a baseline pod's");
        }
    }

    @Test
    void aCacheExpiringHalfItsEntriesFailsWithoutAWrongSiteEither() {
        MemoryGrowthResult result = judge("half-100", 15, 30, true);

        assertThat(result.outcome()).as(String.valueOf(result.quality())).isEqualTo(MemoryOutcome.GROWTH);
        assertThat(result.site()).as(result.finding().explanation()).isNull();
        assertThat(result.finding().explanation()).contains("the live-object profiles name no allocation site");
    }

    /**
     * A/A: {@code aa-100} with and without request counts in every window; {@code aa-25} per hour only, and only the
     * windows judged count. With counts a 25 % canary is not judged in any of the 16 windows (its rate per request needs
     * longer than 15 minutes at a quarter of the traffic, qa56), so "does not grow" would hold without a judgement;
     * per hour it collects so seldom (a heap-after-GC point every few minutes) that 4 of the 16 are judged (minutes 0-2
     * and 6: INCONCLUSIVE or PASS), and those must not grow.
     */
    @Test
    void theUnchangedCanariesDoNotGrow() {
        int lightJudged = 0;
        for (int from = 0; from + 15 <= 30; from++) {
            for (boolean counts : new boolean[] {true, false}) {
                MemoryGrowthResult result = judge("aa-100", from, from + 15, counts);
                assertThat(result.outcome()).as("aa-100 " + from + " " + result.quality())
                        .isIn(MemoryOutcome.NO_GROWTH, MemoryOutcome.UNRESOLVED);
            }
            MemoryGrowthResult light = judge("aa-25", from, from + 15, false);
            assertThat(light.outcome()).as("aa-25 " + from + " " + light.quality()).isNotEqualTo(MemoryOutcome.GROWTH);
            if (light.outcome() != MemoryOutcome.NOT_JUDGED) {
                lightJudged++;
            }
        }
        assertThat(lightJudged).as("aa-25 windows judged per hour").isGreaterThanOrEqualTo(4);
    }

    @Test
    void theCachesSiteHoldsAsManyLiveBytesPerSecondInTheBaselineAsInTheLeak() {
        // why no site can be named: the site's live bytes per second, minutes 15-30, baseline pods against the leak
        double leak = liveBytesPerSecond(pods.get("broken-100"), CACHE_SITE);
        for (RecordedPod pod : baseline) {
            double held = liveBytesPerSecond(pod, CACHE_SITE);
            assertThat(held).as(pod.name()).isBetween(0.6 * leak, 1.6 * leak);
        }
    }

    /** The pod's live bytes per second under {@code function}, its blocks over minutes 15-30 pooled. */
    static double liveBytesPerSecond(RecordedPod pod, String function) {
        double bytes = 0;
        double seconds = 0;
        for (Observation o : pod.liveBetween(start + 15 * MINUTE, start + 30 * MINUTE)) {
            FunctionTotals totals = o.profile().functionTotals(ProfileType.LIVE_BYTES);
            seconds += o.profile().durationNanos() / 1e9;
            for (int f = 0; f < totals.functionCount(); f++) {
                if (totals.functionName(f).equals(function)) {
                    bytes += totals.inclusive(f);
                }
            }
        }
        return bytes / seconds;
    }
}
