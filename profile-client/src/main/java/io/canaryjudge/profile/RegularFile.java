package io.canaryjudge.profile;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The check every file reader makes before it opens a file: only a regular file has a size that
 * bounds what reading it costs. A device reports size 0 and never ends ({@code /dev/zero}), and
 * opening a FIFO without a writer blocks forever — so neither may pass a size limit and be read.
 */
public final class RegularFile {
    /** The reason given for a device, pipe or socket. */
    public static final String NOT_REGULAR = "not a regular file (devices, pipes and sockets are not read)";

    private RegularFile() {
    }

    /**
     * The size of {@code file} in bytes, looked up without opening it (symbolic links are followed).
     *
     * @throws java.nio.file.NoSuchFileException the file does not exist
     * @throws FileSystemException               it is a directory, or not a regular file; the reason says which
     */
    public static long size(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (attributes.isDirectory()) {
            throw new FileSystemException(file.toString(), null, "is a directory");
        }
        if (!attributes.isRegularFile()) {
            throw new FileSystemException(file.toString(), null, NOT_REGULAR);
        }
        return attributes.size();
    }
}
