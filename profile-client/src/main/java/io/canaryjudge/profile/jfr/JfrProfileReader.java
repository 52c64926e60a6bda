package io.canaryjudge.profile.jfr;

import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileReader;
import io.canaryjudge.profile.ReadOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Reads JDK Flight Recorder recordings — from async-profiler (plain and as the Pyroscope Java
 * agent writes them), from the JDK itself (JFR 2.0 and 2.1) and from dd-trace-java — with
 * async-profiler's own JFR reader ({@code one.jfr.JfrReader}), aggregating while reading.
 *
 * <p>Events become columns as DESIGN.md fixes them:
 * <ul>
 *   <li>{@code jdk.ExecutionSample} → {@code cpu}: one sampling interval in nanoseconds per
 *       sample (the recording's declared interval, else 10 ms, see {@link JfrSamplingSettings});
 *       samples of sleeping threads are not CPU time and are left out, as Pyroscope does;</li>
 *   <li>{@code profiler.WallClockSample} → {@code wall}: its {@code samples} × wall interval
 *       (and, when async-profiler ran with {@code event=wall}, its execution samples);</li>
 *   <li>{@code jdk.ObjectAllocationInNewTLAB} ({@code tlabSize}) + {@code jdk.ObjectAllocationOutsideTLAB}
 *       ({@code allocationSize}) → {@code alloc_bytes} and {@code alloc_objects}; the JDK's
 *       {@code jdk.ObjectAllocationSample} ({@code weight}) only when the recording has no TLAB events;</li>
 *   <li>{@code jdk.JavaMonitorEnter} + {@code jdk.ThreadPark} → {@code lock_delay} (duration in
 *       nanoseconds) and {@code lock_count}.</li>
 * </ul>
 * dd-trace-java's JFR-based profiler writes exactly these {@code jdk.*} events (its own
 * {@code datadog.*} events in such recordings are settings and counters, not samples).
 *
 * <p>Frames are named {@code package/Class.method} as the recording spells them (the profile
 * builder normalises them). The input is not trusted: {@link JfrChunkScanner} checks the structure
 * first, limits from {@link ReadOptions} are enforced, and any failure of the library becomes an
 * {@link InvalidProfileException} with the byte offset it stopped at.
 */
public final class JfrProfileReader implements ProfileReader {

    @Override
    public ProfileFormat format() {
        return ProfileFormat.JFR;
    }

    @Override
    public List<Profile> read(ByteBuffer data, String source, ReadOptions options) throws InvalidProfileException {
        int base = data.position();
        ByteBuffer file = data.slice().order(ByteOrder.BIG_ENDIAN);
        List<JfrChunk> chunks;
        try {
            chunks = JfrChunkScanner.scan(file);
        } catch (JfrFormatException e) {
            throw new InvalidProfileException(source, ProfileFormat.JFR, base + e.offset(), e.getMessage());
        }
        ByteBuffer readerBuffer = file.duplicate();
        try {
            return new JfrRecordingDecoder(source, file, readerBuffer, chunks, options).decode();
        } catch (InvalidProfileException e) {
            if (e.offset() >= 0) {
                throw e;
            }
            throw new InvalidProfileException(source, ProfileFormat.JFR, base + readerBuffer.position(), e.reason(), e);
        } catch (JfrFormatException e) {
            throw new InvalidProfileException(source, ProfileFormat.JFR, base + e.offset(), e.getMessage());
        } catch (IOException | RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // async-profiler's reader trusts its input; whatever it throws on a corrupt file is that file's fault.
            throw new InvalidProfileException(source, ProfileFormat.JFR, base + readerBuffer.position(),
                    "corrupt recording: " + describe(e), e);
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        String kind = e.getClass().getSimpleName();
        return message == null || message.isBlank() ? kind : kind + ": " + message;
    }
}
