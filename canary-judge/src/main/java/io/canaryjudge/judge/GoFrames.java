package io.canaryjudge.judge;

import io.canaryjudge.judge.LibraryPackages.Library;
import io.canaryjudge.profile.GoFunctionNames;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Whose code a Go frame is ({@link GoFunctionNames#importPath}): pure, no I/O. Go's runtime package holds both the
 * runtime's own work, reported apart like a JVM's (garbage collection, scheduling, preemption and signals, stack
 * growth), and the language's operations an application calls (allocation: {@code new}, {@code make} and
 * {@code append} call {@code mallocgc}, {@code makeslice}, {@code growslice} from compiled code, with no inlined fast
 * path as a JVM's TLAB; map access, string building, channels, interface conversions), which are the platform's code
 * like the JDK's {@code HashMap}: a handler that allocates twice as much rises through them and is not excused as
 * runtime work. The rest of the
 * standard library is the platform's; {@code syscall} is where system calls land; the profiler's own packages are the
 * profiler's; a few well-known modules are libraries; every other path is the application's.
 */
final class GoFrames {
    private GoFrames() {
    }

    /** The runtime's garbage collector: marking, sweeping, scavenging, write barriers (function after {@code runtime.}). */
    private static final Pattern GC = Pattern.compile("^(gc\\w*|bgsweep|bgscavenge|sweepone|scan\\w*|markroot\\w*|"
            + "greyobject|findObject|shade|wbBuf\\w*|\\(\\*(gcWork|gcControllerState|gcBits|sweepLocked|scavenger\\w*|"
            + "gcCPULimiterState)\\)\\.|\\(\\*mspan\\)\\.\\w*(sweep|mark|scav))");
    /** A closure's suffix: {@code .func1}, {@code .func2.1}. */
    private static final Pattern CLOSURE = Pattern.compile("(\\.func\\d+)+(\\.\\d+)*$");
    /** Scheduling, parking, locks of the runtime, preemption, signals and stack growth. */
    private static final Pattern SCHEDULING = Pattern.compile("^(schedule|findRunnable|findrunnable|mcall|park_m|"
            + "gopark|goready|ready|runq\\w*|stealWork|checkTimers|netpoll\\w*|note\\w*|futex\\w*|lock\\w*|"
            + "unlock\\w*|mstart\\d*|systemstack\\w*|sysmon|usleep\\w*|osyield\\w*|procyield|stop[mt]\\w*|start[mt]\\w*|"
            + "wakep|handoffp|resetspinning|execute|gosched\\w*|gopreempt_m|preempt\\w*|asyncPreempt\\d*|doSigPreempt|"
            + "sighandler|sigtramp\\w*|sigreturn\\w*|sigfwd\\w*|morestack\\w*|newstack|copystack|"
            + "(\\(\\*(timers?|p|m|g|lfstack|randomOrder)\\)\\.\\w+))$");

    /** Module paths and the libraries' display names; a path is under one with a {@code /} or {@code .} after it. */
    private static final List<Library> LIBRARIES = List.of(
            new Library("google.golang.org/grpc", "gRPC"), new Library("google.golang.org/protobuf", "protobuf"),
            new Library("github.com/golang/protobuf", "protobuf"), new Library("github.com/gogo/protobuf", "protobuf"),
            new Library("golang.org/x", "golang.org/x"), new Library("github.com/prometheus", "Prometheus client"),
            new Library("go.opentelemetry.io", "OpenTelemetry"), new Library("github.com/gin-gonic", "Gin"),
            new Library("github.com/labstack/echo", "Echo"), new Library("github.com/valyala/fasthttp", "fasthttp"),
            new Library("github.com/gorilla", "Gorilla"), new Library("github.com/go-chi", "chi"),
            new Library("github.com/gofiber", "Fiber"), new Library("github.com/jackc", "pgx"),
            new Library("github.com/lib/pq", "pq"), new Library("github.com/go-sql-driver", "MySQL driver"),
            new Library("github.com/redis", "go-redis"), new Library("github.com/go-redis", "go-redis"),
            new Library("go.mongodb.org", "MongoDB driver"), new Library("gorm.io", "GORM"),
            new Library("go.uber.org", "Uber Go"), new Library("github.com/sirupsen/logrus", "logrus"),
            new Library("github.com/rs/zerolog", "zerolog"), new Library("github.com/json-iterator", "json-iterator"),
            new Library("github.com/goccy/go-json", "go-json"), new Library("github.com/bytedance/sonic", "sonic"),
            new Library("github.com/klauspost/compress", "klauspost/compress"),
            new Library("github.com/golang/snappy", "snappy"), new Library("github.com/segmentio/kafka-go", "kafka-go"),
            new Library("github.com/IBM/sarama", "Sarama"), new Library("github.com/Shopify/sarama", "Sarama"),
            new Library("github.com/confluentinc", "Confluent Kafka"), new Library("github.com/nats-io", "NATS"),
            new Library("github.com/aws/aws-sdk-go", "AWS SDK"), new Library("github.com/aws/aws-sdk-go-v2", "AWS SDK"),
            new Library("cloud.google.com/go", "Google Cloud"), new Library("k8s.io", "Kubernetes client"),
            new Library("sigs.k8s.io", "Kubernetes client"), new Library("github.com/spf13", "spf13"),
            new Library("github.com/hashicorp", "HashiCorp"), new Library("gopkg.in/yaml", "YAML"),
            new Library("github.com/goccy/go-yaml", "YAML"), new Library("github.com/google/uuid", "uuid"),
            new Library("github.com/dgraph-io", "Dgraph"), new Library("github.com/cespare/xxhash", "xxhash"));

    /** The profiler's own Go code: pprof's writer, Pyroscope's and Datadog's Go profilers. */
    private static final List<String> PROFILERS = List.of("runtime/pprof", "github.com/grafana/pyroscope-go",
            "github.com/pyroscope-io", "gopkg.in/DataDog/dd-trace-go.v1/profiler",
            "github.com/DataDog/dd-trace-go/v2/profiler");

    /**
     * The class of a Go frame, or null where only the service's configuration can say (a path that is none of the
     * runtime, the standard library, the profilers and the listed libraries).
     */
    static FrameClass classify(String importPath, String function) {
        if (under(importPath, PROFILERS) || "runtime".equals(importPath) && function.equals("runtime.sigprof")) {
            return FrameClass.PROFILER;
        }
        if ("runtime".equals(importPath) || importPath.startsWith("runtime/internal/")
                || importPath.startsWith("internal/runtime/")) {
            return runtimeActivity(function) != null || !"runtime".equals(importPath) ? FrameClass.JVM_INTERNAL
                    : FrameClass.JDK;
        }
        if ("syscall".equals(importPath) || importPath.startsWith("internal/syscall/")
                || importPath.startsWith("golang.org/x/sys/")) {
            return FrameClass.NATIVE_SYSTEM;
        }
        if ("main".equals(importPath)) {
            return FrameClass.APPLICATION; // a program's own main package, whatever its module's path
        }
        int slash = importPath.indexOf('/');
        if (GoFunctionNames.standardRoot(slash < 0 ? importPath : importPath.substring(0, slash))) {
            return FrameClass.JDK;
        }
        return library(importPath) != null ? FrameClass.LIBRARY : null;
    }

    /** The display name of a well-known Go library ({@code gRPC}), or null. */
    static String library(String importPath) {
        Library best = null;
        for (Library library : LIBRARIES) {
            if (under(importPath, library.prefix())
                    && (best == null || library.prefix().length() > best.prefix().length())) {
                best = library;
            }
        }
        return best == null ? null : best.name();
    }

    /**
     * What the Go runtime's own work in {@code function} is ("garbage collection", "scheduling"), or null for a
     * language operation of the runtime ({@code runtime.mallocgc}, {@code runtime.mapaccess1_faststr}) or a name not
     * the runtime's.
     */
    static String runtimeActivity(String function) {
        String rest;
        if (function.startsWith("runtime.")) {
            rest = function.substring("runtime.".length());
        } else if (function.startsWith("runtime/internal/") || function.startsWith("internal/runtime/")) {
            return "runtime internals";
        } else {
            return null;
        }
        rest = CLOSURE.matcher(rest).replaceFirst(""); // runtime.(*mheap).alloc.func1 is (*mheap).alloc's work
        if (GC.matcher(rest).lookingAt()) {
            return "garbage collection";
        }
        if (SCHEDULING.matcher(rest).matches()) {
            return "scheduling";
        }
        return null;
    }

    private static boolean under(String importPath, List<String> paths) {
        for (String path : paths) {
            if (under(importPath, path)) {
                return true;
            }
        }
        return false;
    }

    private static boolean under(String importPath, String path) {
        return importPath.startsWith(path) && (importPath.length() == path.length()
                || importPath.charAt(path.length()) == '/' || importPath.charAt(path.length()) == '.');
    }
}
