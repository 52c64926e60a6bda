package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ReadOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a canary that keeps its JIT busy compiles again and again, named from the JDK's JIT events its recordings carry
 * (qa73). Recorded {@code io.canaryjudge.qa45.RoutingPod} JVMs under async-profiler with {@code jfrsync} enabling
 * {@code jdk.Compilation}, {@code jdk.Deoptimization} and {@code jdk.ClassDefine} (src/test/resources/qa73, README
 * there), each one 4 min recording read in 10 s slices: warm baseline pods {@code b1}, {@code b2}, a warm A/A canary
 * {@code aa}, and canaries recorded from their JVM's start: {@code young} (unchanged), {@code deopt} (a
 * {@code MutableCallSite} re-pointed per request), {@code classes} (a hidden class spun per request). The canaries'
 * slices from 180 s on are the ones the JIT rule ({@link CompilingCanaryWarmUp}) judges "still compiling".
 */
class RecompiledCodeTest {
    static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa73");

    private static List<Profile> slices(String pod) throws Exception {
        return ProfileFiles.read(RECORDINGS.resolve(pod + ".jfr.gz"), ReadOptions.defaults().withSlice(Duration.ofSeconds(10)));
    }

    private static List<Observation> baseline() throws Exception {
        List<Observation> baseline = new ArrayList<>();
        for (String pod : List.of("b1", "b2")) {
            slices(pod).forEach(p -> baseline.add(new Observation(pod, p)));
        }
        return baseline;
    }

    /** The canary pod's slices starting 180 s or more after its first, one observation each. */
    private static List<List<Observation>> busySlices(String pod) throws Exception {
        List<Profile> slices = slices(pod);
        long first = slices.get(0).startEpochNanos();
        List<List<Observation>> busy = new ArrayList<>();
        for (Profile p : slices) {
            if (p.startEpochNanos() - first >= CompilingCanaryWarmUp.LONGEST_WARM_UP_NANOS) {
                busy.add(List.of(new Observation(pod, p)));
            }
        }
        assertThat(busy).hasSizeGreaterThanOrEqualTo(CompilingCanaryWarmUp.SUSTAINED_MIN_SLICES);
        return busy;
    }

    private static String summary(String pod, RecompiledCode.Evidence evidence) {
        return Summaries.sustainedCompiling(List.of(
                new CompilingCanaryWarmUp.SustainedCompiling(pod, 0.75, 0.05, 180, 6, evidence)));
    }

    /**
     * The deoptimisation loop: C2 compiled the request path (the handler, the hook whose call site moves, the method
     * handle's form) hundreds of times in its last minute; "a long warm-up or code deoptimised …; a later window tells
     * them apart" becomes a sentence naming them.
     */
    @Test
    void aDeoptimisationLoopIsNamedByTheMethodsC2CompiledAgainAndAgain() throws Exception {
        RecompiledCode.Evidence evidence = RecompiledCode.of(busySlices("deopt"), baseline());

        assertThat(evidence.carried()).isTrue();
        assertThat(evidence.repeated()).extracting(RecompiledCode.Repeated::name).startsWith(
                "io.canaryjudge.qa45.RoutingPod$Gateway.handle", "io.canaryjudge.qa45.RoutingPod$FeeHook.apply");
        assertThat(evidence.repeated().get(0).count()).isGreaterThan(400);
        assertThat(summary("deopt", evidence))
                .contains("still compiling at the window's end, 3 min after its first slice, and the same code again and"
                        + " again there (the JDK's JIT events): `io.canaryjudge.qa45.RoutingPod$Gateway.handle` compiled 469"
                        + " times (469 by C2, 15 not installed, 460 a minute; the baseline pods: 0.4), ")
                .contains("not a warm-up, which compiles a method a few times")
                .doesNotContain("a later window tells them apart");
    }

    /**
     * The JDK's generated method-handle code is left out: its names pool many generated methods once their suffixes are
     * stripped (under load a warm pod compiled {@code DirectMethodHandle$Holder.invokeStatic} 7 times from 150 s, qa73
     * rec1). In {@code deopt} C2 compiled {@code LambdaForm$MH.invoke} hundreds of times from 180 s; the methods of the
     * code that changed are named instead.
     */
    @Test
    void theJdksGeneratedMethodHandleCodeIsNotNamed() throws Exception {
        List<List<Observation>> busy = busySlices("deopt");
        long lambdaForms = 0;
        for (List<Observation> slice : busy) {
            for (var c : slice.get(0).profile().jitEvents().compilations()) {
                lambdaForms += c.name().equals("java.lang.invoke.LambdaForm$MH.invoke") ? c.count() : 0;
            }
        }
        assertThat(lambdaForms).isGreaterThan(RecompiledCode.MIN_REPEATS * 10);

        RecompiledCode.Evidence evidence = RecompiledCode.of(busy, baseline());

        assertThat(evidence.repeated()).isNotEmpty().allSatisfy(r -> assertThat(r.name()).doesNotStartWith("java.lang.invoke."));
        assertThat(RecompiledCode.generatedByTheJdk("java.lang.invoke.DirectMethodHandle$Holder.invokeStatic")).isTrue();
        assertThat(RecompiledCode.generatedByTheJdk("java.lang.invoke.Invokers$Holder.linkToTargetMethod")).isTrue();
        assertThat(RecompiledCode.generatedByTheJdk("java.lang.invoke.LambdaForm$MH")).isTrue();
        assertThat(RecompiledCode.generatedByTheJdk("java.lang.invoke.MutableCallSite.setTarget")).isFalse();
        assertThat(RecompiledCode.generatedByTheJdk("io.canaryjudge.qa45.RoutingPod$Spinner$$Lambda.applyAsLong")).isFalse();
    }

    /** Classes spun per request: JDK 17 posts no jdk.ClassDefine for hidden classes, but their method is compiled once each. */
    @Test
    void classesMadePerRequestAreNamedByTheirMethodCompiledOncePerClass() throws Exception {
        RecompiledCode.Evidence evidence = RecompiledCode.of(busySlices("classes"), baseline());

        assertThat(evidence.repeated()).extracting(RecompiledCode.Repeated::name)
                .containsExactly("io.canaryjudge.qa45.RoutingPod$Spinner$$Lambda.applyAsLong");
        assertThat(summary("classes", evidence))
                .contains("`io.canaryjudge.qa45.RoutingPod$Spinner$$Lambda.applyAsLong` compiled 1205 times");
    }

    /**
     * The unchanged canaries name nothing: the young JVM compiled each method at most once from 180 s on, as did the warm
     * A/A pod; the summary says the events show nothing repeated and keeps "a later window tells them apart".
     */
    @Test
    void unchangedCanariesNameNothing() throws Exception {
        for (String pod : List.of("young", "aa")) {
            RecompiledCode.Evidence evidence = RecompiledCode.of(busySlices(pod), baseline());

            assertThat(evidence.carried()).as(pod).isTrue();
            assertThat(evidence.repeated()).as(pod).isEmpty();
            assertThat(summary(pod, evidence)).as(pod)
                    .contains("its JIT events show no method compiled or deoptimised, nor class defined, 10 times or more"
                            + " there; a later window tells them apart")
                    .doesNotContain("again and again");
        }
    }

    /** Profiles without the events (pprof, Pyroscope, JFR without them) keep the words they had. */
    @Test
    void withoutTheEventsTheSummaryIsAsBefore() {
        assertThat(summary("p", RecompiledCode.Evidence.NONE)).isEqualTo("canary pod `p`'s JIT compiler took 75.0 % of its"
                + " CPU from 180 s after its first slice to the window's end (6 slices; the baseline pods: 5.0 %): still"
                + " compiling at the window's end, 3 min after its first slice — a long warm-up (an unchanged JVM at a light"
                + " load compiled for 4-5 min) or code deoptimised or made while the pod serves (a call site re-pointed,"
                + " classes or scripts made per request), which keeps the JIT busy and the code slower; a later window"
                + " tells them apart (JIT work FAILs only with failOnJvmInternal)");
    }
}
