package io.canaryjudge.heldout4;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Enriches an event from lookup tables: the client network's region and country, the user agent's class. */
final class GeoEnricher {
    private static final String[] REGIONS = {"eu-west", "eu-central", "us-east", "us-west", "ap-south", "sa-east"};
    private static final String[] COUNTRIES = {"IE", "DE", "FR", "US", "CA", "IN", "BR", "JP", "NL", "PL", "ES"};
    private final Map<String, String[]> networks = new HashMap<>();
    private final Map<String, String> agentCache = new HashMap<>();

    GeoEnricher() {
        for (int a = 10; a < 210; a++) {
            for (int b = 0; b < 256; b++) {
                int h = a * 257 + b;
                networks.put(a + "." + b, new String[] {REGIONS[h % REGIONS.length], COUNTRIES[(h / 7) % COUNTRIES.length]});
            }
        }
    }

    void enrich(LogEvent e) {
        int first = e.clientIp.indexOf('.');
        int second = e.clientIp.indexOf('.', first + 1);
        String[] geo = networks.get(e.clientIp.substring(0, second));
        e.region = geo == null ? "unknown" : geo[0];
        e.country = geo == null ? "ZZ" : geo[1];
        e.agentClass = agentCache.computeIfAbsent(e.userAgent, GeoEnricher::classify);
        e.service = e.service.toLowerCase(Locale.ROOT);
    }

    private static String classify(String agent) {
        String a = agent.toLowerCase(Locale.ROOT);
        if (a.contains("bot")) {
            return "crawler";
        }
        if (a.contains("iphone") || a.contains("android") || a.contains("mobile")) {
            return "mobile";
        }
        if (a.startsWith("mozilla")) {
            return "desktop";
        }
        return "sdk";
    }
}
