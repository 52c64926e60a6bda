package io.canaryjudge.judge;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.Incident;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Ties the collector's extra CPU to the allocation that caused it. A canary that allocates several times more under
 * one application method pays most of it in the collector's threads, not in the method: recorded (qa36), a method
 * building its lines as maps of boxed values failed on its allocated bytes ("new hot path under `OrderService.price`,
 * 47.5 % of allocated bytes") while G1's copying (0.05 % → 4.2 % of CPU in its largest frame, 2.3 µs per request,
 * twice the method's own CPU) stood apart as four "JVM work (garbage collection)" incidents that named no cause.
 * When an allocation incident fails at an application frame and GC work rose in CPU, each says so of the other; the
 * GC incidents still do not fail on their own (a busier collector alone is no code change), and nothing is linked
 * without a failing allocation rise.
 */
final class GcFollowsAllocation {
    private GcFollowsAllocation() {
    }

    static List<Incident> apply(List<Incident> incidents, FrameClassifier frames) {
        Incident allocation = null;
        for (Incident incident : incidents) {
            if (incident.failing() && allocationType(incident.profileType()) && rose(incident)
                    && frames.classify(incident.entryFrame()).application()) {
                allocation = incident;
                break;
            }
        }
        if (allocation == null) {
            return incidents;
        }
        List<Incident> gc = new ArrayList<>();
        double largest = 0;
        for (Incident incident : incidents) {
            if (gcWork(incident, frames)) {
                gc.add(incident);
                // Shares of the total CPU (0..1): the canary's less the baseline's, a new path's baseline being 0. Not
                // summed: one GC incident's frame is often below another's (steal_and_trim_queue → trim_queue).
                largest = Math.max(largest, incident.canary() - (incident.baseline() == null ? 0 : incident.baseline()));
            }
        }
        if (gc.isEmpty() || !(largest > 0)) {
            return incidents;
        }
        String allocationLink = String.format(Locale.ROOT, "; GC work in CPU rose with it (%d JVM-work incident(s), "
                + "the largest +%s of CPU: the collector handling what the canary allocates)", gc.size(),
                Summaries.share(largest));
        String gcLink = " — with the canary's allocation under `" + allocation.entryFrame() + "` (failing in "
                + allocation.profileType().id() + ")";
        List<Incident> out = new ArrayList<>(incidents.size());
        for (Incident incident : incidents) {
            if (incident == allocation) {
                out.add(incident.withSummary(incident.summary() + allocationLink));
            } else if (gc.contains(incident)) {
                out.add(incident.withSummary(incident.summary() + gcLink));
            } else {
                out.add(incident);
            }
        }
        return out;
    }

    private static boolean allocationType(ProfileType type) {
        return type == ProfileType.ALLOC_BYTES || type == ProfileType.ALLOC_OBJECTS;
    }

    private static boolean rose(Incident incident) {
        return incident.kind() == FindingKind.NEW_HOT_PATH || incident.kind() == FindingKind.REGRESSION;
    }

    /** A rise of JVM garbage-collection work in CPU that is not failing (reported apart). */
    private static boolean gcWork(Incident incident, FrameClassifier frames) {
        return incident.profileType() == ProfileType.CPU && !incident.failing() && rose(incident)
                && incident.canary() != null && !incident.measure().perRequest()
                && frames.classify(incident.entryFrame()) == FrameClass.JVM_INTERNAL
                && NativeFrameNames.jvmActivity(incident.entryFrame()).equals("garbage collection");
    }
}
