package io.canaryjudge.profile.testing;

import io.canaryjudge.profile.FrameNames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * The two ways async-profiler's converter (jfr-converter 4.2) names a recording differently from
 * the judge's JFR reader, learnt from the recording itself with the JDK's own JFR parser, so that
 * tests can compare the two honestly:
 *
 * <ol>
 *   <li><b>Native frames</b> ({@code C++}, {@code Native}, {@code Kernel} frame types): the
 *       converter writes the bare symbol ({@code __memset_avx512_unaligned_erms}); the judge, like
 *       Pyroscope and jfr-parser, prefixes the library the recording names as the frame's class
 *       ({@code libc.so.6.__memset_avx512_unaligned_erms}). {@link #frame} maps the converter's name
 *       to the judge's.</li>
 *   <li><b>Allocation profiles</b>: the converter adds the allocated class as an extra leaf frame
 *       ({@code byte[]}) under the allocating method; the judge does not, so the allocating method
 *       keeps the self value. {@link #allocatedClasses} lists those names.</li>
 * </ol>
 */
public final class ConverterConventions {
    private final Map<String, String> nativeFrames;
    private final Set<String> allocatedClasses;

    private ConverterConventions(Map<String, String> nativeFrames, Set<String> allocatedClasses) {
        this.nativeFrames = nativeFrames;
        this.allocatedClasses = allocatedClasses;
    }

    /**
     * Learns the conventions of one recording.
     *
     * @throws IllegalStateException when two libraries define a native frame of the same name:
     *                               the converter merges them and no comparison can split them again
     */
    public static ConverterConventions of(Path jfr) throws IOException {
        Map<String, String> nativeFrames = new HashMap<>();
        Set<String> classes = new TreeSet<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
            if (event.hasField("objectClass") && event.getValue("objectClass") instanceof RecordedClass type) {
                classes.add(FrameNames.normalize(javaName(type.getName())));
            }
            if (event.getStackTrace() == null) {
                continue;
            }
            for (RecordedFrame frame : event.getStackTrace().getFrames()) {
                if (!isNative(frame.getType()) || frame.getMethod() == null) {
                    continue;
                }
                String method = frame.getMethod().getName();
                String library = frame.getMethod().getType() == null ? "" : frame.getMethod().getType().getName();
                String converter = FrameNames.normalize(method);
                String judge = FrameNames.normalize(library + "." + method);
                String previous = nativeFrames.putIfAbsent(converter, judge);
                if (previous != null && !previous.equals(judge)) {
                    throw new IllegalStateException("native frame " + converter + " is defined by two libraries: "
                            + previous + " and " + judge);
                }
            }
        }
        return new ConverterConventions(nativeFrames, Collections.unmodifiableSet(classes));
    }

    /** The judge's name for a frame the converter wrote (raw or already normalised). */
    public String frame(String converterFrame) {
        String name = FrameNames.normalize(converterFrame);
        return nativeFrames.getOrDefault(name, name);
    }

    /** Normalised names of the classes the recording's allocation events allocated ({@code byte[]}, ...). */
    public Set<String> allocatedClasses() {
        return allocatedClasses;
    }

    /** async-profiler's frame types whose frames the converter writes without their class (library). */
    private static boolean isNative(String frameType) {
        return frameType != null && (frameType.equals("C++") || frameType.equals("Native") || frameType.equals("Kernel"));
    }

    /** {@code [B} → {@code byte[]}, {@code [Ljava.lang.String;} → {@code java.lang.String[]}, as the converter names them. */
    static String javaName(String jvmName) {
        int dimensions = 0;
        while (dimensions < jvmName.length() && jvmName.charAt(dimensions) == '[') {
            dimensions++;
        }
        if (dimensions == 0) {
            return jvmName;
        }
        String element = switch (jvmName.charAt(dimensions)) {
            case 'B' -> "byte";
            case 'C' -> "char";
            case 'S' -> "short";
            case 'I' -> "int";
            case 'J' -> "long";
            case 'Z' -> "boolean";
            case 'F' -> "float";
            case 'D' -> "double";
            default -> jvmName.substring(dimensions + 1, jvmName.length() - 1);
        };
        return element + "[]".repeat(dimensions);
    }
}
