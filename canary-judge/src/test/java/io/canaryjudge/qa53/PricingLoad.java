package io.canaryjudge.qa53;

import io.canaryjudge.scenario.OpenLoopLoad;
import io.canaryjudge.scenario.OpenLoopPod;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP load generator for {@link PricingPod} (qa53), its own JVM: open-loop arrivals at {@code rate} a second
 * per port ({@code ports=a,b}), three in four a {@code POST /v1/quote} with one of 64 carts of 12-28 lines, one in four a
 * {@code GET /v1/stock/{sku}}; at most 64 in flight per port (more are dropped and counted: {@link OpenLoopLoad}). Runs
 * until killed or for {@code seconds}.
 */
public final class PricingLoad {
    private PricingLoad() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> map = OpenLoopPod.arguments(args);
        double rate = Double.parseDouble(map.getOrDefault("rate", "150"));
        double seconds = Double.parseDouble(map.getOrDefault("seconds", "1e9"));
        ObjectMapper json = JsonMapper.builder().build();
        List<byte[]> carts = new ArrayList<>();
        for (int c = 0; c < 64; c++) {
            List<PricingPod.CartLine> lines = new ArrayList<>();
            int n = 12 + (c * 7) % 17;
            for (int i = 0; i < n; i++) {
                long h = (c * 1000L + i) * 0x9E3779B97F4A7C15L;
                lines.add(new PricingPod.CartLine("SKU-" + Long.toString(Long.remainderUnsigned(h >>> 20, 90_000), 36)
                        .toUpperCase(Locale.ROOT), 1 + (int) Long.remainderUnsigned(h >>> 40, 6),
                        99 + Long.remainderUnsigned(h >>> 11, 40_000), c % 3 == 0 ? "EU" : "US"));
            }
            carts.add(json.writeValueAsBytes(new PricingPod.Cart("customer-" + c, c % 3 == 0 ? "EUR" : "USD", lines)));
        }
        List<OpenLoopLoad.Target> targets = new ArrayList<>();
        for (String p : map.get("ports").split(",")) {
            int port = Integer.parseInt(p);
            targets.add(new OpenLoopLoad.Target(p, issued -> issued % 4 == 3
                    ? HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/stock/SKU-"
                            + Long.toString(issued % 5000, 36))).timeout(Duration.ofSeconds(10)).GET().build()
                    : HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/quote"))
                            .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(carts.get((int) (issued % 64))))
                            .build()));
        }
        OpenLoopLoad.run(rate, seconds, targets);
    }
}
