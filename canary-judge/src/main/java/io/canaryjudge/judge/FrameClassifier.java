package io.canaryjudge.judge;

import io.canaryjudge.profile.GoFunctionNames;
import io.canaryjudge.profile.NodeFunctionNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Tells whose code a normalised frame name is ({@link FrameClass}): pure, no I/O. Java frames by
 * package — the profiler's own packages, the JVM's class-loading and linking code, the JDK, the
 * well-known libraries of {@link LibraryPackages} and the service's own lists; Go frames by import path
 * ({@link GoFrames}); JavaScript frames by their script ({@link NodeFrames}); native frames by their library and
 * symbol ({@link NativeFrameNames}).
 *
 * <p>Without {@code applicationPackages}, every Java package that is none of the others is
 * application code (a service's own packages are not known in advance); with it, only those
 * packages are, and other unknown packages count as libraries.
 *
 * @param applicationPackages package prefixes of the service's own code ({@code com.shop}); empty = every
 *                            unknown package
 * @param libraryPackages     package prefixes of further third-party libraries, added to the built-in list;
 *                            where both lists match a name, the longer prefix wins
 * @param nativeLibraries     native library file-name prefixes ({@code librocksdbjni}) and their class, tried
 *                            before the built-in rules
 */
public record FrameClassifier(List<String> applicationPackages, List<String> libraryPackages,
                              Map<String, FrameClass> nativeLibraries) {

    /** Longer names are classified by their first this many characters (the regexes stay linear in practice). */
    private static final int MAX_NAME = 1024;

    /** The profiler's own Java code: async-profiler's API, the Pyroscope agent, Datadog's profiler, JFR. */
    private static final List<String> PROFILER_PACKAGES = List.of("one.profiler", "io.pyroscope",
            "com.datadog.profiling", "jdk.jfr");
    private static final List<String> JDK_PACKAGES = List.of("java", "javax", "jdk", "sun", "com.sun", "org.w3c.dom",
            "org.xml.sax", "org.ietf.jgss", "org.omg");
    /** The Java side of class loading and method-handle linking: JVM work that young JVMs do more of. */
    private static final Pattern JVM_JAVA = Pattern.compile(
            "^(java\\.lang\\.ClassLoader\\.(loadClass|defineClass\\d?|findBootstrapClass\\w*|findLoadedClass\\d?)|"
                    + "jdk\\.internal\\.loader\\..*|java\\.lang\\.invoke\\.(MethodHandleNatives|InvokerBytecodeGenerator|"
                    + "LambdaForm\\w*|InnerClassLambdaMetafactory|BootstrapMethodInvoker)\\..*)");

    public FrameClassifier {
        applicationPackages = prefixes(applicationPackages, "applicationPackages");
        libraryPackages = prefixes(libraryPackages, "libraryPackages");
        Map<String, FrameClass> natives = new LinkedHashMap<>();
        for (Map.Entry<String, FrameClass> entry : Objects.requireNonNull(nativeLibraries, "nativeLibraries").entrySet()) {
            String library = entry.getKey() == null ? "" : entry.getKey().strip();
            if (library.isEmpty() || library.contains("/")) {
                throw new IllegalArgumentException("nativeLibraries: a key must be a library file name or its "
                        + "start (e.g. librocksdbjni), was \"" + entry.getKey() + "\"");
            }
            natives.put(library.toLowerCase(Locale.ROOT), Objects.requireNonNull(entry.getValue(),
                    "nativeLibraries: class of " + library));
        }
        nativeLibraries = Map.copyOf(natives);
    }

    /** Built-in rules only: every unknown Java package is application code. */
    public static FrameClassifier defaults() {
        return new FrameClassifier(List.of(), List.of(), Map.of());
    }

    /** The class of one normalised frame name ({@code package.Class.method}, {@code libjvm.so.X::y}, …). */
    public FrameClass classify(String function) {
        String name = function == null ? "" : function.length() > MAX_NAME ? function.substring(0, MAX_NAME) : function;
        NodeFunctionNames.NodeName nodeName = NodeFrames.split(name);
        if (nodeName != null) {
            return NodeFrames.classify(nodeName);
        }
        NativeFrameNames.NativeName nativeName = NativeFrameNames.split(name);
        if (nativeName != null) {
            return classifyNative(nativeName);
        }
        return classifyJava(name);
    }

    private FrameClass classifyNative(NativeFrameNames.NativeName name) {
        if (name.library() != null) {
            String library = name.library().toLowerCase(Locale.ROOT);
            for (Map.Entry<String, FrameClass> entry : nativeLibraries.entrySet()) {
                if (library.startsWith(entry.getKey())) {
                    return entry.getValue();
                }
            }
            FrameClass known = NativeFrameNames.classifyLibrary(library);
            if (known != null) {
                return known;
            }
            // A JNI library the service ships; unless its entry points are the profiler's (a renamed libasyncProfiler).
            boolean profiler = name.symbol().startsWith("Java_")
                    && NativeFrameNames.classifySymbol(name.symbol(), this::classifyJava) == FrameClass.PROFILER;
            return profiler ? FrameClass.PROFILER : FrameClass.APPLICATION_NATIVE;
        }
        return NativeFrameNames.classifySymbol(name.symbol(), this::classifyJava);
    }

    private FrameClass classifyJava(String name) {
        int application = longestMatch(applicationPackages, name);
        int library = longestMatch(libraryPackages, name);
        if (application >= 0 || library >= 0) {
            int applicationLength = application < 0 ? -1 : applicationPackages.get(application).length();
            int libraryLength = library < 0 ? -1 : libraryPackages.get(library).length();
            return applicationLength >= libraryLength ? FrameClass.APPLICATION : FrameClass.LIBRARY;
        }
        String goPath = GoFunctionNames.importPath(name);
        if (goPath != null) {
            FrameClass go = GoFrames.classify(goPath, name);
            return go != null ? go : applicationPackages.isEmpty() ? FrameClass.APPLICATION : FrameClass.LIBRARY;
        }
        if (longestMatch(PROFILER_PACKAGES, name) >= 0) {
            return FrameClass.PROFILER;
        }
        if (JVM_JAVA.matcher(name).lookingAt()) {
            return FrameClass.JVM_INTERNAL;
        }
        if (longestMatch(JDK_PACKAGES, name) >= 0) {
            return FrameClass.JDK;
        }
        if (library(name) != null) {
            return FrameClass.LIBRARY;
        }
        return applicationPackages.isEmpty() ? FrameClass.APPLICATION : FrameClass.LIBRARY;
    }

    /** The built-in library a Java name belongs to, or null. */
    private static LibraryPackages.Library library(String name) {
        LibraryPackages.Library best = null;
        for (LibraryPackages.Library library : LibraryPackages.DEFAULTS) {
            if (under(name, library.prefix()) && (best == null || library.prefix().length() > best.prefix().length())) {
                best = library;
            }
        }
        return best;
    }

    /**
     * Where a frame's cost belongs, in words, for an incident's detail ("Jackson", "java.util.regex",
     * "libsnappyjava.so", "the JVM (JIT compilation)"): libraries by name, the JDK by package, native
     * code by library, application code as such.
     */
    public String label(String function) {
        String name = function == null ? "" : function.length() > MAX_NAME ? function.substring(0, MAX_NAME) : function;
        FrameClass frameClass = classify(name);
        NodeFunctionNames.NodeName nodeName = NodeFrames.split(name);
        if (nodeName != null) {
            return NodeFrames.label(nodeName, frameClass);
        }
        NativeFrameNames.NativeName nativeName = NativeFrameNames.split(name);
        return switch (frameClass) {
            case APPLICATION -> "application code";
            case APPLICATION_NATIVE -> nativeName != null && nativeName.library() != null
                    ? libraryFile(nativeName.library()) : "application native code";
            case LIBRARY -> {
                if (nativeName != null) {
                    yield nativeName.library() != null ? libraryFile(nativeName.library()) : "native library code";
                }
                int own = longestMatch(libraryPackages, name);
                if (own >= 0) {
                    yield libraryPackages.get(own);
                }
                String goPath = GoFunctionNames.importPath(name);
                if (goPath != null) {
                    String goLibrary = GoFrames.library(goPath);
                    yield goLibrary != null ? goLibrary : goPath;
                }
                LibraryPackages.Library library = library(name);
                yield library != null ? library.name() : javaPackage(name);
            }
            case JDK -> nativeName != null
                    ? (nativeName.library() != null ? libraryFile(nativeName.library())
                    : NativeFrameNames.isJdkIntrinsic(nativeName.symbol()) ? "the JDK's intrinsic stubs" : "JDK native code")
                    : GoFunctionNames.importPath(name) != null ? "Go's " + GoFunctionNames.importPath(name)
                    : javaPackage(name);
            case JVM_INTERNAL -> (GoFrames.runtimeActivity(name) != null ? "the Go runtime (" : "the JVM (")
                    + NativeFrameNames.jvmActivity(name) + ")";
            case NATIVE_SYSTEM -> "the kernel and C library";
            case PROFILER -> "the profiler";
        };
    }

    /** {@code libc-2.31.so}, {@code snappy-1.1.8-libsnappyjava.so}: the file name up to its extension. */
    private static String libraryFile(String library) {
        int so = library.indexOf(".so");
        if (so > 0) {
            return library.substring(0, so + 3);
        }
        int dylib = library.indexOf(".dylib");
        return dylib > 0 ? library.substring(0, dylib + 6) : library;
    }

    /** The package of a Java name: the segments before the first one that starts with an upper-case letter. */
    static String javaPackage(String name) {
        String[] segments = name.split("\\.");
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < segments.length - 1; i++) {
            if (!segments[i].isEmpty() && Character.isUpperCase(segments[i].charAt(0))) {
                break;
            }
            parts.add(segments[i]);
        }
        if (parts.isEmpty()) {
            return name;
        }
        return String.join(".", parts.size() > 3 && (parts.get(0).equals("java") || parts.get(0).equals("javax")
                || parts.get(0).equals("jdk") || parts.get(0).equals("sun")) ? parts.subList(0, 3) : parts);
    }

    /** Index of the longest prefix in {@code prefixes} that {@code name} lies under, or -1. */
    private static int longestMatch(List<String> prefixes, String name) {
        int best = -1;
        for (int i = 0; i < prefixes.size(); i++) {
            if (under(name, prefixes.get(i)) && (best < 0 || prefixes.get(i).length() > prefixes.get(best).length())) {
                best = i;
            }
        }
        return best;
    }

    /**
     * {@code name} is in package {@code prefix} (or is it): {@code com.shop} covers {@code com.shop.A.b}, not
     * {@code com.shopping.A.b}; a Go path {@code github.com/shop} covers {@code github.com/shop/cart.Add}.
     */
    private static boolean under(String name, String prefix) {
        return name.startsWith(prefix) && (name.length() == prefix.length() || name.charAt(prefix.length()) == '.'
                || name.charAt(prefix.length()) == '$' || name.charAt(prefix.length()) == '/');
    }

    /**
     * Prefixes as given, without a trailing {@code .} or {@code .*}; slashes become dots (a JVM's internal form,
     * {@code com/shop}) except in a Go import path ({@code github.com/shop}, {@code net/http}), whose frames keep them.
     */
    private static List<String> prefixes(List<String> given, String key) {
        List<String> out = new ArrayList<>();
        for (String prefix : Objects.requireNonNull(given, key)) {
            String p = prefix == null ? "" : prefix.strip();
            if (p.endsWith(".*")) {
                p = p.substring(0, p.length() - 2);
            }
            while (p.endsWith(".")) {
                p = p.substring(0, p.length() - 1);
            }
            if (p.isEmpty() || p.chars().anyMatch(c -> Character.isWhitespace(c) || c == '*')) {
                throw new IllegalArgumentException(key + ": a package prefix such as com.shop is expected, was \""
                        + prefix + "\"");
            }
            String dotted = p.replace('/', '.');
            if (GoFunctionNames.slashed(p + ".f")) {
                out.add(p);
                int slash = p.indexOf('/');
                if (p.lastIndexOf('.', slash) < 0 && !dotted.equals(p)) {
                    out.add(dotted); // io/mycompany: a Go standard root, or a JVM's internal form of io.mycompany
                }
            } else {
                out.add(dotted);
            }
        }
        return List.copyOf(out);
    }
}
