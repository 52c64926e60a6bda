package io.canaryjudge.judge.memory;

/**
 * What a leak site's old objects were (named by object age, {@link LeakSites#findOld}, or by shares the ages do not
 * confirm), per recording of the JDK's old-object samples.
 *
 * @param canaryOld       sampled live objects allocated under the site at least {@code ageMinutes} before their
 *                        recording was written, mean per canary recording
 * @param canarySampled   sampled live objects of any age, mean per canary recording
 * @param baselineOld     the most such old objects one baseline recording held there (in share of its samples)
 * @param baselineSampled that recording's sampled live objects
 * @param baselineSpread  the spread of the baseline pods' old objects there, in samples of a canary recording
 * @param ageMinutes      the age from which an object counts as old, minutes
 * @param beyondNoise     whether the canary's rise there is beyond {@link LeakSites#MIN_OLD_RISE} times the noise (the
 *                        site is named by age); false for the site the shares name, to say the ages do not confirm it
 */
public record OldObjects(double canaryOld, double canarySampled, double baselineOld, double baselineSampled,
                         double baselineSpread, int ageMinutes, boolean beyondNoise) {
}
