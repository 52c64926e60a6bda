package io.canaryjudge.qa44;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every layout of the recorded qa44 pods through {@code compare --format json} (docs/EVALUATION.md "Memory outside the
 * heap from recordings (qa44)"): each canary against every 3 of the 5 stable pods (b1-b3, aa-1, aa-2), A/A each stable
 * pod against every 3 of the other 4. Leaks must fail naming only their area; A/A and the larger-but-flat pod must never
 * fail outside the heap. Prints one line per canary ({@code qa44-eval …}) on standard error.
 */
class RecordedNonHeapEvaluationTest {
    static final List<String> STABLE = List.of("b1", "b2", "b3", "aa-1", "aa-2");

    @Test
    void everyLayout() {
        check("leak-classes-1", "<metaspace>");
        check("leak-direct-1", "<direct-buffers>");
        check("leak-threads-1", "<threads>");
        check("bigger-nonheap-1", null);
        int cases = 0;
        int failing = 0;
        for (String canary : STABLE) {
            List<String> others = new ArrayList<>(STABLE);
            others.remove(canary);
            for (List<String> baseline : threeOf(others)) {
                cases++;
                List<String> areas = RecordedNonHeapCompareTest.failingAreas(
                        RecordedNonHeapCompareTest.compare(RecordedNonHeapCompareTest.PODS, baseline, List.of(canary)));
                failing += areas.isEmpty() ? 0 : 1;
            }
        }
        System.err.printf(Locale.ROOT, "qa44-eval A/A: %d cases, %d failing outside the heap%n", cases, failing);
        assertThat(failing).isZero();
    }

    private static void check(String canary, String area) {
        int cases = 0;
        int named = 0;
        int failing = 0;
        for (List<String> baseline : threeOf(STABLE)) {
            cases++;
            JsonNode verdict = RecordedNonHeapCompareTest.compare(RecordedNonHeapCompareTest.PODS, baseline,
                    List.of(canary));
            List<String> areas = RecordedNonHeapCompareTest.failingAreas(verdict);
            failing += areas.isEmpty() ? 0 : 1;
            named += area != null && areas.equals(List.of(area)) ? 1 : 0;
        }
        System.err.printf(Locale.ROOT, "qa44-eval %s: %d cases, %d failing outside the heap, %d naming only %s%n",
                canary, cases, failing, named, area);
        if (area == null) {
            assertThat(failing).as(canary).isZero();
        } else {
            assertThat(named).as(canary).isEqualTo(cases);
        }
    }

    /** Every 3 of {@code pods}, in order. */
    private static List<List<String>> threeOf(List<String> pods) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < pods.size(); i++) {
            for (int j = i + 1; j < pods.size(); j++) {
                for (int k = j + 1; k < pods.size(); k++) {
                    out.add(List.of(pods.get(i), pods.get(j), pods.get(k)));
                }
            }
        }
        return out;
    }
}
