package io.canaryjudge.qa29;

import com.sun.net.httpserver.HttpServer;
import io.canaryjudge.scenario.ShopPod;
import one.profiler.AsyncProfiler;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * One pod of the rule-script pricing service ({@link ScriptRules}) under load, recording itself with async-profiler:
 * {@code VARIANT SEED OUTPUT_DIR SECONDS PORT}. The JDK's HTTP server answers on two threads; two client threads post
 * orders over loopback as fast as they are answered. After {@code -Dqa29.warmupMillis} (10000) it records SECONDS of
 * {@code event=itimer,interval=1ms,alloc=512k} as {@code OUTPUT_DIR/profile.jfr} and writes {@code requests.csv}
 * (requests answered while recording). Run with {@code -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints} and
 * Groovy 5 and Rhino on the class path ({@link RecordScriptPodsRun}).
 */
public final class ScriptPod {
    private ScriptPod() {
    }

    public static void main(String[] args) throws Throwable {
        ScriptRules.Variant variant = ScriptRules.Variant.valueOf(args[0].toUpperCase(Locale.ROOT));
        long seed = Long.parseLong(args[1]);
        Path output = Files.createDirectories(Path.of(args[2]).toAbsolutePath());
        double seconds = Double.parseDouble(args[3]);
        int port = Integer.parseInt(args[4]);
        ScriptRules rules = new ScriptRules(variant, seed);
        System.setProperty("sun.net.httpserver.nodelay", "true"); // else TCP's delayed ACK holds each answer ~40 ms
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/quote", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] answer = rules.quote(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            } catch (Throwable e) {
                e.printStackTrace();
                exchange.sendResponseHeaders(500, -1);
                exchange.close();
            }
        });
        server.start();
        List<String> bodies = new ArrayList<>();
        Random random = new Random(7);
        for (int b = 0; b < 64; b++) {
            StringBuilder body = new StringBuilder().append(random.nextInt(4)).append(';');
            for (int i = 0, items = 3 + random.nextInt(10); i < items; i++) {
                body.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.2f*%d",
                        1 + random.nextDouble() * 120, 1 + random.nextInt(5)));
            }
            bodies.add(body.toString());
        }
        LongAdder served = new LongAdder();
        LongAdder failed = new LongAdder();
        URI uri = URI.create("http://127.0.0.1:" + port + "/quote");
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            int first = c * 7;
            Thread thread = new Thread(() -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                for (int i = first; !Thread.currentThread().isInterrupted(); i++) {
                    try {
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i & 63))).build(),
                                HttpResponse.BodyHandlers.ofString());
                        (response.statusCode() == 200 ? served : failed).increment();
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        failed.increment();
                    }
                }
            }, "load-" + c);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        Thread.sleep(Long.getLong("qa29.warmupMillis", 10000));
        AsyncProfiler profiler = ShopPod.loadProfiler();
        Path jfr = output.resolve("profile.jfr");
        long before = served.sum();
        profiler.execute("start,event=" + System.getProperty("qa29.event", "itimer")
                + ",interval=" + System.getProperty("qa29.interval", "1ms") + ",alloc=512k,jfr,file=" + jfr);
        Thread.sleep((long) (seconds * 1000));
        profiler.execute("stop");
        long requests = served.sum() - before;
        threads.forEach(Thread::interrupt);
        server.stop(0);
        Files.writeString(output.resolve("requests.csv"), "profile,requests\nprofile.jfr," + requests + "\n");
        System.err.printf(Locale.ROOT, "%s seed %d %s: %d requests (%.0f/s), %d failed%n", variant, seed, output,
                requests, requests / seconds, failed.sum());
        System.exit(failed.sum() > served.sum() / 100 ? 1 : 0);
    }
}
