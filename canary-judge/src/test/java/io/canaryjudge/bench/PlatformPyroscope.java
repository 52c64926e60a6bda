package io.canaryjudge.bench;

import io.canaryjudge.profile.testing.PyroscopeStandIn;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Fault;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Route;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A Pyroscope stand-in for a platform's many rollouts, as its own process (bench/qa35-platform.sh): the
 * shipped example's real pprof (2 + 2 shop pods, 5 one-minute slices) served as {@code N} applications
 * {@code appNN}; even ones are the shop regression (canary = the shop canary's pods), odd ones A/A (canary =
 * copies of the baseline pods). Every pod has slices from {@code T0 - 5 min} to {@code T0 + 5 min} (the
 * pods are not young in the window {@code [T0, T0 + 5 min]}; the earlier five minutes are the baseline's
 * history window). Optionally one application's requests are delayed (a slow Pyroscope shard).
 * <pre>
 * java -cp CLASSPATH io.canaryjudge.bench.PlatformPyroscope PORT N T0 [SLOW_APP DELAY_MS]
 * </pre>
 * Prints "ready URL" when serving; runs until killed.
 */
public final class PlatformPyroscope {
    private PlatformPyroscope() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int apps = Integer.parseInt(args[1]);
        Instant t0 = Instant.parse(args[2]);
        Path shop = Path.of(System.getProperty("shop", "examples/profiles/shop"));
        PyroscopeStandIn pyroscope = PyroscopeStandIn.start(port);
        String[] baseline = {"shop-6d4f8c7b9-k2x7p", "shop-6d4f8c7b9-w5n3j"};
        String[] regression = {"shop-7f9b6c5d4-m4q8z", "shop-7f9b6c5d4-r9t2w"};
        for (int i = 1; i <= apps; i++) {
            String n = String.format("%02d", i);
            String app = "app" + n;
            String[] canary = i % 2 == 0 ? regression : baseline;
            for (int p = 0; p < 2; p++) {
                add(pyroscope, app, app + "-stable" + n + "-" + p, "stable" + n, app + "-primary",
                        shop.resolve(baseline[p]), t0);
                add(pyroscope, app, app + "-canary" + n + "-" + p, "canary" + n, app, shop.resolve(canary[p]), t0);
            }
        }
        if (args.length > 4) {
            Fault slow = Fault.delay(Duration.ofMillis(Long.parseLong(args[4]))).onlyFor(Map.of("service_name", args[3]));
            pyroscope.fail(Route.SELECT_MERGE_PROFILE, slow);
            pyroscope.fail(Route.SELECT_SERIES, slow);
        }
        System.out.println("ready " + pyroscope.url());
        Thread.currentThread().join();
    }

    /** Labels as Argo Rollouts ({@code rollouts_pod_template_hash}) and Flagger ({@code app}) set them. */
    private static void add(PyroscopeStandIn pyroscope, String app, String pod, String hash, String appLabel, Path dir,
                            Instant t0) {
        Map<String, String> labels = Map.of("service_name", app, "pod", pod, "rollouts_pod_template_hash", hash,
                "app", appLabel, "namespace", "test");
        pyroscope.addInstance(labels, dir, t0.minus(Duration.ofMinutes(5)), Duration.ofSeconds(60));
        pyroscope.addInstance(labels, dir, t0, Duration.ofSeconds(60));
    }
}
