package io.canaryjudge.profile.source.local;

import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.profile.heap.MemoryAreaSeries;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.ProfileSource;
import io.canaryjudge.profile.source.ProfileSourceException;
import io.canaryjudge.profile.source.SliceProfile;
import io.canaryjudge.profile.source.SourceInstance;
import io.canaryjudge.profile.source.TimeWindow;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Profiles from a local directory laid out by application and pod:
 * <pre>
 * ROOT/APPLICATION/POD/slice-1.pb.gz      one profile file per time slice (pprof or JFR, gzipped or not)
 * ROOT/APPLICATION/POD/requests.csv       optional: requests served per file (profile,requests)
 * ROOT/APPLICATION/POD/endpoints.csv      optional: requests per file and endpoint (profile,endpoint,requests)
 * ROOT/APPLICATION/POD/labels.properties  optional: the pod's labels (rollouts_pod_template_hash=6d4f8c7b9 ...)
 * ROOT/APPLICATION/POD/heap.csv           optional: heap after GC (else its JFR recordings' heap summaries)
 * </pre>
 * A request's application is a directory name under the root; its label matchers are checked against each
 * pod's labels ({@code pod} defaults to the directory name). Formats are detected from content; files that
 * are not profiles (or are corrupt) are skipped and listed by {@link #skipped}.
 *
 * <p><b>Time.</b> Profile files carry their own time (pprof {@code time_nanos}, JFR chunk times) or none.
 * By default the source ignores the requested window and returns <em>every</em> profile file of the
 * matching pods, each one slice, so the shipped example files give a verdict whatever the clock says;
 * {@link #notes()} says so in every verdict. With {@code matchWindows} it returns only the files whose
 * start time falls in the requested slices (files without a time are then skipped) and reports each
 * pod's earliest file as its {@code firstSeen}, so a young canary's warm-up can be excluded.
 *
 * <p>Reads are blocking file I/O, run on the given (bounded) scheduler. A pod directory read once is kept
 * (a few, least recently used) until one of its files changes.
 */
public final class LocalDirectorySource implements ProfileSource {
    /** Pod directories kept in memory: enough for a few applications' worth of example pods. */
    static final int CACHED_PODS = 64;

    private final Path root;
    private final boolean matchWindows;
    private final String instanceLabel;
    private final ReadOptions readOptions;
    private final Scheduler scheduler;
    private final PodDirectoryCache cache = new PodDirectoryCache(CACHED_PODS);

    /**
     * @param root          the directory holding one directory per application
     * @param matchWindows  apply the requested windows by the files' own timestamps (see the class comment)
     * @param instanceLabel label whose value names an instance (default {@code pod}); a pod without it is
     *                      named after its directory
     * @param readOptions   limits for reading each file
     * @param scheduler     where the blocking reads run (a bounded scheduler)
     */
    public LocalDirectorySource(Path root, boolean matchWindows, String instanceLabel, ReadOptions readOptions,
                                Scheduler scheduler) {
        this.root = Objects.requireNonNull(root, "root");
        this.matchWindows = matchWindows;
        this.instanceLabel = Objects.requireNonNull(instanceLabel, "instanceLabel");
        this.readOptions = Objects.requireNonNull(readOptions, "readOptions");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    @Override
    public String name() {
        return "local";
    }

    public Path root() {
        return root;
    }

    @Override
    public boolean timeAware() {
        return matchWindows;
    }

    @Override
    public List<String> notes() {
        if (matchWindows) {
            return List.of();
        }
        return List.of("local directory source: the requested window is not applied; every profile file of the"
                + " matching pods is one slice (turn on matching windows to use only files whose timestamps fall"
                + " in the window)");
    }

    @Override
    public Mono<List<SourceInstance>> instances(ProfileSelector selector, ProfileType type, TimeWindow window) {
        return blocking(() -> {
            List<SourceInstance> instances = new ArrayList<>();
            for (PodDirectory pod : pods(selector)) {
                Instant firstSeen = null;
                boolean hasType = false;
                for (PodDirectory.PodSlice slice : pod.slices()) {
                    if (!holds(slice.profile(), type)) {
                        continue;
                    }
                    Instant start = start(slice.profile());
                    if (matchWindows && (start == null || !window.contains(start))) {
                        continue;
                    }
                    hasType = true;
                    if (matchWindows && (firstSeen == null || start.isBefore(firstSeen))) {
                        firstSeen = start;
                    }
                }
                if (hasType) {
                    instances.add(new SourceInstance(instanceName(pod), firstSeen));
                }
            }
            return List.copyOf(instances);
        });
    }

    @Override
    public Flux<SliceProfile> profiles(ProfileSelector selector, SourceInstance instance, ProfileType type,
                                       List<TimeWindow> slices) {
        if (slices.isEmpty()) {
            return Flux.empty();
        }
        TimeWindow span = new TimeWindow(slices.get(0).start(), slices.get(slices.size() - 1).end());
        return blocking(() -> {
            List<SliceProfile> found = new ArrayList<>();
            for (PodDirectory pod : pods(selector)) {
                if (!instanceName(pod).equals(instance.name())) {
                    continue;
                }
                for (PodDirectory.PodSlice slice : pod.slices()) {
                    if (!holds(slice.profile(), type)) {
                        continue;
                    }
                    Instant start = start(slice.profile());
                    TimeWindow window = start == null ? span : ownWindow(slice.profile(), start);
                    if (matchWindows) {
                        TimeWindow containing = start == null ? null : containing(slices, start);
                        if (containing == null) {
                            continue;
                        }
                        window = slice.profile().durationNanos() > 0 ? window : containing;
                    }
                    found.add(new SliceProfile(instance.name(), window, slice.profile(), slice.requests(), false,
                            slice.endpointRequests()));
                }
            }
            return List.copyOf(found);
        }).flatMapIterable(list -> list);
    }

    @Override
    public Mono<List<String>> skipped(ProfileSelector selector, SourceInstance instance) {
        return blocking(() -> {
            List<String> skipped = new ArrayList<>();
            for (PodDirectory pod : pods(selector)) {
                if (instanceName(pod).equals(instance.name())) {
                    skipped.addAll(pod.skipped());
                }
            }
            return List.copyOf(skipped);
        });
    }

    /** Each matching pod's heap after GC from its directory ({@code heap.csv}, else its JFR recordings'). */
    @Override
    public Mono<Map<String, HeapSeries>> heap(ProfileSelector selector) {
        return blocking(() -> {
            Map<String, HeapSeries> heaps = new TreeMap<>();
            for (PodDirectory pod : pods(selector)) {
                if (!pod.heap().isEmpty()) {
                    heaps.put(instanceName(pod), pod.heap());
                }
            }
            return Collections.unmodifiableMap(heaps);
        });
    }

    /** Each matching pod's memory outside the heap from its directory ({@code areas.csv}, else its JFR recordings'). */
    @Override
    public Mono<Map<String, MemoryAreaSeries>> areas(ProfileSelector selector) {
        return blocking(() -> {
            Map<String, MemoryAreaSeries> areas = new TreeMap<>();
            for (PodDirectory pod : pods(selector)) {
                areas.put(instanceName(pod), pod.areas()); // a pod without areas too: the judge names it
            }
            return Collections.unmodifiableMap(areas);
        });
    }

    @Override
    public Mono<Health> health() {
        return Mono.fromCallable(() -> {
            if (!Files.isDirectory(root)) {
                return new Health(false, root.toAbsolutePath() + " is not a directory");
            }
            if (!Files.isReadable(root)) {
                return new Health(false, root.toAbsolutePath() + " is not readable");
            }
            int applications = 0;
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, Files::isDirectory)) {
                for (Path ignored : entries) {
                    applications++;
                }
            }
            return new Health(true, applications + " application director" + (applications == 1 ? "y" : "ies")
                    + " under " + root.toAbsolutePath());
        }).subscribeOn(scheduler).onErrorResume(IOException.class,
                e -> Mono.just(new Health(false, root.toAbsolutePath() + ": " + describe(e))));
    }

    /** The pods of the selector's application whose labels match; an application without a directory has none. */
    private List<PodDirectory> pods(ProfileSelector selector) {
        Path application = applicationDirectory(selector.application());
        if (!Files.isDirectory(root)) {
            throw new ProfileSourceException(name(), ProfileSourceException.Kind.UNAVAILABLE,
                    "profile directory " + root.toAbsolutePath() + " does not exist or is not a directory");
        }
        if (!Files.isDirectory(application)) {
            return List.of();
        }
        List<Path> directories = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(application)) {
            for (Path entry : entries) {
                if (!entry.getFileName().toString().startsWith(".") && Files.isDirectory(entry)) {
                    directories.add(entry);
                }
            }
        } catch (IOException e) {
            throw failure(application, e);
        }
        directories.sort(null);
        List<PodDirectory> pods = new ArrayList<>();
        for (Path directory : directories) {
            PodDirectory pod;
            try {
                pod = cache.read(directory, readOptions);
            } catch (IOException e) {
                throw failure(directory, e);
            } catch (PodLabels.InvalidLabelsException | InvalidRequestCountsException e) {
                throw new ProfileSourceException(name(), ProfileSourceException.Kind.BAD_RESPONSE,
                        PodDirectory.oneLine(e.getMessage()), e);
            }
            if (PodLabels.matches(pod.labels(), selector.labels())) {
                pods.add(pod);
            }
        }
        return pods;
    }

    /**
     * An application is a directory inside the root ({@code shop}, or nested: {@code team/shop}, as Pyroscope's
     * {@code service_name} values may be): empty names, absolute paths, {@code .} and {@code ..} segments, empty
     * segments, backslashes and NUL are refused, and so is any name that would resolve outside the root.
     */
    @Override
    public String refusedApplication(String application) {
        if (application.isEmpty()) {
            return "is empty";
        }
        if (application.indexOf('\0') >= 0) {
            return "contains NUL";
        }
        if (application.contains("\\")) {
            return "contains a backslash";
        }
        if (application.startsWith("/")) {
            return "is an absolute path";
        }
        for (String segment : application.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                return "has a \"" + segment + "\" segment";
            }
            if (segment.isEmpty()) {
                return "has an empty path segment";
            }
        }
        try {
            Path base = root.toAbsolutePath().normalize();
            if (!base.resolve(application).normalize().startsWith(base)) {
                return "resolves outside the profile directory";
            }
        } catch (InvalidPathException e) {
            return "is not a path: " + e.getReason();
        }
        return null;
    }

    /** The application's directory; names that would leave the root are refused, not resolved. */
    private Path applicationDirectory(String application) {
        String refused = refusedApplication(application);
        if (refused != null) {
            throw new ProfileSourceException(name(), ProfileSourceException.Kind.REJECTED,
                    "application \"" + application + "\" " + refused + ": not a directory under " + root);
        }
        return root.resolve(application);
    }

    private String instanceName(PodDirectory pod) {
        String value = pod.labels().get(instanceLabel);
        return value == null || value.isEmpty() ? pod.directory().getFileName().toString() : value;
    }

    private static boolean holds(Profile profile, ProfileType type) {
        int column = profile.sampleTypeIndex(type);
        return column >= 0 && profile.total(column) > 0;
    }

    private static Instant start(Profile profile) {
        long nanos = profile.startEpochNanos();
        return nanos > 0 ? Instant.ofEpochSecond(0, nanos) : null;
    }

    private static TimeWindow ownWindow(Profile profile, Instant start) {
        long duration = Math.max(profile.durationNanos(), 1);
        return new TimeWindow(start, start.plusNanos(duration));
    }

    private static TimeWindow containing(List<TimeWindow> slices, Instant instant) {
        for (TimeWindow slice : slices) {
            if (slice.contains(instant)) {
                return slice;
            }
        }
        return null;
    }

    private ProfileSourceException failure(Path path, IOException e) {
        return new ProfileSourceException(name(), ProfileSourceException.Kind.UNAVAILABLE,
                path + ": " + describe(e), e);
    }

    /** The JDK's file-system exceptions carry only the path as message: name the kind of failure. */
    /** What a text file (csv, YAML, JSON) that holds bytes UTF-8 does not allow is, in words. */
    public static final String NOT_UTF8 = "not UTF-8 text (a binary file, or another encoding?)";

    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        if (e instanceof CharacterCodingException) {
            return NOT_UTF8; // the JDK says only "Input length = 1"
        }
        return e.getMessage() != null ? PodDirectory.oneLine(e.getMessage()) : e.getClass().getSimpleName();
    }

    private <T> Mono<T> blocking(Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(scheduler).onErrorMap(
                e -> !(e instanceof ProfileSourceException),
                e -> new ProfileSourceException(name(), ProfileSourceException.Kind.BAD_RESPONSE,
                        "reading " + root + " failed: " + e, e));
    }
}
