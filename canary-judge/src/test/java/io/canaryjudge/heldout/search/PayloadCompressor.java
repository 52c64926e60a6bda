package io.canaryjudge.heldout.search;

import com.github.luben.zstd.Zstd;

/**
 * Compresses the response body with zstd through JNI ({@code com.github.luben:zstd-jni}): the
 * service's native application library. Its CPU shows as frames of {@code libzstd-jni-*.so} below
 * this method.
 */
public final class PayloadCompressor {
    private final int level;

    public PayloadCompressor(int level) {
        this.level = level;
    }

    public byte[] compress(byte[] body) {
        return Zstd.compress(body, level);
    }
}
