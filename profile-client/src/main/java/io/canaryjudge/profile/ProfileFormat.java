package io.canaryjudge.profile;

/** Profile file formats, detected from content (never from file names). */
public enum ProfileFormat {
    /** pprof protobuf ({@code perftools.profiles.Profile}), raw or gzipped. */
    PPROF,
    /** JDK Flight Recorder recording (JDK or async-profiler). */
    JFR,
    /** Collapsed ("folded") stacks text: {@code a;b;c 42}. */
    COLLAPSED,
    /** gzip container; its content is detected again after inflating. */
    GZIP
}
