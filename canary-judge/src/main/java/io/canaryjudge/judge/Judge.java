package io.canaryjudge.judge;

import io.canaryjudge.verdict.Verdict;
import java.util.List;

/**
 * Compares baseline and canary observations and returns a verdict. A deterministic function of
 * its arguments: no I/O, no clock, no Spring. The verdict's id is left null for the caller to assign.
 */
public final class Judge {

    public Verdict judge(List<Observation> baseline, List<Observation> canary, JudgeConfig config) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
