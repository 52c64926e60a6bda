package io.canaryjudge.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.analysis.ObservationFetcher.GroupWindow;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.ProfileSourceException;
import io.canaryjudge.profile.source.SourceInstance;
import io.canaryjudge.profile.source.TimeWindow;
import io.canaryjudge.profile.source.local.LocalDirectorySource;
import io.canaryjudge.source.Deadline;
import io.canaryjudge.source.FailureKind;
import io.canaryjudge.source.GuardedProfileSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

/** The sentences a fetch's failures become. */
class FetchLogTest {
    private static final TimeWindow WINDOW = new TimeWindow(Instant.parse("2031-01-01T10:00:00Z"),
            Instant.parse("2031-01-01T10:10:00Z"));
    private static final GroupWindow CANARY = new GroupWindow(Group.CANARY, "canary",
            new ProfileSelector("shop", List.of()), WINDOW, List.of(WINDOW));

    @Test
    void aPodsOwnFailureIsNamedRatherThanTheCircuitItOpened() {
        FetchLog log = new FetchLog(new LocalDirectorySource(Path.of("."), false, "pod", ReadOptions.defaults(),
                Schedulers.immediate()), Deadline.after(Duration.ofSeconds(8), Clock.systemUTC()));
        SourceInstance first = new SourceInstance("shop-b-1", null);
        SourceInstance second = new SourceInstance("shop-b-2", null);
        log.discovered(CANARY, ProfileType.CPU, List.of(first, second), null);
        log.expectInstance(CANARY, ProfileType.CPU, first, 10);
        log.expectInstance(CANARY, ProfileType.CPU, second, 10);
        log.fetched(CANARY, ProfileType.CPU, first, 0, GuardedProfileSource.failures("pyroscope")
                .create(FailureKind.CIRCUIT_OPEN, "unavailable (circuit open after 10 of the last 10 calls failed)", null));
        log.fetched(CANARY, ProfileType.CPU, second, 0, new ProfileSourceException("pyroscope",
                ProfileSourceException.Kind.UNAVAILABLE, "SelectMergeProfile for pod shop-b-2: HTTP 503: overloaded"));

        log.finish();

        assertThat(log.gaps()).containsExactly("cpu profiles of the canary pods: 2 of 2 pods (20 slices) could not be"
                + " fetched: pyroscope: SelectMergeProfile for pod shop-b-2: HTTP 503: overloaded");
    }
}
