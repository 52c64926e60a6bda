package io.canaryjudge.profile;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Reads one profile format from bytes that are already inflated (never gzip). Implementations
 * must bound their work by {@link ReadOptions} and turn every failure on bad input into an
 * {@link InvalidProfileException} naming the offset and the problem — never a hang, an OOM or
 * an unchecked exception escaping.
 */
public interface ProfileReader {

    ProfileFormat format();

    /**
     * @param data    the whole input, position 0 .. limit; the reader may consume it
     * @param source  file name or description, for messages
     * @return one profile, or several when {@link ReadOptions#slice()} splits a recording by time
     */
    List<Profile> read(ByteBuffer data, String source, ReadOptions options) throws InvalidProfileException;
}
