package io.canaryjudge.judge;

import io.canaryjudge.profile.Profile;
import java.util.Map;
import java.util.Objects;

/**
 * One profile of one instance (pod, i.e. one JVM) over one time slice — the unit of data the judge
 * compares. Slices of the same instance share its JIT and placement decisions, so the judge treats
 * the instance, not the slice, as the level of replication (DESIGN.md "Nested noise").
 *
 * @param instance       name of the pod/JVM the profile came from; equal names = same JVM
 * @param profile        the profile of that slice
 * @param requests       requests served in the slice, or null when unknown (then cost per request is not judged)
 * @param valuePerSample for a profile that does not say how many samples it holds (collapsed text of
 *                       allocations): what one sample stands for, in the profile type's unit (e.g. 524,288
 *                       bytes for async-profiler's {@code alloc=512k}); null when unknown — then the type is
 *                       judged without a sampling-noise term (noise from slices and pods only). Ignored
 *                       when the profile carries its sample count.
 * @param recordingRequests for a slice that {@code --slice} cut from a recording whose request count covers the
 *                       whole recording: that count, shared by all its slices ({@code requests} is then null, as
 *                       the slice's own count is unknown); null otherwise
 * @param closedLoop     the request count is a closed loop's: operations a benchmark (or a worker kept saturated)
 *                       completed as fast as it could, so its rate is the pod's own speed, not the traffic it was
 *                       sent ({@code compare --load closed}); false for served traffic (open loop)
 * @param endpointRequests requests served in the slice per endpoint (route, URI template), or null when unknown: the
 *                       request mix ({@link RequestMixCheck}); a canary behind a header route or an A/B match serves
 *                       another mix than the baseline by design
 */
public record Observation(String instance, Profile profile, Long requests, Double valuePerSample,
                          RecordingRequests recordingRequests, boolean closedLoop, Map<String, Long> endpointRequests) {
    public Observation {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(profile, "profile");
        if (requests != null && requests < 0) {
            throw new IllegalArgumentException("requests must be >= 0, was " + requests);
        }
        if (valuePerSample != null && !(valuePerSample > 0 && Double.isFinite(valuePerSample))) {
            throw new IllegalArgumentException("valuePerSample must be > 0, was " + valuePerSample);
        }
        if (requests != null && recordingRequests != null) {
            throw new IllegalArgumentException("a slice has its own request count or shares its recording's, not both");
        }
        if (endpointRequests != null) {
            endpointRequests.forEach((endpoint, n) -> {
                if (n == null || n < 0) {
                    throw new IllegalArgumentException("requests of endpoint " + endpoint + " must be >= 0, was " + n);
                }
            });
            endpointRequests = Map.copyOf(endpointRequests);
        }
    }

    /** An observation without per-endpoint counts. */
    public Observation(String instance, Profile profile, Long requests, Double valuePerSample,
                       RecordingRequests recordingRequests, boolean closedLoop) {
        this(instance, profile, requests, valuePerSample, recordingRequests, closedLoop, null);
    }

    /** The same slice with another profile (renamed frames, per-window heap profiles), its counts kept. */
    public Observation withProfile(Profile newProfile) {
        return new Observation(instance, newProfile, requests, valuePerSample, recordingRequests, closedLoop,
                endpointRequests);
    }

    /** The same slice as another instance's (the same JVM under another name), its counts kept. */
    public Observation withInstance(String newInstance) {
        return new Observation(newInstance, profile, requests, valuePerSample, recordingRequests, closedLoop,
                endpointRequests);
    }

    /** An observation of served traffic (open loop). */
    public Observation(String instance, Profile profile, Long requests, Double valuePerSample,
                       RecordingRequests recordingRequests) {
        this(instance, profile, requests, valuePerSample, recordingRequests, false);
    }

    public Observation(String instance, Profile profile, Long requests, Double valuePerSample) {
        this(instance, profile, requests, valuePerSample, null);
    }

    public Observation(String instance, Profile profile, Long requests) {
        this(instance, profile, requests, null);
    }

    public Observation(String instance, Profile profile) {
        this(instance, profile, null, null);
    }
}
