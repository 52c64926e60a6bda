package io.canaryjudge.judge;

import io.canaryjudge.profile.NodeFunctionNames;
import io.canaryjudge.profile.NodeFunctionNames.NodeName;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Node's wall profile judged like CPU when it is all a Node service sends: pure, no I/O.
 *
 * <p>Pyroscope's Node SDK started as its README says ({@code init} + {@code start}, {@code collectCpuTime} off) uploads
 * a wall profile only, and {@code wall} is not a fail-on type (a JVM's wall time is every thread's, idle pools
 * included), so every such canary was INCONCLUSIVE whatever it did. {@code @datadog/pprof} samples Node's one
 * JavaScript thread, and a sample taken while the event loop waits carries no wall time (none is written at the SDK's
 * defaults; {@code :(idle)} with 0 ns when CPU time is collected): the wall column is the thread's busy time, its
 * shares those of the code that ran. Recorded (docs/EVALUATION.md "Node.js services under the SDK's defaults (qa76)"):
 * the application functions' wall shares are within 15 % of their CPU shares in the same processes (qa75's pods:
 * {@code priceOrder} 19.1 / 21.9 %, 10.1 / 10.9 %, 17.8 / 20.3 % of each), and a canary whose downstream answers 5 times slower
 * (its event loop waiting longer) keeps its wall shares. So when no profile of either group carries CPU time and every
 * wall profile is Node's, wall is a fail-on type for that verdict. With CPU time collected, CPU decides as before and
 * wall is reported, also where the profiles' source left that CPU time out of them ({@code Profile#leftOutTypes}: a
 * request naming wall alone of Pyroscope, which keeps the uploads' CPU column as a series of its own).
 *
 * <p>Its premise, idle samples carrying no wall time, is measured only for {@code @pyroscope/nodejs} 0.6.4 with
 * {@code @datadog/pprof} 5.14.4. A producer that gave {@code (idle)} (or {@code (program)}, V8's name that also covers
 * its idle loop) wall time would make every share move with load (a busier canary's code shares all rise), so a wall
 * profile with such a frame carrying wall time leaves the configuration as it was: wall reported, as for a JVM. Not
 * dropping those frames from the totals instead: that would be a second, unmeasured rule (what else such a producer
 * counts is unknown), and leaving wall report-only cannot raise a false FAIL. Only a {@code failOnTypes} left at its
 * default is widened: a user who set it chose what fails.
 */
final class NodeBusyWall {
    /** Said in dataQuality.warnings when it applies. */
    static final String NOTE = "wall judged as CPU is: these are Node's wall profiles without CPU time (Pyroscope's "
            + "Node SDK at its defaults), which sample the one JavaScript thread and give a sample taken while the "
            + "event loop waits no wall time (measured for @pyroscope/nodejs 0.6.4 with @datadog/pprof 5.14.4; no (idle) "
            + "frame carries wall time here), so wall time here is the thread's busy time (what its code ran, not "
            + "requests waiting on I/O); with wall.collectCpuTime on, CPU time decides and wall is reported; applied "
            + "only while failOnTypes is left at its default";

    /** Said in dataQuality.warnings when Node's wall comes with CPU time its source left out and cpu is not judged. */
    static final String CPU_LEFT_OUT = "wall reported, not judged as CPU is (Node's wall with CPU time collected: CPU"
            + " decides): ";

    private NodeBusyWall() {
    }

    /**
     * {@code config} with {@code wall} among its fail-on types when Node's wall is all the profiles hold, no idle frame
     * carries wall time and {@code failOnTypes} is the default's (above), and the note added to {@code warnings}; else
     * {@code config} itself. A {@code failOnTypes} set to exactly the default's counts as left at it.
     */
    static JudgeConfig apply(JudgeConfig config, List<Observation> baseline, List<Observation> canary,
                             List<String> warnings) {
        if (!config.judgedTypes().contains(ProfileType.WALL)
                || !config.failOnTypes().equals(JudgeConfig.defaults().failOnTypes())
                || baseline.isEmpty() || canary.isEmpty()) {
            return config;
        }
        boolean anyWall = false;
        for (List<Observation> group : List.of(baseline, canary)) {
            for (Observation o : group) {
                Set<ProfileType> types = o.profile().profileTypes();
                // CPU time collected: a column of the upload's file, or one its source did not read with the wall
                // (Pyroscope keeps it as a series of its own; a request naming wall alone fetches no cpu). Either way
                // CPU is the producer's measure of the code and wall is reported, in the service as in compare.
                if (types.contains(ProfileType.CPU)) {
                    return config;
                }
                String cpuLeftOut = o.profile().leftOutTypes().get(ProfileType.CPU);
                if (cpuLeftOut != null) {
                    if (!config.judgedTypes().contains(ProfileType.CPU)) {
                        // said, as nothing else names why wall cannot fail here (cpu not asked: no left-out warning)
                        warnings.add(CPU_LEFT_OUT + cpuLeftOut);
                    }
                    return config;
                }
                if (types.contains(ProfileType.WALL)) {
                    if (!node(o.profile()) || idleWall(o.profile())) {
                        return config;
                    }
                    anyWall = true;
                }
            }
        }
        if (!anyWall) {
            return config;
        }
        Set<ProfileType> failOn = EnumSet.copyOf(config.failOnTypes());
        failOn.add(ProfileType.WALL);
        warnings.add(NOTE);
        return config.withFailOnTypes(failOn);
    }

    /** Idle pseudo-frames: {@code @datadog/pprof}'s event loop waiting, V8's {@code (program)}. */
    private static final Set<String> IDLE = Set.of("(idle)", "(program)");

    /**
     * Whether a sample with an idle pseudo-frame ({@code :(idle)}, {@code :(program)}, no script) carries wall time in
     * {@code profile}: then wall is not the JavaScript thread's busy time. {@code @datadog/pprof} 5.14.4 writes
     * {@code :(idle)} with 0 ns wall (and its CPU time) when CPU time is collected, none at the SDK's defaults.
     */
    static boolean idleWall(Profile profile) {
        int wall = profile.sampleTypeIndex(ProfileType.WALL);
        if (wall < 0) {
            return false;
        }
        boolean[] idle = new boolean[profile.functionCount()];
        boolean any = false;
        for (int f = 0; f < idle.length; f++) {
            NodeName name = NodeFunctionNames.split(profile.functionName(f));
            idle[f] = name != null && name.file().isEmpty() && IDLE.contains(name.function());
            any |= idle[f];
        }
        if (!any) {
            return false;
        }
        for (int s = 0; s < profile.stackCount(); s++) {
            if (profile.value(s, wall) == 0) {
                continue;
            }
            for (int d = 0; d < profile.stackDepth(s); d++) {
                if (idle[profile.stackFunction(s, d)]) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether every function of {@code profile} is a Node frame name ({@link NodeFunctionNames}) or V8's WebAssembly, and
     * at least one has a script: a JVM's or Go's names never are ({@code java.lang.Thread.run}, {@code main.main}).
     */
    static boolean node(Profile profile) {
        boolean script = false;
        for (int f = 0; f < profile.functionCount(); f++) {
            String function = profile.functionName(f);
            if (function.startsWith("wasm://") || function.startsWith("wasm-to-js:")
                    || function.startsWith("js-to-wasm:")) {
                continue; // V8's WebAssembly (undici's HTTP parser): wasm://wasm/0002f80e:wasm-function[20], wasm-to-js:i:i
            }
            NodeName name = NodeFunctionNames.split(function);
            if (name == null) {
                return false;
            }
            script |= !name.file().isEmpty();
        }
        return script;
    }
}
