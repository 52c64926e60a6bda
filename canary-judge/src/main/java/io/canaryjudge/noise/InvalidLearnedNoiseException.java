package io.canaryjudge.noise;

/** A learned-noise document that cannot be read; the message names the field and the problem. */
public final class InvalidLearnedNoiseException extends Exception {
    public InvalidLearnedNoiseException(String message) {
        super(message);
    }
}
