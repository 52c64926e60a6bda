package io.canaryjudge.noise;

import io.canaryjudge.judge.LearnedNoise;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a service's earlier analyses taught of each function's noise, one lesson per analysis with the baseline
 * JVMs it came from. A lesson counts only for analyses of <em>other</em> JVMs: judging pods with a lesson their
 * own spread taught would count the same JVM-to-JVM differences twice and make the noise look better known than
 * it is. Argo Rollouts and Flagger ask every few minutes of one rollout with the same stable pods, so a lesson
 * from the same JVMs replaces the older one instead of adding to it. The newest {@link #MAX_LESSONS} are kept.
 *
 * @param lessons oldest first
 */
public record NoiseLessons(List<Lesson> lessons) {
    /** Lessons kept per service: 24 analyses of 2–3 baseline pods reach {@link LearnedNoise#MAX_DF}. */
    public static final int MAX_LESSONS = 24;

    /**
     * One analysis's lesson.
     *
     * @param jvms   the baseline (and history) JVMs it came from: pod names, or the CLI's instance paths
     * @param taught what their spread showed ({@code Judge.Judgement#taught})
     */
    public record Lesson(Set<String> jvms, LearnedNoise taught) {
        public Lesson {
            jvms = Collections.unmodifiableSet(new LinkedHashSet<>(jvms));
            Objects.requireNonNull(taught, "taught");
        }

        boolean sharesAJvmWith(Set<String> others) {
            for (String jvm : jvms) {
                if (others.contains(jvm)) {
                    return true;
                }
            }
            return false;
        }
    }

    public NoiseLessons {
        lessons = List.copyOf(lessons);
    }

    public static NoiseLessons empty() {
        return new NoiseLessons(List.of());
    }

    /** The noise learned from every lesson of JVMs other than {@code current}, pooled oldest first. */
    public LearnedNoise learnedFor(Set<String> current) {
        LearnedNoise learned = LearnedNoise.empty();
        for (Lesson lesson : lessons) {
            if (!lesson.sharesAJvmWith(current)) {
                learned = learned.plus(lesson.taught());
            }
        }
        return learned;
    }

    /**
     * These lessons with {@code lesson} added as the newest: a lesson sharing a JVM with it is dropped (the newer
     * window of the same pods replaces it); beyond {@link #MAX_LESSONS} the oldest go. An empty lesson changes
     * nothing.
     */
    public NoiseLessons with(Lesson lesson) {
        if (lesson.taught().isEmpty() || lesson.jvms().isEmpty()) {
            return this;
        }
        List<Lesson> kept = new ArrayList<>();
        for (Lesson old : lessons) {
            if (!old.sharesAJvmWith(lesson.jvms())) {
                kept.add(old);
            }
        }
        kept.add(lesson);
        return new NoiseLessons(kept.subList(Math.max(0, kept.size() - MAX_LESSONS), kept.size()));
    }
}
