package io.canaryjudge.profile.heap;

import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Go process's goroutines over time from its goroutine profiles ({@code /debug/pprof/goroutine}, one saved every
 * minute beside the other profiles): each profile counts every goroutine alive when it was taken, so its total at its
 * time is one point of the instance's {@link MemoryAreaSeries#GOROUTINES} area, as client_golang's {@code go_goroutines}
 * is to the service. Profiles are what a directory of pprof files has; an {@code areas.csv} with a {@code goroutines}
 * column is read instead when there is one.
 */
public final class GoroutineCounts {
    private GoroutineCounts() {
    }

    /**
     * The goroutines area of the profiles (those with a goroutine column and a time), in time order; empty when none.
     *
     * @param source names the instance in the series
     */
    public static HeapSeries series(String source, List<Profile> profiles) {
        List<long[]> points = new ArrayList<>();
        for (Profile profile : profiles) {
            int column = profile.sampleTypeIndex(ProfileType.GOROUTINES);
            if (column < 0 || profile.startEpochNanos() <= 0) {
                continue; // a profile without a time cannot be placed on the area's time axis
            }
            // a snapshot: Go's goroutine profile has no duration; a Pyroscope window's would end at its end
            long millis = (profile.startEpochNanos() + Math.max(0, profile.durationNanos())) / 1_000_000;
            points.add(new long[] {millis, profile.total(column)});
        }
        points.sort(Comparator.comparingLong(p -> p[0]));
        long[] t = new long[points.size()];
        long[] v = new long[points.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = points.get(i)[0];
            v[i] = points.get(i)[1];
        }
        return new HeapSeries(source, -1, t, v);
    }

    /**
     * {@code areas} with the profiles' goroutines when it has none (an {@code areas.csv}'s own column wins), the JVM's
     * start — the process's — as the other areas'.
     */
    public static MemoryAreaSeries withGoroutines(MemoryAreaSeries areas, String source, List<Profile> profiles,
                                                  long startMillis) {
        if (areas.area(MemoryAreaSeries.GOROUTINES) != null) {
            return areas;
        }
        HeapSeries goroutines = series(source, profiles);
        if (goroutines.isEmpty()) {
            return areas;
        }
        Map<String, HeapSeries> all = new LinkedHashMap<>(areas.areas());
        all.put(MemoryAreaSeries.GOROUTINES, startMillis >= 0 ? goroutines.withJvmStartMillis(startMillis) : goroutines);
        return new MemoryAreaSeries(all);
    }
}
