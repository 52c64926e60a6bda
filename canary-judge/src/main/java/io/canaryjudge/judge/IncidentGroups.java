package io.canaryjudge.judge;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Finding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which findings one change explains, for {@link IncidentBuilder}:
 * <ol>
 * <li>Each finding gets an owner ({@link CostOwners}): application code, JVM and profiler work own
 *     themselves; a library, JDK or system function is owned by the application frame above it whose
 *     share of it changed most in the finding's direction.
 * <li>Findings with one owner form a group. An application group reached from another one through
 *     library frames (a getter Jackson calls back) that carries under {@value #CALLBACK} of that
 *     group's change joins it; rising groups under a new application frame join the top-most one (new
 *     code with its helpers is one change); a group whose entry frame's change is carried, to at least
 *     {@value #EXPLAINS}, or up to {@value #NOISE} standard errors of the noise model, by the groups below it
 *     joins the largest of them (a caller whose inclusive cost rose only because its callee's did) —
 *     unless its own (self) cost changed the same way.
 * <li>Each surviving group's own change is its entry frame's change beyond what the groups below carry:
 *     incidents are ordered by it, so a caller left with a little unexplained change does not lead.
 * </ol>
 */
final class IncidentGroups {
    /** Descendants that carry at least this fraction of an ancestor's change explain it (as FindingBuilder's). */
    static final double EXPLAINS = 0.8;
    /** An application frame called back through library code that carries less than this of its caller's change is part of it. */
    static final double CALLBACK = 0.2;
    /**
     * What groups below an entry frame leave of its change is noise when under this many standard errors
     * of the noise model (a caller's inclusive cost, a whole subtree, is noisier than its callee's).
     */
    static final double NOISE = 2;

    /** Groups below a library or JDK entry frame that carry more than this fraction of its change explain it. */
    static final double MOSTLY = 0.5;

    private IncidentGroups() {
    }

    /** Library or JDK code: as an entry frame, framework code that calls the application (an event loop, an operator). */
    private static boolean frameworkCode(FrameClass frameClass) {
        return frameClass == FrameClass.LIBRARY || frameClass == FrameClass.JDK;
    }

    /**
     * The surviving groups of one profile type, each with every finding (index into {@code findings})
     * merged into it, in finding order.
     */
    static List<Group> of(ProfileType type, List<Integer> items, List<Finding> findings, TypeContext context,
                          FrameClass[] classes, JudgeConfig config) {
        List<Group> groups = groups(type, items, findings, context, classes);
        mergeCallbacks(groups, context, classes);
        mergeIntoNewCode(groups, context, classes, config);
        mergeExplainedAncestors(groups, findings, context, classes);
        mergeCrossCutting(groups, findings, context, classes, config);
        List<Group> alive = new ArrayList<>();
        for (Group g : groups) {
            if (g.mergedInto == null) {
                alive.add(g);
            }
        }
        for (Group g : groups) {
            Group root = g.root();
            if (root != g) {
                root.items.addAll(g.items);
            }
        }
        alive.forEach(g -> g.items.sort(Comparator.naturalOrder()));
        return alive;
    }

    /** Findings owned by one frame; after merging, the surviving group is one incident. */
    static final class Group {
        final ProfileType type;
        final int owner;
        final List<Integer> items = new ArrayList<>();
        Group mergedInto;
        List<String> path = List.of();
        /** Entry frame's inclusive {baseline, canary, standard error of the difference}. */
        double[] means = {0, 0, 0};
        /** |change| of the entry frame beyond what surviving groups below it carry: how large this incident is itself. */
        double ownChange;
        /** For one library's work under several application frames ({@link #mergeCrossCutting}): those frames. */
        List<String> callers = List.of();

        Group(ProfileType type, int owner) {
            this.type = type;
            this.owner = owner;
        }

        Group root() {
            Group g = this;
            while (g.mergedInto != null) {
                g = g.mergedInto;
            }
            return g;
        }

        double change() {
            return means[1] - means[0];
        }
    }

    /** Step 1: each finding's owner; findings with one owner form a group. */
    private static List<Group> groups(ProfileType type, List<Integer> items, List<Finding> findings,
                                      TypeContext context, FrameClass[] classes) {
        List<CostOwners.Target> targets = new ArrayList<>();
        Map<Integer, Integer> targetOf = new HashMap<>();
        for (int i : items) {
            Finding f = findings.get(i);
            int id = context.functionIds.get(f.function());
            FrameClass c = classes[id];
            if (!(c.application() || c == FrameClass.JVM_INTERNAL || c == FrameClass.PROFILER)) {
                targetOf.put(i, targets.size());
                targets.add(new CostOwners.Target(id, f.measure().self()));
            }
        }
        List<Map<Integer, double[]>> credited = targets.isEmpty() ? List.of()
                : CostOwners.owners(context.current(), classes, targets);
        Map<Integer, Group> byOwner = new LinkedHashMap<>();
        for (int i : items) {
            Finding f = findings.get(i);
            int owner = context.functionIds.get(f.function());
            Integer k = targetOf.get(i);
            if (k != null) {
                double sign = IncidentBuilder.increase(f) ? 1 : -1;
                double best = 0;
                for (Map.Entry<Integer, double[]> e : credited.get(k).entrySet()) {
                    double moved = sign * (e.getValue()[1] - e.getValue()[0]);
                    if (moved > best || (moved == best && moved > 0 && e.getKey() < owner)) {
                        best = moved;
                        owner = e.getKey();
                    }
                }
            }
            byOwner.computeIfAbsent(owner, o -> new Group(type, o)).items.add(i);
        }
        List<Group> groups = new ArrayList<>(byOwner.values());
        int[] owners = groups.stream().mapToInt(g -> g.owner).toArray();
        List<CallPaths.Path> canary = CallPaths.hottest(context.group(1), context.functionNames, owners);
        List<CallPaths.Path> baseline = CallPaths.hottest(context.group(0), context.functionNames, owners);
        for (int k = 0; k < groups.size(); k++) {
            Group g = groups.get(k);
            g.path = canary.get(k).frames().isEmpty() ? baseline.get(k).frames() : canary.get(k).frames();
            g.means = context.analysis.inclusiveGroupMeans(g.owner);
        }
        return groups;
    }

    /**
     * Step 2a: an application frame that library code calls back (a record accessor under Jackson's
     * serialiser) and that carries little of its caller's change is part of the caller's incident.
     */
    private static void mergeCallbacks(List<Group> groups, TypeContext context, FrameClass[] classes) {
        Map<Integer, Group> byOwner = new HashMap<>();
        groups.forEach(g -> byOwner.put(g.owner, g));
        List<Group> deepestFirst = new ArrayList<>(groups);
        deepestFirst.sort(Comparator.comparingInt((Group g) -> g.path.size()).reversed());
        for (Group x : deepestFirst) {
            if (!classes[x.owner].application() || x.path.size() < 3) {
                continue;
            }
            int libraryFrames = 0;
            for (int j = x.path.size() - 2; j >= 0; j--) {
                Integer id = context.functionIds.get(x.path.get(j));
                if (id == null) {
                    break;
                }
                if (!classes[id].application()) {
                    libraryFrames++;
                    continue;
                }
                Group y = byOwner.get(id);
                if (libraryFrames > 0 && y != null && y.root() != x.root()
                        && x.change() * y.root().change() >= 0
                        && Math.abs(x.change()) < CALLBACK * Math.abs(y.root().change())) {
                    x.root().mergedInto = y.root();
                }
                break;
            }
        }
    }

    /**
     * Step 2b: new application code is one change. A rising group under application frames the baseline
     * never ran (a new method, {@code AuditTrail.serializeSnapshot}, and its helpers) joins the top-most
     * of them — found on the stacks, whether or not it is a finding itself: the cost enters where the
     * new code is called, and its helper methods and the library code below are detail.
     */
    private static void mergeIntoNewCode(List<Group> groups, TypeContext context, FrameClass[] classes,
                                         JudgeConfig config) {
        Map<Integer, Group> byOwner = new HashMap<>();
        groups.forEach(g -> byOwner.put(g.owner, g));
        for (Group g : new ArrayList<>(groups)) {
            if (g.mergedInto != null || !(g.change() > 0)) {
                continue;
            }
            int top = -1;
            int topAt = -1;
            for (int j = g.path.size() - 1; j >= 0; j--) {
                Integer id = context.functionIds.get(g.path.get(j));
                if (id == null) {
                    break;
                }
                double[] means = context.analysis.inclusiveGroupMeans(id);
                if (!(means[0] < config.thresholdsFor(g.path.get(j)).negligibleShare() && means[1] > means[0])) {
                    break; // the code above existed in the baseline
                }
                if (classes[id].application()) {
                    top = id;
                    topAt = j;
                }
            }
            if (top < 0 || top == g.owner) {
                continue;
            }
            Group target = byOwner.get(top);
            if (target == null) {
                target = new Group(g.type, top);
                target.path = List.copyOf(g.path.subList(0, topAt + 1));
                target.means = context.analysis.inclusiveGroupMeans(top);
                byOwner.put(top, target);
                groups.add(target);
            }
            if (target.root() != g) {
                g.mergedInto = target.root();
            }
        }
    }

    /**
     * Step 2c: a group whose entry frame's inclusive change is carried by groups below it (on their
     * entry frames' hottest paths) joins the largest of them, deepest first so chains collapse onto
     * the deepest frame; not when its own (self) cost changed the same way (its own code changed too).
     *
     * <p>An entry frame that is no application code — a library or JDK frame with no application frame above it,
     * as in framework-driven code: a Reactor operator on a Netty event loop, a virtual thread's continuation — is
     * where cost enters only for what no group below it carries. Its inclusive change is explained as soon as the
     * groups below carry most of it: the rest (recorded WebFlux pods: the kernel's thread wake-ups of
     * {@code publishOn} that a slower {@code map} lambda brings) is knock-on work of the change below, not a second
     * incident named at {@code FluxMap$MapSubscriber.onNext} "mostly application code". An application caller keeps
     * the stricter bar: what its callees leave is its own code's change.
     */
    private static void mergeExplainedAncestors(List<Group> groups, List<Finding> findings, TypeContext context,
                                                FrameClass[] classes) {
        List<Group> deepestFirst = new ArrayList<>(groups);
        deepestFirst.sort(Comparator.comparingInt((Group g) -> g.path.size()).reversed());
        for (Group a : deepestFirst) {
            if (a.mergedInto != null || a.change() == 0) {
                continue;
            }
            double sign = direction(a, findings);
            if (a.items.stream().map(findings::get)
                    .anyMatch(f -> f.measure().self() && f.function().equals(context.functionNames[a.owner])
                            && (IncidentBuilder.increase(f) ? 1 : -1) == sign)) {
                continue;
            }
            List<Group> top = topDescendants(a, groups, context);
            double carried = 0;
            Group largest = null;
            for (Group d : top) {
                carried += carried(a, d, sign);
                if (sign * d.change() > 0 && (largest == null || sign * d.change() > sign * largest.change())) {
                    largest = d;
                }
            }
            // Explained: the groups below carry most of the change, or what they leave is within the noise.
            double own = ownChange(a, sign, findings);
            double left = own - carried;
            double explains = frameworkCode(classes[a.owner]) ? MOSTLY : EXPLAINS;
            if (largest != null && (carried >= explains * own || left <= NOISE * a.means[2])) {
                Group callee = dearerCalleeOf(largest, groups, findings, context, classes);
                a.mergedInto = callee != null ? callee : largest;
            }
        }
        for (Group a : groups) {
            if (a.mergedInto == null) {
                double sign = direction(a, findings);
                double carried = 0;
                for (Group d : topDescendants(a, groups, context)) {
                    carried += carried(a, d, sign);
                }
                a.ownChange = Math.max(0, ownChange(a, sign, findings) - Math.max(0, carried));
            }
        }
    }

    /**
     * When {@code g} is a new frame that wraps calls of an old application callee which itself got dearer
     * ({@link MovedTimeCheck#dearerAt}) and none of its own rows fail (its own code beside the callee is no new path),
     * the callee's group (made when the callee has none): a caller's rise that the wrapper's group carries is the
     * callee's. Merged into the wrapper, the caller's FAIL was said "new hot path under `Router.traced`, 0.0 % of CPU
     * beside `RecommendationService.recommend`, which it wraps (11.1 % with it)" for `recommend` run 1.8 times as dear
     * with a fifth of its calls traced (qa67's "Not fixed" 4, qa71). Null otherwise.
     */
    private static Group dearerCalleeOf(Group g, List<Group> groups, List<Finding> findings, TypeContext context,
                                        FrameClass[] classes) {
        int at = g.path.indexOf(context.functionNames[g.owner]);
        if (!classes[g.owner].application() || !(g.means[0] < WRAPPER_NEW * g.means[1]) || at < 1
                || g.items.stream().map(findings::get).anyMatch(Finding::failing)) {
            return null;
        }
        Integer parent = context.functionIds.get(g.path.get(at - 1));
        if (parent == null) {
            return null;
        }
        int callee = -1;
        double hottest = 0;
        for (Map.Entry<Integer, double[]> e : context.analysis.calleeEdgeValues(g.owner).inclusive().entrySet()) {
            double canary = context.analysis.priorMeans(e.getValue())[1];
            if (classes[e.getKey()].application() && canary > hottest) {
                hottest = canary;
                callee = e.getKey();
            }
        }
        if (callee < 0 || !MovedTimeCheck.dearerAt(context, parent, callee, g.owner)) {
            return null;
        }
        for (Group other : groups) {
            if (other.owner == callee) {
                return other.root();
            }
        }
        Group made = new Group(g.type, callee);
        List<String> path = CallPaths.hottest(context.group(1), context.functionNames, new int[] {callee}).get(0).frames();
        if (path.isEmpty()) {
            path = new ArrayList<>(g.path.subList(0, at));
            path.add(context.functionNames[callee]);
        }
        made.path = path;
        made.means = context.analysis.inclusiveGroupMeans(callee);
        groups.add(made);
        return made;
    }

    /** A frame whose baseline inclusive share is under this fraction of its canary share is new (a wrapper's frame). */
    private static final double WRAPPER_NEW = 0.1;

    /**
     * How much a group changed in {@code sign}'s direction before the groups below it are taken off: its entry frame's
     * inclusive change, or, when its findings moved the other way ({@link #direction}), the largest of those findings'
     * changes (share points, as the entry frame's; the largest, not their sum, as a frame's inclusive row and the
     * self rows under it count one rise twice). Measured by its entry frame alone, a flipped group changed by 0: every
     * rising group below it explained it, however little of its findings' rise that group carried, and a surviving
     * one ranked last whatever its size.
     */
    private static double ownChange(Group a, double sign, List<Finding> findings) {
        if (sign * a.change() >= 0) {
            return Math.max(0, sign * a.change());
        }
        double largest = 0;
        for (int i : a.items) {
            Finding f = findings.get(i);
            if (f.absoluteChange() != null && !f.measure().perRequest() && sign * f.absoluteChange() > largest) {
                largest = sign * f.absoluteChange();
            }
        }
        return largest;
    }

    /**
     * What descendant {@code d} carries of {@code a}'s change in {@code sign}'s direction. The entry frame's inclusive
     * change is the net of the groups below it, a fall among them included; a flipped group's change is its findings'
     * rise (or fall) on some paths below it, which a sibling moving the other way elsewhere does not offset — counted
     * against it, the unchanged {@code Table.render}'s fall beside {@code Normalizer.normalize}'s rise left the
     * handler above both a second failing incident (recorded qa50 {@code deep160} pods).
     */
    private static double carried(Group a, Group d, double sign) {
        return sign * a.change() < 0 ? Math.max(0, sign * d.change()) : sign * d.change();
    }

    /**
     * The direction of a group's change: its entry frame's, unless its findings (the JDK and library frames below an
     * application frame it owns) moved the other way — then theirs, and the entry frame changed none of it in that
     * direction. Shares are compositional: when the canary's JVM work grew, a handler holding most of the profile
     * fell (recorded qa50: {@code Reports.render} 93.4 → 87.0 % of CPU) while the stream frames below it rose with
     * the changed method under them ({@code Scoring.score}, +3.4 points); measured by its fall, the handler's group
     * was the largest incident and led ("`ReduceOps$ReduceOp.evaluateSequential` +67 % … under `Reports.render`,
     * which fell -6.8 %"), ahead of the method that changed.
     */
    private static double direction(Group a, List<Finding> findings) {
        double entry = Math.signum(a.change());
        int found = IncidentBuilder.direction(a.items, findings);
        return entry == 0 || found == entry ? entry : found;
    }

    /**
     * Step 2d: one library's extra work under several application frames is one change — a logging level switched to
     * DEBUG formats under every method that logs, a metrics or tracing call added to every handler. Each surviving
     * rising group of an application frame whose rise goes mostly ({@value #MOSTLY}) through calls into one library
     * (its gateway: the first library frame below the application frame, {@link CostOwners#gateways}) is that library's
     * work there; when {@value #CROSS_CUTTING_CALLERS} or more such groups, at least one failing and none on another's
     * call path, go mostly through the same call into it (the gateway that carries most of each one's rise), they
     * become one incident named at that gateway frame, with the application
     * frames listed as its callers. Recorded pods with DEBUG logging were three incidents at the service methods that
     * log most ("new hot path under `CartService.addItem`, … mostly java.lang and java.util"), Logback unnamed (qa34).
     */
    private static void mergeCrossCutting(List<Group> groups, List<Finding> findings, TypeContext context,
                                          FrameClass[] classes, JudgeConfig config) {
        List<Group> candidates = new ArrayList<>();
        for (Group g : groups) {
            // Rising by its findings: a method's inclusive share can fall while new work appears under it, when the
            // same library's work grew more under the others (shares are compositional).
            if (g.mergedInto == null && classes[g.owner].application()
                    && IncidentBuilder.direction(g.items, findings) > 0) {
                candidates.add(g);
            }
        }
        if (candidates.size() < CROSS_CUTTING_CALLERS) {
            return;
        }
        int[] owners = candidates.stream().mapToInt(g -> g.owner).toArray();
        List<Map<Integer, double[]>> split = CostOwners.gateways(context.current(), classes, owners);
        FrameClassifier frames = config.frames();
        Map<String, List<Group>> byGateway = new LinkedHashMap<>();
        for (int k = 0; k < candidates.size(); k++) {
            Group g = candidates.get(k);
            Map<String, Double> moved = new HashMap<>();
            double total = 0; // what rose below the frame, through any gateway or its own code
            for (Map.Entry<Integer, double[]> e : split.get(k).entrySet()) {
                double m = e.getValue()[1] - e.getValue()[0];
                total += Math.max(0, m);
                if (e.getKey() != g.owner) {
                    moved.merge(frames.label(context.functionNames[e.getKey()]), m, Double::sum);
                }
            }
            String library = null;
            for (Map.Entry<String, Double> e : moved.entrySet()) {
                if (total > 0 && e.getValue() >= MOSTLY * total) {
                    library = e.getKey();
                }
            }
            if (library == null) {
                continue;
            }
            // The call into the library that carries most of it: one API called from many places (`Logger.debug`) is
            // a cross-cutting change; a library's parser under one method and its runtime under another are not.
            int top = -1;
            double topMove = 0;
            for (Map.Entry<Integer, double[]> e : split.get(k).entrySet()) {
                double m = e.getValue()[1] - e.getValue()[0];
                if (e.getKey() != g.owner && library.equals(frames.label(context.functionNames[e.getKey()]))
                        && (m > topMove || m == topMove && top >= 0 && e.getKey() < top)) {
                    top = e.getKey();
                    topMove = m;
                }
            }
            String key = context.functionNames[top];
            byGateway.computeIfAbsent(key, l -> new ArrayList<>()).add(g);
        }
        Map<Integer, Group> byOwner = new HashMap<>();
        groups.forEach(g -> byOwner.put(g.owner, g));
        for (Map.Entry<String, List<Group>> e : byGateway.entrySet()) {
            List<Group> members = e.getValue();
            boolean failing = members.stream().flatMap(g -> g.items.stream()).anyMatch(i -> findings.get(i).failing());
            if (members.size() < CROSS_CUTTING_CALLERS || !failing || nested(members, context)) {
                continue;
            }
            int gateway = context.functionIds.get(e.getKey());
            Group target = byOwner.get(gateway);
            if (target == null || target.mergedInto != null) {
                target = new Group(members.get(0).type, gateway);
                target.path = CallPaths.hottest(context.group(1), context.functionNames, new int[] {gateway}).get(0).frames();
                target.means = context.analysis.inclusiveGroupMeans(gateway);
                groups.add(target);
            }
            members.sort(Comparator.comparingDouble((Group g) -> -g.change()));
            List<String> callers = new ArrayList<>();
            for (Group g : members) {
                g.mergedInto = target;
                target.ownChange += g.ownChange;
                callers.add(context.functionNames[g.owner]);
            }
            target.callers = List.copyOf(callers);
        }
    }

    /**
     * Whether one group's entry frame is on another's hottest path: the library's work then sits under one call chain
     * (a script compiled per request by `ScriptRules.groovyRule`, whose own `Script.score` runs Groovy's call sites
     * too), a change of the caller's, not work spread across several entry points.
     */
    private static boolean nested(List<Group> members, TypeContext context) {
        for (Group a : members) {
            String name = context.functionNames[a.owner];
            for (Group b : members) {
                if (a != b && b.path.indexOf(name) >= 0 && b.path.indexOf(name) < b.path.size() - 1) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Application frames whose rises go through one library that make it one cross-cutting change. */
    static final int CROSS_CUTTING_CALLERS = 2;

    /**
     * The surviving groups below {@code a} (its entry frame on their entry frames' hottest paths), only the
     * top-most of them: a group under another one below {@code a} is part of that one's inclusive change.
     */
    private static List<Group> topDescendants(Group a, List<Group> groups, TypeContext context) {
        String name = context.functionNames[a.owner];
        List<Group> below = new ArrayList<>();
        for (Group d : groups) {
            int at = d.path.indexOf(name);
            if (d.mergedInto == null && d != a && at >= 0 && at < d.path.size() - 1) {
                below.add(d);
            }
        }
        List<Group> top = new ArrayList<>();
        for (Group d : below) {
            int at = d.path.indexOf(name);
            boolean nested = false;
            for (Group other : below) {
                int o = d.path.indexOf(context.functionNames[other.owner]);
                nested |= other != d && o > at && o < d.path.size() - 1;
            }
            if (!nested) {
                top.add(d);
            }
        }
        return top;
    }
}
