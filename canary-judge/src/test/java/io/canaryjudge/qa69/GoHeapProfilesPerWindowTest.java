package io.canaryjudge.qa69;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import io.canaryjudge.profile.GoHeapProfiles;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Go's heap profiles saved once a minute from one process each (src/test/resources/qa69/alloc, bench/go-pod
 * {@code -heap-every-slice}: what {@code /debug/pprof/heap} answers): {@code alloc_space} since the process started.
 * Judged as they were, each slice held every earlier one: bytes per request read up to 3x what a request allocates (the
 * fifth minute's file counted five minutes' allocations against one minute's requests), and slices that contain each
 * other looked alike, so an unchanged canary's noise was learned from near-copies.
 */
class GoHeapProfilesPerWindowTest {
    static final Path PODS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa69/alloc");
    private static final List<String> BASELINE = List.of("b1", "b2", "b3");
    private static final Pattern PER_REQUEST = Pattern.compile("allocated bytes per request: baseline ([0-9.]+) KiB");
    private static final Pattern FUNCTION_PER_REQUEST =
            Pattern.compile("([0-9.]+) KiB → ([0-9.]+) KiB of allocated bytes per request");

    /** The canary's per-request buffer is 6 KiB instead of 2 KiB (main.encodeReply): named, with its real sizes. */
    @Test
    void aThreeTimesLargerBufferFailsNamedWithWhatEachRequestAllocates() {
        JsonNode verdict = CompareJson.of(PODS, BASELINE, List.of("a1", "a2"), List.of(), "--profile-type",
                "alloc_bytes");

        assertThat(verdict.path("result").asString()).as(verdict.path("summary").asString()).isEqualTo("FAIL");
        JsonNode lead = verdict.path("incidents").get(0);
        assertThat(lead.path("entryFrame").asString()).isEqualTo("main.encodeReply");
        Matcher sizes = FUNCTION_PER_REQUEST.matcher(lead.path("summary").asString());
        assertThat(sizes.find()).as(lead.path("summary").asString()).isTrue();
        // 2,048 and 6,144 bytes a request, sampled every 512 KiB by Go's runtime
        assertThat(Double.parseDouble(sizes.group(1))).isCloseTo(2.0, within(0.3));
        assertThat(Double.parseDouble(sizes.group(2))).isCloseTo(6.0, within(0.6));
    }

    /** An unchanged Go canary: not failed, each window judged, and the verdict says the first file gave none. */
    @Test
    void anUnchangedGoCanaryIsJudgedPerWindowAndSaysSo() {
        JsonNode verdict = CompareJson.of(PODS, BASELINE, List.of("b4"), List.of(), "--profile-type", "alloc_bytes");

        assertThat(verdict.path("result").asString()).as(verdict.path("summary").asString()).isNotEqualTo("FAIL");
        List<String> warnings = new ArrayList<>();
        verdict.path("dataQuality").path("warnings").forEach(w -> warnings.add(w.asString()));
        assertThat(warnings).contains("alloc_bytes not judged in 4 of 20 profile(s): Go's heap profiles hold allocations"
                + " since the process started (alloc_space): each later one less the one before it is judged, this one"
                + " gives live objects only");
        List<String> notes = new ArrayList<>();
        verdict.path("dataQuality").path("types").forEach(t -> t.path("notes").forEach(n -> notes.add(n.asString())));
        Matcher perRequest = notes.stream().map(PER_REQUEST::matcher).filter(Matcher::find).findFirst().orElseThrow();
        // what one request allocates (JSON decoding, a gzip writer every 20th request, the 2 KiB reply), not the
        // process's allocations up to each file over one minute's requests
        assertThat(Double.parseDouble(perRequest.group(1))).isBetween(30.0, 60.0);
    }

    /**
     * Each later profile becomes its minute's allocations; profiles that are already one window each (Pyroscope's Go
     * SDK sends such differences, godeltaprof) do not contain each other and are left alone.
     */
    @Test
    void onlyProfilesHoldingTheirPredecessorAreDifferenced() throws Exception {
        List<Profile> cumulative = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            cumulative.add(ProfileFiles.read(PODS.resolve("b1/heap-0" + i + ".pb.gz"), ReadOptions.defaults()).get(0));
        }
        GoHeapProfiles.Windows windows = GoHeapProfiles.perWindow(cumulative);

        assertThat(windows.differenced()).isEqualTo(4);
        assertThat(windows.profiles().get(0).profileTypes()).doesNotContain(ProfileType.ALLOC_BYTES)
                .contains(ProfileType.LIVE_BYTES);
        for (int i = 1; i < 5; i++) {
            Profile window = windows.profiles().get(i);
            long bytes = total(window, ProfileType.ALLOC_BYTES);
            assertThat(bytes).isCloseTo(total(cumulative.get(i), ProfileType.ALLOC_BYTES)
                    - total(cumulative.get(i - 1), ProfileType.ALLOC_BYTES), within(bytes / 50));
            assertThat(window.durationNanos() / 1e9).as("written a minute apart").isCloseTo(60, within(2.0));
            assertThat(total(window, ProfileType.LIVE_BYTES)).isEqualTo(total(cumulative.get(i), ProfileType.LIVE_BYTES));
        }
        GoHeapProfiles.Windows again = GoHeapProfiles.perWindow(windows.profiles().subList(1, 5));
        assertThat(again.differenced()).isZero();
        assertThat(again.profiles()).isEqualTo(windows.profiles().subList(1, 5));
    }

    /**
     * Per-window profiles (what godeltaprof sends: {@code alloc_*} of the interval, {@code inuse_*} as of the last
     * collection) built from every pod's cumulative files: at constant load a window's sites can hold more than the
     * previous window's, at a load twice the previous window's they nearly always do. They must stay as they are: only
     * a cumulative profile holds no site with more live than allocated (its live objects are its allocations less those
     * freed), while a window's live objects include those allocated before it.
     */
    @Test
    void perWindowProfilesAreNotDifferencedAtConstantOrDoubledLoad() throws Exception {
        for (String pod : List.of("a1", "a2", "b1", "b2", "b3", "b4")) {
            List<Profile> cumulative = cumulative(pod);
            GoHeapProfiles.Windows windows = GoHeapProfiles.perWindow(cumulative);
            assertThat(windows.differenced()).as(pod + ": the cumulative files are differenced").isEqualTo(4);

            List<Profile> constant = windows.profiles().subList(1, 5);
            assertThat(GoHeapProfiles.perWindow(constant).differenced()).as(pod + ": minute windows").isZero();

            // minute 1, then minutes 2-3 as one window: twice the allocations of the window before
            Profile first = windows.profiles().get(1);
            Profile doubled = GoHeapProfiles.perWindow(List.of(cumulative.get(1), cumulative.get(3))).profiles().get(1);
            assertThat(total(doubled, ProfileType.ALLOC_BYTES)).isGreaterThan(total(first, ProfileType.ALLOC_BYTES));
            GoHeapProfiles.Windows rising = GoHeapProfiles.perWindow(List.of(first, doubled));
            assertThat(rising.differenced()).as(pod + ": a doubled window after a minute").isZero();
            assertThat(rising.profiles()).containsExactly(first, doubled);
        }
    }

    private static List<Profile> cumulative(String pod) throws Exception {
        List<Profile> profiles = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            profiles.add(ProfileFiles.read(PODS.resolve(pod + "/heap-0" + i + ".pb.gz"), ReadOptions.defaults()).get(0));
        }
        return profiles;
    }

    private static long total(Profile profile, ProfileType type) {
        return profile.total(profile.sampleTypeIndex(type));
    }
}
