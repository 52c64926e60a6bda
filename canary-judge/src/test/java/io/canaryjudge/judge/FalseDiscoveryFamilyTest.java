package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Measure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which tests the Benjamini–Hochberg family that decides a FAIL counts as discoveries. */
class FalseDiscoveryFamilyTest {
    private final JudgeConfig config = JudgeConfig.defaults();

    /** A self test of an application function pooled at 1 % of CPU (every test the same FDR weight). */
    private static FunctionTest test(String name, double difference, double p) {
        return new FunctionTest(ProfileType.CPU, "com.shop." + name, Measure.SELF, 0.01 - difference / 2,
                0.01 + difference / 2, 1, p,
                difference - 0.001, difference + 0.001, Thresholds.DEFAULTS);
    }

    /** 100 tests: 20 functions that fell (p = 1e-10), one rise at p = 4e-4, the rest nothing. */
    private static List<FunctionTest> family(FunctionTest rise) {
        List<FunctionTest> tests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tests.add(test("Merger.step" + i, -0.005, 1e-10));
        }
        tests.add(rise);
        for (int i = 0; i < 79; i++) {
            tests.add(test("Service.op" + i, 0.0001, 0.5));
        }
        return tests;
    }

    @Test
    void functionsThatFellDoNotLowerTheBarForARise() {
        // Counted as discoveries, the 20 falls would rank the rise 21st: q = 4e-4 × 100 / 21 = 0.0019, a FAIL at
        // maxQValue 0.01. Only a rise can fail the canary, so among rises it is first: q = 4e-4 × 100 = 0.04.
        FunctionTest rise = test("Pricing.apply", 0.004, 4e-4);
        List<FunctionTest> tests = family(rise);
        double[] q = Judge.qValues(tests, config);

        assertThat(q[20]).isCloseTo(0.04, org.assertj.core.data.Offset.offset(1e-9));
        // The falls keep their two-sided q-values (reported, never failing).
        assertThat(q[0]).isLessThan(1e-8);
    }

    @Test
    void testsExplainedAwayLeaveTheFamilyAndKeepTheirQValues() {
        // Two rises the rules explained (background work, JVM work reported apart) and one the family decides.
        List<FunctionTest> tests = new ArrayList<>();
        tests.add(test("index.Merger.merge", 0.02, 1e-12));
        tests.add(test("index.Merger.mergeTerms", 0.01, 1e-11));
        FunctionTest rise = test("Pricing.apply", 0.004, 2e-4);
        tests.add(rise);
        for (int i = 0; i < 97; i++) {
            tests.add(test("Service.op" + i, 0.0001, 0.5));
        }
        double[] first = Judge.qValues(tests, config);
        // With the two explained rises in the family the third ranks 3rd: 2e-4 × 100 / 3 ≈ 0.0067.
        assertThat(first[2]).isCloseTo(2e-4 * 100 / 3, org.assertj.core.data.Offset.offset(1e-9));

        Set<FunctionTest> explained = Collections.newSetFromMap(new IdentityHashMap<>());
        explained.add(tests.get(0));
        explained.add(tests.get(1));
        double[] again = Judge.qValues(tests, config, explained, first);
        // Without them, 98 tests and the rise first: 2e-4 × 98 = 0.0196, no longer under 0.01.
        assertThat(again[2]).isCloseTo(2e-4 * 98, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(again[0]).isEqualTo(first[0]);
        assertThat(again[1]).isEqualTo(first[1]);
    }
}
