package io.canaryjudge.profile.source.local;

import io.canaryjudge.profile.GoHeapProfiles;
import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.NotAProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileTypeRequiredException;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.heap.AreaCsv;
import io.canaryjudge.profile.heap.GoroutineCounts;
import io.canaryjudge.profile.heap.HeapCsv;
import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.profile.heap.InvalidHeapCsvException;
import io.canaryjudge.profile.heap.MemoryAreaSeries;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One pod directory read whole: its labels, its profile files (one slice each, in name order) with
 * their request counts, its heap after GC, and the files it skipped with the reason. Not recursive; hidden
 * files are ignored; {@code labels.properties}, {@code requests.csv}, {@code endpoints.csv} and {@code heap.csv} are
 * metadata, not skipped inputs.
 *
 * @param directory the pod directory
 * @param labels    from {@link PodLabels}
 * @param slices    the profiles, in file name order
 * @param skipped   files not used and why ({@code notes.txt: not a profile: ...}); a corrupt profile is
 *                  skipped here too (a local directory is the user's own data: one bad file should
 *                  cost one slice, said out loud, not the whole analysis), and so is a bad {@code heap.csv}
 *                  (it costs the pod's heap, not its profiles)
 * @param heap      the pod's heap after GC ({@link InstanceHeapReader}: {@code heap.csv}, else its JFR
 *                  recordings' heap summaries); empty when it has none
 * @param areas     its memory outside the heap ({@code areas.csv}, else its JFR recordings' metaspace, direct-buffer
 *                  and thread statistics); empty when it has none
 */
record PodDirectory(Path directory, Map<String, String> labels, List<PodSlice> slices, List<String> skipped,
                    HeapSeries heap, MemoryAreaSeries areas) {

    PodDirectory {
        labels = Map.copyOf(labels);
        Objects.requireNonNull(heap, "heap");
        Objects.requireNonNull(areas, "areas");
        slices = List.copyOf(slices);
        skipped = List.copyOf(skipped);
    }

    /**
     * One profile file of the pod.
     *
     * @param file     file name
     * @param profile  the profile
     * @param requests requests served while it was recorded (requests.csv, else the sum of its endpoints.csv rows), or
     *                 null
     * @param endpointRequests requests per endpoint while it was recorded (endpoints.csv), or null
     */
    record PodSlice(String file, Profile profile, Long requests, Map<String, Long> endpointRequests) {
        PodSlice withProfile(Profile other) {
            return new PodSlice(file, other, requests, endpointRequests);
        }
    }

    /**
     * @throws IOException                   the directory cannot be listed or a file cannot be read
     * @throws PodLabels.InvalidLabelsException labels.properties is invalid
     * @throws InvalidRequestCountsException requests.csv or endpoints.csv is invalid
     */
    static PodDirectory read(Path directory, ReadOptions options)
            throws IOException, PodLabels.InvalidLabelsException, InvalidRequestCountsException {
        Map<String, Path> files = new TreeMap<>();
        List<String> skipped = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                if (Files.isRegularFile(entry)) {
                    files.put(name, entry);
                } else {
                    skipped.add(entry + ": not a regular file (pod directories are not read recursively)");
                }
            }
        }
        Map<String, String> labels = PodLabels.read(directory);
        files.remove(PodLabels.FILE_NAME);
        Path csv = files.remove(RequestCounts.FILE_NAME);
        Path endpointsCsv = files.remove(EndpointRequestCounts.FILE_NAME);
        Path heapCsv = files.remove(HeapCsv.FILE_NAME);
        Path areasCsv = files.remove(AreaCsv.FILE_NAME);
        Map<String, Long> requests = csv == null ? Map.of() : RequestCounts.read(csv, Set.copyOf(files.keySet()));
        Map<String, Map<String, Long>> endpoints = endpointsCsv == null ? Map.of()
                : EndpointRequestCounts.read(endpointsCsv, Set.copyOf(files.keySet()));
        List<PodSlice> slices = new ArrayList<>();
        List<Path> profileFiles = new ArrayList<>();
        for (Map.Entry<String, Path> file : files.entrySet()) {
            List<Profile> profiles;
            try {
                profiles = ProfileFiles.read(file.getValue(), options);
            } catch (NotAProfileException e) {
                skipped.add(oneLine(e.getMessage()));
                continue;
            } catch (ProfileTypeRequiredException e) {
                skipped.add(file.getValue() + ": collapsed stacks do not say what they measure; "
                        + "the local source reads pprof and JFR files");
                continue;
            } catch (InvalidProfileException e) {
                skipped.add(oneLine(e.getMessage()));
                continue;
            }
            profileFiles.add(file.getValue());
            // as compare reads an instance directory: the total from requests.csv, else the file's endpoints together
            Map<String, Long> mix = endpoints.get(file.getKey());
            Long count = requests.get(file.getKey());
            if (count == null && mix != null) {
                count = EndpointRequestCounts.total(mix);
            }
            for (int i = 0; i < profiles.size(); i++) {
                slices.add(new PodSlice(file.getKey(), profiles.get(i), profiles.size() == 1 ? count : null,
                        EndpointRequestCounts.sliceOf(mix, i, profiles.size())));
            }
        }
        // Go's heap profiles saved one per slice hold allocations since the process started: judged per window
        GoHeapProfiles.Windows windows = GoHeapProfiles.perWindow(slices.stream().map(PodSlice::profile).toList());
        for (int i = 0; i < slices.size() && windows.differenced() > 0; i++) {
            slices.set(i, slices.get(i).withProfile(windows.profiles().get(i)));
        }
        HeapSeries heap = heap(directory, heapCsv, profileFiles, options, skipped);
        // a Go pod's goroutine profiles give its goroutines area (go_goroutines to the service)
        MemoryAreaSeries areas = GoroutineCounts.withGoroutines(areas(areasCsv, profileFiles, options, heap, skipped),
                directory.toString(), slices.stream().map(PodSlice::profile).toList(), heap.jvmStartMillis());
        return new PodDirectory(directory, labels, slices, skipped, heap, areas);
    }

    /** The pod's memory outside the heap; a file that cannot give it is skipped, said why. */
    private static MemoryAreaSeries areas(Path areasCsv, List<Path> profiles, ReadOptions options, HeapSeries heap,
                                          List<String> skipped) throws IOException {
        try {
            return InstanceHeapReader.areas(areasCsv, profiles, options, heap.jvmStartMillis());
        } catch (InvalidHeapCsvException | InvalidProfileException e) {
            skipped.add(oneLine(e.getMessage()) + " (the pod's memory outside the heap is not used)");
            return MemoryAreaSeries.empty();
        }
    }

    /** The pod's heap from its heap.csv or the profiles it uses; a file that cannot give it is skipped, said why. */
    private static HeapSeries heap(Path directory, Path heapCsv, List<Path> profiles, ReadOptions options,
                                   List<String> skipped) throws IOException {
        try {
            return InstanceHeapReader.read(directory.toString(), heapCsv, profiles, options);
        } catch (InvalidHeapCsvException | InvalidProfileException e) {
            skipped.add(oneLine(e.getMessage()) + " (the pod's heap after GC is not used)");
            return HeapSeries.empty(directory.toString());
        }
    }

    static String oneLine(String text) {
        return String.valueOf(text).replaceAll("[\\r\\n]+", " ");
    }
}
