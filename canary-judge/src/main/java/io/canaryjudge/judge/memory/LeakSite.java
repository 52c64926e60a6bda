package io.canaryjudge.judge.memory;

import io.canaryjudge.profile.ProfileType;
import java.util.List;

/**
 * Where the canary's extra live objects were allocated, from live-object profiles: the application
 * frame whose share of the live set rose the most ({@link LeakSites}).
 *
 * @param function      normalised name of the frame
 * @param callPath      hottest call path to it in the canary's live profiles, root first
 * @param profileType   {@code live_bytes}, or {@code live_objects} when the profiles hold counts only; {@code malloc_leak_bytes}
 *                      for native memory not freed ({@link LeakSites#findNative})
 * @param baselineShare the frame's inclusive share of the baseline's live set, 0..1
 * @param canaryShare   its share of the canary's live set, 0..1
 * @param risePerSecond live bytes per second the frame held in the canary's profiles beyond the most any one baseline
 *                      observation held (the canary pods' mean); NaN when the profiles have no duration or are not of
 *                      live bytes. A leak's site holds at least the retained bytes there (qa66)
 * @param oldObjects    where the recordings carry ages ({@code old_live_objects}): for a site named by object age
 *                      ({@link LeakSites#findOld}, the shares then of a recording's sampled live objects that are old) the
 *                      counts said; for a site named by live-object shares the ages did not confirm, what they showed
 *                      there; null otherwise
 * @param untold        for counts only ({@code live_objects}): when no frame's share stands out of the baseline pods'
 *                      spread ({@link LeakSites#MIN_COUNT_RISE}), the frames looked at, most standing out first, the
 *                      shares' site among them; {@code function} is then not to be named (qa78). Empty otherwise
 */
public record LeakSite(String function, List<String> callPath, ProfileType profileType, double baselineShare,
                       double canaryShare, double risePerSecond, OldObjects oldObjects, List<Candidate> untold) {
    public LeakSite {
        callPath = List.copyOf(callPath);
        untold = List.copyOf(untold);
    }

    /**
     * A frame whose share of the canary's sampled live objects rose above every baseline observation's, but not out of
     * the baseline pods' spread.
     *
     * @param function     normalised name of the frame
     * @param canaryShare  its share of the canary's live set (the canary pods' mean), 0..1
     * @param baselineLow  the least share one baseline pod gave it (its observations pooled), 0..1
     * @param baselineHigh the most, 0..1
     * @param noises       how many times the noise (the baseline pods' spread, never less than a recording's sampling
     *                     noise) the canary's share is above the baseline pods' mean
     */
    public record Candidate(String function, double canaryShare, double baselineLow, double baselineHigh, double noises) {
    }

    /** Whether the profiles tell the site: false when counts only and no frame stands out of the baseline's spread. */
    public boolean told() {
        return untold.isEmpty();
    }

    public LeakSite(String function, List<String> callPath, ProfileType profileType, double baselineShare,
                    double canaryShare, double risePerSecond, OldObjects oldObjects) {
        this(function, callPath, profileType, baselineShare, canaryShare, risePerSecond, oldObjects, List.of());
    }

    public LeakSite(String function, List<String> callPath, ProfileType profileType, double baselineShare,
                    double canaryShare, double risePerSecond) {
        this(function, callPath, profileType, baselineShare, canaryShare, risePerSecond, null);
    }

    public LeakSite(String function, List<String> callPath, ProfileType profileType, double baselineShare,
                    double canaryShare) {
        this(function, callPath, profileType, baselineShare, canaryShare, Double.NaN);
    }
}
