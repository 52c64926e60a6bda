package io.canaryjudge.judge;

import io.canaryjudge.profile.ProfileType;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything the judge's decision depends on besides the data.
 *
 * @param thresholds                 default thresholds
 * @param functionRules              per-function thresholds, first match wins
 * @param ignore                     functions (regexes on the whole normalised name) users accept as noisy:
 *                                   never tested, never findings
 * @param judgedTypes                profile types compared when present in both groups
 * @param failOnTypes                profile types whose regressions FAIL the canary (others are reported only)
 * @param failOnJvmInternal          when true, JIT/GC/class-loading regressions can FAIL (default false:
 *                                   young canaries spend more there, DESIGN.md "Young canaries")
 * @param warmup                     observations starting within this time after an instance's first
 *                                   observation are excluded (needs profile timestamps); zero = none
 * @param minInstancesPerGroup       fewer pods in a group = INCONCLUSIVE
 * @param minObservationsPerGroup    fewer observations in a group = INCONCLUSIVE
 * @param minSamplesPerGroup         fewer profiler samples in a group = INCONCLUSIVE (e.g. 1,000 = 10 s of one
 *                                   busy thread at 100 Hz)
 * @param maxDetectableChange        when not null and the minimum detectable change of a function at 5 % of
 *                                   total exceeds this (relative, 0.75 = 75 %), answer INCONCLUSIVE instead of PASS;
 *                                   null = never (default {@value #DEFAULT_MAX_DETECTABLE_CHANGE})
 * @param priorBetweenInstanceCv     between-pod noise (coefficient of variation of a function's share) assumed
 *                                   when it cannot be estimated (one pod per side, too few functions)
 * @param frames                     whose code a frame is (application packages, extra libraries, native
 *                                   libraries): decides incidents' entry frames and what is reported apart
 * @param newPathConsistency         how many canary pods and slices a new hot path must show in to FAIL
 *                                   (one JVM's background burst is reported, not failed)
 */
public record JudgeConfig(Thresholds thresholds, List<FunctionRule> functionRules, List<Pattern> ignore,
                          Set<ProfileType> judgedTypes, Set<ProfileType> failOnTypes, boolean failOnJvmInternal,
                          Duration warmup, int minInstancesPerGroup, int minObservationsPerGroup,
                          long minSamplesPerGroup, Double maxDetectableChange, double priorBetweenInstanceCv,
                          FrameClassifier frames, NewPathConsistency newPathConsistency) {

    public JudgeConfig {
        Objects.requireNonNull(thresholds, "thresholds");
        functionRules = List.copyOf(functionRules);
        ignore = List.copyOf(ignore);
        judgedTypes = Set.copyOf(judgedTypes);
        failOnTypes = Set.copyOf(failOnTypes);
        Objects.requireNonNull(warmup, "warmup");
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("warmup must not be negative, was " + warmup);
        }
        if (minInstancesPerGroup < 1 || minObservationsPerGroup < 1) {
            throw new IllegalArgumentException("minInstancesPerGroup and minObservationsPerGroup must be >= 1");
        }
        if (maxDetectableChange != null && !(maxDetectableChange > 0)) {
            throw new IllegalArgumentException("maxDetectableChange must be > 0, was " + maxDetectableChange);
        }
        if (!(priorBetweenInstanceCv >= 0 && priorBetweenInstanceCv < 10)) {
            throw new IllegalArgumentException("priorBetweenInstanceCv must be in [0, 10), was " + priorBetweenInstanceCv);
        }
        Objects.requireNonNull(frames, "frames");
        Objects.requireNonNull(newPathConsistency, "newPathConsistency");
    }

    /** A configuration with the default new-path consistency ({@link NewPathConsistency#DEFAULTS}). */
    public JudgeConfig(Thresholds thresholds, List<FunctionRule> functionRules, List<Pattern> ignore,
                       Set<ProfileType> judgedTypes, Set<ProfileType> failOnTypes, boolean failOnJvmInternal,
                       Duration warmup, int minInstancesPerGroup, int minObservationsPerGroup,
                       long minSamplesPerGroup, Double maxDetectableChange, double priorBetweenInstanceCv,
                       FrameClassifier frames) {
        this(thresholds, functionRules, ignore, judgedTypes, failOnTypes, failOnJvmInternal, warmup,
                minInstancesPerGroup, minObservationsPerGroup, minSamplesPerGroup, maxDetectableChange,
                priorBetweenInstanceCv, frames, NewPathConsistency.DEFAULTS);
    }

    /** A configuration with the built-in frame classes ({@link FrameClassifier#defaults()}). */
    public JudgeConfig(Thresholds thresholds, List<FunctionRule> functionRules, List<Pattern> ignore,
                       Set<ProfileType> judgedTypes, Set<ProfileType> failOnTypes, boolean failOnJvmInternal,
                       Duration warmup, int minInstancesPerGroup, int minObservationsPerGroup,
                       long minSamplesPerGroup, Double maxDetectableChange, double priorBetweenInstanceCv) {
        this(thresholds, functionRules, ignore, judgedTypes, failOnTypes, failOnJvmInternal, warmup,
                minInstancesPerGroup, minObservationsPerGroup, minSamplesPerGroup, maxDetectableChange,
                priorBetweenInstanceCv, FrameClassifier.defaults());
    }

    /**
     * A PASS whose data could not have seen a rise of this much in a function at 5 % of the total answers
     * INCONCLUSIVE: +75 % there is 3.75 points of the total. Measured (docs/EVALUATION.md "Tuning simulator", `maxDetectableChange`): one pod
     * per side at 14,000 samples per pod cannot see less than +137 to +185 %, six pods of 200 samples +98 %,
     * the Kafka slices +186 % and more — those answer INCONCLUSIVE; 3 + 3 pods (+35 %), 2 + 2 (+44 to +59 %),
     * 3 + 1 (+52 to +62 %) and the recorded scenarios (+22 to +73 %) keep their PASS.
     */
    public static final double DEFAULT_MAX_DETECTABLE_CHANGE = 0.75;

    /** Documented defaults (README.md "Default thresholds"). */
    public static JudgeConfig defaults() {
        return new JudgeConfig(Thresholds.DEFAULTS, List.of(), List.of(),
                // old_live_objects is evidence for the memory check's leak site, a subset of live_objects: not a profile to judge
                EnumSet.complementOf(EnumSet.of(ProfileType.OLD_LIVE_OBJECTS)),
                EnumSet.of(ProfileType.CPU, ProfileType.ALLOC_BYTES, ProfileType.ALLOC_OBJECTS, ProfileType.MALLOC_LEAK_BYTES),
                false, Duration.ZERO, 1, 2, 1000, DEFAULT_MAX_DETECTABLE_CHANGE, 0.10);
    }

    /** Thresholds for one function: the first matching rule's, else the defaults. */
    public Thresholds thresholdsFor(String function) {
        for (FunctionRule rule : functionRules) {
            if (rule.matches(function)) {
                return rule.thresholds();
            }
        }
        return thresholds;
    }

    public boolean ignored(String function) {
        for (Pattern pattern : ignore) {
            if (pattern.matcher(function).matches()) {
                return true;
            }
        }
        return false;
    }

    public JudgeConfig withThresholds(Thresholds newThresholds) {
        return new JudgeConfig(newThresholds, functionRules, ignore, judgedTypes, failOnTypes, failOnJvmInternal,
                warmup, minInstancesPerGroup, minObservationsPerGroup, minSamplesPerGroup, maxDetectableChange,
                priorBetweenInstanceCv, frames, newPathConsistency);
    }

    public JudgeConfig withFunctionRules(List<FunctionRule> rules) {
        return new JudgeConfig(thresholds, rules, ignore, judgedTypes, failOnTypes, failOnJvmInternal,
                warmup, minInstancesPerGroup, minObservationsPerGroup, minSamplesPerGroup, maxDetectableChange,
                priorBetweenInstanceCv, frames, newPathConsistency);
    }

    public JudgeConfig withIgnore(List<Pattern> patterns) {
        return new JudgeConfig(thresholds, functionRules, patterns, judgedTypes, failOnTypes, failOnJvmInternal,
                warmup, minInstancesPerGroup, minObservationsPerGroup, minSamplesPerGroup, maxDetectableChange,
                priorBetweenInstanceCv, frames, newPathConsistency);
    }

    public JudgeConfig withJudgedTypes(Set<ProfileType> types) {
        return new JudgeConfig(thresholds, functionRules, ignore, types, failOnTypes, failOnJvmInternal,
                warmup, minInstancesPerGroup, minObservationsPerGroup, minSamplesPerGroup, maxDetectableChange,
                priorBetweenInstanceCv, frames, newPathConsistency);
    }

    public JudgeConfig withFailOnTypes(Set<ProfileType> types) {
        return new JudgeConfig(thresholds, functionRules, ignore, judgedTypes, types, failOnJvmInternal,
                warmup, minInstancesPerGroup, minObservationsPerGroup, minSamplesPerGroup, maxDetectableChange,
                priorBetweenInstanceCv, frames, newPathConsistency);
    }

    public JudgeConfig withFailOnJvmInternal(boolean fail) {
        return new JudgeConfig(thresholds, functionRules, ignore, judgedTypes, failOnTypes, fail,
                warmup, minInstancesPerGroup, minObservationsPerGroup, minSamplesPerGroup, maxDetectableChange,
                priorBetweenInstanceCv, frames, newPathConsistency);
    }

    public JudgeConfig withWarmup(Duration newWarmup) {
        return new JudgeConfig(thresholds, functionRules, ignore, judgedTypes, failOnTypes, failOnJvmInternal,
                newWarmup, minInstancesPerGroup, minObservationsPerGroup, minSamplesPerGroup, maxDetectableChange,
                priorBetweenInstanceCv, frames, newPathConsistency);
    }

    public JudgeConfig withMinimums(int instances, int observations, long samples) {
        return new JudgeConfig(thresholds, functionRules, ignore, judgedTypes, failOnTypes, failOnJvmInternal,
                warmup, instances, observations, samples, maxDetectableChange, priorBetweenInstanceCv, frames,
                newPathConsistency);
    }

    public JudgeConfig withMaxDetectableChange(Double change) {
        return new JudgeConfig(thresholds, functionRules, ignore, judgedTypes, failOnTypes, failOnJvmInternal,
                warmup, minInstancesPerGroup, minObservationsPerGroup, minSamplesPerGroup, change,
                priorBetweenInstanceCv, frames, newPathConsistency);
    }

    public JudgeConfig withFrames(FrameClassifier newFrames) {
        return new JudgeConfig(thresholds, functionRules, ignore, judgedTypes, failOnTypes, failOnJvmInternal,
                warmup, minInstancesPerGroup, minObservationsPerGroup, minSamplesPerGroup, maxDetectableChange,
                priorBetweenInstanceCv, newFrames, newPathConsistency);
    }

    public JudgeConfig withNewPathConsistency(NewPathConsistency consistency) {
        return new JudgeConfig(thresholds, functionRules, ignore, judgedTypes, failOnTypes, failOnJvmInternal,
                warmup, minInstancesPerGroup, minObservationsPerGroup, minSamplesPerGroup, maxDetectableChange,
                priorBetweenInstanceCv, frames, consistency);
    }

    public JudgeConfig withPriorBetweenInstanceCv(double cv) {
        return new JudgeConfig(thresholds, functionRules, ignore, judgedTypes, failOnTypes, failOnJvmInternal,
                warmup, minInstancesPerGroup, minObservationsPerGroup, minSamplesPerGroup, maxDetectableChange, cv, frames,
                newPathConsistency);
    }
}
