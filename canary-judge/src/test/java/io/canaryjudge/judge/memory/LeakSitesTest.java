package io.canaryjudge.judge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.judge.FrameClassifier;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileBuilder;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.SampleType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The leak site is the application frame whose share of the live set rose beyond what the baseline showed — beyond
 * what <em>any</em> baseline observation showed, so that live objects whose share depends on a JVM's age (a cache
 * warming in every young JVM) are matched by the baseline window of that age rather than averaged away by older
 * windows.
 */
class LeakSitesTest {
    private static final String CACHE = "com.shop.ProductCatalog.load";
    private static final String LEAK = "com.shop.SessionRegistry.register";
    private static final String ORDERS = "com.shop.Orders.keep";

    @Test
    void aCacheWarmingInEveryYoungJvmIsNotTheSiteOfAYoungCanarysLeak() throws InvalidProfileException {
        // One baseline pod's history: at the canary's age its cache was warming (45 % of the live set), half an
        // hour later it was full and small beside the orders kept (15 %).
        List<Observation> history = List.of(pod("baseline-1", Map.of(CACHE, 450L, ORDERS, 550L)),
                pod("baseline-1", Map.of(CACHE, 150L, ORDERS, 850L)));
        // The young canary: its cache warming as the baseline's did, and a leak at 10 % of its live set.
        List<Observation> canary = List.of(pod("canary-1", Map.of(CACHE, 450L, LEAK, 100L, ORDERS, 450L)));

        LeakSite site = LeakSites.find(history, canary, FrameClassifier.defaults());

        // Averaged over the two windows the cache "rose" 30 → 45 % (+15 points), more than the leak's 0 → 10 %.
        assertThat(site).isNotNull();
        assertThat(site.function()).isEqualTo(LEAK);
    }

    @Test
    void aSiteTheBaselineNeverHeldIsNamedWhateverTheBaselineWindows() throws InvalidProfileException {
        List<Observation> baseline = List.of(pod("baseline-1", Map.of(CACHE, 300L, ORDERS, 700L)),
                pod("baseline-2", Map.of(CACHE, 320L, ORDERS, 680L)));
        List<Observation> canary = List.of(pod("canary-1", Map.of(CACHE, 250L, LEAK, 250L, ORDERS, 500L)));

        LeakSite site = LeakSites.find(baseline, canary, FrameClassifier.defaults());

        assertThat(site.function()).isEqualTo(LEAK);
        assertThat(site.canaryShare()).isEqualTo(0.25, org.assertj.core.data.Offset.offset(1e-9));
    }

    /** One observation of {@code instance}: a live_bytes profile with these KiB per application frame. */
    private static Observation pod(String instance, Map<String, Long> kibByFrame) throws InvalidProfileException {
        return new Observation(instance, live(kibByFrame));
    }

    /** A live_bytes profile: one stack per application frame, under a worker thread, with a JDK leaf below. */
    private static Profile live(Map<String, Long> bytesByFrame) throws InvalidProfileException {
        ProfileBuilder builder = new ProfileBuilder("test", ProfileFormat.PPROF, List.of(SampleType.of(ProfileType.LIVE_BYTES)),
                64);
        for (Map.Entry<String, Long> entry : new java.util.TreeMap<>(bytesByFrame).entrySet()) {
            int[] leafFirst = {builder.function("java.util.HashMap.putVal"), builder.function(entry.getKey()),
                    builder.function("com.shop.Worker.run"), builder.function("java.lang.Thread.run")};
            builder.add(builder.stack(leafFirst, leafFirst.length, 0), 0, entry.getValue() * 1024);
        }
        builder.addSampleCount(0, bytesByFrame.values().stream().mapToLong(Long::longValue).sum());
        return builder.build();
    }
}
