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
 * wall profile is Node's, wall is a fail-on type for that verdict, if CPU is one. With CPU time collected, CPU decides
 * as before and wall is reported.
 */
final class NodeBusyWall {
    /** Said in dataQuality.warnings when it applies. */
    static final String NOTE = "wall judged as CPU is: these are Node's wall profiles without CPU time (Pyroscope's "
            + "Node SDK at its defaults), which sample the one JavaScript thread and give a sample taken while the "
            + "event loop waits no wall time, so wall time here is the thread's busy time (what its code ran, not "
            + "requests waiting on I/O); with wall.collectCpuTime on, CPU time decides and wall is reported";

    private NodeBusyWall() {
    }

    /**
     * {@code config} with {@code wall} among its fail-on types when Node's wall is all the profiles hold (above), and
     * the note added to {@code warnings}; else {@code config} itself.
     */
    static JudgeConfig apply(JudgeConfig config, List<Observation> baseline, List<Observation> canary,
                             List<String> warnings) {
        if (!config.judgedTypes().contains(ProfileType.WALL) || config.failOnTypes().contains(ProfileType.WALL)
                || !config.failOnTypes().contains(ProfileType.CPU) || baseline.isEmpty() || canary.isEmpty()) {
            return config;
        }
        boolean anyWall = false;
        for (List<Observation> group : List.of(baseline, canary)) {
            for (Observation o : group) {
                Set<ProfileType> types = o.profile().profileTypes();
                if (types.contains(ProfileType.CPU)) {
                    return config;
                }
                if (types.contains(ProfileType.WALL)) {
                    if (!node(o.profile())) {
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
