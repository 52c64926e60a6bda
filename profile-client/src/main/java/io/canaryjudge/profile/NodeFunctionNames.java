package io.canaryjudge.profile;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JavaScript frame names as Pyroscope's Node SDK ({@code @pyroscope/nodejs} 0.6, over {@code @datadog/pprof} 5) sends
 * them: {@code <file>:<function>:<line>}, where the file is the script's path with the working directory written as
 * {@code .} ({@code ./server.js:priceOrder:43}, {@code ./node_modules/mustache/mustache.js:renderTokens:568}; outside
 * it the absolute path; with the SDK's {@code shortenPaths} a library's path from its package on,
 * {@code mustache/mustache.js:renderTokens:568}), Node's own modules {@code node:events:_addListener:552},
 * {@code node:internal/streams/readable:Readable.read:647}, and frames without a script (V8's and Node's native
 * functions, the SDK's pseudo-frames) an empty file: {@code :writeSync:0}, {@code :Garbage Collection:0},
 * {@code :Node.js:0}, {@code :(idle):0}. The line is the function's first line (not the sampled one), so an edit above
 * a function moves it: it is dropped, as a JVM frame's line is. An unnamed function is
 * {@code (anonymous:L#99:C#19)} (its line and column): it becomes {@code (anonymous)}, one per file, for the same
 * reason: the position is the same in every process of one build, but a canary is another build, and an edit above
 * the function would make it a new frame in the canary (a false new hot path); the cost is that a script's unnamed
 * functions share one row. Recorded in docs/EVALUATION.md "Node.js services (qa75)".
 */
public final class NodeFunctionNames {
    /**
     * A script (a path ending in a JavaScript or TypeScript extension, or Node's {@code node:} module id) or none,
     * {@code :}, the function, and optionally {@code :line}. A C++ name ({@code ::operator new}) is not one.
     */
    private static final Pattern NAME = Pattern.compile(
            "^((?:node:[^:\\s]+)|(?:file:/*)?[^:]*\\.(?:js|mjs|cjs|jsx|ts|mts|cts|tsx)|):(?!:)(.+?)(?::\\d+)?$");
    /** V8's name for a function without one, with its line and column ({@code @datadog/pprof}'s serializer). */
    private static final Pattern ANONYMOUS = Pattern.compile("^\\(anonymous(?::L#\\d+(?::C#\\d+)?)?\\)$");

    private NodeFunctionNames() {
    }

    /** A Node frame's script ({@code ./server.js}, {@code node:events}; empty for none) and function. */
    public record NodeName(String file, String function) {
    }

    /** The parts of a Node frame name (raw or normalised), or null for any other name. */
    public static NodeName split(String name) {
        if (name == null || name.isEmpty() || name.length() > 2048) {
            return null;
        }
        if (name.indexOf(':') < 0) {
            return null; // quick exit for the usual Java and native names
        }
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return null;
        }
        return new NodeName(m.group(1), m.group(2));
    }

    /**
     * The stable name of a Node frame, {@code <file>:<function>} without the line, an anonymous function as
     * {@code (anonymous)}; null when {@code raw} is no Node frame name.
     */
    public static String normalize(String raw) {
        NodeName name = split(raw);
        if (name == null) {
            return null;
        }
        String function = ANONYMOUS.matcher(name.function()).matches() ? "(anonymous)" : name.function();
        return name.file() + ":" + function;
    }
}
