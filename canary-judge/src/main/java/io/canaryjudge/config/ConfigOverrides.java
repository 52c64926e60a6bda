package io.canaryjudge.config;

import io.canaryjudge.judge.FrameClass;
import io.canaryjudge.judge.FrameClassifier;
import io.canaryjudge.judge.FunctionRule;
import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.judge.NewPathConsistency;
import io.canaryjudge.judge.Thresholds;
import io.canaryjudge.profile.ProfileType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One level of a configuration file (the top level or one service): every field is null when the
 * file does not set it, so levels can be stacked over {@link JudgeConfig#defaults()}.
 */
record ConfigOverrides(ThresholdOverrides thresholds, List<RuleOverride> functions, List<Pattern> ignore,
                       Set<ProfileType> judgedTypes, Set<ProfileType> failOnTypes, Boolean failOnJvmInternal,
                       Duration warmup, Integer minInstancesPerGroup, Integer minObservationsPerGroup,
                       Long minSamplesPerGroup, boolean maxDetectableChangeSet, Double maxDetectableChange,
                       Double priorBetweenInstanceCv, FrameOverrides frames, Double newPathMinPodFraction,
                       Double newPathMinSliceFraction, Double newPathIntermittentRatio,
                       Integer newThreadMinBaselineWindows) {

    static final ConfigOverrides NONE = new ConfigOverrides(ThresholdOverrides.NONE, List.of(), List.of(),
            null, null, null, null, null, null, null, false, null, null, FrameOverrides.NONE, null, null, null, null);

    ConfigOverrides {
        functions = List.copyOf(functions);
        ignore = List.copyOf(ignore);
    }

    /**
     * Stacks {@code top} and then {@code service} over {@code base}. Thresholds merge field by field;
     * the service's function rules are tried before the top level's (first match wins), and each rule's
     * thresholds fill the fields it does not name from the merged default thresholds; ignore lists add up;
     * every other field is the service's, else the top level's, else the base's.
     *
     * @throws IllegalArgumentException when the merged values are out of range
     */
    static JudgeConfig stack(JudgeConfig base, ConfigOverrides top, ConfigOverrides service) {
        Thresholds thresholds = service.thresholds.applyTo(top.thresholds.applyTo(base.thresholds()));
        List<FunctionRule> rules = new ArrayList<>();
        for (RuleOverride rule : service.functions) {
            rules.add(new FunctionRule(rule.pattern(), rule.thresholds().applyTo(thresholds)));
        }
        for (RuleOverride rule : top.functions) {
            rules.add(new FunctionRule(rule.pattern(), rule.thresholds().applyTo(thresholds)));
        }
        rules.addAll(base.functionRules());
        List<Pattern> ignore = new ArrayList<>(base.ignore());
        ignore.addAll(top.ignore);
        ignore.addAll(service.ignore);
        JudgeConfig stacked = new JudgeConfig(thresholds, rules, ignore,
                pick(service.judgedTypes, top.judgedTypes, base.judgedTypes()),
                pick(service.failOnTypes, top.failOnTypes, base.failOnTypes()),
                pick(service.failOnJvmInternal, top.failOnJvmInternal, base.failOnJvmInternal()),
                pick(service.warmup, top.warmup, base.warmup()),
                pick(service.minInstancesPerGroup, top.minInstancesPerGroup, base.minInstancesPerGroup()),
                pick(service.minObservationsPerGroup, top.minObservationsPerGroup, base.minObservationsPerGroup()),
                pick(service.minSamplesPerGroup, top.minSamplesPerGroup, base.minSamplesPerGroup()),
                service.maxDetectableChangeSet ? service.maxDetectableChange
                        : top.maxDetectableChangeSet ? top.maxDetectableChange : base.maxDetectableChange(),
                pick(service.priorBetweenInstanceCv, top.priorBetweenInstanceCv, base.priorBetweenInstanceCv()));
        return stacked.withFrames(new FrameClassifier(
                pick(service.frames.applicationPackages(), top.frames.applicationPackages(),
                        base.frames().applicationPackages()),
                pick(service.frames.libraryPackages(), top.frames.libraryPackages(), base.frames().libraryPackages()),
                pick(service.frames.nativeLibraries(), top.frames.nativeLibraries(), base.frames().nativeLibraries())))
                .withNewPathConsistency(new NewPathConsistency(
                        pick(service.newPathMinPodFraction, top.newPathMinPodFraction,
                                base.newPathConsistency().minPodFraction()),
                        pick(service.newPathMinSliceFraction, top.newPathMinSliceFraction,
                                base.newPathConsistency().minSliceFraction()),
                        pick(service.newPathIntermittentRatio, top.newPathIntermittentRatio,
                                base.newPathConsistency().intermittentRatio()),
                        pick(service.newThreadMinBaselineWindows, top.newThreadMinBaselineWindows,
                                base.newPathConsistency().newThreadMinBaselineWindows())));
    }

    /** Frame-class keys a level sets ({@code applicationPackages}, {@code libraryPackages}, {@code nativeLibraries}); null = inherit. */
    record FrameOverrides(List<String> applicationPackages, List<String> libraryPackages,
                          Map<String, FrameClass> nativeLibraries) {
        static final FrameOverrides NONE = new FrameOverrides(null, null, null);
    }

    private static <T> T pick(T first, T second, T fallback) {
        return first != null ? first : second != null ? second : fallback;
    }

    /** Threshold fields a level sets; null = inherit. */
    record ThresholdOverrides(Double maxQValue, Double minRelativeChange, Double minAbsoluteChange,
                              Double candidateShare, Double negligibleShare, Double newHotPathShare) {
        static final ThresholdOverrides NONE = new ThresholdOverrides(null, null, null, null, null, null);

        Thresholds applyTo(Thresholds base) {
            return new Thresholds(
                    maxQValue != null ? maxQValue : base.maxQValue(),
                    minRelativeChange != null ? minRelativeChange : base.minRelativeChange(),
                    minAbsoluteChange != null ? minAbsoluteChange : base.minAbsoluteChange(),
                    candidateShare != null ? candidateShare : base.candidateShare(),
                    negligibleShare != null ? negligibleShare : base.negligibleShare(),
                    newHotPathShare != null ? newHotPathShare : base.newHotPathShare());
        }
    }

    /** A per-function rule as written: a regex and the threshold fields it overrides. */
    record RuleOverride(Pattern pattern, ThresholdOverrides thresholds) {
    }
}
