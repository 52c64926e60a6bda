package io.canaryjudge.qa51;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.judge.FrameClassifier;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.judge.memory.LeakSite;
import io.canaryjudge.judge.memory.LeakSites;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The site a growing {@code <native>} area names ({@link LeakSites#findNative}) on the qa48 pods' recorded
 * {@code malloc_leak_bytes} minutes: a leaking canary's allocating method, and none for a canary without a leak, whose
 * few application samples (a GC notification, a deoptimisation below a request: one 64 KiB sample is 5 to 10 % of a
 * minute) must not be named as where its native memory goes when its resident size grows for another reason.
 */
class NativeSiteFloorTest {
    static final Path PODS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa48/pods");
    static final List<String> STABLE = List.of("b1", "b2", "b3", "aa-1");

    private static List<Observation> read(String pod) throws Exception {
        List<Observation> observations = new ArrayList<>();
        List<Path> minutes;
        try (Stream<Path> files = Files.list(PODS.resolve(pod))) {
            minutes = files.sorted().toList();
        }
        for (Path minute : minutes) {
            if (Files.size(minute) == 0) {
                continue;
            }
            for (Profile profile : ProfileFiles.read(minute,
                    ReadOptions.defaults().withCollapsedType(ProfileType.MALLOC_LEAK_BYTES))) {
                observations.add(new Observation(pod, profile, null));
            }
        }
        return observations;
    }

    private static LeakSite site(String canary) throws Exception {
        List<Observation> baseline = new ArrayList<>();
        for (String pod : STABLE) {
            if (!pod.equals(canary)) {
                baseline.addAll(read(pod));
            }
        }
        return LeakSites.findNative(baseline, read(canary), FrameClassifier.defaults());
    }

    @Test
    void aLeakingCanaryNamesItsMethodAndOneWithoutALeakNamesNone() throws Exception {
        assertThat(site("leak-native-1").function()).isEqualTo("io.canaryjudge.memory.app.NonHeapLeaks.nativeBlock");
        assertThat(site("leak-inflater-1").function()).isEqualTo("io.canaryjudge.memory.app.NonHeapLeaks.keptInflater");
        for (String canary : List.of("b1", "b2", "b3", "aa-1", "churn-native-1")) {
            assertThat(site(canary)).as(canary).isNull();
        }
    }
}
