package io.canaryjudge.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads profile files of any supported format, detected from content: gzip is inflated (bounded
 * by {@link ReadOptions#maxDecompressedBytes()}) and detected again; JFR, pprof and collapsed text
 * go to their readers. Placeholder: to be implemented.
 */
public final class ProfileFiles {
    private ProfileFiles() {
    }

    /**
     * @throws NotAProfileException     the file is not a profile in any supported format
     * @throws InvalidProfileException  the file is a profile but cannot be read
     * @throws IOException              the file cannot be opened
     */
    public static List<Profile> read(Path file, ReadOptions options)
            throws IOException, NotAProfileException, InvalidProfileException {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
