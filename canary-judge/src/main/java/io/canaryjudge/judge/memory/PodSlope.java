package io.canaryjudge.judge.memory;

import io.canaryjudge.verdict.PodHeapSummary.HeapPoint;
import java.util.List;

/**
 * The growth of one pod's heap after GC in one window: the points used (the lowest per minute) and
 * the Theil–Sen slope through them.
 *
 * @param instance          the pod
 * @param group             {@code baseline}, {@code canary} or {@code history}
 * @param points            the points the slope was fitted to, in time order
 * @param fit               the Theil–Sen line (bytes per hour); NaN slope when too few points
 * @param ageMinutes        the JVM's age at the first point, minutes; NaN when unknown
 * @param requestsPerSecond the pod's request rate over the window; null when unknown
 * @param usable            whether it has enough points over a long enough span to be compared
 * @param why               why it is not usable; null when it is
 * @param window            a saw-tooth pod's lowest heap after GC in each minute of its window (its
 *                          {@code points} are then the troughs); empty otherwise
 */
record PodSlope(String instance, String group, List<HeapPoint> points, TheilSen fit, double ageMinutes,
                Double requestsPerSecond, boolean usable, String why, List<HeapPoint> window) {

    PodSlope(String instance, String group, List<HeapPoint> points, TheilSen fit, double ageMinutes,
             Double requestsPerSecond, boolean usable, String why) {
        this(instance, group, points, fit, ageMinutes, requestsPerSecond, usable, why, List.of());
    }

    /** Bytes per hour. */
    double slope() {
        return fit.slope();
    }

    /** Bytes per 1,000 requests; NaN without a request rate. */
    double slopePerThousandRequests() {
        return requestsPerSecond == null || requestsPerSecond <= 0 ? Double.NaN
                : fit.slope() / (requestsPerSecond * 3600 / 1000);
    }
}
