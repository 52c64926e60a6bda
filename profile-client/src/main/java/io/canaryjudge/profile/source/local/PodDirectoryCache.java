package io.canaryjudge.profile.source.local;

import io.canaryjudge.profile.ReadOptions;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last few pod directories read, each kept until a file in it is added, removed, resized or touched
 * (its signature: names, sizes and modification times). Bounded by entries; least recently used go first.
 */
final class PodDirectoryCache {
    private final int capacity;
    private final Map<Path, Entry> entries;
    private final Map<Path, Object> locks = new HashMap<>();

    private record Entry(List<String> signature, PodDirectory pod) {
    }

    PodDirectoryCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true);
    }

    PodDirectory read(Path directory, ReadOptions options)
            throws IOException, PodLabels.InvalidLabelsException, InvalidRequestCountsException {
        // One reader per directory at a time: concurrent analyses of one application wait for the first read
        // instead of parsing the same files again.
        synchronized (lock(directory)) {
            List<String> signature = signature(directory);
            synchronized (entries) {
                Entry entry = entries.get(directory);
                if (entry != null && entry.signature().equals(signature)) {
                    return entry.pod();
                }
            }
            PodDirectory pod = PodDirectory.read(directory, options);
            synchronized (entries) {
                entries.put(directory, new Entry(signature, pod));
                if (entries.size() > capacity) {
                    Path eldest = entries.keySet().iterator().next();
                    entries.remove(eldest);
                }
            }
            return pod;
        }
    }

    private Object lock(Path directory) {
        synchronized (locks) {
            if (locks.size() > 4 * capacity) {
                locks.clear(); // directories come and go; a lock only matters while its read runs
            }
            return locks.computeIfAbsent(directory, d -> new Object());
        }
    }

    private static List<String> signature(Path directory) throws IOException {
        List<String> signature = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                signature.add(file.getFileName() + "|" + attributes.size() + "|" + attributes.lastModifiedTime());
            }
        }
        signature.sort(null);
        return signature;
    }
}
