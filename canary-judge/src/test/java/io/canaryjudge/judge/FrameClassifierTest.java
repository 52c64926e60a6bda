package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Frame classes of names as they are spelled after FrameNames normalisation. Most names are copied from
 * the shared fixtures (Kafka broker, dd-trace-java, FastSlow: {@code collapse} of each) and the
 * recorded shop scenarios.
 */
class FrameClassifierTest {
    private final FrameClassifier defaults = FrameClassifier.defaults();

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            // the JVM's own library, C++ without a library, stubs and markers
            "libjvm.so.PhaseChaitin::Split | JVM_INTERNAL",
            "libjvm.so.void G1CMTask::process_grey_task_entry<true> | JVM_INTERNAL",
            "libjvm.so.Parker::park | JVM_INTERNAL",
            "C2Compiler::compile_method | JVM_INTERNAL",
            "G1CMTask::do_marking_step | JVM_INTERNAL",
            ".itable stub | JVM_INTERNAL",
            ".vtable stub | JVM_INTERNAL",
            "Interpreter | JVM_INTERNAL",
            ".jbyte_disjoint_arraycopy_avx3 | JVM_INTERNAL",
            // HotSpot's stubs that compute a JDK method (Math.sin, CRC32C) are that method's work: the JDK
            ".updateBytesCRC32C | JDK",
            ".libmExp | JDK",
            ".libmSin | JDK",
            "libmSin | JDK",
            ".sha256_implCompressMB | JDK",
            "._new_array_Java | JVM_INTERNAL",
            ".unknown_Java | JVM_INTERNAL",
            "[not_walkable_Java] | JVM_INTERNAL",
            "JVM_FillInStackTrace | JVM_INTERNAL",
            "java.lang.ClassLoader.loadClass | JVM_INTERNAL",
            "jdk.internal.loader.BuiltinClassLoader.loadClassOrNull | JVM_INTERNAL",
            // the C library, dynamic linker, vDSO, kernel
            "libc-2.31.so.clock_gettime | NATIVE_SYSTEM",
            "libc.so.6.__lll_lock_wake | NATIVE_SYSTEM",
            "libpthread-2.31.so.__pthread_cond_timedwait | NATIVE_SYSTEM",
            "'libpthread-2.17.so,649be141' | NATIVE_SYSTEM",
            "ld-linux-x86-64.so.2.__tls_get_addr | NATIVE_SYSTEM",
            "ld-2.31.so.__tls_get_addr | NATIVE_SYSTEM",
            "vdso.__vdso_clock_gettime | NATIVE_SYSTEM",
            ".[vdso] | NATIVE_SYSTEM",
            "./lib/x86_64-linux-gnu/libz.so.1.2.11 | NATIVE_SYSTEM",
            ".do_syscall_64 | NATIVE_SYSTEM",
            ".finish_task_switch.isra.0 | NATIVE_SYSTEM",
            "__libc_write | NATIVE_SYSTEM",
            "[kernel.kallsyms] | NATIVE_SYSTEM",
            // the profiler's own frames
            "libasyncProfiler.so.LockTracer::UnsafeParkHook | PROFILER",
            "libasyncProfiler.so.Profiler::recordSample | PROFILER",
            "libasyncProfiler.so.Java_one_profiler_AsyncProfiler_execute0 | PROFILER",
            "LockTracer::UnsafeParkHook | PROFILER",
            "Profiler::recordSample | PROFILER",
            "one.profiler.AsyncProfiler.execute0 | PROFILER",
            "io.pyroscope.javaagent.Profiler.dump | PROFILER",
            "jdk.jfr.internal.PlatformRecorder.periodicTask | PROFILER",
            // the application's JNI libraries
            "snappy-1.1.8-libsnappyjava.so.Java_org_xerial_snappy_SnappyNative_rawUncompress__Ljava_lang_Object_2IILjava_lang_Object_2I | APPLICATION_NATIVE",
            "libsnappyjava.so.snappy::internal::CompressFragment | APPLICATION_NATIVE",
            "libzstd-jni-1.5.5-6.so.ZSTD_compressStream2 | APPLICATION_NATIVE",
            "liblz4-java.so.LZ4_compress_fast | APPLICATION_NATIVE",
            // a frame without a symbol, named by its library's path (the Kafka fixture, through jfr-parser)
            "./tmp/snappy-1.1.8-libsnappyjava.so | APPLICATION_NATIVE",
            "./usr/lib/jvm/java-17/lib/server/libjvm.so | JVM_INTERNAL",
            "./lib/x86_64-linux-gnu/libc-2.31.so | NATIVE_SYSTEM",
            "./lib/x86_64-linux-gnu/ld-2.31.so | NATIVE_SYSTEM",
            "Java_com_acme_codec_Native_encode | APPLICATION_NATIVE",
            // the JDK, Java and native
            "java.util.regex.Pattern.compile | JDK",
            "java.lang.ThreadLocal.get | JDK",
            "jdk.internal.misc.Unsafe.park | JDK",
            "sun.nio.ch.EPoll.wait | JDK",
            "com.sun.net.httpserver.Filter$Chain.doFilter | JDK",
            "libnio.so.Java_sun_nio_ch_EPoll_wait | JDK",
            "Java_java_util_zip_Inflater_inflateBytesBytes | JDK",
            // well-known libraries
            "tools.jackson.databind.ser.jdk.IndexedListSerializer.serializeContentsUsing | LIBRARY",
            "com.fasterxml.jackson.core.json.UTF8JsonGenerator.writeString | LIBRARY",
            "io.netty.channel.nio.NioEventLoop.run | LIBRARY",
            "org.springframework.web.servlet.DispatcherServlet.doDispatch | LIBRARY",
            "com.google.common.collect.ImmutableList.copyOf | LIBRARY",
            "org.apache.lucene.index.IndexWriter.addDocument | LIBRARY",
            "org.h2.command.Command.executeQuery | LIBRARY",
            "org.apache.kafka.common.record.MemoryRecords.filterTo | LIBRARY",
            "scala.collection.mutable.HashMap.foreach | LIBRARY",
            "kotlin.collections.CollectionsKt.first | LIBRARY",
            "io.grpc.internal.ServerImpl$JumpToApplicationThreadServerStreamListener.messagesAvailable | LIBRARY",
            "com.google.protobuf.CodedOutputStream.writeBytes | LIBRARY",
            "reactor.core.publisher.Flux.subscribe | LIBRARY",
            "org.hibernate.internal.SessionImpl.find | LIBRARY",
            "org.apache.commons.lang3.StringUtils.join | LIBRARY",
            "libnetty_transport_native_epoll_x86_64.so.netty_epoll_native_epollWait | LIBRARY",
            // everything else is the application's (no applicationPackages configured)
            "kafka.server.KafkaApis.handle | APPLICATION",
            "io.canaryjudge.scenario.shop.PriceCalculator.applyDiscounts | APPLICATION",
            "FastSlow.fib | APPLICATION",
            "com.example.social.FeedService.render | APPLICATION",
            "sh.platform.App$MyHandler.handle | APPLICATION",
            "javaxyz.Foo.bar | APPLICATION",
            // jsoup's HTML builder under a reporting service's own code (qa50 counted it as the application's)
            "org.jsoup.nodes.Element.outerHtml | LIBRARY",
            "scalar.Vector.dot | APPLICATION"})
    void framesAsTheFixturesSpellThem(String name, FrameClass expected) {
        assertThat(defaults.classify(name)).isEqualTo(expected);
    }

    @Test
    void applicationPackagesNarrowWhatIsApplication() {
        FrameClassifier shop = new FrameClassifier(List.of("com.shop", "kafka.*"), List.of("com.shop.vendor."), Map.of());

        assertThat(shop.classify("com.shop.PriceCalculator.applyDiscounts")).isEqualTo(FrameClass.APPLICATION);
        assertThat(shop.classify("kafka.server.KafkaApis.handle")).isEqualTo(FrameClass.APPLICATION);
        assertThat(shop.classify("com.shopping.Cart.add")).as("a package boundary, not a string prefix")
                .isEqualTo(FrameClass.LIBRARY);
        assertThat(shop.classify("com.shop.vendor.Sdk.call")).as("the longer prefix wins").isEqualTo(FrameClass.LIBRARY);
        assertThat(shop.classify("org.acme.Unknown.run")).as("unknown packages are libraries once the application is named")
                .isEqualTo(FrameClass.LIBRARY);
        assertThat(shop.classify("java.util.HashMap.get")).isEqualTo(FrameClass.JDK);
        assertThat(shop.classify("Java_org_acme_Codec_encode")).as("JNI code shipped with the service")
                .isEqualTo(FrameClass.APPLICATION_NATIVE);
    }

    @Test
    void nativeLibrariesCanBeReclassified() {
        FrameClassifier custom = new FrameClassifier(List.of(), List.of(),
                Map.of("libsnappyjava", FrameClass.LIBRARY, "LIBCUSTOMALLOC", FrameClass.NATIVE_SYSTEM));

        assertThat(custom.classify("libsnappyjava.so.snappy::RawCompress")).isEqualTo(FrameClass.LIBRARY);
        assertThat(custom.classify("libcustomalloc-2.0.so.custom_malloc")).isEqualTo(FrameClass.NATIVE_SYSTEM);
        assertThat(custom.classify("libzstd-jni.so.ZSTD_compress")).isEqualTo(FrameClass.APPLICATION_NATIVE);
    }

    @Test
    void badPrefixesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> new FrameClassifier(List.of("com.*.shop"), List.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("applicationPackages")
                .hasMessageContaining("com.*.shop");
        assertThatThrownBy(() -> new FrameClassifier(List.of(), List.of(" "), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("libraryPackages");
        assertThatThrownBy(() -> new FrameClassifier(List.of(), List.of(), Map.of("/usr/lib/libx.so", FrameClass.LIBRARY)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nativeLibraries");
    }

    /** Whatever a profile calls a frame, classifying it answers, fast, and never throws. */
    @ParameterizedTest
    @ValueSource(strings = {"", " ", ".", "..", "...so", ".so", "lib.so.", "libx.so.", "[", "]", "[unknown]", "::", "a::",
            "::b", "<init>", "java.", "java..lang..String", "com.shop.`weird name`.run", "com.shop.Foo.bar\nbaz",
            "<script>alert(1)</script>", "libfoo.so.so.so.so", "über.Klasse.methode", "\u0000", "$$Lambda.apply",
            "org.so.Foo.bar", "void", "void ::", "libjvm.so.", "Java_", "Java__", "Java_one_profiler"})
    void oddNamesAreClassified(String name) {
        assertThat(defaults.classify(name)).isNotNull();
        assertThat(defaults.label(name)).isNotNull();
    }

    @Test
    void hugeNamesAreClassifiedQuickly() {
        String slashes = "/".repeat(200_000) + "libc.so.6.x";
        String dotted = "a.".repeat(100_000) + "so.x";
        String template = "void " + "A<".repeat(50_000) + "::f";
        long start = System.nanoTime();
        for (String name : List.of(slashes, dotted, template, "x".repeat(1_000_000))) {
            assertThat(defaults.classify(name)).isNotNull();
            assertThat(defaults.label(name)).isNotNull();
        }
        assertThat(NativeFrameNames.isJvmThreadRoot(template)).isFalse();
        assertThat((System.nanoTime() - start) / 1e9).as("seconds for four huge names").isLessThan(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CompileBroker::compiler_thread_loop", "libjvm.so.GangWorker::loop", "VMThread::run"})
    void jvmThreadRootsAreRecognised(String name) {
        assertThat(NativeFrameNames.isJvmThreadRoot(name)).isTrue();
    }

    @Test
    void labelsNameLibrariesPackagesAndNativeLibraries() {
        assertThat(defaults.label("tools.jackson.core.json.UTF8JsonGenerator.writeString")).isEqualTo("Jackson");
        assertThat(defaults.label("java.util.regex.Pattern$Start.match")).isEqualTo("java.util.regex");
        assertThat(defaults.label("java.lang.ThreadLocal.get")).isEqualTo("java.lang");
        assertThat(defaults.label("snappy-1.1.8-libsnappyjava.so.Java_org_xerial_snappy_SnappyNative_rawCompress"))
                .isEqualTo("snappy-1.1.8-libsnappyjava.so");
        assertThat(defaults.label("./tmp/snappy-1.1.8-libsnappyjava.so")).isEqualTo("snappy-1.1.8-libsnappyjava.so");
        assertThat(defaults.label("libjvm.so.PhaseChaitin::Split")).isEqualTo("the JVM (JIT compilation)");
        assertThat(defaults.label("libjvm.so.G1ParScanThreadState::trim_queue")).isEqualTo("the JVM (garbage collection)");
        // ParallelGC's and G1's workers balancing their queues (qa22 read these as "JVM runtime").
        assertThat(defaults.label("libjvm.so.steal_work(TaskTerminator&, unsigned int)"))
                .isEqualTo("the JVM (garbage collection)");
        assertThat(defaults.label("libjvm.so.TaskTerminator::offer_termination")).isEqualTo("the JVM (garbage collection)");
        assertThat(defaults.label(".do_syscall_64")).isEqualTo("the kernel and C library");
        assertThat(defaults.label(".libmSin")).isEqualTo("the JDK's intrinsic stubs");
        assertThat(defaults.label("com.shop.Cart.add")).isEqualTo("application code");
        assertThat(new FrameClassifier(List.of(), List.of("com.acme.sdk"), Map.of()).label("com.acme.sdk.Client.call"))
                .isEqualTo("com.acme.sdk");
    }

    /**
     * SerialGC, which JVM ergonomics choose for a container or node that gives the JVM one CPU (qa28: recorded shop pods
     * with {@code -XX:ActiveProcessorCount=1} or {@code taskset -c 0} beside G1 baseline pods), collects in the VM thread
     * through these frames; the canary's incidents read "JVM work (JVM runtime): new hot path under
     * `…OopOopIterateDispatch<DefNewScanClosure>…`" and "…`DefNewGeneration::collect`, mostly the JVM (JVM runtime)".
     * G1's VM operation and concurrent threads likewise.
     */
    @ParameterizedTest
    @ValueSource(strings = {"libjvm.so.VM_GenCollectForAllocation::doit", "libjvm.so.GenCollectedHeap::do_collection",
        "libjvm.so.GenCollectedHeap::satisfy_failed_allocation", "libjvm.so.GenCollectedHeap::collect_generation",
        "libjvm.so.void OopOopIterateDispatch<DefNewScanClosure>::Table::oop_oop_iterate<InstanceKlass, narrowOop>",
        "libjvm.so.void OopOopIterateBackwardsDispatch<G1ScanEvacuatedObjClosure>::Table::oop_oop_iterate_backwards<InstanceKlass, narrowOop>",
        "libjvm.so.void OopOopIterateBoundedDispatch<G1ScanCardClosure>::Table::oop_oop_iterate_bounded<ObjArrayKlass, narrowOop>",
        "libjvm.so.FastScanClosure<DefNewYoungerGenClosure>::do_oop", "libjvm.so.ContiguousSpaceDCTOC::walk_mem_region_with_cl",
        "libjvm.so.FilteringDCTOC::walk_mem_region", "libjvm.so.ClearNoncleanCardWrapper::do_MemRegion",
        "libjvm.so.VM_G1CollectForAllocation::doit", "libjvm.so.ConcurrentGCThread::run"})
    void serialCollectorFramesAreGarbageCollection(String frame) {
        assertThat(defaults.classify(frame)).isEqualTo(FrameClass.JVM_INTERNAL);
        assertThat(defaults.label(frame)).isEqualTo("the JVM (garbage collection)");
    }

    @Test
    void theVmThreadAndJavaThreadsAreStillTheJvmRuntime() {
        assertThat(defaults.label("libjvm.so.VMThread::evaluate_operation")).isEqualTo("the JVM (JVM runtime)");
        assertThat(defaults.label("libjvm.so.JavaThread::oops_do_frames")).isEqualTo("the JVM (JVM runtime)");
        assertThat(defaults.label("libjvm.so.VM_Deoptimize::doit")).isEqualTo("the JVM (JVM runtime)");
    }

    /**
     * Virtual threads (JDK 21+, recorded with async-profiler 4.2 on JDK 25, {@code io.canaryjudge.qa25.QuotePod
     * virtual}): the continuation's Java frames are the JDK's, and the stubs HotSpot generates to mount and unmount
     * one ({@code cont_thaw}, {@code cont_returnBarrier}: no library, as async-profiler names generated code) are the
     * JVM's work, not "the kernel and C library".
     */
    @Test
    void virtualThreadFramesAreTheJdksAndTheJvms() {
        assertThat(defaults.classify("java.lang.VirtualThread.run")).isEqualTo(FrameClass.JDK);
        assertThat(defaults.classify("jdk.internal.vm.Continuation.enterSpecial")).isEqualTo(FrameClass.JDK);
        assertThat(defaults.classify("java.util.concurrent.ForkJoinWorkerThread.run")).isEqualTo(FrameClass.JDK);
        for (String stub : List.of(".cont_thaw", ".cont_returnBarrier", ".cont_returnBarrierExc", ".cont_doYield")) {
            assertThat(defaults.classify(stub)).as(stub).isEqualTo(FrameClass.JVM_INTERNAL);
            assertThat(defaults.label(stub)).as(stub).isEqualTo("the JVM (virtual-thread switching)");
        }
        assertThat(defaults.label("libjvm.so.Thaw<Config<(oop_kind)1, G1BarrierSet> >::thaw_slow"))
                .isEqualTo("the JVM (virtual-thread switching)");
        assertThat(defaults.label("libjvm.so.FreezeBase::freeze_slow")).isEqualTo("the JVM (virtual-thread switching)");
    }
}
