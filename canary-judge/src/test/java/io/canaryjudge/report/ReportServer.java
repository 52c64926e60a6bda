package io.canaryjudge.report;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real HTTP server on loopback that serves report pages the way the service will: the page at
 * {@code /reports/{id}} (assets linked relatively, {@code ../report-assets/}), the script and style
 * sheet at {@code /report-assets/...} from the classpath, the page's Content-Security-Policy as a
 * header too. Records every request so a test can check the page asks for nothing else.
 */
final class ReportServer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, String> pages = new ConcurrentHashMap<>();
    private final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());
    private final ReportAssets assets = ReportAssets.served("../report-assets/");

    ReportServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Renders {@code report} and serves it at {@code /reports/{id}}; returns its URL. */
    String publish(String id, Report report) {
        pages.put(id, new ReportPage().render(report, assets));
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/reports/" + id;
    }

    List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    void clearRequests() {
        requests.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(exchange.getRequestURI().toString());
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                send(exchange, 405, "text/plain", "GET only");
            } else if (path.startsWith("/reports/") && pages.containsKey(path.substring("/reports/".length()))) {
                exchange.getResponseHeaders().add("Content-Security-Policy", assets.contentSecurityPolicy());
                send(exchange, 200, "text/html; charset=utf-8", pages.get(path.substring("/reports/".length())));
            } else if (path.equals(ReportAssets.SERVED_PATH + ReportAssets.SCRIPT)) {
                send(exchange, 200, "text/javascript; charset=utf-8", ReportAssets.text(ReportAssets.SCRIPT));
            } else if (path.equals(ReportAssets.SERVED_PATH + ReportAssets.STYLE)) {
                send(exchange, 200, "text/css; charset=utf-8", ReportAssets.text(ReportAssets.STYLE));
            } else {
                send(exchange, 404, "text/plain", "not found");
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
