package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Go frames as Go's runtime names them in pprof (most copied from the recorded Go pods, src/test/resources/go-pprof,
 * after normalisation). Before, every one of them was application code: a slower loop's preemption,
 * `runtime.asyncPreempt` +109 %, was the culprit of the Go canary's FAIL, and Go's GC and scheduler could FAIL a canary
 * as code.
 */
class GoFrameClassesTest {
    private final FrameClassifier defaults = FrameClassifier.defaults();

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            // the runtime's own work
            "runtime.gcBgMarkWorker | JVM_INTERNAL",
            "runtime.gcBgMarkWorker.func2 | JVM_INTERNAL",
            "runtime.gcDrain | JVM_INTERNAL",
            "runtime.scanobject | JVM_INTERNAL",
            "runtime.(*gcWork).balance | JVM_INTERNAL",
            "runtime.bgsweep | JVM_INTERNAL",
            "runtime.schedule | JVM_INTERNAL",
            "runtime.findRunnable | JVM_INTERNAL",
            "runtime.lock2 | JVM_INTERNAL",
            "runtime.futex | JVM_INTERNAL",
            "runtime.asyncPreempt | JVM_INTERNAL",
            "runtime.mcall | JVM_INTERNAL",
            "runtime.morestack | JVM_INTERNAL",
            "internal/runtime/atomic.(*Uint32).Load | JVM_INTERNAL",
            // the runtime's language operations an application calls (allocation too: no inlined fast path), and the
            // rest of the standard library
            "runtime.mallocgc | JDK",
            "runtime.growslice | JDK",
            "runtime.memclrNoHeapPointers | JDK",
            "runtime.(*mheap).alloc.func1 | JDK",
            "runtime.mapaccess1_faststr | JDK",
            "runtime.concatstrings | JDK",
            "runtime.chansend1 | JDK",
            "runtime.goexit | JDK",
            "runtime.main | JDK",
            "compress/flate.(*compressor).deflate | JDK",
            "compress/flate.NewWriter | JDK",
            "encoding/json.(*decodeState).literalStore | JDK",
            "crypto/sha256.block | JDK",
            "net/http.(*conn).serve | JDK",
            "fmt.Sprintf | JDK",
            "sync.(*Mutex).Lock | JDK",
            "reflect.Value.Call | JDK",
            "strconv.Itoa | JDK",
            // system calls, the profiler, well-known modules, the application
            "syscall.Syscall6 | NATIVE_SYSTEM",
            "internal/syscall/unix.GetRandom | NATIVE_SYSTEM",
            "golang.org/x/sys/unix.Syscall | NATIVE_SYSTEM",
            "runtime/pprof.(*profileBuilder).addCPUData | PROFILER",
            "runtime.sigprof | PROFILER",
            "github.com/grafana/pyroscope-go.(*Session).takeSnapshots | PROFILER",
            "google.golang.org/grpc.(*Server).handleStream | LIBRARY",
            "google.golang.org/protobuf/proto.Marshal | LIBRARY",
            "github.com/goccy/go-json.Marshal | LIBRARY",
            "main.priceOrder | APPLICATION",
            "main.main.func1 | APPLICATION",
            "github.com/shop/cart.(*Cart).Add | APPLICATION",
            // Java names that look alike stay Java's
            "io.netty.channel.nio.NioEventLoop.run | LIBRARY",
            "net.bytebuddy.dynamic.Nexus.initialize | LIBRARY",
            "java.lang.Thread.run | JDK",
            "context.app.Handler.run | APPLICATION"})
    void goFramesByImportPath(String name, FrameClass expected) {
        assertThat(defaults.classify(name)).isEqualTo(expected);
    }

    @Test
    void applicationAndLibraryPackagesTakeGoImportPaths() {
        FrameClassifier shop = new FrameClassifier(List.of("github.com/shop"), List.of("github.com/shop/vendor"), Map.of());

        assertThat(shop.classify("github.com/shop/cart.(*Cart).Add")).isEqualTo(FrameClass.APPLICATION);
        assertThat(shop.classify("github.com/shop/vendor/sdk.Call")).as("the longer prefix wins")
                .isEqualTo(FrameClass.LIBRARY);
        assertThat(shop.classify("github.com/shopping/cart.Add")).as("a path boundary, not a string prefix")
                .isEqualTo(FrameClass.LIBRARY);
        assertThat(shop.classify("main.main")).as("once the application is named, other code is a library's")
                .isEqualTo(FrameClass.APPLICATION);
        assertThat(new FrameClassifier(List.of("com/shop"), List.of(), Map.of()).classify("com.shop.Cart.add"))
                .as("a JVM's internal form still names a Java package").isEqualTo(FrameClass.APPLICATION);
        FrameClassifier io = new FrameClassifier(List.of("io/mycompany"), List.of(), Map.of());
        assertThat(io.classify("io.mycompany.Cart.add")).as("a JVM's internal form that starts like Go's io")
                .isEqualTo(FrameClass.APPLICATION);
        assertThat(io.classify("io/mycompany/cart.Add")).isEqualTo(FrameClass.APPLICATION);
    }

    @Test
    void labelsSayGoAndItsRuntime() {
        assertThat(defaults.label("compress/flate.(*compressor).deflate")).isEqualTo("Go's compress/flate");
        assertThat(defaults.label("runtime.gcDrain")).isEqualTo("the Go runtime (garbage collection)");
        assertThat(defaults.label("runtime.mallocgc")).isEqualTo("Go's runtime");
        assertThat(defaults.label("runtime.asyncPreempt")).isEqualTo("the Go runtime (scheduling)");
        assertThat(defaults.label("google.golang.org/grpc.(*Server).handleStream")).isEqualTo("gRPC");
        assertThat(Summaries.reportedApart(FrameClass.JVM_INTERNAL, "runtime.gcDrain"))
                .isEqualTo("Go runtime work (garbage collection): ");
        assertThat(Summaries.reportedApart(FrameClass.JVM_INTERNAL, "libjvm.so.PhaseChaitin::Split"))
                .isEqualTo("JVM work (JIT compilation): ");
    }

    @Test
    void goCodeIsNotUnderTheJitPrior() {
        assertThat(JitPrior.covers(FrameClass.JDK, "encoding/json.Unmarshal")).isFalse();
        assertThat(JitPrior.covers(FrameClass.JDK, "java.util.HashMap.get")).isTrue();
    }
}
