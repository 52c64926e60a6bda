package io.canaryjudge.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.judge.JudgeTestAccess;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.ProfileType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * How much functions' between-JVM noise differs on real JVMs, which {@code PriorWidth.MEASURED} rests on: the
 * prior fitted across functions without a bound, from the recorded shop's 18 baseline JVMs (six sessions of
 * three; about 17 degrees of freedom per function, enough for the fit to see the spread) against the A/A canary.
 * A d₀ at or below the measured width's bound says real functions differ at least that much; DESeq2's floor
 * (d₀ 8.9, the judge's former bound) says they differ less than they do. Each session alone (2 degrees of freedom
 * per function) shows why a bound is needed at all: its fitted d₀ scatters from session to session.
 * <pre>
 * nice mvn -B -q -pl canary-judge -am test -Dtest=PriorWidthOnRecordingsTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class PriorWidthOnRecordingsTest {
    private static final int SESSIONS = 6;

    @Test
    void realJvmsFunctionsDifferAtLeastAsMuchAsTheMeasuredWidthAllows() throws IOException {
        Path root = ScenarioFolders.scenarios();
        List<Observation> all = new ArrayList<>();
        List<List<Observation>> sessions = new ArrayList<>();
        for (int session = 1; session <= SESSIONS; session++) {
            List<Observation> one = RecordedScenariosTest.observations("session-" + session,
                    ScenarioSummary.Side.read(root.resolve(Scenario.baselineFolder(session))));
            sessions.add(one);
            all.addAll(one);
        }
        List<Observation> canary = RecordedScenariosTest.observations("aa", ScenarioSummary.Side.read(root.resolve("aa").resolve("canary")));
        double[] pooled = JudgeTestAccess.unboundedPodPrior(ProfileType.CPU, all, canary);
        StringBuilder perSession = new StringBuilder();
        double lowest = Double.POSITIVE_INFINITY;
        double highest = 0;
        for (List<Observation> session : sessions) {
            double d0 = JudgeTestAccess.unboundedPodPrior(ProfileType.CPU, session, canary)[1];
            perSession.append(String.format(Locale.ROOT, " %.1f", d0));
            lowest = Math.min(lowest, d0);
            highest = Math.max(highest, d0);
        }
        System.out.printf(Locale.ROOT, "prior width, cpu: 18 JVMs d0 = %.1f (pod CV %.3f); each session alone:%s%n",
                pooled[1], pooled[0], perSession);
        assertThat(pooled[1]).as("d0 fitted on 18 JVMs").isGreaterThan(1).isLessThan(JudgeTestAccess.narrowPriorWidth());
        assertThat(Math.abs(pooled[1] - JudgeTestAccess.measuredPriorWidth())).as("measured width's bound near the fit")
                .isLessThan(1);
        // Two degrees of freedom per function cannot show the spread: the sessions' fits scatter widely.
        assertThat(highest / lowest).as("per-session d0:" + perSession).isGreaterThan(3);
    }
}
