package io.canaryjudge.judge;

import io.canaryjudge.profile.NodeFunctionNames;
import io.canaryjudge.profile.NodeFunctionNames.NodeName;
import java.util.List;
import java.util.Set;

/**
 * Whose code a JavaScript frame is, as Pyroscope's Node SDK names them ({@link NodeFunctionNames}): pure, no I/O.
 * A script under {@code node_modules/} is an npm package's (a library; the profiler's own packages the profiler's);
 * a bare relative path ({@code mustache/mustache.js}) is one too, as the SDK's {@code shortenPaths} writes a
 * package's files (it keeps {@code ./} or {@code /} before the service's own); Node's own modules ({@code node:events},
 * {@code node:internal/…}) and the native functions without a script ({@code :writeSync}, V8's builtins) are the
 * platform's, like the JDK; {@code @datadog/pprof}'s runtime pseudo-frames are the runtime's work, reported apart
 * like a JVM's: {@code Garbage Collection} (V8's collector on the main thread), {@code Non JS threads activity} (CPU
 * of libuv's pool, V8's compiler and GC threads), {@code (program)} (V8 in native code), and their parent
 * {@code Node.js}; {@code (idle)} is the event loop waiting, operating-system work. Every other script is the
 * service's own code. Recorded in docs/EVALUATION.md "Node.js services (qa75)".
 */
final class NodeFrames {
    private NodeFrames() {
    }

    /** npm packages of the profilers: the Node SDK, the pprof writer it uses, Datadog's tracer. */
    private static final List<String> PROFILER_PACKAGES = List.of("@pyroscope/nodejs", "@datadog/pprof", "pprof-format",
            "dd-trace", "@datadog/native-metrics", "@datadog/wasm-js-rewriter");
    /** Pseudo-frames of the runtime's own work (names without a script). */
    private static final Set<String> RUNTIME = Set.of("Garbage Collection", "(garbage collector)",
            "Non JS threads activity", "(program)", "Node.js", "(root)");
    private static final String NODE_MODULES = "node_modules/";

    /** The parts of a normalised Node frame name, or null for a name of another runtime. */
    static NodeName split(String function) {
        return NodeFunctionNames.split(function);
    }

    /** The class of a Node frame. */
    static FrameClass classify(NodeName name) {
        String file = name.file();
        if (file.isEmpty()) {
            if (RUNTIME.contains(name.function())) {
                return FrameClass.JVM_INTERNAL;
            }
            return "(idle)".equals(name.function()) ? FrameClass.NATIVE_SYSTEM : FrameClass.JDK;
        }
        if (file.startsWith("node:")) {
            return FrameClass.JDK;
        }
        String npm = npmPackage(file);
        if (npm != null) {
            return PROFILER_PACKAGES.contains(npm) ? FrameClass.PROFILER : FrameClass.LIBRARY;
        }
        return FrameClass.APPLICATION;
    }

    /**
     * The npm package a script belongs to ({@code mustache}, {@code @grafana/faro}): after the last
     * {@code node_modules/}, or the first one or two elements of a bare relative path; null for the service's own.
     */
    static String npmPackage(String file) {
        String path = file.replace('\\', '/');
        int modules = path.lastIndexOf(NODE_MODULES);
        String rest;
        if (modules >= 0) {
            rest = path.substring(modules + NODE_MODULES.length());
        } else if (path.startsWith(".") || path.startsWith("/") || path.startsWith("file:") || path.indexOf('/') < 0) {
            return null;
        } else {
            rest = path; // shortenPaths: a package's file from its package on
        }
        int slash = rest.indexOf('/');
        if (rest.startsWith("@") && slash > 0) {
            int second = rest.indexOf('/', slash + 1);
            return second > 0 ? rest.substring(0, second) : rest;
        }
        return slash > 0 ? rest.substring(0, slash) : rest;
    }

    /** What the runtime's work in a pseudo-frame is, or null for a frame that is not one. */
    static String runtimeActivity(String function) {
        NodeName name = split(function);
        if (name == null || !name.file().isEmpty()) {
            return null;
        }
        return switch (name.function()) {
            case "Garbage Collection", "(garbage collector)" -> "garbage collection";
            case "Non JS threads activity" -> "threads outside JavaScript: libuv's pool, V8's compiler and collector";
            case "(program)" -> "V8 outside JavaScript";
            case "Node.js", "(root)" -> "runtime";
            default -> null;
        };
    }

    /** Where a Node frame's cost belongs, in words ("the npm package mustache", "Node.js's node:events"). */
    static String label(NodeName name, FrameClass frameClass) {
        return switch (frameClass) {
            case LIBRARY, PROFILER -> "the npm package " + npmPackage(name.file());
            case JDK -> name.file().isEmpty() ? "Node.js's and V8's native code" : "Node.js's " + name.file();
            case JVM_INTERNAL -> "the Node.js runtime (" + runtimeActivity(":" + name.function()) + ")";
            case NATIVE_SYSTEM -> "the event loop waiting (idle)";
            default -> "application code";
        };
    }
}
