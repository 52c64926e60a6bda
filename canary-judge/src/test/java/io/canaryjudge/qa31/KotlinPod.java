package io.canaryjudge.qa31;

import io.canaryjudge.scenario.ShopPod;
import one.profiler.AsyncProfiler;

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
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;

/**
 * One pod of the Kotlin quote service ({@code QuoteService.kt}, built by {@link KotlinBuild}) under load, recording
 * itself with async-profiler: {@code OUTPUT_DIR SECONDS PORT}, the compiled service, kotlin-stdlib and
 * kotlinx-coroutines on the class path. Two client threads post orders over loopback as fast as they are answered;
 * after {@code -Dqa31.warmupMillis} (8000) it records SECONDS of {@code event=itimer,interval=1ms,alloc=512k} as
 * {@code OUTPUT_DIR/profile.jfr} and writes {@code requests.csv}. Run with
 * {@code -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints} ({@link RecordKotlinPodsRun}).
 */
public final class KotlinPod {
    private KotlinPod() {
    }

    public static void main(String[] args) throws Throwable {
        Path output = Files.createDirectories(Path.of(args[0]).toAbsolutePath());
        double seconds = Double.parseDouble(args[1]);
        int port = Integer.parseInt(args[2]);
        System.setProperty("sun.net.httpserver.nodelay", "true"); // else TCP's delayed ACK holds each answer ~40 ms
        Object server = Class.forName("com.example.quotes.QuoteServer").getMethod("start", int.class).invoke(null, port);
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
        Thread.sleep(Long.getLong("qa31.warmupMillis", 8000));
        AsyncProfiler profiler = ShopPod.loadProfiler();
        Path jfr = output.resolve("profile.jfr");
        long before = served.sum();
        profiler.execute("start,event=" + System.getProperty("qa31.event", "itimer")
                + ",interval=1ms,alloc=512k,jfr,file=" + jfr);
        Thread.sleep((long) (seconds * 1000));
        profiler.execute("stop");
        long requests = served.sum() - before;
        threads.forEach(Thread::interrupt);
        ((com.sun.net.httpserver.HttpServer) server).stop(0);
        Files.writeString(output.resolve("requests.csv"), "profile,requests\nprofile.jfr," + requests + "\n");
        System.err.printf(Locale.ROOT, "%s: %d requests (%.0f/s), %d failed%n", output, requests, requests / seconds,
                failed.sum());
        System.exit(failed.sum() > served.sum() / 100 ? 1 : 0);
    }
}
