package io.canaryjudge.qa25;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.canaryjudge.qa25.OrderQuotes.Variant;
import io.canaryjudge.scenario.ShopPod;
import one.profiler.AsyncProfiler;
import reactor.netty.DisposableServer;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * One pod of the quote service under load, recording itself with async-profiler: {@code MODE VARIANT OUTPUT SECONDS
 * PORT [CLIENTS]}. MODE {@code reactor} serves {@link ReactiveOrders} on Reactor Netty (event loops, Reactor
 * operators); {@code virtual} serves {@link VirtualOrders} on the JDK's HTTP server with a virtual thread per request
 * (JDK 21+). CLIENTS platform threads (default 3) post orders over loopback as fast as they are answered. After
 * {@code -Dqa25.warmupMillis} (8000) it records SECONDS of {@code event=itimer,interval=1ms,alloc=512k} as JFR to
 * OUTPUT. Run with {@code -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints}.
 */
public final class QuotePod {
    private QuotePod() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Variant variant = Variant.valueOf(args[1].toUpperCase(Locale.ROOT));
        Path output = Path.of(args[2]).toAbsolutePath();
        double seconds = Double.parseDouble(args[3]);
        int port = Integer.parseInt(args[4]);
        int clients = args.length > 5 ? Integer.parseInt(args[5]) : 3;
        AutoCloseable server;
        ObjectMapper mapper;
        if (mode.equals("reactor")) {
            ReactiveOrders orders = new ReactiveOrders(variant);
            mapper = orders.mapper();
            DisposableServer netty = reactor.netty.http.server.HttpServer.create().host("127.0.0.1").port(port)
                    .handle((request, response) -> response.sendByteArray(
                            request.receive().aggregate().asByteArray().flatMap(orders::quote)))
                    .bindNow();
            server = netty::disposeNow;
        } else if (mode.equals("virtual")) {
            VirtualOrders orders = new VirtualOrders(variant);
            mapper = orders.mapper();
            HttpServer jdk = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
            jdk.setExecutor(VirtualOrders.newVirtualThreadPerTaskExecutor());
            jdk.createContext("/", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    byte[] answer = orders.quote(in.readAllBytes());
                    exchange.sendResponseHeaders(200, answer.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(answer);
                    }
                } catch (Exception e) {
                    exchange.sendResponseHeaders(500, -1);
                    exchange.close();
                }
            });
            jdk.start();
            server = () -> jdk.stop(0);
        } else {
            throw new IllegalArgumentException("MODE is reactor or virtual, was " + mode);
        }
        List<byte[]> bodies = OrderQuotes.requestBodies(mapper, 64);
        LongAdder served = new LongAdder();
        LongAdder failed = new LongAdder();
        URI uri = URI.create("http://127.0.0.1:" + port + "/quotes");
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int first = c * 7;
            Thread thread = new Thread(() -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                for (int i = first; !Thread.currentThread().isInterrupted(); i++) {
                    try {
                        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i & 63))).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
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
        Thread.sleep(Long.getLong("qa25.warmupMillis", 8000));
        AsyncProfiler profiler = ShopPod.loadProfiler();
        Files.createDirectories(output.getParent());
        long before = served.sum();
        profiler.execute("start,event=itimer,interval=1ms,alloc=512k,jfr,file=" + output);
        Thread.sleep((long) (seconds * 1000));
        profiler.execute("stop");
        long requests = served.sum() - before;
        threads.forEach(Thread::interrupt);
        server.close();
        System.err.printf(Locale.ROOT, "%s %s %s on %s: %d requests (%.0f/s), %d failed%n", mode, variant, output,
                System.getProperty("java.version"), requests, requests / seconds, failed.sum());
        System.exit(failed.sum() > served.sum() / 100 ? 1 : 0);
    }
}
