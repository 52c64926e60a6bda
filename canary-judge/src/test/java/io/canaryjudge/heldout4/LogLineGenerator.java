package io.canaryjudge.heldout4;

import java.util.SplittableRandom;

/**
 * Synthetic access-log lines, as the shippers of a fleet would send them: a seeded generator, so a pod's
 * traffic is deterministic, but each pod gets its own seed (its own share of the fleet's traffic).
 */
final class LogLineGenerator {
    private static final String[] SERVICES = {"checkout", "catalog", "accounts", "search", "media", "billing"};
    private static final String[] PATHS = {"/api/v2/items/%d", "/api/v2/cart/%d/lines", "/login", "/api/v1/search",
            "/static/img/%d.webp", "/api/v2/invoices/%d/pdf", "/api/v2/users/%d/profile", "/healthz"};
    private static final String[] METHODS = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};
    private static final String[] AGENTS = {
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
            "okhttp/4.12.0", "curl/8.5.0", "Googlebot/2.1 (+http://www.google.com/bot.html)",
            "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0"};
    private static final int[] STATUSES = {200, 200, 200, 200, 200, 201, 204, 301, 304, 400, 404, 500, 503};

    private final SplittableRandom random;
    private long clock = 1_764_900_000_000L;
    private final StringBuilder line = new StringBuilder(256);

    LogLineGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The next line, e.g. {@code 2026-... host=web-12 svc=checkout "GET /api/v2/items/42" 200 1234us 512b ip=...}. */
    String next() {
        clock += 1 + random.nextInt(3);
        line.setLength(0);
        line.append("ts=").append(clock)
                .append(" host=web-").append(random.nextInt(40))
                .append(" svc=").append(SERVICES[random.nextInt(SERVICES.length)])
                .append(" \"").append(METHODS[random.nextInt(METHODS.length)]).append(' ');
        String path = PATHS[random.nextInt(PATHS.length)];
        int slot = path.indexOf("%d");
        if (slot < 0) {
            line.append(path);
        } else {
            line.append(path, 0, slot).append(random.nextInt(50_000)).append(path, slot + 2, path.length());
        }
        int latency = (int) Math.min(5_000_000, Math.exp(6 + 1.5 * random.nextDouble() * 3));
        line.append("\" status=").append(STATUSES[random.nextInt(STATUSES.length)])
                .append(" latency=").append(latency).append("us")
                .append(" bytes=").append(random.nextInt(200_000))
                .append(" ip=").append(10 + random.nextInt(200)).append('.').append(random.nextInt(256)).append('.')
                .append(random.nextInt(256)).append('.').append(random.nextInt(256))
                .append(" user=u").append(random.nextInt(100_000))
                .append(" session=").append(Long.toHexString(random.nextLong()))
                .append(" ua=\"").append(AGENTS[random.nextInt(AGENTS.length)]).append('"');
        return line.toString();
    }
}
