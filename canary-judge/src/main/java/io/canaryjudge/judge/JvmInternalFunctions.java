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
            "^(CompileBroker::compiler_thread_loop|GCTaskThread::run|ConcurrentGCThread::run|"
                    + "WorkerThread::run|GangWorker::loop|VMThread::run|VMThread::loop|"
                    + "G1ConcurrentRefineThread::run_service|G1ServiceThread::run_service|"
                    + "ConcurrentMarkThread::run_service|G1ConcurrentMarkThread::run_service|"
                    + "ZThread::run_service|ShenandoahControlThread::run_service|MonitorDeflationThread::\\w+|"
                    + "ServiceThread::service_thread_entry|JfrRecorderThread\\w*)$");

    private JvmInternalFunctions() {
    }

    static boolean isJvmInternal(String function) {
        return NAME.matcher(function).matches();
    }

    static boolean isJvmThreadRoot(String function) {
        return THREAD_ROOT.matcher(function).matches();
    }
}
