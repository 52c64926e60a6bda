package io.canaryjudge.profile;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Go function names as Go's runtime (pprof) and Pyroscope's Go SDK write them: the import path, a dot, the function
 * ({@code compress/flate.NewWriter}, {@code net/http.(*conn).serve}, {@code github.com/shop/cart.Add},
 * {@code runtime.mallocgc}, {@code main.main.func1}). Their slashes are part of the name, unlike a JVM's internal form
 * ({@code java/util/HashMap.get}); and what the import path is says whose code the frame is. A module whose path has
 * no dot and is no standard package ({@code module myservice}: {@code myservice/cart.Add}) is not told from a JVM's
 * internal form: its slashes become dots, and its frames are application code as unknown Java packages are.
 */
public final class GoFunctionNames {
    /** The first element of every import path of Go's standard library (Go 1.19–1.24), {@code vendor} included. */
    private static final Set<String> STANDARD_ROOTS = Set.of("archive", "bufio", "bytes", "cmp", "compress",
            "container", "context", "crypto", "database", "debug", "embed", "encoding", "errors", "expvar", "flag",
            "fmt", "go", "hash", "html", "image", "index", "internal", "io", "iter", "log", "maps", "math", "mime",
            "net", "os", "path", "plugin", "reflect", "regexp", "runtime", "slices", "sort", "strconv", "strings",
            "sync", "syscall", "testing", "text", "time", "unicode", "unique", "unsafe", "vendor", "weak");

    /** A Go closure's suffix: {@code .func2}, {@code .func2.1}. */
    private static final Pattern CLOSURE = Pattern.compile("\\.func\\d+(\\.\\d+)*$");

    private GoFunctionNames() {
    }

    /** Whether {@code element}, an import path's first element, is one of Go's standard library. */
    public static boolean standardRoot(String element) {
        return STANDARD_ROOTS.contains(element);
    }

    /**
     * Whether a name with slashes is a Go function's, whose slashes stay: its first path element is a module host
     * ({@code github.com}: a JVM's internal form never has a dot before its first slash; a JDK module's name such as
     * {@code jdk.proxy1} is not one), or one of Go's standard library; and a package's path element follows the last
     * slash (lower-case letters, digits and {@code _} up to the dot, a module's also capitals, {@code -} and
     * {@code %}; {@code io/netty/channel/nio/NioEventLoop.run} is a Java class's, capitalised, and {@code $} is
     * never a Go name's).
     */
    public static boolean slashed(String name) {
        int firstSlash = name.indexOf('/');
        if (firstSlash <= 0 || name.charAt(0) == '.') {
            return false;
        }
        int lastSlash = name.lastIndexOf('/');
        int dot = name.indexOf('.', lastSlash + 1);
        if (dot <= lastSlash + 1) {
            return false;
        }
        String root = name.substring(0, firstSlash);
        boolean host = root.indexOf('.') > 0;
        if (host && (root.startsWith("java.") || root.startsWith("jdk.") || root.startsWith("javax."))) {
            return false; // a JDK module's name before a class ("jdk.proxy1/$Proxy12.invoke"), not a module host
        }
        if (!host && !standardRoot(root)) {
            return false;
        }
        for (int i = lastSlash + 1; i < dot; i++) {
            char c = name.charAt(i);
            boolean lower = (c >= 'a' && c <= 'z') || c == '_' || (c >= '0' && c <= '9' && i > lastSlash + 1);
            // A module's last element may hold capitals, '-', '~' and Go's %2e for a dot (github.com/goccy/go-json).
            boolean hostElement = host && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '~'
                    || c == '%');
            if (!lower && !hostElement) {
                return false;
            }
        }
        return true;
    }

    /**
     * The import path of a normalised Go function name, or null for a name that is not recognisably Go's: a slashed
     * name ({@link #slashed}) up to the dot after its last slash; else {@code main} or a one-element standard package
     * ({@code runtime}, {@code fmt}, {@code sync}) followed by what only Go writes there: a method on a pointer type
     * ({@code sync.(*Mutex).Lock}), a function alone ({@code runtime.mallocgc}; a Java frame is at least
     * class.method), an exported name ({@code reflect.Value.Call}) or a closure ({@code runtime.gcBgMarkWorker.func2}).
     * {@code io.netty.channel.X.y} stays Java's.
     */
    public static String importPath(String name) {
        if (name == null || name.isEmpty()) {
            return null;
        }
        if (name.indexOf('/') > 0) {
            if (!slashed(name)) {
                return null;
            }
            return name.substring(0, name.indexOf('.', name.lastIndexOf('/') + 1));
        }
        int dot = name.indexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            return null;
        }
        String root = name.substring(0, dot);
        if (!root.equals("main") && !standardRoot(root)) {
            return null;
        }
        String rest = name.substring(dot + 1);
        char first = rest.charAt(0);
        boolean goShaped = first == '(' || rest.indexOf('.') < 0 || (first >= 'A' && first <= 'Z')
                || CLOSURE.matcher(rest).find() || root.equals("main");
        return goShaped ? root : null;
    }
}
