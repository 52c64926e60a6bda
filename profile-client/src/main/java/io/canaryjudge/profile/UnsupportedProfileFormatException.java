package io.canaryjudge.profile;

/**
 * A profile in a format the judge recognises but does not read: OpenTelemetry's profiles signal (OTLP,
 * protobuf or JSON). Not {@link NotAProfileException}: the file is a profile, and skipping it as a stray
 * file (a README beside the recordings) would hide that a pod's data was not judged; the message says what
 * to give instead.
 */
public class UnsupportedProfileFormatException extends InvalidProfileException {
    public UnsupportedProfileFormatException(String source, String problem) {
        super(source, problem);
    }
}
