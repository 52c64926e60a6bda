package io.canaryjudge.judge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.ProfileBuilder;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.SampleType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A young canary compared with the baseline at its age names its leak site against the baseline's live profiles
 * of those same minutes — not against the whole history, whose older windows hold full caches a young JVM is
 * still filling.
 */
class SameAgeReferenceTest {
    private static final long MINUTE = 60_000;

    private static Observation live(String pod, long startMillis) throws InvalidProfileException {
        ProfileBuilder builder = new ProfileBuilder("test", ProfileFormat.PPROF, List.of(SampleType.of(ProfileType.LIVE_BYTES)), 4);
        int[] stack = {builder.function("com.shop.Cache.put")};
        builder.add(builder.stack(stack, 1, 0), 0, 1024);
        builder.interval(startMillis * 1_000_000, MINUTE * 1_000_000);
        return new Observation(pod, builder.build());
    }

    @Test
    void onlyTheLiveProfilesOfTheSameAgeWindowsCount() throws InvalidProfileException {
        Observation early = live("b-1", 10 * MINUTE);
        Observation late = live("b-1", 70 * MINUTE);
        Observation otherPod = live("b-2", 12 * MINUTE);
        Observation current = live("b-1", 200 * MINUTE);
        List<Observation> kept = MemoryVerdicts.sameAgeReference(List.of(current), List.of(early, late, otherPod),
                Map.of("b-1", List.<long[]>of(new long[] {5 * MINUTE, 20 * MINUTE})));
        assertThat(kept).containsExactly(early);
    }

    @Test
    void withoutAProfileInThoseWindowsTheWholeHistoryStandsIn() throws InvalidProfileException {
        Observation late = live("b-1", 70 * MINUTE);
        List<Observation> history = List.of(late);
        assertThat(MemoryVerdicts.sameAgeReference(List.of(), history,
                Map.of("b-1", List.<long[]>of(new long[] {5 * MINUTE, 20 * MINUTE})))).isEqualTo(history);
    }
}
