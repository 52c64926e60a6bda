package io.canaryjudge.profile.source.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.profile.source.LabelMatcher;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.ProfileSource;
import io.canaryjudge.profile.source.ProfileSourceException;
import io.canaryjudge.profile.source.SliceProfile;
import io.canaryjudge.profile.source.SourceInstance;
import io.canaryjudge.profile.source.TimeWindow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Schedulers;

/** The local directory source on the shipped example (real async-profiler recordings) and on broken copies. */
class LocalDirectorySourceTest {
    private static final Path EXAMPLES = examples();
    private static final String BASELINE_HASH = "6d4f8c7b9";
    private static final String CANARY_HASH = "7f9b6c5d4";
    /** A window far from when the example files were recorded. */
    private static final TimeWindow NOW = new TimeWindow(Instant.parse("2031-01-01T10:00:00Z"),
            Instant.parse("2031-01-01T10:10:00Z"));

    @TempDir
    Path temp;

    private static LocalDirectorySource source(Path root, boolean matchWindows) {
        return new LocalDirectorySource(root, matchWindows, "pod", ReadOptions.defaults(), Schedulers.boundedElastic());
    }

    private static ProfileSelector shop(String hash) {
        return new ProfileSelector("shop", List.of(new LabelMatcher("rollouts_pod_template_hash", hash)));
    }

    @Test
    void labelMatchersPickTheExamplePodsOfEachGroup() {
        LocalDirectorySource source = source(EXAMPLES, false);

        assertThat(names(source.instances(shop(BASELINE_HASH), ProfileType.CPU, NOW).block()))
                .containsExactly("shop-6d4f8c7b9-k2x7p", "shop-6d4f8c7b9-w5n3j");
        assertThat(names(source.instances(shop(CANARY_HASH), ProfileType.CPU, NOW).block()))
                .containsExactly("shop-7f9b6c5d4-m4q8z", "shop-7f9b6c5d4-r9t2w");
        assertThat(source.instances(new ProfileSelector("shop", List.of()), ProfileType.ALLOC_BYTES, NOW).block())
                .hasSize(4);
        assertThat(source.instances(shop("0000000"), ProfileType.CPU, NOW).block()).isEmpty();
        assertThat(source.instances(new ProfileSelector("no-such-app", List.of()), ProfileType.CPU, NOW).block())
                .isEmpty();
        // The pod label defaults to the directory name and can be matched like any other.
        assertThat(names(source.instances(new ProfileSelector("shop",
                List.of(new LabelMatcher("pod", "shop-7f9b6c5d4-r9t2w"))), ProfileType.CPU, NOW).block()))
                .containsExactly("shop-7f9b6c5d4-r9t2w");
        // Wall-clock profiles were not recorded: no pod has them.
        assertThat(source.instances(shop(CANARY_HASH), ProfileType.WALL, NOW).block()).isEmpty();
    }

    @Test
    void withoutWindowMatchingEveryFileIsASliceWithItsRequestCount() {
        LocalDirectorySource source = source(EXAMPLES, false);
        SourceInstance pod = new SourceInstance("shop-6d4f8c7b9-k2x7p", null);

        List<SliceProfile> slices = source.profiles(shop(BASELINE_HASH), pod, ProfileType.CPU, NOW.split(Duration.ofMinutes(1)))
                .collectList().block();

        assertThat(slices).hasSize(5).allSatisfy(slice -> {
            assertThat(slice.instance()).isEqualTo("shop-6d4f8c7b9-k2x7p");
            assertThat(slice.requests()).isPositive();
            assertThat(slice.truncated()).isFalse();
            // The files carry their own time: each slice is reported with it, not with the window asked for.
            assertThat(NOW.contains(slice.window().start())).isFalse();
        });
        assertThat(slices.get(0).requests()).isEqualTo(515612L);
        assertThat(source.timeAware()).isFalse();
        assertThat(source.notes()).singleElement().asString().contains("window is not applied");
        assertThat(source.skipped(shop(BASELINE_HASH), pod).block()).isEmpty();
    }

    @Test
    void matchingWindowsUsesTheFilesOwnTimestamps() {
        LocalDirectorySource source = source(EXAMPLES, true);
        assertThat(source.instances(shop(CANARY_HASH), ProfileType.CPU, NOW).block())
                .as("no example file was recorded in 2031").isEmpty();

        Instant recorded = firstFileStart();
        TimeWindow around = new TimeWindow(recorded.minusSeconds(60), recorded.plusSeconds(600));
        List<SourceInstance> canary = source.instances(shop(CANARY_HASH), ProfileType.CPU, around).block();
        assertThat(canary).hasSize(2).allSatisfy(i -> assertThat(i.firstSeen()).isNotNull());

        SourceInstance pod = canary.get(0);
        List<TimeWindow> slices = around.split(Duration.ofSeconds(60));
        List<SliceProfile> all = source.profiles(shop(CANARY_HASH), pod, ProfileType.CPU, slices).collectList().block();
        assertThat(all).hasSize(5).allSatisfy(s -> assertThat(around.contains(s.window().start())).isTrue());
        assertThat(all.stream().map(s -> s.window().start()).min(Comparator.naturalOrder()).orElseThrow())
                .isEqualTo(pod.firstSeen());

        // Only the slices asked for: a window starting after the pod's third file leaves fewer.
        Instant third = all.stream().map(s -> s.window().start()).sorted().toList().get(2);
        List<TimeWindow> later = List.of(new TimeWindow(third, third.plusSeconds(600)));
        assertThat(source.profiles(shop(CANARY_HASH), pod, ProfileType.CPU, later).collectList().block()).hasSize(3);
    }

    @Test
    void aPodsHeapCsvIsItsHeapAfterGcNotASkippedFile() throws IOException {
        Path withHeap = copyPod("shop-6d4f8c7b9-k2x7p", temp.resolve("shop/pod-a"));
        Files.writeString(withHeap.resolve("heap.csv"), "# jvm_start_ms=1764583100000\ntimestamp_ms,heap_after_gc_bytes\n"
                + "1764583160000,83886080\n1764583220000,84213760\n");
        Path badHeap = copyPod("shop-6d4f8c7b9-w5n3j", temp.resolve("shop/pod-b"));
        Files.writeString(badHeap.resolve("heap.csv"), "timestamp_ms,heap_after_gc_bytes\n1764583160000,eighty\n");
        copyPod("shop-7f9b6c5d4-m4q8z", temp.resolve("shop/pod-c"));
        LocalDirectorySource source = source(temp, false);
        ProfileSelector selector = new ProfileSelector("shop", List.of());

        Map<String, HeapSeries> heap = source.heap(selector).block();

        // pod-b's bad heap.csv costs its heap (said why), pod-c has none (pprof holds no heap)
        assertThat(heap).containsOnlyKeys("pod-a");
        assertThat(heap.get("pod-a").jvmStartMillis()).isEqualTo(1764583100000L);
        assertThat(heap.get("pod-a").heapAfterGcBytes()).containsExactly(83886080, 84213760);
        assertThat(source.skipped(selector, new SourceInstance("pod-a", null)).block()).isEmpty();
        assertThat(source.skipped(selector, new SourceInstance("pod-b", null)).block()).singleElement()
                .asString().contains("heap.csv line 2").contains("the pod's heap after GC is not used");
    }

    @Test
    void filesThatAreNotProfilesOrAreCorruptAreSkippedAndListed() throws IOException {
        Path pod = copyPod("shop-6d4f8c7b9-k2x7p", temp.resolve("shop/pod-a"));
        Files.writeString(pod.resolve("notes.txt"), "these are notes, not a profile\n");
        byte[] good = Files.readAllBytes(pod.resolve("slice-1.pb.gz"));
        Files.write(pod.resolve("slice-9.pb.gz"), java.util.Arrays.copyOf(good, good.length / 2));
        Files.writeString(pod.resolve("requests.csv"), Files.readString(pod.resolve("requests.csv")));
        LocalDirectorySource source = source(temp, false);
        ProfileSelector selector = new ProfileSelector("shop", List.of());
        SourceInstance instance = new SourceInstance("pod-a", null);

        List<String> skipped = source.skipped(selector, instance).block();
        List<SliceProfile> slices = source.profiles(selector, instance, ProfileType.CPU, NOW.split(Duration.ofMinutes(10)))
                .collectList().block();

        assertThat(skipped).hasSize(2);
        assertThat(skipped).anySatisfy(s -> assertThat(s).contains("notes.txt").contains("not a profile"));
        assertThat(skipped).anySatisfy(s -> assertThat(s).contains("slice-9.pb.gz").contains("gzip"));
        assertThat(slices).hasSize(5);
        assertThat(skipped).noneMatch(s -> s.contains("labels.properties") || s.contains("requests.csv"));
    }

    @Test
    void aChangedPodDirectoryIsReadAgain() throws IOException {
        Path pod = copyPod("shop-7f9b6c5d4-m4q8z", temp.resolve("shop/pod-b"));
        LocalDirectorySource source = source(temp, false);
        ProfileSelector selector = new ProfileSelector("shop", List.of());
        SourceInstance instance = new SourceInstance("pod-b", null);
        List<TimeWindow> slices = NOW.split(Duration.ofMinutes(10));
        assertThat(source.profiles(selector, instance, ProfileType.CPU, slices).collectList().block()).hasSize(5);

        Files.delete(pod.resolve("requests.csv"));
        Files.delete(pod.resolve("slice-5.pb.gz"));

        List<SliceProfile> again = source.profiles(selector, instance, ProfileType.CPU, slices).collectList().block();
        assertThat(again).hasSize(4).allSatisfy(s -> assertThat(s.requests()).isNull());
    }

    /**
     * qa81: a pod's endpoints.csv gives each slice its requests per endpoint, as compare reads it (the total where
     * requests.csv has no row), and a bad row is the source's error naming the file and the line. Before, the file was
     * skipped as not a profile and the service never saw the mix of a local pod.
     */
    @Test
    void endpointsCsvGivesEachSliceItsMixAndABadRowNamesTheLine() throws IOException {
        Path pod = copyPod("shop-7f9b6c5d4-m4q8z", temp.resolve("shop/pod-e"));
        Files.writeString(pod.resolve("requests.csv"), "profile,requests\nslice-1.pb.gz,500\n");
        Files.writeString(pod.resolve("endpoints.csv"), "profile,endpoint,requests\nslice-1.pb.gz,/search,400\n"
                + "slice-1.pb.gz,/quote,100\nslice-2.pb.gz,/search,30\nslice-2.pb.gz,/cart,10\n");
        LocalDirectorySource source = source(temp, false);
        ProfileSelector selector = new ProfileSelector("shop", List.of());
        SourceInstance instance = new SourceInstance("pod-e", null);
        List<TimeWindow> window = NOW.split(Duration.ofMinutes(10));

        List<SliceProfile> slices = source.profiles(selector, instance, ProfileType.CPU, window).collectList().block();
        assertThat(source.skipped(selector, instance).block()).noneMatch(s -> s.contains("endpoints.csv"));
        assertThat(slices).hasSize(5);
        assertThat(slices.get(0).endpointRequests()).isEqualTo(java.util.Map.of("/search", 400L, "/quote", 100L));
        assertThat(slices.get(0).requests()).isEqualTo(500L);
        assertThat(slices.get(1).endpointRequests()).isEqualTo(java.util.Map.of("/search", 30L, "/cart", 10L));
        assertThat(slices.get(1).requests()).isEqualTo(40L); // no requests.csv row: every request was some endpoint's
        assertThat(slices.get(2).endpointRequests()).isNull();

        Files.writeString(pod.resolve("endpoints.csv"), "profile,endpoint,requests\nslice-1.pb.gz,/search,many\n");
        assertThatThrownBy(() -> source.profiles(selector, instance, ProfileType.CPU, window).collectList().block())
                .isInstanceOfSatisfying(ProfileSourceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProfileSourceException.Kind.BAD_RESPONSE);
                    assertThat(e.getMessage()).contains("endpoints.csv line 2: requests \"many\" must be a whole number");
                });
    }

    @Test
    void labelsAreReadFromTheFileAndBadOnesNameTheFile() throws IOException {
        Path pod = copyPod("shop-7f9b6c5d4-m4q8z", temp.resolve("shop/pod-c"));
        Files.writeString(pod.resolve("labels.properties"), "pod=renamed-pod\ntrack=canary\n");
        LocalDirectorySource source = source(temp, false);
        assertThat(names(source.instances(new ProfileSelector("shop", List.of(new LabelMatcher("track", "canary"))),
                ProfileType.CPU, NOW).block())).containsExactly("renamed-pod");
        // An empty matcher value matches an absent label, as in PromQL.
        assertThat(source.instances(new ProfileSelector("shop", List.of(new LabelMatcher("zone", ""))),
                ProfileType.CPU, NOW).block()).hasSize(1);

        Files.writeString(pod.resolve("labels.properties"), "rollouts-pod-template-hash=7f9b6c5d4\n");
        assertThatThrownBy(() -> source.instances(new ProfileSelector("shop", List.of()), ProfileType.CPU, NOW).block())
                .isInstanceOfSatisfying(ProfileSourceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProfileSourceException.Kind.BAD_RESPONSE);
                    assertThat(e.getMessage()).contains("labels.properties").contains("rollouts-pod-template-hash");
                });
    }

    @Test
    void aMissingRootIsAnUnavailableSourceAndAnUnsafeApplicationIsRefused() throws IOException {
        Path notADirectory = Files.writeString(temp.resolve("file"), "x");
        LocalDirectorySource missing = source(notADirectory, false);

        assertThatThrownBy(() -> missing.instances(new ProfileSelector("shop", List.of()), ProfileType.CPU, NOW).block())
                .isInstanceOfSatisfying(ProfileSourceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProfileSourceException.Kind.UNAVAILABLE);
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).startsWith("local: ").contains("not a directory");
                });
        ProfileSource.Health health = missing.health().block();
        assertThat(health.up()).isFalse();
        assertThat(health.detail()).contains("not a directory");
        assertThat(source(EXAMPLES, false).health().block().up()).isTrue();

        assertThatThrownBy(() -> source(EXAMPLES, false)
                .instances(new ProfileSelector("../examples", List.of()), ProfileType.CPU, NOW).block())
                .isInstanceOfSatisfying(ProfileSourceException.class,
                        e -> assertThat(e.kind()).isEqualTo(ProfileSourceException.Kind.REJECTED));
    }

    private static Instant firstFileStart() {
        SourceInstance pod = new SourceInstance("shop-7f9b6c5d4-m4q8z", null);
        return source(EXAMPLES, false).profiles(shop(CANARY_HASH), pod, ProfileType.CPU, NOW.split(Duration.ofMinutes(10)))
                .map(s -> s.window().start()).sort().blockFirst();
    }

    private static Path copyPod(String name, Path target) throws IOException {
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(EXAMPLES.resolve("shop").resolve(name))) {
            for (Path file : files.toList()) {
                if (!file.getFileName().toString().equals("labels.properties")) {
                    Files.copy(file, target.resolve(file.getFileName()));
                }
            }
        }
        return target;
    }

    private static List<String> names(List<SourceInstance> instances) {
        return instances.stream().map(SourceInstance::name).toList();
    }

    /** {@code examples/profiles} of this clone, found from the module directory. */
    static Path examples() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("examples/profiles");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("examples/profiles not found above " + Path.of("").toAbsolutePath());
    }
}
