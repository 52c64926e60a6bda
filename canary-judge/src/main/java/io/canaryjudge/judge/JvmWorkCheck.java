package io.canaryjudge.judge;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Measure;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An application function's inclusive rise that JVM work below it carries — allocation slow paths,
 * GC barriers, interpreter and JIT stubs, safepoints — is the JVM's, not the function's code: a young or
 * busier JVM. Without this, doubling the JVM's own frames raised {@code KafkaRequestHandler.run}'s
 * inclusive share from 33 % to 40 % in every simulated case and named it the culprit, ahead of the
 * function that really regressed beneath it (docs/EVALUATION.md "Tuning simulator", row "JVM rise"). So a failing inclusive rise
 * whose stacks ending in application code rose by less than half of it is reported as JVM work, not
 * failed (unless {@code failOnJvmInternal}). Not in wall-clock and lock profiles, nor native allocation profiles
 * ({@link #waiting}).
 */
final class JvmWorkCheck {
    /** The share of an inclusive rise the function's application stacks must carry for it to count. */
    static final double APPLICATION_CARRIES = 0.5;

    private JvmWorkCheck() {
    }

    static void apply(List<FindingDraft> drafts, Map<ProfileType, TypeContext> contexts, JudgeConfig config) {
        if (config.failOnJvmInternal()) {
            return;
        }
        for (FindingDraft d : drafts) {
            if (waiting(d.test.type())) {
                continue;
            }
            if (d.failing && d.increase() && d.test.measure() == Measure.TOTAL_PER_REQUEST) {
                carriedPerRequest(d, contexts.get(d.test.type()));
                continue;
            }
            if (!d.increase() || d.jvmInternal || d.test.measure() != Measure.INCLUSIVE
                    || d.test.function().equals(Judge.TOTAL)) {
                continue;
            }
            TypeContext context = contexts.get(d.test.type());
            double[] application = context.analysis.applicationInclusiveGroupMeans(
                    context.functionIds.get(d.test.function()));
            double rise = d.test.difference();
            double applicationRise = application[1] - application[0];
            d.applicationSeverity = Math.abs(applicationRise) * d.test.scale();
            if (d.failing && applicationRise < APPLICATION_CARRIES * rise) {
                d.failing = false;
                d.jvmInternal = true;
                d.caveat = String.format(Locale.ROOT, "Not counted as a regression: JVM work below it carries the "
                        + "rise (its stacks that end in application code went %s → %s of the total) — allocation "
                        + "slow paths, GC, JIT or interpreter frames of a busier or younger JVM, not its code.",
                        Summaries.share(application[0]), Summaries.share(application[1]));
            }
        }
    }

    /**
     * Wall-clock and lock profiles: below an application method, JVM and operating-system frames are where it waits
     * ({@code Thread.sleep} → {@code JVM_Sleep} → a futex, a park, a contended monitor's {@code ObjectMonitor::EnterI}),
     * so they are its cost, not a busier JVM's work (which runs on the JVM's own threads). Recorded: a 3 ms back-off
     * added to every other request, a new hot path of 2.5 % of wall time (0.69 threads on average), was "JVM work
     * below it carries the rise" and could not FAIL with wall in failOnTypes (docs/EVALUATION.md "Canaries that block").
     */
    static boolean waiting(ProfileType type) {
        // Native allocation profiles likewise: below the application method is the malloc it asked for
        // (Unsafe_AllocateMemory0 -> os::malloc, Inflater's inflateInit2_), in every stack (recorded, qa48: a leaking
        // Unsafe.allocateMemory call's new hot path was "JVM work" and could not FAIL).
        return type == ProfileType.WALL || TypeContext.eventDriven(type) || type.nativeAllocation();
    }

    /**
     * A rise of the cost per request in which the code's own cost per request rose less than half as much, relatively,
     * as the total is JVM work: young canary JVMs compiling (C2 frames 0.1 → 2 % of CPU, CPU per request +16 % with
     * code's cost per request unchanged) or a GC busier for reasons of its own. Reported as such, not failed, like a
     * function's rise the JVM carries. Relative, not the code's part of the rise: where GC or other JVM work holds
     * most of the CPU, a canary doing 50 % more work per request (its code and the GC its allocations cause alike)
     * has its code carry under half of the rise, and was passed as JVM work.
     */
    private static void carriedPerRequest(FindingDraft d, TypeContext context) {
        double[] code = TotalPerRequestTest.groupMeans(context.observations, context.units, context.analysis::codeValue);
        double codeRise = code[1] - code[0];
        double totalRelative = d.test.baseline() > 0 ? d.test.difference() / d.test.baseline() : Double.POSITIVE_INFINITY;
        double codeRelative = code[0] > 0 ? codeRise / code[0] : codeRise > 0 ? Double.POSITIVE_INFINITY : 0;
        if (codeRelative < APPLICATION_CARRIES * totalRelative) {
            d.failing = false;
            d.jvmInternal = true;
            d.caveat = String.format(Locale.ROOT, "Not counted as a regression: JVM work carries the rise — the cost "
                    + "per request of stacks that end in code went %s → %s (%s) — JIT compilation, GC or other JVM "
                    + "frames of a younger or busier JVM, not its code.",
                    Summaries.amount(code[0], context.unit), Summaries.amount(code[1], context.unit),
                    code[0] > 0 ? String.format(Locale.ROOT, "%+.0f %%", 100 * codeRise / code[0]) : "new");
        }
    }
}
