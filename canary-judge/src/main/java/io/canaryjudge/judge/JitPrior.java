package io.canaryjudge.judge;

import io.canaryjudge.profile.GoFunctionNames;
import io.canaryjudge.verdict.Measure;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * A prior for how far JIT decisions move a JDK or library frame's share between JVMs of the same build, for a verdict
 * whose data cannot show it: fewer than {@link #MIN_BASELINE_JVMS} JVMs of the baseline version (baseline pods and history
 * of other JVMs together; earlier windows of a baseline pod's own JVM share its compiled code and do not count).
 *
 * <p>C2's inlining, escape analysis and intrinsics depend on what each JVM saw first, so a JDK or library frame
 * (and the forwarding frames of the classes the JDK generates for lambdas) can hold a share in one JVM several times
 * its share in another, or none: an allocation escape analysis removed in one JVM and kept in another, a frame
 * inlined into its caller. Measured on 14 JVMs of one build that differed only in their first 4 s of traffic
 * (qa45, {@code bench/qa45-spread.py}, docs/EVALUATION.md "JIT decisions between JVMs (qa45)"): the between-JVM CV
 * of JDK frames' self shares at ≥ 0.05 % of the profile, over the median CV of the profile's Java functions, is about
 * 1 at the median, 2.6 (CPU) to 5.0 (allocated bytes) at the 90th percentile and 3.2 to 8.0 at the 95th; the
 * application's own allocating frames vary by a CV of at most 0.05, JDK frames up to 1.04
 * ({@code BigDecimal.getValueString}) and 0.23 ({@code Long.toString} under {@code BigDecimal.toPlainString}: 0.35 %
 * of allocated bytes in some JVMs, 0.65 % in others, 16 times the typical CV). A scaled inverse-χ² prior with the
 * fitted typical level as its median and {@link #DF} degree of freedom holds that tail.
 *
 * <p>Such a frame's test is then also made against this prior, and its p-value is the larger of the two: never
 * narrower than the judge's own noise. Application frames keep theirs, so a change in the application's code, or a
 * JDK cost the application drives (twice the map lookups), still fails at the application frame whose inclusive
 * share rose.
 */
final class JitPrior {
    /** Baseline-version JVMs from which each function's own between-JVM spread is learned rather than assumed. */
    static final int MIN_BASELINE_JVMS = 3;
    /**
     * Prior degrees of freedom, 1: a CV more than 16 times the typical one in 3.4 % of frames (measured: 2 of 50 JDK
     * frames on allocated bytes), a 95th/50th percentile ratio of 10.8 (measured 3.2 on CPU, 5–8 on allocated bytes).
     * 1.5 (ratio 5.2) left {@code Long.toString}, ×16 the typical CV, failing one JVM against another in 4 of 15 pairs.
     */
    static final double DF = 1;
    /**
     * Of the JDK frames at ≥ 0.05 % of the pooled profile, the fraction that is absent (no sample) in some JVMs and
     * present in others: 1 of 50 on allocated bytes (170,000 samples a JVM, so not sampling), {@code
     * BigDecimal.getValueString} 0 → 0.29 %, absent in 7 of 14 JVMs ({@link #ABSENT_WHEN_FLIPPING}).
     */
    static final double FLIPPING_FRAMES = 0.02;
    /** How often a frame that flips is absent in one JVM: 7 of 14. */
    static final double ABSENT_WHEN_FLIPPING = 0.5;
    /**
     * The largest share of the profile a JDK or library frame absent from one JVM held in another: 1.5 % of CPU
     * ({@code StringConcatHelper.mix} with its callees), 0.3 % of allocated bytes ({@code BigDecimal.getValueString}). A larger frame absent from every
     * baseline JVM is no JIT decision measured here (a canary whose new map fills hold 34 % of allocated bytes in
     * {@code HashMap.newNode} must still fail at the application method that fills it), so only the generated
     * classes' frames, which hold nothing of their own, are excused above it.
     */
    static final double MAX_ABSENT_SHARE = 0.02;

    /** med(χ²_DF) / DF: the prior's scale for a median variance equal to the fitted typical level. */
    private static final double SCALE = new ChiSquaredDistribution(null, DF).inverseCumulativeProbability(0.5) / DF;

    private JitPrior() {
    }

    /**
     * Whether {@code units} hold fewer baseline-version JVMs than can show how JIT decisions differ between JVMs.
     */
    static boolean applies(Units units) {
        return units.baselineVersionJvms() < MIN_BASELINE_JVMS;
    }

    /**
     * Whether a frame's compiled form is the JIT's decision rather than the application's code: the Java platform,
     * a well-known library, or a class the JDK generates at run time (a lambda's {@code $$Lambda} class, a method
     * handle's {@code LambdaForm$}), whose frames only forward to the code they wrap and hold samples only where
     * the JIT attributed inlined code to them.
     */
    static boolean covers(FrameClass frameClass, String function) {
        if (GoFunctionNames.importPath(function) != null) {
            return false; // Go is compiled ahead of time: every process runs the same machine code
        }
        return frameClass == FrameClass.JDK || frameClass == FrameClass.LIBRARY || generated(function);
    }

    /**
     * Whether a frame is Node's or an npm package's JavaScript, which V8 compiles in each process on its own: covered
     * whatever the number of baseline processes, since three of them did not show V8's spread (qa75, docs/EVALUATION.md
     * "Node.js services (qa75)": four processes of one build, {@code node:internal/process/task_queues:nextTick} at
     * 0.18, 0.23, 0.27 and 0.91 % of CPU, between-process CV 0.86; the service's own request callback, whose callees
     * V8 inlined into it in one process, at 0.7-1.3 % of wall time in three and 11.8 % in the fourth). The
     * service's own frames keep their noise, as a JVM's do: a slower application function still fails there.
     */
    static boolean v8(String function) {
        return NodeFrames.split(function) != null;
    }

    /** A frame of a class the JDK generates at run time: a lambda's {@code $$Lambda} class, a {@code LambdaForm$}. */
    static boolean generated(String function) {
        return function.contains("$$Lambda") || function.contains("LambdaForm$");
    }

    /**
     * The prior as one measure's tests use it.
     *
     * @param covered      per candidate: a frame the prior applies to ({@link #covers})
     * @param generated    per candidate: a frame of a class the JDK generates ({@link #generated})
     * @param podScale     the prior's scale for pod variance ({@link #scale})
     * @param baselineJvms baseline-version JVMs in the data
     * @param canaryJvms   canary JVMs in the data
     */
    record Use(boolean[] covered, boolean[] generated, double podScale, int baselineJvms, int canaryJvms) {
        /** The JVMs of the group a frame is absent from (0 baseline, 1 canary). */
        int jvms(int group) {
            return group == TypedObservation.BASELINE ? baselineJvms : canaryJvms;
        }

        /**
         * The least p-value of candidate {@code c} absent from one group and at {@code level} (share) in the other:
         * {@link #absence} where a JIT decision could have removed it, else 0. The size cap is on a frame's own cost:
         * a subtree absent as a whole is judged through the self tests of the frames that hold it (a
         * {@code Optional.ifPresent} whose 7-16 % of CPU is a generated lambda frame's is excused with that frame;
         * a {@code HashMap.put} whose bytes are {@code HashMap.newNode}'s 34 % is failed by it).
         */
        double absenceFloor(int c, double level, int absentGroup, Measure measure) {
            boolean jitSized = generated[c] || measure == Measure.INCLUSIVE || level <= MAX_ABSENT_SHARE;
            return covered[c] && jitSized ? absence(jvms(absentGroup)) : 0;
        }
    }

    /** What the noise source says when the prior applied. */
    static String describe(int baselineJvms) {
        return "JDK, library and generated lambda frames also tested against a prior of how JIT decisions (inlining, "
                + "escape analysis) move such frames between JVMs of one build, since " + baselineJvms
                + " baseline JVM(s) cannot show it (other pods of the baseline version as history would)";
    }

    /** What the prior's use says when it covers Node's frames only ({@link #v8}). */
    static String describeV8() {
        return "Node's and npm packages' frames also tested against a prior of how V8's JIT decisions (inlining) move "
                + "such frames between processes of one build, which a few baseline processes do not show";
    }

    /** The prior's scale for pod variance: a median of {@code typicalPodVariance} (τ₀², squared CV). */
    static double scale(double typicalPodVariance) {
        return typicalPodVariance * SCALE;
    }

    /**
     * p-value of a frame with samples in one group and none in the other, when the group without it ran in
     * {@code jvms} JVMs: how often JIT decisions alone leave a JDK frame absent from that many JVMs.
     */
    static double absence(int jvms) {
        return FLIPPING_FRAMES * Math.pow(ABSENT_WHEN_FLIPPING, Math.max(jvms, 1));
    }
}
