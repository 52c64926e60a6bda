package io.canaryjudge.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.judge.LearnedNoise;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Measure;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NoiseLessonsTest {
    private static final LearnedNoise.Key KEY = new LearnedNoise.Key(ProfileType.CPU, Measure.SELF, "f");

    private static NoiseLessons.Lesson lesson(double variance, String... jvms) {
        return new NoiseLessons.Lesson(Set.of(jvms), new LearnedNoise(Map.of(KEY, new LearnedNoise.Entry(variance, 2)), 1));
    }

    @Test
    void aLessonDoesNotJudgeTheJvmsThatTaughtIt() {
        NoiseLessons lessons = NoiseLessons.empty().with(lesson(0.01, "a1", "a2")).with(lesson(0.04, "b1", "b2"));
        assertThat(lessons.learnedFor(Set.of("c1", "c2")).verdicts()).isEqualTo(2);
        assertThat(lessons.learnedFor(Set.of("c1", "c2")).entry(ProfileType.CPU, Measure.SELF, "f").podVariance())
                .isCloseTo(0.025, org.assertj.core.data.Offset.offset(1e-12));
        LearnedNoise forB = lessons.learnedFor(Set.of("b2", "c1"));
        assertThat(forB.verdicts()).isEqualTo(1);
        assertThat(forB.entry(ProfileType.CPU, Measure.SELF, "f").podVariance()).isEqualTo(0.01);
    }

    @Test
    void aLaterWindowOfTheSamePodsReplacesTheirLesson() {
        NoiseLessons lessons = NoiseLessons.empty().with(lesson(0.01, "a1", "a2")).with(lesson(0.04, "b1"))
                .with(lesson(0.09, "a2", "a3"));
        assertThat(lessons.lessons()).hasSize(2);
        assertThat(lessons.lessons().get(1).jvms()).containsExactlyInAnyOrder("a2", "a3");
        assertThat(lessons.learnedFor(Set.of("z")).entry(ProfileType.CPU, Measure.SELF, "f").podVariance())
                .isCloseTo(0.065, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void keepsTheNewestLessonsAndIgnoresEmptyOnes() {
        NoiseLessons lessons = NoiseLessons.empty();
        for (int i = 0; i < NoiseLessons.MAX_LESSONS + 5; i++) {
            lessons = lessons.with(lesson(0.01 * i, "pod-" + i));
        }
        assertThat(lessons.lessons()).hasSize(NoiseLessons.MAX_LESSONS);
        assertThat(lessons.lessons().get(0).jvms()).containsExactly("pod-5");
        assertThat(lessons.with(new NoiseLessons.Lesson(Set.of("x"), LearnedNoise.empty()))).isEqualTo(lessons);
    }
}
