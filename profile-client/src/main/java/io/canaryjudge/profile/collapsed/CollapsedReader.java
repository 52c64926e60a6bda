package io.canaryjudge.profile.collapsed;

import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileReader;
import io.canaryjudge.profile.ReadOptions;
import java.nio.ByteBuffer;
import java.util.List;

/** Placeholder: to be implemented. */
public final class CollapsedReader implements ProfileReader {
    @Override
    public ProfileFormat format() {
        return ProfileFormat.COLLAPSED;
    }

    @Override
    public List<Profile> read(ByteBuffer data, String source, ReadOptions options) throws InvalidProfileException {
        throw new InvalidProfileException(source, format(), -1, "reader not implemented yet");
    }
}
