package io.canaryjudge.analysis;

import io.canaryjudge.profile.ProfileType;
import java.util.List;
import java.util.Map;

/**
 * How reports describe the profile source.
 *
 * @param applicationLabel the label the source matches {@code application} against (Pyroscope's
 *                         {@code service_name}); null when the source has none (a local directory)
 * @param pyroscopeUrl     Pyroscope's base URL, for links to the same window in its UI; null without Pyroscope
 * @param pyroscopeTypeIds the Pyroscope profile type IDs fetched for each type (the first names its link); empty
 *                         without Pyroscope
 */
public record ReportSettings(String applicationLabel, String pyroscopeUrl,
                             Map<ProfileType, List<String>> pyroscopeTypeIds) {
    /** A source without labels or UI (the local directory). */
    public static final ReportSettings NONE = new ReportSettings(null, null, Map.of());

    public ReportSettings {
        pyroscopeTypeIds = pyroscopeTypeIds == null ? Map.of() : Map.copyOf(pyroscopeTypeIds);
    }
}
