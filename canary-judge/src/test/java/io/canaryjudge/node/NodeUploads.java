package io.canaryjudge.node;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.profile.testing.PyroscopeStandIn;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * qa76's Node pods (src/test/resources/qa76/pods: what {@code @pyroscope/nodejs} 0.6.4 uploaded at its defaults, a wall
 * and a heap profile a minute) as a Pyroscope stand-in holds them for the service tests that judge them
 * (qa82, qa86, fxg).
 */
public final class NodeUploads {
    /** When the first upload's minute starts. */
    public static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    /** One upload's span. */
    public static final Duration UPLOAD = Duration.ofMinutes(1);
    /** Uploads added per pod (files -002 to -008). */
    public static final int UPLOADS = 7;
    public static final Path PODS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa76/pods");

    private NodeUploads() {
    }

    /**
     * Adds each pod's {@link #UPLOADS} wall and heap uploads, byte for byte, as service {@code shop}, one series per
     * pod ({@code pod=shop-HASH-POD}): the baseline's pods share template hash {@code base}, each canary has its own
     * (its name).
     */
    public static void addTo(PyroscopeStandIn pyroscope) {
        for (String pod : List.of("b1", "b2", "b3", "a1", "a2", "s1", "d1")) {
            String hash = pod.startsWith("b") ? "base" : pod;
            Map<String, String> labels = Map.of("service_name", "shop", "pod", "shop-" + hash + "-" + pod,
                    "rollouts_pod_template_hash", hash);
            for (int i = 0; i < UPLOADS; i++) {
                Instant at = T0.plus(UPLOAD.multipliedBy(i));
                String n = "%03d".formatted(i + 2);
                pyroscope.addProfile(labels, at, at.plus(UPLOAD), PODS.resolve(pod).resolve("wall-" + n + ".pb.gz"));
                pyroscope.addProfile(labels, at, at.plus(UPLOAD), PODS.resolve(pod).resolve("heap-" + n + ".pb.gz"));
            }
        }
    }
}
