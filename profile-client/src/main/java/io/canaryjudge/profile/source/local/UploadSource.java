package io.canaryjudge.profile.source.local;

import io.canaryjudge.profile.GoHeapProfiles;
import io.canaryjudge.profile.InflateMemoryBusyException;
import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.NotAProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ProfileTypeRequiredException;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.heap.AreaCsv;
import io.canaryjudge.profile.heap.GoroutineCounts;
import io.canaryjudge.profile.heap.HeapCsv;
import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.profile.heap.InvalidHeapCsvException;
import io.canaryjudge.profile.heap.MemoryAreaSeries;
import io.canaryjudge.profile.source.LabelMatcher;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.ProfileSource;
import io.canaryjudge.profile.source.SliceProfile;
import io.canaryjudge.profile.source.SourceInstance;
import io.canaryjudge.profile.source.TimeWindow;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The profiles of one multipart upload, read and held in memory for one analysis (the caller bounds the
 * upload's size). Files belong to a group ({@code baseline}, {@code canary}, {@code history}) and an
 * instance: a file name {@code INSTANCE/FILE} (e.g. {@code checkout-7f9b-x2k/slice-03.pb.gz}) puts the
 * file in that instance (pod), so pods stay pods; a bare file name is an instance of its own, named after
 * the file. An instance's {@code requests.csv} gives request counts for its files, its {@code endpoints.csv} their
 * requests per endpoint (the request mix; the total where requests.csv has no row), its {@code heap.csv} its heap
 * after GC (else its JFR recordings' heap summaries: {@link InstanceHeapReader}) and its {@code areas.csv} its memory
 * outside the heap (else its JFR recordings' metaspace, direct-buffer and thread statistics), as {@code compare} reads
 * an instance directory.
 *
 * <p>Select a group with the label {@value #GROUP_LABEL}: {@code group="canary"}. Uploads carry no
 * window: every profile of the group is used ({@link #timeAware()} is false).
 */
public final class UploadSource implements ProfileSource {
    /** The label that selects a group of the upload. */
    public static final String GROUP_LABEL = "group";
    /** The groups an upload may hold, in the order they are reported. */
    public static final List<String> GROUPS = List.of("baseline", "canary", "history");

    /** group → instance → profiles */
    private final Map<String, Map<String, List<UploadedSlice>>> groups;
    /** group → instance → heap after GC, for the instances that have any */
    private final Map<String, Map<String, HeapSeries>> heaps;
    /** group → instance → memory outside the heap, for the instances that have any */
    private final Map<String, Map<String, MemoryAreaSeries>> areas;
    private final List<String> skipped;
    private final boolean closedLoop;

    /**
     * One uploaded file, as received.
     *
     * @param group    the part's name: {@code baseline}, {@code canary} or {@code history}
     * @param fileName the part's file name, {@code INSTANCE/FILE} or a bare name
     * @param content  the bytes
     */
    public record UploadedFile(String group, String fileName, byte[] content) {
        public UploadedFile {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(fileName, "fileName");
            Objects.requireNonNull(content, "content");
        }
    }

    private record UploadedSlice(String file, Profile profile, Long requests, Map<String, Long> endpointRequests) {
        UploadedSlice withProfile(Profile other) {
            return new UploadedSlice(file, other, requests, endpointRequests);
        }
    }

    /** What one instance's files gave: its profiles, its heap after GC and its memory outside the heap (empty when none). */
    private record UploadedInstance(List<UploadedSlice> slices, HeapSeries heap, MemoryAreaSeries areas) {
    }

    /**
     * An upload that can be judged, but not now: other files being read hold the memory its gzipped files need to
     * be inflated (a service answers 429, try again).
     */
    public static final class MemoryBusyException extends RuntimeException {
        public MemoryBusyException(String message) {
            super(message);
        }
    }

    /** An upload that cannot be judged: names the part (group) and, when it is about one, the file. */
    public static final class InvalidUploadException extends Exception {
        private final String part;

        public InvalidUploadException(String part, String message) {
            this(part, message, null);
        }

        /** @param cause the reader's exception, kept so that a caller can say which of its limits was met */
        public InvalidUploadException(String part, String message, Throwable cause) {
            super(message, cause);
            this.part = part;
        }

        /** The multipart part (field) at fault: {@code baseline}, {@code canary} or {@code history}. */
        public String part() {
            return part;
        }
    }

    private UploadSource(Map<String, Map<String, List<UploadedSlice>>> groups,
                         Map<String, Map<String, HeapSeries>> heaps, Map<String, Map<String, MemoryAreaSeries>> areas,
                         List<String> skipped, boolean closedLoop) {
        this.groups = groups;
        this.heaps = heaps;
        this.areas = areas;
        this.skipped = List.copyOf(skipped);
        this.closedLoop = closedLoop;
    }

    /** This upload with its requests.csv counts read as a closed loop's operations ({@link #closedLoop()}). */
    public UploadSource withClosedLoop() {
        return new UploadSource(groups, heaps, areas, skipped, true);
    }

    @Override
    public boolean closedLoop() {
        return closedLoop;
    }

    /**
     * Reads every file. Files that are not profiles are skipped and listed ({@link #uploadSkipped()}).
     *
     * @param collapsedType what collapsed-stack files measure (they carry no type), or null
     * @throws InvalidUploadException a corrupt profile, a bad file name, requests.csv, endpoints.csv or heap.csv, a file
     *                                sent twice,
     *                                or a baseline or canary without any profile
     */
    public static UploadSource read(List<UploadedFile> files, ReadOptions options, ProfileType collapsedType)
            throws InvalidUploadException {
        ReadOptions readOptions = options.withCollapsedType(collapsedType);
        // group → instance → file name → bytes, in upload order
        Map<String, Map<String, Map<String, byte[]>>> byInstance = new LinkedHashMap<>();
        for (UploadedFile file : files) {
            if (!GROUPS.contains(file.group())) {
                throw new InvalidUploadException(file.group(), "unknown part \"" + file.group()
                        + "\"; profile parts are " + String.join(", ", GROUPS));
            }
            String[] name = instanceAndFile(file);
            Map<String, byte[]> instance = byInstance.computeIfAbsent(file.group(), g -> new LinkedHashMap<>())
                    .computeIfAbsent(name[0], i -> new LinkedHashMap<>());
            if (instance.put(name[1], file.content()) != null) {
                throw new InvalidUploadException(file.group(), file.group() + ": \"" + file.fileName()
                        + "\" was sent twice");
            }
        }
        Map<String, Map<String, List<UploadedSlice>>> groups = new LinkedHashMap<>();
        Map<String, Map<String, HeapSeries>> heaps = new LinkedHashMap<>();
        Map<String, Map<String, MemoryAreaSeries>> areas = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        for (Map.Entry<String, Map<String, Map<String, byte[]>>> group : byInstance.entrySet()) {
            Map<String, List<UploadedSlice>> instances = new TreeMap<>();
            Map<String, HeapSeries> groupHeaps = new TreeMap<>();
            Map<String, MemoryAreaSeries> groupAreas = new TreeMap<>();
            for (Map.Entry<String, Map<String, byte[]>> instance : group.getValue().entrySet()) {
                UploadedInstance read = readInstance(group.getKey(), instance.getKey(), instance.getValue(),
                        readOptions, skipped);
                if (!read.slices().isEmpty()) {
                    instances.put(instance.getKey(), read.slices());
                }
                if (!read.heap().isEmpty()) {
                    groupHeaps.put(instance.getKey(), read.heap());
                }
                if (!read.areas().isEmpty() || !read.slices().isEmpty()) {
                    groupAreas.put(instance.getKey(), read.areas()); // a pod without areas too: the judge names it
                }
            }
            groups.put(group.getKey(), instances);
            heaps.put(group.getKey(), Collections.unmodifiableMap(groupHeaps));
            areas.put(group.getKey(), Collections.unmodifiableMap(groupAreas));
        }
        for (String required : List.of("baseline", "canary")) {
            if (groups.getOrDefault(required, Map.of()).isEmpty()) {
                int sent = byInstance.getOrDefault(required, Map.of()).values().stream().mapToInt(Map::size).sum();
                throw new InvalidUploadException(required, sent == 0
                        ? "no " + required + " profile uploaded: send at least one file in the part \"" + required + "\""
                        : "none of the " + sent + " " + required + " file(s) is a profile: " + skippedOf(skipped, required));
            }
        }
        return new UploadSource(groups, heaps, areas, skipped, false);
    }

    private static UploadedInstance readInstance(String group, String instance, Map<String, byte[]> files,
                                                    ReadOptions options, List<String> skipped)
            throws InvalidUploadException {
        Map<String, Long> requests = Map.of();
        Map<String, Map<String, Long>> endpoints = Map.of();
        byte[] csv = files.get(RequestCounts.FILE_NAME);
        byte[] endpointsCsv = files.get(EndpointRequestCounts.FILE_NAME);
        Set<String> profileNames = new LinkedHashSet<>(files.keySet());
        profileNames.remove(RequestCounts.FILE_NAME);
        profileNames.remove(EndpointRequestCounts.FILE_NAME);
        profileNames.remove(HeapCsv.FILE_NAME);
        profileNames.remove(AreaCsv.FILE_NAME);
        if (csv != null) {
            try {
                requests = RequestCounts.parse(new String(csv, StandardCharsets.UTF_8),
                        source(group, instance, RequestCounts.FILE_NAME), profileNames);
            } catch (InvalidRequestCountsException e) {
                throw new InvalidUploadException(group, e.getMessage());
            }
        }
        if (endpointsCsv != null) {
            try {
                endpoints = EndpointRequestCounts.parse(new String(endpointsCsv, StandardCharsets.UTF_8),
                        source(group, instance, EndpointRequestCounts.FILE_NAME), profileNames);
            } catch (InvalidRequestCountsException e) {
                throw new InvalidUploadException(group, e.getMessage());
            }
        }
        List<UploadedSlice> slices = new ArrayList<>();
        Map<String, byte[]> profileFiles = new LinkedHashMap<>();
        for (String file : profileNames) {
            String source = source(group, instance, file);
            List<Profile> profiles;
            try {
                profiles = ProfileFiles.read(files.get(file), source, options);
            } catch (NotAProfileException e) {
                skipped.add(PodDirectory.oneLine(e.getMessage()));
                continue;
            } catch (ProfileTypeRequiredException e) {
                throw new InvalidUploadException(group, source + ": collapsed stacks do not say what they measure;"
                        + " give exactly one profile type (profileTypes) with collapsed uploads, one of "
                        + ProfileType.validIds());
            } catch (InflateMemoryBusyException e) {
                throw new MemoryBusyException(PodDirectory.oneLine(e.getMessage()));
            } catch (InvalidProfileException e) {
                throw new InvalidUploadException(group, PodDirectory.oneLine(e.getMessage()), e);
            }
            profileFiles.put(source, files.get(file));
            // as compare reads an instance directory: the total from requests.csv, else the file's endpoints together
            Map<String, Long> mix = endpoints.get(file);
            Long count = requests.get(file);
            if (count == null && mix != null) {
                count = EndpointRequestCounts.total(mix);
            }
            for (int i = 0; i < profiles.size(); i++) {
                slices.add(new UploadedSlice(file, profiles.get(i), profiles.size() == 1 ? count : null,
                        EndpointRequestCounts.sliceOf(mix, i, profiles.size())));
            }
        }
        // Go's heap profiles saved one per slice hold allocations since the process started: judged per window
        GoHeapProfiles.Windows windows = GoHeapProfiles.perWindow(slices.stream().map(UploadedSlice::profile).toList());
        for (int i = 0; i < slices.size() && windows.differenced() > 0; i++) {
            slices.set(i, slices.get(i).withProfile(windows.profiles().get(i)));
        }
        HeapSeries heap;
        MemoryAreaSeries areas;
        try {
            heap = InstanceHeapReader.read(source(group, instance, instance), files.get(HeapCsv.FILE_NAME),
                    source(group, instance, HeapCsv.FILE_NAME), profileFiles, options);
            areas = InstanceHeapReader.areas(files.get(AreaCsv.FILE_NAME), source(group, instance, AreaCsv.FILE_NAME),
                    profileFiles, options, heap.jvmStartMillis());
            // a Go instance's goroutine profiles give its goroutines area, as for compare and the local directory
            areas = GoroutineCounts.withGoroutines(areas, source(group, instance, instance),
                    slices.stream().map(UploadedSlice::profile).toList(), heap.jvmStartMillis());
        } catch (InvalidHeapCsvException | InvalidProfileException e) {
            throw new InvalidUploadException(group, PodDirectory.oneLine(e.getMessage()), e);
        }
        return new UploadedInstance(slices, heap, areas);
    }

    /**
     * How messages name an uploaded file: {@code canary: pod-1/slice-03.pb.gz}, or {@code canary: trunc.pb} for a
     * bare file name (an instance of its own, named after the file: not {@code trunc.pb/trunc.pb}).
     */
    private static String source(String group, String instance, String file) {
        return group + ": " + (instance.equals(file) ? file : instance + "/" + file);
    }

    /** {@code [instance, file]} from an {@code INSTANCE/FILE} or bare file name. */
    private static String[] instanceAndFile(UploadedFile file) throws InvalidUploadException {
        String name = file.fileName().replace('\\', '/');
        while (name.startsWith("/")) {
            name = name.substring(1);
        }
        String[] parts = name.split("/");
        String fileName = parts[parts.length - 1];
        String instance = parts.length >= 2 ? parts[parts.length - 2] : fileName;
        if (fileName.isBlank() || instance.isBlank() || instance.equals(".") || instance.equals("..")
                || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidUploadException(file.group(), file.group() + ": file name \"" + file.fileName()
                    + "\" must be INSTANCE/FILE (e.g. checkout-7f9b-x2k/slice-03.pb.gz) or a bare file name");
        }
        return new String[] {instance, fileName};
    }

    private static String skippedOf(List<String> skipped, String group) {
        List<String> mine = skipped.stream().filter(s -> s.startsWith(group + ": ")).toList();
        return String.join("; ", mine.subList(0, Math.min(3, mine.size())))
                + (mine.size() > 3 ? "; and " + (mine.size() - 3) + " more" : "");
    }

    @Override
    public String name() {
        return "upload";
    }

    @Override
    public boolean timeAware() {
        return false;
    }

    /** Uploaded files that were not profiles, one line each ({@code canary: pod-1/notes.txt: not a profile: ...}). */
    public List<String> uploadSkipped() {
        return skipped;
    }

    /** Each instance's heap after GC as uploaded ({@code INSTANCE/heap.csv}, else its JFR recordings'). */
    @Override
    public Mono<Map<String, HeapSeries>> heap(ProfileSelector selector) {
        for (LabelMatcher matcher : selector.labels()) {
            if (matcher.name().equals(GROUP_LABEL)) {
                return Mono.just(heaps.getOrDefault(matcher.value(), Map.of()));
            }
        }
        return Mono.just(Map.of());
    }

    /** Each instance's memory outside the heap as uploaded ({@code INSTANCE/areas.csv}, else its JFR recordings'). */
    @Override
    public Mono<Map<String, MemoryAreaSeries>> areas(ProfileSelector selector) {
        for (LabelMatcher matcher : selector.labels()) {
            if (matcher.name().equals(GROUP_LABEL)) {
                return Mono.just(areas.getOrDefault(matcher.value(), Map.of()));
            }
        }
        return Mono.just(Map.of());
    }

    /** The instances of a group and how many profiles each has, for messages and tests. */
    public Map<String, Integer> instanceSizes(String group) {
        Map<String, Integer> sizes = new TreeMap<>();
        groups.getOrDefault(group, Map.of()).forEach((instance, slices) -> sizes.put(instance, slices.size()));
        return sizes;
    }

    /** A selector for one group of this upload. */
    public static ProfileSelector selector(String application, String group) {
        return new ProfileSelector(application, List.of(new LabelMatcher(GROUP_LABEL, group)));
    }

    @Override
    public Mono<List<SourceInstance>> instances(ProfileSelector selector, ProfileType type, TimeWindow window) {
        List<SourceInstance> instances = new ArrayList<>();
        group(selector).forEach((instance, slices) -> {
            if (slices.stream().anyMatch(s -> holds(s.profile(), type))) {
                instances.add(new SourceInstance(instance, null));
            }
        });
        return Mono.just(List.copyOf(instances));
    }

    @Override
    public Flux<SliceProfile> profiles(ProfileSelector selector, SourceInstance instance, ProfileType type,
                                       List<TimeWindow> slices) {
        if (slices.isEmpty()) {
            return Flux.empty();
        }
        TimeWindow span = new TimeWindow(slices.get(0).start(), slices.get(slices.size() - 1).end());
        return Flux.fromIterable(group(selector).getOrDefault(instance.name(), List.of()))
                .filter(slice -> holds(slice.profile(), type))
                .map(slice -> new SliceProfile(instance.name(), span, slice.profile(), slice.requests(), false,
                        slice.endpointRequests()));
    }

    @Override
    public Mono<Health> health() {
        return Mono.just(new Health(true, "upload held in memory"));
    }

    private Map<String, List<UploadedSlice>> group(ProfileSelector selector) {
        for (LabelMatcher matcher : selector.labels()) {
            if (matcher.name().equals(GROUP_LABEL)) {
                return groups.getOrDefault(matcher.value(), Map.of());
            }
        }
        return Map.of();
    }

    private static boolean holds(Profile profile, ProfileType type) {
        int column = profile.sampleTypeIndex(type);
        return column >= 0 && profile.total(column) > 0;
    }
}
