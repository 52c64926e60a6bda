package io.canaryjudge.judge;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Measure;
import java.util.ArrayList;
import java.util.List;

/** Package-private judge facts the evaluation (another test package) needs. */
public final class JudgeTestAccess {
    private JudgeTestAccess() {
    }

    /** Switches qa55's walk of work moved along a framework's stacks on (the product) or off, for before/after figures. */
    public static void movedAlongStacks(boolean on) {
        MovedTimeCheck.alongStacks = on;
    }

    /** Whether the judge takes a function for the service's own JVM code by default ({@link FrameClass#APPLICATION}). */
    public static boolean applicationCode(String function) {
        return FrameClassifier.defaults().classify(function).application();
    }

    /** Whether the judge reports a function apart from code by default (JVM, operating-system or profiler work). */
    public static boolean jvmInternal(String function) {
        return FrameClassifier.defaults().classify(function).reportedApart();
    }

    /**
     * One function test of a verdict, as the judge ran it (calibration diagnosis, docs/EVALUATION.md).
     *
     * @param self         self measure (else inclusive)
     * @param baseline     baseline group mean share
     * @param canary       canary group mean share
     * @param p            two-sided p-value
     * @param q            weighted BH q-value over the verdict's function tests
     * @param podVariance  self tests: τ̃², the moderated relative pod variance beyond sampling; NaN for inclusive
     * @param podDf        self tests: its degrees of freedom
     * @param ownVariance  self tests: a variance outlier kept its own estimate
     * @param logSd        self tests: the standard deviation of log(canary / baseline) the test used
     * @param source       where the self noise came from
     * @param priorCv      √τ₀², the fitted prior between-pod CV
     * @param priorDf      d₀ of that prior
     */
    public record TestRow(String function, boolean self, double baseline, double canary, double p, double q,
                          double podVariance, double podDf, boolean ownVariance, double logSd, String source,
                          double priorCv, double priorDf) {
    }

    /** Every function test the judge runs for one type, with its q-value and, for self tests, its noise. */
    public static List<TestRow> tests(ProfileType type, List<Observation> baseline, List<Observation> canary,
                                      List<Observation> history, JudgeConfig config) {
        return tests(type, baseline, canary, history, LearnedNoise.empty(), config);
    }

    /** As {@link #tests(ProfileType, List, List, List, JudgeConfig)}, with noise learned from earlier verdicts. */
    public static List<TestRow> tests(ProfileType type, List<Observation> baseline, List<Observation> canary,
                                      List<Observation> history, LearnedNoise learned, JudgeConfig config) {
        TypeContext context = TypeContext.build(type, baseline, canary, history, new ArrayList<>());
        TypeAnalysis analysis = new TypeAnalysis(context, config, learned);
        List<FunctionTest> tests = analysis.run();
        double[] q = Judge.qValues(tests, config);
        NoiseModel noise = analysis.selfNoise();
        MeasureData data = analysis.selfData();
        int selfCount = data.candidates.length;
        double ab = 1.0 / data.pb();
        double ac = 1.0 / data.pc();
        List<TestRow> rows = new ArrayList<>();
        for (int i = 0; i < tests.size(); i++) {
            FunctionTest t = tests.get(i);
            if (t.measure() == Measure.TOTAL_PER_REQUEST) {
                continue;
            }
            boolean self = t.measure() == Measure.SELF;
            double tau2 = Double.NaN;
            double df = Double.NaN;
            boolean own = false;
            double sd = Double.NaN;
            if (self && i < selfCount) {
                tau2 = noise.podVariance[i];
                df = noise.podDf[i];
                own = noise.ownPodVariance[i];
                double mb = t.baseline();
                double mc = t.canary();
                if (mb > 0 && mc > 0) {
                    sd = Math.sqrt(Math.max(tau2 * (ab + ac) + noise.phi[i]
                            * (data.samplingFactor(0) / mb + data.samplingFactor(1) / mc), 0));
                }
            }
            rows.add(new TestRow(t.function(), self, t.baseline(), t.canary(), t.pValue(), q[i], tau2, df, own, sd,
                    String.valueOf(noise.source),
                    Math.sqrt(noise.podPrior.level()), noise.podPrior.df()));
        }
        return rows;
    }

    /**
     * The prior fitted across one type's functions from these pods without any bound on its degrees of freedom:
     * {level √τ₀², d₀}. With many pods per function (≥ 10) the fit sees how much functions' pod noise differs;
     * what {@link PriorWidth#MEASURED} rests on (docs/EVALUATION.md, "How much functions' noise differs").
     */
    public static double[] unboundedPodPrior(ProfileType type, List<Observation> baseline, List<Observation> canary) {
        TypeContext context = TypeContext.build(type, baseline, canary, List.of(), new ArrayList<>());
        TypeAnalysis analysis = new TypeAnalysis(context, JudgeConfig.defaults(), LearnedNoise.empty(),
                Double.POSITIVE_INFINITY, true);
        analysis.run();
        NoiseModel noise = analysis.selfNoise();
        return new double[] {Math.sqrt(noise.podPrior.level()), noise.podPrior.df()};
    }

    /** {@link PriorWidth#MEASURED}'s bound on d₀. */
    public static double measuredPriorWidth() {
        return PriorWidth.MEASURED.maxDf;
    }

    /** {@link PriorWidth#NARROW}'s bound on d₀. */
    public static double narrowPriorWidth() {
        return PriorWidth.NARROW.maxDf;
    }
}
