package io.canaryjudge.judge.memory;

import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ReadOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A recorded Go server's folder (qa83's HTTP/2 and qa88's gRPC pods, README beside them): its goroutine profiles, one a
 * minute ({@code goroutine-NN.pb.gz}), and the load process's {@code load.csv} of the clients it kept open.
 */
final class RecordedGoServer {
    private RecordedGoServer() {
    }

    /** The pod's last goroutine profile (the highest-numbered file). */
    static Profile lastGoroutineProfile(Path pod) throws Exception {
        try (var files = Files.list(pod)) {
            Path file = files.filter(f -> f.getFileName().toString().startsWith("goroutine-")).sorted()
                    .reduce((a, b) -> b).orElseThrow();
            return ProfileFiles.read(file, ReadOptions.defaults()).get(0);
        }
    }

    /** The load process's open clients for the pod at its last row (load.csv: timestamp_ms,clients,requests). */
    static long lastClients(Path pod) throws Exception {
        List<String> rows = Files.readAllLines(pod.resolve("load.csv"));
        return Long.parseLong(rows.get(rows.size() - 1).split(",")[1]);
    }
}
