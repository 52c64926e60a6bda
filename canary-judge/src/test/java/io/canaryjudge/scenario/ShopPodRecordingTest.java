package io.canaryjudge.scenario;

import io.canaryjudge.profile.FunctionTotals;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.scenario.shop.ShopVariant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records one tiny pod live, in its own JVM with the real profiler (itimer, which needs no
 * perf_events), and checks what the recording driver relies on: the slice files and
 * {@code requests.csv} are written, the project's readers understand them, the workload's
 * functions are in them, and the pprof re-encoding holds the same samples as the JFR original.
 */
class ShopPodRecordingTest {
    private static final String SHOP = "io.canaryjudge.scenario.shop.";

    @TempDir
    static Path dir;
    static Path pod;

    @BeforeAll
    static void recordOnePod() throws Exception {
        pod = dir.resolve("pod-1");
        PodOptions options = new PodOptions(pod, ShopVariant.baseline().withAuditSnapshots(true), 1, 1000, 2, 1000,
                "itimer", 4_000_000, 512 * 1024, 7, true, 1000);
        PodProcess.start(options, dir.resolve("pod.log")).await();
    }

    @Test
    void requestsCsvHasOneRowPerSliceFile() throws Exception {
        PodFolder folder = PodFolder.read(pod);

        assertThat(folder.slices()).extracting(p -> p.getFileName().toString())
                .containsExactly("slice-1.pb.gz", "slice-2.pb.gz");
        assertThat(folder.requests().keySet()).containsExactly("slice-1.pb.gz", "slice-2.pb.gz");
        assertThat(folder.requests().values()).allSatisfy(requests -> assertThat(requests).isPositive());
        for (Path slice : folder.slices()) {
            assertThat(Files.size(slice)).isPositive();
        }
    }

    @Test
    void slicesHoldTheWorkloadsFunctions() throws Exception {
        Map<String, Long> cpu = new HashMap<>();
        Map<String, Long> alloc = new HashMap<>();
        for (Path slice : PodFolder.read(pod).slices()) {
            List<Profile> profiles = ProfileFiles.read(slice, ReadOptions.defaults());
            assertThat(profiles).hasSize(1);
            Profile profile = profiles.get(0);
            assertThat(profile.format()).isEqualTo(ProfileFormat.PPROF);
            assertThat(profile.profileTypes()).contains(ProfileType.CPU, ProfileType.ALLOC_BYTES);
            assertThat(profile.durationNanos()).isBetween(900_000_000L, 1_500_000_000L);
            addInclusive(cpu, profile.functionTotals(ProfileType.CPU));
            addInclusive(alloc, profile.functionTotals(ProfileType.ALLOC_BYTES));
        }

        assertThat(cpu).containsKeys(SHOP + "ShopRequestHandler.handle", SHOP + "PriceCalculator.applyDiscounts",
                SHOP + "OrderHasher.fingerprint", SHOP + "OrderSerializer.toJson", SHOP + "AuditTrail.serializeSnapshot");
        assertThat(alloc).containsKeys(SHOP + "OrderSerializer.toJson", SHOP + "OrderFeed.next");
        assertThat(cpu).doesNotContainKey(SHOP + "PriceCalculator.doesNotExist");
    }

    @Test
    void pprofSliceHoldsTheSamplesOfItsJfrOriginal() throws Exception {
        for (int k = 1; k <= 2; k++) {
            Profile pprof = ProfileFiles.read(pod.resolve("slice-" + k + ".pb.gz"), ReadOptions.defaults()).get(0);
            Profile jfr = ProfileFiles.read(pod.resolve("jfr/slice-" + k + ".jfr.gz"), ReadOptions.defaults()).get(0);
            assertThat(jfr.format()).isEqualTo(ProfileFormat.JFR);

            for (ProfileType type : List.of(ProfileType.CPU, ProfileType.ALLOC_BYTES)) {
                Map<String, Long> fromPprof = self(pprof.functionTotals(type));
                Map<String, Long> fromJfr = self(jfr.functionTotals(type));
                assertThat(fromPprof).as("%s self values of slice %d", type, k).isEqualTo(fromJfr);
                assertThat(fromPprof).isNotEmpty();
            }
        }
    }

    private static void addInclusive(Map<String, Long> into, FunctionTotals totals) {
        for (int f = 0; f < totals.functionCount(); f++) {
            if (totals.inclusive(f) > 0) {
                into.merge(totals.functionName(f), totals.inclusive(f), Long::sum);
            }
        }
    }

    private static Map<String, Long> self(FunctionTotals totals) {
        Map<String, Long> self = new HashMap<>();
        for (int f = 0; f < totals.functionCount(); f++) {
            if (totals.self(f) > 0) {
                self.merge(totals.functionName(f), totals.self(f), Long::sum);
            }
        }
        return self;
    }
}
