package io.canaryjudge.profile.pprof;

import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileReader;
import io.canaryjudge.profile.ReadOptions;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Reads pprof ({@code perftools.profiles.Profile}, profile.proto) from raw, already inflated
 * protobuf bytes: what Go's runtime/pprof and async-profiler write (after gunzip) and what
 * Pyroscope's {@code SelectMergeProfile} returns.
 *
 * <p>A hand-written decoder over the {@link ByteBuffer} (no protobuf runtime, no copy of the
 * input): one pass collects the string table, functions and locations, a second pass aggregates
 * samples straight into a {@link io.canaryjudge.profile.ProfileBuilder}. Every column is kept;
 * columns are mapped onto the judge's profile types by {@link PprofSampleTypes} (the two TLAB
 * allocation columns are summed into one {@code alloc_bytes} column). Inlined functions — a
 * location with several lines — become several frames, the last line being the caller.
 *
 * <p>All sizes declared in the input are checked against the bytes that remain before anything
 * is read; corrupt input fails with an {@link InvalidProfileException} naming the byte offset.
 */
public final class PprofReader implements ProfileReader {
    @Override
    public ProfileFormat format() {
        return ProfileFormat.PPROF;
    }

    @Override
    public List<Profile> read(ByteBuffer data, String source, ReadOptions options) throws InvalidProfileException {
        try {
            return List.of(new PprofDecoder(data.slice(), source, options).decode());
        } catch (RuntimeException e) {
            // Safety net for the reader contract: a bug must still name the file, not escape unchecked.
            throw new InvalidProfileException(source, ProfileFormat.PPROF, -1, "internal reader error: " + e, e);
        }
    }
}
