package io.canaryjudge.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A recorded pod folder: its slice files and its {@code requests.csv}
 * ({@code profile,requests}, one row per slice file).
 *
 * @param folder   the pod folder
 * @param slices   slice files, in slice order ({@code slice-1}, {@code slice-2}, ...)
 * @param requests requests served per slice file name, in file order of {@code requests.csv}
 */
record PodFolder(Path folder, List<Path> slices, Map<String, Long> requests) {

    /** Reads the folder; the slice files are the {@code slice-*} files, ordered by slice number. */
    static PodFolder read(Path folder) throws IOException {
        List<Path> slices;
        try (Stream<Path> files = Files.list(folder)) {
            slices = new ArrayList<>(files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().startsWith("slice-")).toList());
        }
        slices.sort((a, b) -> Integer.compare(sliceNumber(a), sliceNumber(b)));
        Map<String, Long> requests = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(folder.resolve("requests.csv"), StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals("profile,requests")) {
            throw new IOException(folder.resolve("requests.csv") + ": header must be \"profile,requests\"");
        }
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (cells.length != 2) {
                throw new IOException(folder.resolve("requests.csv") + ": bad row \"" + line + "\"");
            }
            requests.put(cells[0], Long.parseLong(cells[1]));
        }
        return new PodFolder(folder, List.copyOf(slices), requests);
    }

    /** The pod folders {@code pod-1 .. pod-N} under a side's folder, in pod order. */
    static List<Path> pods(Path side) throws IOException {
        try (Stream<Path> pods = Files.list(side)) {
            return pods.filter(Files::isDirectory).filter(p -> p.getFileName().toString().startsWith("pod-"))
                    .sorted((a, b) -> Integer.compare(number(a, "pod-"), number(b, "pod-"))).toList();
        }
    }

    private static int sliceNumber(Path slice) {
        String name = slice.getFileName().toString();
        return Integer.parseInt(name.substring("slice-".length(), name.indexOf('.')));
    }

    private static int number(Path path, String prefix) {
        return Integer.parseInt(path.getFileName().toString().substring(prefix.length()));
    }
}
