package io.canaryjudge.judge;

/**
 * How far one function's between-pod noise may lie from the typical function's when the current pods are too
 * few to show it: the largest prior degrees of freedom d₀ a between-pod fit may claim (on the log-variance
 * scale the prior's spread is trigamma(d₀/2)). With 2 degrees of freedom per function (2 + 2 or 3 + 1 pods) no
 * fit can see how much functions differ, so this bound decides.
 */
enum PriorWidth {
    /**
     * What real JVMs show, the judge's noise: d₀ ≤ 4 (log-variance spread ≥ trigamma(2) = 0.64, a function's
     * pod CV typically within ×0.67–1.5 of the median). Measured: fitted on the recorded shop's 18 baseline JVMs
     * (six sessions, about 17 degrees of freedom per function, so the fit sees the spread) d₀ = 4.2 for CPU;
     * the tuning simulator's per-function CVs (e^{±0.5}) imply 2.9. With it the largest functions' self tests
     * are still anti-conservative in the tail under A/A (p &lt; 0.001 in 0.3 % of tests, nominal 0.1 %),
     * docs/EVALUATION.md "Calibration under A/A". With one pod per side no function has data of its own and the
     * prior alone applies: always at this width, whatever width is asked for.
     */
    MEASURED(4, true),
    /**
     * DESeq2's floor (Love, Huber &amp; Anders 2014: prior variance of log dispersions ≥ 0.25, d₀ ≤ 8.9):
     * narrower than both the recordings and the simulator, so it under-estimates the noise of functions noisier
     * than the median. Never decides a FAIL; a rise that only this width finds significant makes a PASS
     * INCONCLUSIVE ("would FAIL if this function's noise were typical"). Without the outlier rule: with the
     * 2–4 degrees of freedom of 2–3 pods per side a function's spread lies above the rule's cut by chance
     * often enough (a pod that ran the changed path more than its siblings is one), and such a function is
     * exactly one whose noise these pods cannot show.
     */
    NARROW(2 * PriorFit.trigammaInverse(0.25), false);

    /** The largest d₀ a fit across functions may claim. */
    final double maxDf;
    /**
     * Whether a function whose own between-pod spread lies far above the rest ({@link PriorFit#OUTLIER_SDS})
     * keeps its own estimate rather than being moderated towards the prior.
     */
    final boolean outlierRule;

    PriorWidth(double maxDf, boolean outlierRule) {
        this.maxDf = maxDf;
        this.outlierRule = outlierRule;
    }
}
