package io.canaryjudge.cli;

import io.canaryjudge.judge.Observation;
import io.canaryjudge.judge.RecordingRequests;
import io.canaryjudge.judge.memory.PodHeap;
import io.canaryjudge.profile.DecompressedSizeLimitException;
import io.canaryjudge.profile.GoHeapProfiles;
import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.NotAProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ProfileTypeRequiredException;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.StackDepthLimitException;
import io.canaryjudge.profile.TooManySlicesException;
import io.canaryjudge.profile.heap.AreaCsv;
import io.canaryjudge.profile.heap.GoroutineCounts;
import io.canaryjudge.profile.heap.HeapCsv;
import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.profile.heap.InvalidHeapCsvException;
import io.canaryjudge.profile.heap.MemoryAreaSeries;
import io.canaryjudge.profile.pprof.PprofSampleTypes;
import io.canaryjudge.profile.source.local.EndpointRequestCounts;
import io.canaryjudge.profile.source.local.InstanceHeapReader;
import io.canaryjudge.profile.source.local.InvalidRequestCountsException;
import io.canaryjudge.profile.source.local.LocalDirectorySource;
import io.canaryjudge.profile.source.local.PodLabels;
import io.canaryjudge.profile.source.local.RequestCounts;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reads one command-line PATH as one instance (pod, JVM): a directory's files are its time slices
 * (not recursive, hidden files ignored, in name order, {@code requests.csv} gives request counts,
 * {@code heap.csv} — or its JFR recordings' heap summaries — the heap after GC,
 * {@code labels.properties} is the pod's labels for the service and ignored here),
 * a file is an instance with one slice — or several when {@link ReadOptions#slice()} splits a recording.
 */
final class InstanceReader {
    /**
     * The column types async-profiler's converter ({@code jfrconv -o pprof}) writes: {@code cpu} (CPU and wall
     * samples), {@code allocations}, {@code locks}; in {@code count} without {@code --total}. Only for such a file is
     * the JFR recording the remedy.
     */
    private static final Set<String> CONVERTER_TYPES = Set.of("cpu", "allocations", "locks");

    private final ReadOptions options;
    private final Double valuePerSample;
    private final boolean closedLoop;

    InstanceReader(ReadOptions options) {
        this(options, null, false);
    }

    /**
     * @param valuePerSample what one sample of a collapsed profile stands for ({@code --value-per-sample});
     *                       null when not given
     * @param closedLoop     requests.csv counts a closed loop's operations ({@code --load closed})
     */
    InstanceReader(ReadOptions options, Double valuePerSample, boolean closedLoop) {
        this.options = options;
        this.valuePerSample = valuePerSample;
        this.closedLoop = closedLoop;
    }

    /** Slice i of n's part of a file's endpoint counts ({@link EndpointRequestCounts#sliceOf}). */
    static Map<String, Long> sliceOf(Map<String, Long> endpoints, int i, int n) {
        return EndpointRequestCounts.sliceOf(endpoints, i, n);
    }

    private Observation observation(String name, Profile profile, Long requests, Map<String, Long> endpoints) {
        return observation(name, profile, requests, null, endpoints);
    }

    private Observation observation(String name, Profile profile, Long requests, RecordingRequests recording,
                                    Map<String, Long> endpoints) {
        Double perSample = profile.format() == io.canaryjudge.profile.ProfileFormat.COLLAPSED ? valuePerSample : null;
        return new Observation(name, profile, requests, perSample, recording, closedLoop, endpoints);
    }

    /**
     * What one PATH contributed.
     *
     * @param observations one per profile (slice)
     * @param skipped      inputs not used and why, for {@code dataQuality.skipped}
     * @param warnings     caveats for {@code dataQuality.warnings}
     */
    record Instance(String name, List<Observation> observations, List<String> skipped, List<String> warnings,
                    HeapSeries heap, MemoryAreaSeries areas) {
        Instance(String name, List<Observation> observations, List<String> skipped, List<String> warnings) {
            this(name, observations, skipped, warnings, HeapSeries.empty(name), MemoryAreaSeries.empty());
        }

        /** The instance's heap after GC with its request rate (requests.csv over the profiles' durations), for the memory check. */
        PodHeap podHeap() {
            long nanos = 0;
            for (Observation o : observations) {
                if (o.profile().durationNanos() <= 0) {
                    return new PodHeap(name, heap);
                }
                nanos += o.profile().durationNanos();
            }
            // NaN when a slice has no count; a recording's count covering its slices counts once
            double requests = RecordingRequests.total(observations, Observation::requests, Observation::recordingRequests);
            return new PodHeap(name, heap, nanos > 0 && requests > 0 ? requests / (nanos / 1e9) : null);
        }
    }

    /**
     * @throws InvalidInputException    the PATH does not exist, a profile is corrupt, requests.csv is bad
     * @throws ProfileTypeMissingException collapsed input was given without a profile type
     */
    Instance read(Path path) throws InvalidInputException {
        String name = path.toString();
        if (!Files.exists(path)) {
            throw new InvalidInputException(path + ": no such file or directory");
        }
        if (!Files.isDirectory(path)) {
            if (!Files.isRegularFile(path)) {
                throw new InvalidInputException(path + ": not a regular file or directory");
            }
            List<String> warnings = new ArrayList<>();
            List<Observation> observations = new ArrayList<>();
            try {
                for (Profile profile : profiles(path)) {
                    observations.add(observation(name, profile, null, (Map<String, Long>) null));
                }
            } catch (NotAProfileException e) {
                throw new InvalidInputException(path + ": not a profile: " + reason(e));
            }
            HeapSeries heap = recordedHeap(name, List.of(path));
            return new Instance(name, observations, List.of(), warnings, heap, areas(null, List.of(path), heap));
        }
        Map<String, Path> files = new TreeMap<>();
        List<String> skipped = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
            for (Path entry : entries) {
                String file = entry.getFileName().toString();
                if (file.startsWith(".")) {
                    continue;
                }
                if (Files.isDirectory(entry)) {
                    skipped.add(entry + ": a directory (instance directories are not read recursively)");
                } else if (Files.isRegularFile(entry)) {
                    files.put(file, entry);
                } else {
                    skipped.add(entry + ": not a regular file");
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException(path + ": cannot list directory: " + describe(e), e);
        }
        files.remove(PodLabels.FILE_NAME); // a pod's labels, read by the service's local source
        Path csv = files.remove(RequestCounts.FILE_NAME);
        Path endpointsCsv = files.remove(EndpointRequestCounts.FILE_NAME);
        Path heapCsv = files.remove(HeapCsv.FILE_NAME);
        Path areasCsv = files.remove(AreaCsv.FILE_NAME);
        Map<String, Long> requests;
        Map<String, Map<String, Long>> endpoints;
        try {
            requests = csv == null ? Map.of() : RequestCounts.read(csv, Set.copyOf(files.keySet()));
            endpoints = endpointsCsv == null ? Map.of()
                    : EndpointRequestCounts.read(endpointsCsv, Set.copyOf(files.keySet()));
        } catch (InvalidRequestCountsException e) {
            throw new InvalidInputException(e.getMessage(), e);
        }
        List<Observation> observations = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<String, Path> file : files.entrySet()) {
            List<Profile> profiles;
            try {
                profiles = profiles(file.getValue());
            } catch (NotAProfileException e) {
                skipped.add(file.getValue() + ": not a profile: " + reason(e));
                continue;
            }
            Map<String, Long> mix = endpoints.get(file.getKey());
            Long count = requests.get(file.getKey());
            if (count == null && mix != null) {
                count = EndpointRequestCounts.total(mix); // every request was some endpoint's
            }
            // --slice cut the file: its count covers all its slices together, and the judge uses it only so
            // (a pod's cost per request over its slices is exact); no slice gets a guessed share of it.
            RecordingRequests recording = count != null && profiles.size() > 1
                    ? new RecordingRequests(file.getValue().toString(), count, profiles.size()) : null;
            // A file --slice cut: each slice carries its part of the file's endpoint counts (every slice of the pod
            // served the pod's mix as far as anything says), so the pooled mix counts each request once, as
            // RecordingRequests does the total.
            for (int i = 0; i < profiles.size(); i++) {
                Map<String, Long> sliceMix = sliceOf(mix, i, profiles.size());
                observations.add(recording != null ? observation(name, profiles.get(i), null, recording, sliceMix)
                        : observation(name, profiles.get(i), count, sliceMix));
            }
        }
        if (observations.isEmpty()) {
            skipped.add(path + ": no profiles in this directory");
        }
        observations = goHeapWindows(observations);
        // Each file's heap summaries, read once: for the one-JVM check and then as the instance's heap.
        Map<Path, HeapSeries> recorded = new LinkedHashMap<>();
        try {
            for (Path file : files.values()) {
                recorded.put(file, InstanceHeapReader.recorded(file, options));
            }
            requireOneJvm(path, recorded);
            HeapSeries heap = InstanceHeapReader.combine(name, heapCsv, recorded.values());
            // a Go instance's goroutine profiles give its goroutines area, as go_goroutines gives the service's
            MemoryAreaSeries areas = GoroutineCounts.withGoroutines(areas(areasCsv, files.values(), heap), name,
                    observations.stream().map(Observation::profile).toList(), heap.jvmStartMillis());
            return new Instance(name, observations, skipped, warnings, heap, areas);
        } catch (InvalidHeapCsvException | InvalidProfileException | IOException e) {
            throw new InvalidInputException(oneLine(e.getMessage()), e); // each names the file (and the line)
        } catch (OutOfMemoryError e) {
            throw new InvalidInputException(outOfMemory(name), e);
        }
    }

    /**
     * Go's heap profiles saved one per slice ({@code /debug/pprof/heap}) hold allocations since the process started:
     * judged per window instead, each less the one before ({@link GoHeapProfiles}); the first of a run gives live objects
     * only, which {@code dataQuality.warnings} says through its left-out columns.
     */
    private static List<Observation> goHeapWindows(List<Observation> observations) {
        GoHeapProfiles.Windows windows = GoHeapProfiles.perWindow(observations.stream().map(Observation::profile)
                .toList());
        if (windows.differenced() == 0) {
            return observations;
        }
        List<Observation> out = new ArrayList<>();
        for (int i = 0; i < observations.size(); i++) {
            Observation o = observations.get(i);
            out.add(o.withProfile(windows.profiles().get(i)));
        }
        return out;
    }

    /**
     * A directory is one JVM, its files that JVM's time slices. Recordings of several JVMs in one directory (a CI
     * job's runs collected into one artifact folder) would be judged as one pod: their JVM-to-JVM differences taken
     * for slice noise, their heaps merged into one series, and the advice to collect more pods could not help. JFR
     * recordings say when their JVM started ({@code jdk.JVMInformation}); other formats cannot be checked.
     */
    private static void requireOneJvm(Path directory, Map<Path, HeapSeries> recorded) throws InvalidInputException {
        // Each file's JVM start and process id, in start order.
        List<Map.Entry<Path, HeapSeries>> known = new ArrayList<>();
        for (Map.Entry<Path, HeapSeries> file : recorded.entrySet()) {
            if (file.getValue().jvmStartMillis() >= 0) {
                known.add(file);
            }
        }
        known.sort(Comparator.comparingLong(e -> e.getValue().jvmStartMillis()));
        // Starts a recorder's clock apart are one JVM: async-profiler dates it from the process's start, the JDK's own
        // JFR from the VM's, 0.29 s later in a recorded pod (qa44: both recorders in one pod directory were refused as
        // "recordings of 2 JVMs"); but two runs on one host started within that time are two JVMs, which their process
        // ids tell apart (qa44 recorded two 0.12 s apart). Each group's first start is its key.
        List<JvmFiles> jvms = new ArrayList<>();
        for (Map.Entry<Path, HeapSeries> file : known) {
            long start = file.getValue().jvmStartMillis();
            long pid = file.getValue().jvmPid();
            JvmFiles jvm = null;
            for (JvmFiles candidate : jvms) {
                if (start - candidate.start() <= SAME_JVM_START_MILLIS
                        && (candidate.pid() < 0 || pid < 0 || candidate.pid() == pid)) {
                    jvm = candidate;
                    break;
                }
            }
            if (jvm == null) {
                jvm = new JvmFiles(start, pid, new ArrayList<>());
                jvms.add(jvm);
            } else if (jvm.pid() < 0 && pid >= 0) {
                jvms.set(jvms.indexOf(jvm), jvm = new JvmFiles(jvm.start(), pid, jvm.files()));
            }
            jvm.files().add(file.getKey().getFileName().toString());
        }
        if (jvms.size() < 2) {
            return;
        }
        String named = jvms.stream()
                .map(j -> String.join(", ", j.files()) + " (JVM started " + Instant.ofEpochMilli(j.start())
                        + (j.pid() >= 0 ? ", pid " + j.pid() : "") + ")")
                .collect(Collectors.joining("; "));
        throw new InvalidInputException(directory + ": recordings of " + jvms.size() + " JVMs in one directory: "
                + named + "; a PATH is one JVM (a pod, a benchmark run) and a directory's files are its time slices,"
                + " so give each run as its own PATH (its file, or a directory per JVM)");
    }

    /**
     * Largest difference between two recordings' JVM starts (jdk.JVMInformation, milliseconds) that are still one JVM:
     * recorders date the start differently (the process's exec, the VM's clock), by the time the VM takes to come up
     * (0.29 s measured under load); distinct runs collected into one directory start further apart.
     */
    static final long SAME_JVM_START_MILLIS = 2_000;

    /** The files of one JVM in a directory: its first start, its process id (-1 unknown) and the file names. */
    private record JvmFiles(long start, long pid, List<String> files) {
    }

    /**
     * The instance's heap after GC: its {@code heap.csv}, else its JFR recordings' {@code jdk.GCHeapSummary}
     * events ({@link InstanceHeapReader}, as the service reads a pod's files).
     */
    private HeapSeries heap(String name, Path heapCsv, Collection<Path> files) throws InvalidInputException {
        try {
            return InstanceHeapReader.read(name, heapCsv, files, options);
        } catch (InvalidHeapCsvException | InvalidProfileException | IOException e) {
            // each names the file (and the line): "FILE: cannot read: WHY", "FILE line 3: ..."
            throw new InvalidInputException(oneLine(e.getMessage()), e);
        } catch (OutOfMemoryError e) {
            throw new InvalidInputException(outOfMemory(name), e);
        }
    }

    /**
     * The instance's memory outside the heap: its {@code areas.csv}, else its JFR recordings' metaspace, direct-buffer
     * and thread statistics ({@link InstanceHeapReader#areas}); the JVM's start from the heap's where they lack it.
     */
    private MemoryAreaSeries areas(Path areasCsv, Collection<Path> files, HeapSeries heap)
            throws InvalidInputException {
        try {
            return InstanceHeapReader.areas(areasCsv, files, options, heap.jvmStartMillis());
        } catch (InvalidHeapCsvException | InvalidProfileException | IOException e) {
            throw new InvalidInputException(oneLine(e.getMessage()), e);
        } catch (OutOfMemoryError e) {
            throw new InvalidInputException(outOfMemory(heap.source()), e);
        }
    }

    /** The after-GC heap summaries of a single recording (empty for other formats). */
    private HeapSeries recordedHeap(String name, Collection<Path> files) throws InvalidInputException {
        return heap(name, null, files);
    }

    private List<Profile> profiles(Path file) throws InvalidInputException, NotAProfileException {
        try {
            List<Profile> profiles = ProfileFiles.read(file, options);
            requireJudgedColumn(file, profiles);
            return profiles;
        } catch (ProfileTypeRequiredException e) {
            throw new ProfileTypeMissingException(file + ": collapsed stacks do not say what they measure;"
                    + " give --profile-type, one of " + ProfileType.validIds());
        } catch (TooManySlicesException e) {
            // The slice length is the command line's choice, not a fault of the recording (exit 64).
            throw new UsageException("compare: --slice " + e.slice().toMillis() + "ms is too short for " + file
                    + ": it gives more than " + e.maxSlices() + " slices, the most one recording may be cut into;"
                    + " choose a longer --slice");
        } catch (DecompressedSizeLimitException e) {
            throw new InvalidInputException(oneLine(e.getMessage()) + " (compare's limit, fixed)", e);
        } catch (StackDepthLimitException e) {
            throw new InvalidInputException(oneLine(e.getMessage()) + " (raise it with --max-stack-depth N)", e);
        } catch (InvalidProfileException e) {
            throw new InvalidInputException(oneLine(e.getMessage()), e);
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + describe(e), e);
        } catch (OutOfMemoryError e) {
            throw new InvalidInputException(outOfMemory(file.toString()), e);
        }
    }

    /**
     * A profile whose every column is of a type or unit the judge does not compare (async-profiler's converter
     * writes {@code cpu/count} without {@code --total}) would add nothing, and the verdict would only say that no
     * type has data in both groups: name the file and its columns instead, and the remedy for the producer the columns
     * name: async-profiler's converter output has a JFR recording behind it; any other pprof (Go's threadcreate
     * profile, a producer whose names the judge does not know) is told which columns are compared.
     */
    private static void requireJudgedColumn(Path file, List<Profile> profiles) throws InvalidInputException {
        for (Profile profile : profiles) {
            if (profile.sampleTypes().isEmpty()
                    || profile.sampleTypes().stream().anyMatch(t -> t.profileType() != null)) {
                return;
            }
        }
        if (profiles.isEmpty()) {
            return;
        }
        String columns = profiles.get(0).sampleTypes().stream().map(t -> t.type() + "/" + t.unit())
                .collect(Collectors.joining(", "));
        boolean nativeAllocations = profiles.get(0).sampleTypes().stream().anyMatch(t -> t.type().equals("malloc"));
        boolean converter = profiles.get(0).sampleTypes().stream().allMatch(t -> CONVERTER_TYPES.contains(t.type()));
        String remedy;
        if (nativeAllocations) {
            remedy = "async-profiler's converter writes native allocations (--nativemem) as malloc with or without"
                    + " --leak, so the file cannot say whether its bytes were freed; give the JFR recording itself,"
                    + " read as malloc_bytes and malloc_leak_bytes";
        } else if (converter) {
            remedy = "CPU must be in nanoseconds and allocations in bytes or objects, e.g. cpu/nanoseconds,"
                    + " alloc_space/bytes; give async-profiler's JFR recording itself, or convert it with jfrconv"
                    + " --total";
        } else {
            // from the reader's own table, so that a column it learns to read is named here too
            remedy = "pprof columns the judge compares are, by profile type, " + PprofSampleTypes.mappedColumns()
                    .entrySet().stream().map(e -> e.getKey().id() + ": " + String.join(", ", e.getValue()))
                    .collect(Collectors.joining("; "));
        }
        throw new InvalidInputException(file + ": no column the judge compares (" + columns + "); " + remedy);
    }

    /**
     * What to say when reading a file ran out of heap (a large or highly compressed profile, a gzip bomb under the
     * decompression limit): which file, and that the JVM's heap, not the file, is what to change. The buffers of the
     * failed read are garbage once the error is caught, so the command can still say so and exit.
     */
    static String outOfMemory(String file) {
        return file + ": cannot read: it needs more memory than the JVM's heap of "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB holds; run java with a larger heap (e.g. "
                + "java -Xmx2g -jar canary-judge.jar ...), or check that the file is a profile (gzip inflating to GiBs?)";
    }

    /** The reason part of a {@link NotAProfileException} message (it starts with the source). */
    private static String reason(NotAProfileException e) {
        String message = String.valueOf(e.getMessage());
        int at = message.indexOf(": not a profile: ");
        return oneLine(at >= 0 ? message.substring(at + ": not a profile: ".length()) : message);
    }

    /**
     * What went wrong with a file in words: the JDK's file-system exceptions carry only the path as
     * their message, so the kind of failure is named from the exception type.
     */
    static String describe(IOException e) {
        String kind;
        if (e instanceof NoSuchFileException) {
            kind = "no such file or directory";
        } else if (e instanceof AccessDeniedException) {
            kind = "permission denied";
        } else if (e instanceof FileSystemException fs) {
            kind = fs.getReason() != null ? fs.getReason() : e.getClass().getSimpleName();
        } else if (e instanceof CharacterCodingException) {
            kind = LocalDirectorySource.NOT_UTF8; // the JDK says only "Input length = 1"
        } else {
            kind = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        }
        return oneLine(kind);
    }

    static String oneLine(String text) {
        return text.replaceAll("[\\r\\n]+", " ");
    }

    /** Collapsed stacks carry no type: {@code --profile-type} must say what they are (exit 64). */
    static final class ProfileTypeMissingException extends UsageException {
        ProfileTypeMissingException(String message) {
            super(message);
        }
    }
}
