package io.canaryjudge.bench;

import io.canaryjudge.profile.testing.PyroscopeStandIn;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Fault;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Route;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A Pyroscope stand-in for a soak of the service (bench/qa47-soak.sh), as its own process: the shipped example's real
 * pprof (2 + 2 shop pods, 5 one-minute slices) served as {@code N} applications {@code appNN}, labelled as Argo
 * Rollouts and Flagger label them (as {@link PlatformPyroscope}), but repeated in 5-minute blocks from
 * {@code T0 - 15 min} to {@code T0 + HOURS h}, so analyses of the last minutes keep finding pods for the whole soak.
 * Some applications' peers misbehave for ever: {@code app03}'s answers come 7 s late (past the call timeout),
 * {@code app05}'s are HTTP 503 (the source's own failure: its circuit), {@code app07}'s profiles are garbage (an
 * answer that cannot be used: that application's circuit).
 * <pre>
 * java -cp CLASSPATH io.canaryjudge.bench.SoakPyroscope PORT N T0 HOURS
 * </pre>
 * Prints "ready URL" when serving; runs until killed.
 */
public final class SoakPyroscope {
    private SoakPyroscope() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int apps = Integer.parseInt(args[1]);
        Instant t0 = Instant.parse(args[2]);
        int blocks = 3 + Integer.parseInt(args[3]) * 12;
        Path shop = Path.of(System.getProperty("shop", "examples/profiles/shop"));
        PyroscopeStandIn pyroscope = PyroscopeStandIn.start(port);
        String[] baseline = {"shop-6d4f8c7b9-k2x7p", "shop-6d4f8c7b9-w5n3j"};
        String[] regression = {"shop-7f9b6c5d4-m4q8z", "shop-7f9b6c5d4-r9t2w"};
        for (int i = 1; i <= apps; i++) {
            String n = String.format("%02d", i);
            String app = "app" + n;
            String[] canary = i % 2 == 0 ? regression : baseline;
            for (int p = 0; p < 2; p++) {
                Map<String, String> stable = Map.of("service_name", app, "pod", app + "-stable" + n + "-" + p,
                        "rollouts_pod_template_hash", "stable" + n, "app", app + "-primary", "namespace", "test");
                Map<String, String> canaryLabels = Map.of("service_name", app, "pod", app + "-canary" + n + "-" + p,
                        "rollouts_pod_template_hash", "canary" + n, "app", app, "namespace", "test");
                for (int b = 0; b < blocks; b++) {
                    Instant at = t0.minus(Duration.ofMinutes(15)).plus(Duration.ofMinutes(5L * b));
                    pyroscope.addInstance(stable, shop.resolve(baseline[p]), at, Duration.ofSeconds(60));
                    pyroscope.addInstance(canaryLabels, shop.resolve(canary[p]), at, Duration.ofSeconds(60));
                }
            }
        }
        for (Route route : new Route[] {Route.SELECT_MERGE_PROFILE, Route.SELECT_SERIES}) {
            pyroscope.fail(route, Fault.delay(Duration.ofSeconds(7)).onlyFor(Map.of("service_name", "app03")));
            pyroscope.fail(route, Fault.error(503, "unavailable").onlyFor(Map.of("service_name", "app05")));
        }
        pyroscope.fail(Route.SELECT_MERGE_PROFILE, Fault.malformedBody().onlyFor(Map.of("service_name", "app07")));
        System.out.println("ready " + pyroscope.url());
        Thread.currentThread().join();
    }
}
