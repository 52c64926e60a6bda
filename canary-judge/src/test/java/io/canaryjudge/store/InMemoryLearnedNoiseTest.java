package io.canaryjudge.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.judge.LearnedNoise;
import io.canaryjudge.noise.NoiseLessons;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Measure;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The in-memory store keeps lessons for the most recently analysed applications only: its memory is bounded. */
class InMemoryLearnedNoiseTest {

    private static NoiseLessons.Lesson lesson(String pod) {
        return new NoiseLessons.Lesson(Set.of(pod), new LearnedNoise(Map.of(new LearnedNoise.Key(ProfileType.CPU,
                Measure.SELF, "com.example.Shop.checkout"), new LearnedNoise.Entry(0.004, 2)), 1));
    }

    @Test
    void theLeastRecentlyAnalysedApplicationsLessonsGoFirst() {
        InMemoryVerdictStore store = new InMemoryVerdictStore(10);
        for (int i = 0; i < InMemoryVerdictStore.LEARNED_SERVICES; i++) {
            store.learn("app-" + i, lesson("pod-" + i)).block();
        }
        store.noiseLessons("app-0").block(); // analysed again: now the most recent
        store.learn("app-new", lesson("pod-new")).block();

        assertThat(store.noiseLessons("app-0").block().lessons()).hasSize(1);
        assertThat(store.noiseLessons("app-1").block().lessons()).isEmpty();
        assertThat(store.noiseLessons("app-new").block().lessons()).hasSize(1);
    }
}
