package io.canaryjudge.profile;

/**
 * Collapsed stacks carry no profile type, and none was given: the caller must say what the
 * values are ({@code --profile-type} on the command line, exit 64 there, since it is the
 * command line that is incomplete rather than the file).
 */
public class ProfileTypeRequiredException extends InvalidProfileException {
    public ProfileTypeRequiredException(String source) {
        super(source, ProfileFormat.COLLAPSED, -1,
                "collapsed stacks carry no profile type; say which one they hold, one of " + ProfileType.validIds());
    }
}
