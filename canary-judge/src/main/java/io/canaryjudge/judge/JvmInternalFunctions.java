package io.canaryjudge.judge;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Recognises work the JVM does for itself — JIT compilation, garbage collection, class loading,
 * the interpreter, safepoints — so that a young canary's warm-up (DESIGN.md "Young canaries": the JIT
 * compiler thread's share was +46 % in a canary recorded here) is reported apart and never named as
 * the culprit of a code regression by default. Names are HotSpot's C++ frames as async-profiler and
 * Pyroscope write them, and the Java side of class loading.
 */
final class JvmInternalFunctions {
    private static final Pattern NAME = Pattern.compile(String.join("|", List.of(
            // JIT compilers (C1, C2, Graal's HotSpot side) and code cache
            "^(CompileBroker|CompileQueue|C2Compiler|Compiler|Compile|Compilation|CompilationPolicy|C1_MacroAssembler|"
                    + "Phase\\w*|PhaseIdealLoop|PhaseIterGVN|PhaseChaitin|PhaseCFG|PhaseOutput|PhaseLive|PhaseIFG|"
                    + "PhaseAggressiveCoalesce|PhaseMacroExpand|PhaseRegAlloc|PhaseCCP|PhaseValues|PhaseTransform|"
                    + "Parse|GraphKit|Matcher|LinearScan|LinearScanWalker|GraphBuilder|IR|LIR_\\w*|LIRGenerator|"
                    + "ciEnv|ciMethod|ciObjectFactory|ciTypeFlow|ciBytecodeStream|CodeCache|CodeBuffer|nmethod|"
                    + "InlineTree|Node|\\w*Node|ConnectionGraph|BCEscapeAnalyzer|Dependencies|JVMCI\\w*|"
                    + "IdealLoopTree|SuperWord|MachNode|Block|PhaseChaitin|RegMask|IndexSet|Type\\w*|"
                    + "CodeInstaller|OopMapSet|Scheduling|AbstractAssembler|Assembler|MacroAssembler)::.*",
            // garbage collectors
            "^(G1\\w*|GC\\w*|PS\\w*|ParallelScavenge\\w*|Parallel\\w*|CardTable\\w*|ZGC\\w*|Z[A-Z]\\w*|"
                    + "Shenandoah\\w*|Serial\\w*|DefNew\\w*|Tenured\\w*|Generation\\w*|CollectedHeap|"
                    + "ConcurrentMark\\w*|WorkerThread\\w*|WorkerThreads|WorkGang|GangWorker|OopStorage\\w*|"
                    + "StringDedup\\w*|ReferenceProcessor\\w*|WeakProcessor\\w*|MarkSweep|PSPromotionManager|"
                    + "HeapRegion\\w*|SpaceMangler|Space|ContiguousSpace|OopClosure|BarrierSet\\w*)::.*",
            // class loading and linking, interpreter, runtime glue
            "^(ClassFileParser|ClassLoader|ClassLoaderData\\w*|SystemDictionary\\w*|Verifier|ClassVerifier|"
                    + "Rewriter|Linker|LinkResolver|InstanceKlass|Klass|ConstantPool|Symbol\\w*|"
                    + "InterpreterRuntime|TemplateInterpreter|AbstractInterpreter|Interpreter|BytecodeInterpreter|"
                    + "SafepointSynchronize|SafepointMechanism|VMThread|VM_Operation|VM_\\w*|Threads|JvmtiExport|"
                    + "MethodCounters|MethodData|Method|Deoptimization|SharedRuntime|OptoRuntime|Runtime1|"
                    + "JfrRecorder\\w*|Jfr\\w*)::.*",
            "^java\\.lang\\.ClassLoader\\.(loadClass|defineClass\\d?|findBootstrapClass\\w*|findLoadedClass\\d?).*",
            "^jdk\\.internal\\.loader\\..*",
            "^java\\.lang\\.invoke\\.(MethodHandleNatives|InvokerBytecodeGenerator|LambdaForm\\w*|"
                    + "InnerClassLambdaMetafactory|BootstrapMethodInvoker)\\..*",
            "^(Interpreter|interpreter|I2C/C2I adapters|StubRoutines.*|vtable stub|itable stub|"
                    + "\\[GC_active\\]|\\[vm_operation\\]|\\[not_walkable_\\w+\\]|\\[unknown_Java\\])$")));

    /** Thread entry points whose whole stack is JVM work (a function under them is JVM-internal there). */
    private static final Pattern THREAD_ROOT = Pattern.compile(
            "^(CompileBroker::compiler_thread_loop|GCTaskThread::run|GangWorker::run|ConcurrentGCThread::run|"
                    + "WorkerThread::run|GangWorker::loop|VMThread::run|VMThread::loop|"
                    + "G1ConcurrentRefineThread::run_service|G1ServiceThread::run_service|"
                    + "ConcurrentMarkThread::run_service|G1ConcurrentMarkThread::run_service|"
                    + "ZThread::run_service|ShenandoahControlThread::run_service|MonitorDeflationThread::\\w+|"
                    + "ServiceThread::service_thread_entry|JfrRecorderThread\\w*)$");

    private JvmInternalFunctions() {
    }

    /** Pyroscope/jfr-parser prefix native frames with their library: {@code libjvm.so.G1CMTask::work}. */
    private static final Pattern LIBRARY_PREFIX = Pattern.compile("^lib[\\w.+-]*?\\.so(?:\\.\\d+)*\\.");
    /** Demangled C++ names may carry a return type: {@code void G1CMTask::process_grey_task_entry<true>}. */
    private static final Pattern RETURN_TYPE = Pattern.compile("^[\\w:<>*&, ]+? (?=[\\w<>,]+::)");

    static boolean isJvmInternal(String function) {
        if (function.startsWith("libjvm.so.")) {
            return true; // everything the JVM's own library runs: GC, JIT, runtime
        }
        if (isOperatingSystem(function)) {
            return true;
        }
        return NAME.matcher(plain(function)).matches();
    }

    static boolean isJvmThreadRoot(String function) {
        return THREAD_ROOT.matcher(plain(function)).matches();
    }

    /**
     * Kernel and C-library frames (scheduler, syscalls, futexes, page faults): where a process's
     * time lands when it sleeps, waits or switches — an effect of load and pacing, never the place a
     * code change is made (its Java caller is). Pyroscope and async-profiler name kernel frames with
     * an empty library ({@code .finish_task_switch}) or {@code [kernel.kallsyms]}/{@code vmlinux}.
     */
    static boolean isOperatingSystem(String function) {
        return (function.startsWith(".") && !function.startsWith(".itable") && !function.startsWith(".vtable"))
                || function.startsWith("[kernel") || function.startsWith("vmlinux")
                || function.startsWith("libc.so") || function.startsWith("libc-") || function.startsWith("libpthread")
                || function.startsWith("ld-linux") || function.startsWith("[vdso]") || function.startsWith("vdso.");
    }

    private static String plain(String function) {
        String name = LIBRARY_PREFIX.matcher(function).replaceFirst("");
        return RETURN_TYPE.matcher(name).replaceFirst("");
    }
}
