package io.canaryjudge.heldout.recording;

import io.canaryjudge.profile.FunctionTotals;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Prints what one recorded window folder holds: CPU and allocation samples per slice, stacks,
 * file sizes and the top functions by inclusive and self share (pooled over its slices). A tool for
 * looking at a recording; {@code java ... PodSummary FOLDER [TOP]}.
 */
public final class PodSummary {
    private PodSummary() {
    }

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        List<Path> slices;
        try (Stream<Path> files = Files.list(folder)) {
            slices = files.filter(f -> f.getFileName().toString().endsWith(".pb.gz")).sorted().toList();
        }
        for (ProfileType type : List.of(ProfileType.CPU, ProfileType.ALLOC_BYTES)) {
            Map<String, long[]> totals = new HashMap<>();
            long all = 0;
            List<String> perSlice = new ArrayList<>();
            for (Path slice : slices) {
                Profile profile = ProfileFiles.read(slice, ReadOptions.defaults()).get(0);
                FunctionTotals t = profile.functionTotals(type);
                all += t.total();
                for (int f = 0; f < t.functionCount(); f++) {
                    long[] v = totals.computeIfAbsent(t.functionName(f), k -> new long[2]);
                    v[0] += t.self(f);
                    v[1] += t.inclusive(f);
                }
                perSlice.add(String.format(Locale.ROOT, "%s: %d samples, %d stacks, %d bytes", slice.getFileName(),
                        profile.sampleCount(profile.sampleTypeIndex(type)), profile.stackCount(), Files.size(slice)));
            }
            System.out.println("== " + type.id());
            perSlice.forEach(System.out::println);
            long total = all;
            System.out.println("-- top inclusive");
            totals.entrySet().stream().sorted(Comparator.comparingLong(e -> -e.getValue()[1])).limit(top)
                    .forEach(e -> System.out.printf(Locale.ROOT, "%6.2f %% incl %6.2f %% self  %s%n",
                            100.0 * e.getValue()[1] / total, 100.0 * e.getValue()[0] / total, e.getKey()));
            System.out.println("-- top self");
            totals.entrySet().stream().sorted(Comparator.comparingLong(e -> -e.getValue()[0])).limit(top)
                    .forEach(e -> System.out.printf(Locale.ROOT, "%6.2f %% self %6.2f %% incl  %s%n",
                            100.0 * e.getValue()[0] / total, 100.0 * e.getValue()[1] / total, e.getKey()));
        }
    }
}
