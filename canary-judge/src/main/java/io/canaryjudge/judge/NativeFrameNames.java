package io.canaryjudge.judge;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads native frame names as profilers write them, after {@code FrameNames} normalisation, and
 * tells whose they are. Pyroscope and Grafana's jfr-parser prefix a native frame with its library
 * ({@code libjvm.so.PhaseChaitin::Split}, {@code libc-2.31.so.clock_gettime},
 * {@code libc.so.6._IO_fgets}, {@code snappy-1.1.8-libsnappyjava.so.Java_org_xerial_…}) or with an
 * empty one ({@code .itable stub}, {@code .do_syscall_64}); async-profiler's own output carries no
 * library at all ({@code G1CMTask::do_marking_step}, {@code __libc_write}). Seen in the shared
 * fixtures (Kafka broker, dd-trace-java, FastSlow) and the recorded shop scenarios.
 *
 * <p>By library: {@code libjvm} is the JVM; async-profiler's and Datadog's profiler libraries are the
 * profiler; the C library, the dynamic linker, the vDSO, zlib and other system libraries are the
 * operating system; the JDK's own libraries ({@code libnio}, {@code libzip}, …) are the JDK; Netty's
 * and Conscrypt's are libraries; any other library is a JNI library the application ships. Without a
 * library: C++ names ({@code Class::method}) are HotSpot's unless the class is async-profiler's;
 * HotSpot's stubs ({@code itable stub}, arraycopy stubs, {@code Interpreter}) and entry
 * points ({@code JVM_…}, {@code jni_…}) are the JVM, its intrinsic stubs that compute a JDK method
 * ({@code libmSin}, CRC32, AES, SHA) the JDK; {@code Java_…} names are JNI entry points,
 * classified by the Java package they implement; other plain C names are the C library or the kernel.
 */
final class NativeFrameNames {
    private NativeFrameNames() {
    }

    /**
     * A native frame's library (null when the name carries none) and symbol; the library is the file
     * name only ({@code libz.so.1.2.11} of {@code ./lib/x86_64-linux-gnu/libz.so.1.2.11}).
     */
    record NativeName(String library, String symbol) {
    }

    /**
     * {@code [path/]name.so[.version…][(.|,)symbol]} or {@code .dylib}: the name before the extension may
     * hold dots only between digits (versions: {@code libc-2.31.so}, {@code snappy-1.1.8-libsnappyjava.so}),
     * so a Java package such as {@code com.example.social} is never taken for a library.
     */
    private static final Pattern LIBRARY = Pattern.compile(
            "^(?:[^\\s]*/)?((?:[\\w+~-]|(?<=\\d)\\.(?=\\d))+\\.(?:so|dylib)(?:\\.\\d+)*)(?:[.,](.*))?$");

    /**
     * Splits a native frame name, or returns null for a Java frame ({@code package.Class.method}).
     * A name is native when it carries a library, starts with {@code .} (an empty library) or
     * {@code [}, is a C++ name, has no dot at all, or has a space and is no Java or Kotlin method
     * whose name holds spaces ({@link #isJavaMethodWithSpaces}).
     */
    static NativeName split(String name) {
        if (name.isEmpty()) {
            return new NativeName(null, name);
        }
        if (name.charAt(0) == '.') {
            // "./tmp/snappy-1.1.8-libsnappyjava.so": jfr-parser names a frame it found no symbol for by its library's
            // path, behind the empty library; the library says whose it is (the fixtures' Kafka broker: snappy-java's).
            if (name.indexOf('/') == 1) {
                Matcher m = LIBRARY.matcher(name.substring(1));
                if (m.matches() && m.group(2) == null) {
                    return new NativeName(m.group(1), "");
                }
            }
            return new NativeName(null, name.substring(1));
        }
        if (name.charAt(0) == '[') {
            return new NativeName(null, name);
        }
        if (name.indexOf(".so") >= 0 || name.indexOf(".dylib") >= 0) {
            Matcher m = LIBRARY.matcher(name);
            if (m.matches()) {
                return new NativeName(m.group(1), m.group(2) == null ? "" : m.group(2));
            }
        }
        if (name.startsWith("vdso.")) {
            return new NativeName("vdso", name.substring("vdso.".length()));
        }
        if (name.contains("::") || name.indexOf('.') < 0 || name.indexOf(' ') >= 0 && !isJavaMethodWithSpaces(name)) {
            return new NativeName(null, name);
        }
        return null;
    }

    /**
     * A Java or Kotlin frame whose method name holds spaces: Kotlin names tests and DSL functions in backticks
     * ({@code com.example.OrderTest.checkout applies discount}). The class before the method's dot is a dotted
     * name of identifier characters, without spaces; the method name holds none of the characters the JVM
     * forbids in one ({@code . ; [ / < >}). Native names with spaces fail one or the other: a C++ name with its
     * return type has {@code ::}, HotSpot's stubs ({@code itable stub}, {@code I2C/C2I adapters}) no dot before
     * the space, a compiler's clone ({@code finish_task_switch.isra.0 [clone .cold]}) a {@code [} and a dot after it.
     */
    static boolean isJavaMethodWithSpaces(String name) {
        int space = name.indexOf(' ');
        int dot = name.lastIndexOf('.', space);
        if (dot <= 0 || dot == name.length() - 1) {
            return false;
        }
        boolean segmentStart = true;
        for (int i = 0; i < dot; i++) {
            char c = name.charAt(i);
            if (c == '.') {
                if (segmentStart) {
                    return false; // an empty segment: "a..b", ".b"
                }
                segmentStart = true;
            } else if (Character.isJavaIdentifierPart(c) && !Character.isIdentifierIgnorable(c)) {
                segmentStart = false;
            } else {
                return false;
            }
        }
        for (int i = dot + 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '.' || c == ';' || c == '[' || c == '/' || c == '<' || c == '>') {
                return false;
            }
        }
        return !segmentStart;
    }

    // ---------------------------------------------------------------------------------------------
    // By library

    private static final List<String> PROFILER_LIBRARIES = List.of("libasyncprofiler", "libjavaprofiler", "libddprof");
    private static final List<String> SYSTEM_LIBRARIES = List.of("libc.", "libc-", "libc.musl", "ld-", "ld.", "libpthread",
            "libdl.", "libdl-", "librt.", "librt-", "libm.", "libm-", "libgcc_s", "libstdc++", "libz.", "libresolv", "libnss",
            "libnsl", "libutil", "libselinux", "libcrypt.", "libcrypto", "libssl", "linux-vdso", "vdso", "libsystemd",
            "libnuma", "libcap", "libaudit", "libtinfo", "libgomp", "libjemalloc", "libtcmalloc", "libmimalloc",
            "libkrb5", "libgssapi", "libcom_err", "libkeyutils", "libffi", "libuuid", "libexpat", "liblzma");
    /** The JDK's own native libraries (OpenJDK 17–25 {@code lib/}). */
    private static final List<String> JDK_LIBRARIES = List.of("libjava.", "libnio.", "libnet.", "libzip.", "libjimage.",
            "libverify.", "libmanagement", "libjsig.", "libawt", "libfontmanager", "liblcms", "libjpeg", "libmlib_image",
            "libsunec", "libj2pkcs11", "libj2gss", "libj2pcsc", "libattach", "libinstrument", "libextnet", "libprefs",
            "librmi", "libsctp", "libsaproc", "libjaas", "libjdwp", "libdt_socket", "libjsound", "libsplashscreen",
            "libjawt", "libsyslookup", "libjli", "libjsvml", "libsimdsort", "libjvmcicompiler", "libfreetype.so");
    /** JNI libraries of the well-known Java libraries in {@link LibraryPackages}. */
    private static final List<String> LIBRARY_LIBRARIES = List.of("libnetty", "libconscrypt", "libio_grpc_netty");

    /** The class of a library by its file name, or null when it is none of the known ones (the application's). */
    static FrameClass classifyLibrary(String library) {
        String name = library.toLowerCase(Locale.ROOT);
        if (name.startsWith("libjvm.") || name.equals("jvm")) {
            return FrameClass.JVM_INTERNAL;
        }
        if (startsWithAny(name, PROFILER_LIBRARIES)) {
            return FrameClass.PROFILER;
        }
        if (startsWithAny(name, SYSTEM_LIBRARIES)) {
            return FrameClass.NATIVE_SYSTEM;
        }
        if (startsWithAny(name, JDK_LIBRARIES)) {
            return FrameClass.JDK;
        }
        if (startsWithAny(name, LIBRARY_LIBRARIES)) {
            return FrameClass.LIBRARY;
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------
    // Without a library

    /** async-profiler's C++ classes (4.x); HotSpot has none of these names. */
    private static final Pattern PROFILER_CLASS = Pattern.compile("^(Profiler|LockTracer|WallClock|PerfEvents|CTimer|"
            + "ITimer|AllocTracer|MallocTracer|NativeLockTracer|ObjectSampler|LivenessTracker|FlightRecorder|Recording|"
            + "CallTraceStorage|J9WallClock|J9ObjectSampler|J9StackTraces|Instrument|VMStructs|StackWalker|Hooks|"
            + "JfrMetadata|Lookup|Symbols|Engine|InstrumentEvents)$");

    /**
     * HotSpot's stubs that compute a JDK method's result, in every JVM that calls the method: {@code Math.sin},
     * {@code exp}, {@code log}, {@code pow} … ({@code libmSin}, {@code libmExp}: the interpreter calls them too),
     * {@code CRC32}/{@code CRC32C}/{@code Adler32}, AES, GHASH, SHA and MD5, Base64. Their cost is the calling
     * code's computation, as the Java code of {@code java.util.zip} or {@code sun.security.provider} is where the stub
     * is not used: JDK code, not the JVM's own work. Measured (qa29, docs/EVALUATION.md "Scripts compiled at run
     * time"): a new application step whose CPU was mostly {@code Math.sin} (2.3 % of CPU with its callees, in every
     * canary pod, in no baseline pod) was excused as "JVM work below it carries the rise". Arraycopy and fill stubs
     * stay the JVM's: an interpreted or C1 caller copies through {@code JVM_ArrayCopy} and HotSpot's C++
     * {@code Copy::} functions instead, which are the JVM's, so a young JVM and a warm one keep the same class.
     */
    private static final Pattern JDK_INTRINSIC = Pattern.compile("^(libm[A-Z]\\w*|"
            + "updateBytes(CRC32\\w*|Adler32)|aescrypt_\\w+|cipherBlockChaining_\\w+|counterMode_\\w+|ghash_\\w+|"
            + "sha\\d*_implCompress\\w*|md5_implCompress\\w*|"
            + "base64_\\w+)$");

    /**
     * HotSpot's generated code and entry points that have no class: the interpreter, call stubs,
     * vtable/itable dispatch, arraycopy and fill stubs, C2's
     * runtime stubs ({@code _new_array_Java}), the stubs that mount and unmount a virtual thread's continuation
     * ({@code cont_thaw}, {@code cont_returnBarrier}, {@code cont_doYield}), the {@code JVM_}/{@code jni_}/{@code Unsafe_}
     * entry points, and async-profiler's markers of stacks it could not walk.
     */
    private static final Pattern JVM_SYMBOL = Pattern.compile("^(Interpreter|interpreter|I2C/C2I adapters|"
            + "cont_(thaw|returnBarrier\\w*|doYield|preempt\\w*)|"
            + "(vtable|itable) stub|call_stub|forward_exception|StubRoutines.*|RuntimeStub.*|method entry point.*|"
            + "native method entry point.*|deoptimization|nmethod|"
            + "\\w*arraycopy\\w*|arrayof_\\w+|j(byte|short|int|long)_fill|_\\w+_Java|vectorizedMismatch|encodeISOArray|"
            + "(JVM|jni|JNI|Unsafe|jvmti|MHN|JVMCI|AsyncGetCallTrace)_?\\w*|thread_native_entry|java_start|"
            + "unknown_Java|not_walkable_\\w+|no_Java_frame|GC_active|vm_operation|unknown_state|safepoint)$");

    /** async-profiler's pseudo-frames for what it could not attribute ({@code [unknown_Java]}, {@code [GC_active]}). */
    private static final Pattern JVM_PSEUDO_FRAME = Pattern.compile(
            "^\\[(unknown_Java|not_walkable_\\w+|no_Java_frame|GC_active|vm_operation|deoptimization|safepoint|"
                    + "unknown_state|thread_\\w+)]$");

    /** Demangled C++ names may carry a return type: {@code void G1CMTask::process_grey_task_entry<true>}. */
    private static final Pattern RETURN_TYPE = Pattern.compile("^[\\w:<>*&, ]+? (?=[\\w<>,]+::)");

    /** Whether a native symbol is one of HotSpot's stubs that compute a JDK method ({@link #JDK_INTRINSIC}). */
    static boolean isJdkIntrinsic(String symbol) {
        return JDK_INTRINSIC.matcher(symbol).matches();
    }

    /**
     * The class of a native symbol without a (known) library.
     *
     * @param javaPackageClass classifies the Java package a JNI entry point ({@code Java_org_xerial_…})
     *                         implements; null for "application native"
     */
    static FrameClass classifySymbol(String symbol, Function<String, FrameClass> javaPackageClass) {
        if (symbol.startsWith("[")) {
            if (JVM_PSEUDO_FRAME.matcher(symbol).matches()) {
                return FrameClass.JVM_INTERNAL;
            }
            return FrameClass.NATIVE_SYSTEM; // [kernel.kallsyms], [vdso], [unknown], thread names
        }
        if (symbol.startsWith("Java_")) {
            return jniEntry(symbol, javaPackageClass);
        }
        String plain = RETURN_TYPE.matcher(symbol).replaceFirst("");
        int scope = plain.indexOf("::");
        if (scope > 0) {
            String type = plain.substring(0, scope);
            int template = type.indexOf('<');
            if (template > 0) {
                type = type.substring(0, template);
            }
            return PROFILER_CLASS.matcher(type).matches() ? FrameClass.PROFILER : FrameClass.JVM_INTERNAL;
        }
        if (JDK_INTRINSIC.matcher(plain).matches()) {
            return FrameClass.JDK;
        }
        if (JVM_SYMBOL.matcher(plain).matches()) {
            return FrameClass.JVM_INTERNAL;
        }
        return FrameClass.NATIVE_SYSTEM;
    }

    /**
     * A JNI entry point {@code Java_<package>_<Class>_<method>} belongs with the Java class it implements:
     * {@code Java_one_profiler_…} is the profiler, {@code Java_java_…} the JDK; any other (snappy-java's
     * {@code Java_org_xerial_snappy_…} too) is native code the service ships: application native code.
     */
    private static FrameClass jniEntry(String symbol, Function<String, FrameClass> javaPackageClass) {
        String javaName = symbol.substring("Java_".length()).replace("_1", "$").replace('_', '.');
        FrameClass javaClass = javaPackageClass.apply(javaName);
        if (javaClass == FrameClass.PROFILER || javaClass == FrameClass.JDK || javaClass == FrameClass.JVM_INTERNAL) {
            return javaClass;
        }
        return FrameClass.APPLICATION_NATIVE; // native code shipped with the service, whoever wrote its Java side
    }

    // ---------------------------------------------------------------------------------------------
    // JVM threads and activities

    /** Thread entry points whose whole stack is JVM work (a function under them is JVM-internal there). */
    private static final Pattern THREAD_ROOT = Pattern.compile(
            "^(CompileBroker::compiler_thread_loop|GCTaskThread::run|GangWorker::run|ConcurrentGCThread::run|"
                    + "WorkerThread::run|GangWorker::loop|VMThread::run|VMThread::loop|"
                    + "G1ConcurrentRefineThread::run_service|G1ServiceThread::run_service|"
                    + "ConcurrentMarkThread::run_service|G1ConcurrentMarkThread::run_service|"
                    + "ZThread::run_service|ShenandoahControlThread::run_service|MonitorDeflationThread::\\w+|"
                    + "ServiceThread::service_thread_entry|JfrRecorderThread\\w*)$");

    static boolean isJvmThreadRoot(String function) {
        NativeName name = split(function);
        if (name == null) {
            return false;
        }
        return THREAD_ROOT.matcher(RETURN_TYPE.matcher(name.symbol()).replaceFirst("")).matches();
    }

    /**
     * C2's and C1's classes. {@code Type\\w*} is C2's type lattice ({@code TypeInt}, {@code TypeOopPtr}), not HotSpot's
     * {@code TypeArrayKlass}, whose {@code allocate_common} is a primitive array's allocation slow path (and, under
     * async-profiler's allocation sampling, the sampler's work): counted as JIT compilation, it put up to 13 % of warm
     * baseline pods' CPU "in the JIT" (qa70), so a canary's real compiling had to exceed that to be seen.
     */
    private static final Pattern JIT = Pattern.compile("^(CompileBroker|CompileQueue|C2Compiler|Compiler|Compile|"
            + "Compilation|CompilationPolicy|C1_\\w+|Phase\\w*|Parse|GraphKit|Matcher|LinearScan\\w*|GraphBuilder|IR|"
            + "LIR\\w*|ci\\w+|CodeCache|CodeBuffer|nmethod|InlineTree|\\w*Node|ConnectionGraph|BCEscapeAnalyzer|"
            + "Dependencies|JVMCI\\w*|IdealLoopTree|SuperWord|Block\\w*|RegMask|IndexSet|Type(?!ArrayKlass$)\\w*|"
            + "CodeInstaller|OopMapSet|Scheduling|\\w*Assembler)$");
    /**
     * HotSpot's collectors' classes. Besides each collector's own prefix: SerialGC's young and full collections run in the
     * VM thread as a VM operation ({@code VM_GenCollectForAllocation::doit}, {@code GenCollectedHeap::do_collection}) and
     * scan objects through oop-iteration dispatch tables templated on a GC closure
     * ({@code OopOopIterateDispatch<DefNewScanClosure>::Table::oop_oop_iterate<…>}), old-to-young cards through
     * {@code DirtyCardToOopClosure}s ({@code ContiguousSpaceDCTOC}, {@code FilteringDCTOC}); recorded canaries with one
     * CPU (qa28: ergonomics chose SerialGC) read "JVM runtime" there.
     */
    private static final Pattern GC = Pattern.compile("^(G1\\w*|GC\\w*|PS\\w*|Parallel\\w*|CardTable\\w*|Z[A-Z]\\w*|"
            + "Shenandoah\\w*|Serial\\w*|DefNew\\w*|Tenured\\w*|Generation\\w*|\\w*CollectedHeap|ConcurrentMark\\w*|"
            + "WorkerThread\\w*|WorkGang|GangWorker|OopStorage\\w*|StringDedup\\w*|ReferenceProcessor\\w*|"
            + "WeakProcessor\\w*|MarkSweep|GenMarkSweep|HeapRegion\\w*|Space\\w*|ContiguousSpace|BarrierSet\\w*|MemAllocator|"
            + "ThreadLocalAllocBuffer|TaskTerminator|\\w*TaskQueue\\w*|\\w*OopClosure|ConcurrentGCThread|"
            + "VM_\\w*(Collect|GC)\\w*|OopOopIterate\\w*Dispatch|\\w*ScanClosure|\\w*DCTOC|ClearNoncleanCardWrapper)$");
    /** GC workers' free functions: ParallelGC's work stealing between its threads' queues. */
    private static final Pattern GC_FUNCTION = Pattern.compile("^steal_\\w+\\b.*");
    private static final Pattern CLASS_LOADING = Pattern.compile("^(ClassFileParser|ClassLoader\\w*|SystemDictionary\\w*|"
            + "Verifier|ClassVerifier|Rewriter|Linker|LinkResolver|InstanceKlass|Klass|ConstantPool|Symbol\\w*)$");

    /**
     * HotSpot's entry points whose work is the calling code's cost whatever the JVM's age: the stack walks a native
     * method asks for ({@code JVM_FillInStackTrace} of {@code Throwable.fillInStackTrace}, {@code StackWalker}'s,
     * {@code Thread.getStackTrace}'s), which no compiled code does faster. Not the natives that compiled code
     * intrinsifies or replaces ({@code JVM_Clone}, {@code JVM_ArrayCopy}, {@code JVM_IHashCode}, {@code Unsafe_…},
     * reflection's {@code JVM_InvokeMethod} before inflation): a young JVM's interpreted code calls those where warm
     * code does not (recorded: a young canary's {@code Object.clone} through {@code JVM_Clone}, 1.4 % of CPU under
     * unchanged code, mostly GC), nor class loading and linking, nor parking, sleeping and monitors (load and the
     * scheduler decide those).
     */
    static boolean calledByCode(String function) {
        NativeName name = split(function);
        String symbol = name == null ? function : name.symbol();
        return CODE_REQUESTED_ENTRY.matcher(symbol).matches();
    }

    /** Walking a thread's frames: an exception's stack trace ({@code fill_in_stack_trace}), {@code StackWalker}. */
    private static final Pattern STACK_WALK = Pattern.compile(
            "^(java_lang_Throwable::fill_in_stack_trace|JVM_FillInStackTrace|JVM_CallStackWalk|JVM_MoreStackWalk|"
                    + "\\w*vframe\\w*::|BacktraceBuilder::|StackWalk::)");
    private static final Pattern CODE_REQUESTED_ENTRY = Pattern.compile("^(JVM_FillInStackTrace|JVM_CallStackWalk|"
            + "JVM_MoreStackWalk|JVM_GetStackTrace\\w*|JVM_InitStackTraceElement\\w*|JVM_DumpThreads)$");

    /** What JVM work a JVM-internal frame does, in words ("JIT compilation"), for incident summaries. */
    static String jvmActivity(String function) {
        String goRuntime = GoFrames.runtimeActivity(function);
        if (goRuntime != null) {
            return goRuntime;
        }
        String nodeRuntime = NodeFrames.runtimeActivity(function);
        if (nodeRuntime != null) {
            return nodeRuntime;
        }
        if (function.startsWith("java.lang.ClassLoader.") || function.startsWith("jdk.internal.loader.")) {
            return "class loading";
        }
        NativeName name = split(function);
        String symbol = name == null ? function : RETURN_TYPE.matcher(name.symbol()).replaceFirst("");
        int scope = symbol.indexOf("::");
        if (scope > 0) {
            String type = symbol.substring(0, scope);
            int template = type.indexOf('<');
            type = template > 0 ? type.substring(0, template) : type;
            if (JIT.matcher(type).matches()) {
                return "JIT compilation";
            }
            if (GC.matcher(type).matches()) {
                return "garbage collection";
            }
            if (CLASS_LOADING.matcher(type).matches()) {
                return "class loading";
            }
        }
        if (GC_FUNCTION.matcher(symbol).matches()) {
            return "garbage collection";
        }
        if (STACK_WALK.matcher(symbol).lookingAt()) {
            return "stack walking";
        }
        if (symbol.startsWith("Interpreter") || symbol.startsWith("interpreter")) {
            return "the interpreter";
        }
        if (VIRTUAL_THREADS.matcher(symbol).lookingAt()) {
            return "virtual-thread switching";
        }
        if (symbol.endsWith(" stub") || symbol.contains("arraycopy") || symbol.startsWith("_")) {
            return "JIT-compiled stubs";
        }
        return "JVM runtime";
    }

    /** Mounting and unmounting virtual threads: the continuation stubs and HotSpot's freeze and thaw code. */
    private static final Pattern VIRTUAL_THREADS = Pattern.compile(
            "^(cont_(thaw|returnBarrier\\w*|doYield|preempt\\w*)$|(Continuation|Freeze\\w*|Thaw\\w*|StackChunk\\w*)(<[^:]*)?::)");

    private static boolean startsWithAny(String name, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
