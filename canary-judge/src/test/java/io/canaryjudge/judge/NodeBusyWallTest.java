package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When Node's wall is judged as CPU ({@link NodeBusyWall}): recorded profiles only. The SDK's defaults (qa76, wall only)
 * make wall a fail-on type; the same SDK with CPU time (qa75) and a JVM's wall (qa38's JFR recordings, idle pool
 * threads included) leave the configuration as it was.
 */
class NodeBusyWallTest {
    private static final Path RESOURCES = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources");

    @Test
    void nodesWallWithoutCpuTimeIsAFailOnType() throws Exception {
        List<String> warnings = new ArrayList<>();
        JudgeConfig config = NodeBusyWall.apply(JudgeConfig.defaults(), observations("qa76/pods/b1", "wall-002.pb.gz",
                "heap-002.pb.gz"), observations("qa76/pods/w1", "wall-002.pb.gz"), warnings);

        assertThat(config.failOnTypes()).contains(ProfileType.WALL, ProfileType.CPU);
        assertThat(warnings).containsExactly(NodeBusyWall.NOTE);
    }

    @Test
    void withCpuTimeCpuDecides() throws Exception {
        List<String> warnings = new ArrayList<>();
        JudgeConfig defaults = JudgeConfig.defaults();
        JudgeConfig config = NodeBusyWall.apply(defaults, observations("qa75/pods/b1", "wall-005.pb.gz"),
                observations("qa75/pods/a1", "wall-005.pb.gz"), warnings);

        assertThat(config).isSameAs(defaults);
        assertThat(warnings).isEmpty();
    }

    @Test
    void aJvmsWallIsNotNodes() throws Exception {
        List<Observation> jvm = observations("qa38/idle-pool/b1", "slice-1.jfr.gz");
        for (Observation o : jvm) {
            assertThat(NodeBusyWall.node(o.profile())).isFalse();
        }
        JudgeConfig defaults = JudgeConfig.defaults().withJudgedTypes(java.util.EnumSet.of(ProfileType.WALL));
        assertThat(NodeBusyWall.apply(defaults, jvm, jvm, new ArrayList<>())).isSameAs(defaults);
    }

    @Test
    void anIdleFrameCarryingWallTimeKeepsWallReported() throws Exception {
        // qa76's SDK-default profiles with V8's GC pseudo-frame (a leaf carrying wall time) named (idle): what a
        // producer giving idle samples wall time would write. Its shares would move with load, so no Node rule.
        List<Observation> baseline = idleFromGc(observations("qa76/pods/b1", "wall-002.pb.gz", "wall-003.pb.gz"));
        List<Observation> canary = idleFromGc(observations("qa76/pods/w1", "wall-002.pb.gz", "wall-003.pb.gz"));
        for (Observation o : baseline) {
            assertThat(NodeBusyWall.idleWall(o.profile())).isTrue();
        }
        List<String> warnings = new ArrayList<>();
        JudgeConfig defaults = JudgeConfig.defaults();

        assertThat(NodeBusyWall.apply(defaults, baseline, canary, warnings)).isSameAs(defaults);
        assertThat(warnings).isEmpty();
    }

    @Test
    void anIdleFrameWithoutWallTimeIsTheMeasuredCase() throws Exception {
        // qa75's profiles (wall.collectCpuTime on) write :(idle) with 0 ns wall; without their CPU column they are
        // wall-only Node profiles whose idle samples carry nothing, the premise holding: the rule applies.
        List<Observation> baseline = withoutCpu(observations("qa75/pods/b1", "wall-005.pb.gz"));
        List<Observation> canary = withoutCpu(observations("qa75/pods/a1", "wall-005.pb.gz"));
        assertThat(baseline.get(0).profile().profileTypes()).doesNotContain(ProfileType.CPU);
        assertThat(NodeBusyWall.idleWall(baseline.get(0).profile())).isFalse();
        List<String> warnings = new ArrayList<>();

        assertThat(NodeBusyWall.apply(JudgeConfig.defaults(), baseline, canary, warnings).failOnTypes())
                .contains(ProfileType.WALL);
        assertThat(warnings).containsExactly(NodeBusyWall.NOTE);
    }

    @Test
    void aFailOnTypesSetByTheUserIsKept() throws Exception {
        List<String> warnings = new ArrayList<>();
        JudgeConfig chosen = JudgeConfig.defaults().withFailOnTypes(java.util.EnumSet.of(ProfileType.CPU));
        JudgeConfig config = NodeBusyWall.apply(chosen, observations("qa76/pods/b1", "wall-002.pb.gz"),
                observations("qa76/pods/w1", "wall-002.pb.gz"), warnings);

        assertThat(config).isSameAs(chosen);
        assertThat(warnings).isEmpty();
    }

    private static List<Observation> idleFromGc(List<Observation> observations) {
        List<Observation> out = new ArrayList<>();
        for (Observation o : observations) {
            Profile renamed = o.profile().withFunctionNames(n -> n.equals(":Garbage Collection") ? ":(idle)" : n);
            assertThat(renamed).isNotSameAs(o.profile());
            out.add(new Observation(o.instance(), renamed));
        }
        return out;
    }

    /**
     * The profiles with their wall and samples columns only, as a producer without CPU time writes them: rebuilt, not
     * {@code withoutType}, which records CPU as left out (CPU time collected, qa93).
     */
    private static List<Observation> withoutCpu(List<Observation> observations) {
        return observations.stream().map(o -> new Observation(o.instance(), wallOnly(o.profile()))).toList();
    }

    private static Profile wallOnly(Profile profile) {
        try {
            int wall = profile.sampleTypeIndex(ProfileType.WALL);
            io.canaryjudge.profile.ProfileBuilder builder = new io.canaryjudge.profile.ProfileBuilder(profile.source(),
                    profile.format(), List.of(profile.sampleTypes().get(wall)), 4096);
            int[] functions = new int[profile.functionCount()];
            for (int f = 0; f < functions.length; f++) {
                functions[f] = builder.function(profile.rawFunctionName(f));
            }
            for (int s = 0; s < profile.stackCount(); s++) {
                int depth = profile.stackDepth(s);
                int[] frames = new int[depth];
                for (int d = 0; d < depth; d++) {
                    frames[d] = functions[profile.stackFunction(s, d)];
                }
                int labels = profile.labels(s).isEmpty() ? 0 : builder.labelSet(profile.labels(s));
                builder.add(builder.stack(frames, depth, labels), 0, profile.value(s, wall));
            }
            builder.addSampleCount(0, profile.sampleCount(wall));
            builder.interval(profile.startEpochNanos(), profile.durationNanos());
            return builder.build();
        } catch (io.canaryjudge.profile.InvalidProfileException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The same profiles whose CPU column their source left out (Pyroscope keeps it as a series of its own, qa93): CPU
     * time was collected, so CPU decides and wall is reported, as for the files; the verdict says why.
     */
    @Test
    void aWallWhoseCpuTimeWasLeftOutLetsCpuDecide() throws Exception {
        List<Observation> baseline = observations("qa75/pods/b1", "wall-005.pb.gz").stream().map(o -> new Observation(
                o.instance(), o.profile().withoutType(ProfileType.CPU, "kept apart by the source"))).toList();
        List<Observation> canary = observations("qa75/pods/a1", "wall-005.pb.gz").stream().map(o -> new Observation(
                o.instance(), o.profile().withoutType(ProfileType.CPU, "kept apart by the source"))).toList();
        List<String> warnings = new ArrayList<>();
        JudgeConfig wallOnly = JudgeConfig.defaults().withJudgedTypes(java.util.EnumSet.of(ProfileType.WALL));

        assertThat(NodeBusyWall.apply(wallOnly, baseline, canary, warnings)).isSameAs(wallOnly);
        assertThat(warnings).containsExactly(NodeBusyWall.CPU_LEFT_OUT + "kept apart by the source");
    }

    private static List<Observation> observations(String dir, String... files) throws Exception {
        List<Observation> out = new ArrayList<>();
        for (String file : files) {
            for (Profile profile : ProfileFiles.read(RESOURCES.resolve(dir).resolve(file), ReadOptions.defaults())) {
                out.add(new Observation(dir, profile));
            }
        }
        return out;
    }
}
