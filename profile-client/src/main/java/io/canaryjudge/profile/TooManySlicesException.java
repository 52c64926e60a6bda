package io.canaryjudge.profile;

import java.time.Duration;

/**
 * {@link ReadOptions#slice()} would cut a recording into more profiles than one file may give: the slice
 * length the caller chose is too short for the recording, so it is the caller's choice (on the command line
 * {@code --slice}, exit 64) that is wrong, not the file.
 */
public class TooManySlicesException extends InvalidProfileException {
    private final Duration slice;
    private final int maxSlices;

    /**
     * @param recordingNanos how long the recording is (nanoseconds), -1 when not known
     * @param maxSlices      the most slices one file may be cut into
     */
    public TooManySlicesException(String source, ProfileFormat format, Duration slice, long recordingNanos,
                                  int maxSlices) {
        super(source, format, -1, "slicing " + (recordingNanos >= 0 ? recordingNanos + " ns of recording " : "")
                + "by " + slice + " gives more than " + maxSlices + " slices; choose a longer slice");
        this.slice = slice;
        this.maxSlices = maxSlices;
    }

    /** The slice length asked for. */
    public Duration slice() {
        return slice;
    }

    /** The most slices one file may be cut into. */
    public int maxSlices() {
        return maxSlices;
    }
}
