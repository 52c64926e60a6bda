package io.canaryjudge.heldout;

import io.canaryjudge.judge.Judge;
import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.judge.LearnedNoise;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.Verdict;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The one place the held-out evaluation calls the judge: {@link Judge} at
 * {@link JudgeConfig#defaults()}, with history. When the judge's API changes, only this class
 * changes. What the evaluation reads from a verdict: the result, the culprit (the first failing
 * incident's entry frame; the first failing finding's function while the judge names no
 * incidents) and which profile types failing findings are in.
 */
public final class JudgeAdapter {
    private JudgeAdapter() {
    }

    /** Judges at default settings; a judge exception becomes an outcome with {@code error} set. */
    public static JudgeOutcome judge(List<Observation> baseline, List<Observation> canary, List<Observation> history) {
        return judge(baseline, canary, history, LearnedNoise.empty());
    }

    /** What an earlier analysis's baseline teaches of each function's noise, added to {@code learned}. */
    public static LearnedNoise learn(List<Observation> baseline, List<Observation> canary, List<Observation> history,
                                     LearnedNoise learned) {
        return learned.plus(new Judge().judge(baseline, canary, history, learned, config()).taught());
    }

    /** As {@link #judge(List, List, List)}, with each function's noise also learned from earlier analyses. */
    public static JudgeOutcome judge(List<Observation> baseline, List<Observation> canary, List<Observation> history,
                                     LearnedNoise learned) {
        Verdict verdict;
        try {
            verdict = new Judge().judge(baseline, canary, history, learned, config()).verdict();
        } catch (RuntimeException e) {
            return new JudgeOutcome(JudgeOutcome.Result.ERROR, null, null, Set.of(), e.toString());
        }
        Set<ProfileType> failingTypes = EnumSet.noneOf(ProfileType.class);
        String culprit = null;
        ProfileType culpritType = null;
        for (Incident incident : verdict.incidents()) {
            if (incident.failing()) {
                failingTypes.add(incident.profileType());
                if (culprit == null) {
                    culprit = incident.entryFrame();
                    culpritType = incident.profileType();
                }
            }
        }
        for (Finding finding : verdict.findings()) {
            if (finding.failing()) {
                failingTypes.add(finding.profileType());
                if (culprit == null) {
                    culprit = finding.function();
                    culpritType = finding.profileType();
                }
            }
        }
        JudgeOutcome.Result result = switch (verdict.result()) {
            case PASS -> JudgeOutcome.Result.PASS;
            case FAIL -> JudgeOutcome.Result.FAIL;
            case INCONCLUSIVE -> JudgeOutcome.Result.INCONCLUSIVE;
        };
        return new JudgeOutcome(result, culprit, culpritType, failingTypes, verdict.summary());
    }

    /** The commit of the judge measured: {@code git rev-parse --short HEAD} of the working tree, or "unknown". */
    public static String judgeCommit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            String dirty = "";
            Process status = new ProcessBuilder("git", "status", "--porcelain", "--", "canary-judge/src/main",
                    "profile-client/src/main").redirectErrorStream(true).start();
            if (!new String(status.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
                dirty = " (with uncommitted changes to the judge)";
            }
            return git.waitFor() == 0 ? out + dirty : "unknown";
        } catch (java.io.IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** The defaults; {@code -Dheldout.minObservations=1} judges one profile per pod (docs/EVALUATION.md). */
    static JudgeConfig config() {
        JudgeConfig defaults = JudgeConfig.defaults();
        Integer observations = Integer.getInteger("heldout.minObservations");
        return observations == null ? defaults : defaults.withMinimums(defaults.minInstancesPerGroup(), observations,
                defaults.minSamplesPerGroup());
    }
}
