package io.canaryjudge.heldout;

import io.canaryjudge.heldout.oracle.Calibration;
import io.canaryjudge.profile.ProfileType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The cases of one cell (one source, change and layout) and the figures the report gives for it.
 *
 * @param source  "simulated" or "recorded"
 * @param label   what was changed ("A/A", "CPU +20 % ...", a recorded scenario name)
 * @param layout  pods per side, e.g. "2v2"
 * @param type    the profile type the change is in (the oracle's), CPU for A/A
 * @param changed whether the canary differs from the baseline (false for A/A cells)
 * @param cases   every case's result
 */
public record Cell(String source, String label, String layout, ProfileType type, boolean changed,
                   List<CaseResult> cases) {

    public Cell {
        cases = List.copyOf(cases);
    }

    public Proportion judgeFail() {
        return count(c -> c.judge().failed());
    }

    public Proportion judgeFailOnCpu() {
        return count(c -> c.judge().failedOnCpu());
    }

    public Proportion judgeFailOnAllocation() {
        return count(c -> c.judge().failedOnAllocation());
    }

    public Proportion judgeInconclusive() {
        return count(c -> c.judge().result() == JudgeOutcome.Result.INCONCLUSIVE);
    }

    public Proportion judgeErrors() {
        return count(c -> c.judge().result() == JudgeOutcome.Result.ERROR);
    }

    /** Of the judge's FAILs, those naming the target first. */
    public Proportion judgeCulprit() {
        int fails = (int) cases.stream().filter(c -> c.judge().failed()).count();
        int named = (int) cases.stream().filter(CaseResult::judgeNamedTarget).count();
        return new Proportion(named, fails);
    }

    public Proportion oracleFail(Calibration calibration) {
        return count(c -> c.oracle().containsKey(type) && calibration.fails(c.oracle().get(type)));
    }

    /** Of the oracle's FAILs, those whose largest application-frame z is the target. */
    public Proportion oracleCulprit(Calibration calibration) {
        int fails = 0;
        int named = 0;
        for (CaseResult c : cases) {
            if (c.oracle().containsKey(type) && calibration.fails(c.oracle().get(type))) {
                fails++;
                if (c.target() != null && c.target().equals(c.oracle().get(type).applicationFunction())) {
                    named++;
                }
            }
        }
        return new Proportion(named, fails);
    }

    /** The culprits the judge named in its FAILs, most frequent first: "name ×count". */
    public String culpritsNamed(int top) {
        Map<String, Long> counts = new TreeMap<>(cases.stream().filter(c -> c.judge().failed())
                .collect(Collectors.groupingBy(c -> shortName(c.judge().culprit()), Collectors.counting())));
        return counts.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(top)
                .map(e -> "`" + e.getKey() + "` ×" + e.getValue()).collect(Collectors.joining(", "));
    }

    static String shortName(String function) {
        if (function == null) {
            return "(none)";
        }
        return function.replace("io.canaryjudge.heldout.search.", "…search.").replace("com.example.orders.", "…orders.");
    }

    private Proportion count(java.util.function.Predicate<CaseResult> event) {
        return new Proportion((int) cases.stream().filter(event).count(), cases.size());
    }
}
