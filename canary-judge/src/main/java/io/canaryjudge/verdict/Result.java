package io.canaryjudge.verdict;

/** The answer a rollout acts on. */
public enum Result {
    /** No credible, material regression in any judged profile type. */
    PASS,
    /** At least one credible, material regression or new hot path. */
    FAIL,
    /** Not enough data to judge: too few observations or samples, an empty group, or (when asked) too little power. */
    INCONCLUSIVE
}
