package io.canaryjudge.qa79;

import io.canaryjudge.scenario.OpenLoopLoad;
import io.canaryjudge.scenario.OpenLoopPod;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The HTTP load generator for {@link MixPod} (qa79), its own JVM: open-loop arrivals at {@code rate} a second per
 * target, each target {@code PORT:w1/w2/w3/w4[/w5]} (weights of /search, /quote, /product, /cart and qa85's /export,
 * a weight not given is 0; e.g. the global mix
 * {@code 20/30/40/10}, an A/B route sending the canary twice the searches {@code 40/22.5/30/7.5}). Each request's
 * endpoint is drawn by a low-discrepancy sequence, so a slice's mix is the weights' within a request or two. At most 64
 * in flight per target (more are dropped and counted: {@link OpenLoopLoad}). {@code targets=T1,T2,...}; runs for
 * {@code seconds}.
 */
public final class MixLoad {
    private MixLoad() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> map = OpenLoopPod.arguments(args);
        double rate = Double.parseDouble(map.getOrDefault("rate", "100"));
        double seconds = Double.parseDouble(map.getOrDefault("seconds", "1e9"));
        List<OpenLoopLoad.Target> targets = new ArrayList<>();
        for (String target : map.get("targets").split(",")) {
            int port = Integer.parseInt(target.substring(0, target.indexOf(':')));
            String[] w = target.substring(target.indexOf(':') + 1).split("/");
            double[] cumulative = new double[MixPod.ENDPOINTS.length];
            double sum = 0;
            for (int e = 0; e < cumulative.length; e++) {
                sum += e < w.length ? Double.parseDouble(w[e]) : 0;
                cumulative[e] = sum;
            }
            double total = sum;
            targets.add(new OpenLoopLoad.Target(String.valueOf(port), issued -> {
                // Golden-ratio sequence: evenly spread over [0, 1), so every slice sees the weights' mix.
                double u = (issued * 0.6180339887498949) % 1.0 * total;
                int e = 0;
                while (e < cumulative.length - 1 && u >= cumulative[e]) {
                    e++;
                }
                return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + MixPod.ENDPOINTS[e] + "?id=" + (issued % 5000))).timeout(Duration.ofSeconds(10)).GET().build();
            }));
        }
        OpenLoopLoad.run(rate, seconds, targets);
    }
}
