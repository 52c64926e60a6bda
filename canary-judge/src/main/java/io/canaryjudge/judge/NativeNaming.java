package io.canaryjudge.judge;

import io.canaryjudge.profile.Profile;
import java.util.ArrayList;
import java.util.List;

/**
 * One spelling of native frames across the groups. A JFR recording as read here and Pyroscope (jfr-parser) name a
 * native frame with its library ({@code libjvm.so.GangWorker::loop}, {@code .itable stub} for an empty one);
 * async-profiler's collapsed output and its converter's pprof write the symbol alone ({@code GangWorker::loop}).
 * When some recordings use one form and some the other (a JFR canary beside collapsed baseline slices), every JVM,
 * C library and kernel frame would read as present on one side only: the canary "does not resemble the baseline".
 * Then every recording's native frames are compared by their symbol, and the verdict says so.
 */
public final class NativeNaming {
    /** Native frames a recording must name before its form counts. */
    private static final int MIN_NATIVE_NAMES = 5;
    /**
     * The most names of the other form a recording of one form holds, as a fraction of its own (the fixtures' recordings
     * with libraries: 0 or 1 symbol-only name against 61–105 with a library).
     */
    private static final double STRAY_FRACTION = 0.05;

    private NativeNaming() {
    }

    /** The observations to judge, and the warning to give when their native frames were renamed (null if not). */
    public record Reconciled(List<Observation> baseline, List<Observation> canary, List<Observation> history,
                             String warning) {
    }

    enum Form { WITH_LIBRARY, SYMBOL_ONLY, UNKNOWN }

    public static Reconciled reconcile(List<Observation> baseline, List<Observation> canary,
                                       List<Observation> history) {
        List<String> withLibrary = new ArrayList<>();
        List<String> symbolOnly = new ArrayList<>();
        classify(baseline, "baseline", withLibrary, symbolOnly);
        classify(canary, "canary", withLibrary, symbolOnly);
        classify(history, "history", withLibrary, symbolOnly);
        if (withLibrary.isEmpty() || symbolOnly.isEmpty()) {
            return new Reconciled(baseline, canary, history, null);
        }
        String warning = "native frames are named with their library in some recordings (" + describe(withLibrary)
                + ": JFR as read here and Pyroscope write `libjvm.so.Thread::call_run`) and by their symbol alone in "
                + "others (" + describe(symbolOnly) + ": async-profiler's collapsed and converted pprof output write "
                + "`Thread::call_run`), so native frames were compared by symbol alone: a JNI library's own functions are "
                + "told apart from the JVM's by their names only; give every group in one form for the libraries";
        return new Reconciled(symbolsOnly(baseline), symbolsOnly(canary), symbolsOnly(history), warning);
    }

    /** Which form a profile's native frame names take. */
    static Form form(Profile profile) {
        int library = 0;
        int symbol = 0;
        for (int f = 0; f < profile.functionCount(); f++) {
            String name = profile.functionName(f);
            NativeFrameNames.NativeName split = NativeFrameNames.split(name);
            if (split == null || name.startsWith("[")) {
                continue;
            }
            if (split.library() != null || name.startsWith(".")) {
                library++;
            } else {
                symbol++;
            }
        }
        if (library >= MIN_NATIVE_NAMES && symbol <= STRAY_FRACTION * library) {
            return Form.WITH_LIBRARY;
        }
        if (symbol >= MIN_NATIVE_NAMES && library <= STRAY_FRACTION * symbol) {
            return Form.SYMBOL_ONLY;
        }
        return Form.UNKNOWN;
    }

    /**
     * A native frame's symbol alone; other names as they are. A frame named by its library's path behind the empty
     * library ({@code ./tmp/snappy-1.1.8-libsnappyjava.so}, no symbol found) keeps the path, as the converter writes it.
     */
    static String symbolOnly(String name) {
        if (name.startsWith("[")) {
            return name;
        }
        NativeFrameNames.NativeName split = NativeFrameNames.split(name);
        if (split == null) {
            return name;
        }
        if (split.symbol().isEmpty()) {
            return name.startsWith(".") ? name.substring(1) : name;
        }
        return split.symbol();
    }

    private static void classify(List<Observation> group, String label, List<String> withLibrary,
                                 List<String> symbolOnly) {
        for (Observation o : group) {
            switch (form(o.profile())) {
                case WITH_LIBRARY -> addOnce(withLibrary, label + " " + o.instance());
                case SYMBOL_ONLY -> addOnce(symbolOnly, label + " " + o.instance());
                case UNKNOWN -> {
                }
            }
        }
    }

    private static void addOnce(List<String> list, String item) {
        if (!list.contains(item)) {
            list.add(item);
        }
    }

    private static String describe(List<String> pods) {
        return pods.size() <= 3 ? String.join(", ", pods)
                : String.join(", ", pods.subList(0, 3)) + " and " + (pods.size() - 3) + " more";
    }

    private static List<Observation> symbolsOnly(List<Observation> group) {
        List<Observation> renamed = new ArrayList<>(group.size());
        for (Observation o : group) {
            Profile profile = o.profile().withFunctionNames(NativeNaming::symbolOnly);
            renamed.add(profile == o.profile() ? o : o.withProfile(profile));
        }
        return renamed;
    }
}
