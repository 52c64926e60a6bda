package io.canaryjudge.profile;

/**
 * A gzipped file would fit the memory kept for inflating profiles, but other files being read at the same time
 * hold too much of it now: the file is not at fault, and reading it again later can succeed (a service answers
 * "try again", not "invalid").
 */
public class InflateMemoryBusyException extends InvalidProfileException {
    public InflateMemoryBusyException(String source, String reason) {
        super(source, ProfileFormat.GZIP, -1, reason);
    }
}
