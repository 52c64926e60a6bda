package io.canaryjudge.profile.source.pyroscope;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.FunctionTotals;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.SharedFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Real profiles for the Pyroscope source's tests, and how to compare what the source and the files give. */
final class PyroscopeTestData {
    private PyroscopeTestData() {
    }

    /** The four consecutive 10 s Kafka slices as Pyroscope itself converted them (gzipped pprof, cpu/nanoseconds). */
    static List<Path> kafkaSlices() {
        List<Path> slices = SharedFixtures.kafkaPprof();
        assertThat(slices).hasSize(4);
        return slices;
    }

    /**
     * A recorded pod of the repo's scenarios (async-profiler 4.2 recordings written as Pyroscope-style
     * pprof with cpu and the two TLAB allocation columns), e.g. {@code baselines/session-4/pod-1}.
     * They live in canary-judge's test resources; this module reads them from the source tree.
     */
    static Path scenarioPod(String relative) {
        Path pod = Path.of("..", "canary-judge", "src", "test", "resources", "scenarios").resolve(relative);
        if (!Files.isDirectory(pod)) {
            throw new IllegalStateException("recorded scenario pod " + pod.toAbsolutePath() + " is missing: run the "
                    + "tests from the profile-client module of a full checkout");
        }
        return pod;
    }

    static Profile read(Path file) {
        try {
            List<Profile> profiles = ProfileFiles.read(file, ReadOptions.defaults());
            assertThat(profiles).hasSize(1);
            return profiles.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new AssertionError("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Function name → {self, inclusive} of one profile type, functions with a value only. */
    static Map<String, List<Long>> functionTotals(Profile profile, ProfileType type) {
        FunctionTotals totals = profile.functionTotals(type);
        assertThat(totals).as("%s has a %s column", profile, type).isNotNull();
        Map<String, List<Long>> byName = new TreeMap<>();
        for (int f = 0; f < totals.functionCount(); f++) {
            if (totals.inclusive(f) != 0) {
                byName.put(totals.functionName(f), List.of(totals.self(f), totals.inclusive(f)));
            }
        }
        return byName;
    }

    /** The per-function totals of several profiles added up (what one merged profile of them must hold). */
    static Map<String, List<Long>> summed(List<Profile> profiles, ProfileType type) {
        Map<String, List<Long>> sum = new TreeMap<>();
        for (Profile profile : profiles) {
            functionTotals(profile, type).forEach((name, v) -> sum.merge(name, v,
                    (a, b) -> List.of(a.get(0) + b.get(0), a.get(1) + b.get(1))));
        }
        return sum;
    }
}
