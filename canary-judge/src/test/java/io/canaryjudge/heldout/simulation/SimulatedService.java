package io.canaryjudge.heldout.simulation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The true profile of a simulated Java service, built so that its noise has the structure real
 * profiles show and the project's first simulator ({@code eval.ProfileSimulator}: one call path per
 * function, one pod-noise level for all) lacks:
 * <ul>
 *   <li><b>several call paths per function</b>: library and JDK functions are reached from many
 *       application methods, so a function's cost is split across stacks;</li>
 *   <li><b>its own between-pod noise level per function</b> ({@link #sigma}), heavy-tailed across
 *       functions: lognormal around 3.5 % with a few functions at 25–40 % (JIT- and GC-sensitive
 *       code); JVM functions are half as noisy again;</li>
 *   <li><b>JIT flips</b>: for a few library/JDK functions each JVM decides once whether to inline them
 *       into their callers; inlined, 98 % of their self time shows in the caller's frame
 *       ({@link #flipTo});</li>
 *   <li>frames of every kind a real JVM profile has ({@link FrameKind}): application, library, JDK,
 *       JVM-internal (JIT, GC, stubs) and an application JNI library.</li>
 * </ul>
 * Rates are per stack (leaf-first function ids): {@code cpuRate} sums to 1; {@code allocRate} (bytes)
 * sums to 1 over the stacks that allocate.
 *
 * @param names     function names as a profiler would give them
 * @param kinds     kind of each function
 * @param stacks    stacks, leaf first
 * @param cpuRate   true CPU share of each stack (self time of its leaf on that path)
 * @param allocRate true share of allocated bytes of each stack
 * @param sigma     between-pod noise of each function: sd of the log of its pod factor
 * @param flipTo    for a stack whose leaf may be inlined into its caller: the stack without the leaf; −1 otherwise
 * @param flips     functions whose inlining each JVM decides by a coin flip
 */
record SimulatedService(List<String> names, FrameKind[] kinds, int[][] stacks, double[] cpuRate, double[] allocRate,
                        double[] sigma, int[] flipTo, boolean[] flips) {

    /** Share of its self time a function keeps when a JVM inlines it (recorded shop A/A: 0.03 % of 1.93 %). */
    static final double INLINED_RESIDUAL = 0.02;

    private static final String[] APP_CLASSES = {"OrderController", "CheckoutService", "CartRepository",
        "PricingEngine", "TaxRules", "InventoryClient", "ShippingQuote", "ReceiptRenderer", "FraudScreen",
        "LoyaltyLedger", "PromotionMatcher", "AuditJournal"};
    private static final String[] BATCH_CLASSES = {"ExportJob", "ColumnWriter", "PartitionPlanner", "ManifestStore",
        "RowGroupEncoder", "SchemaRegistryClient", "CompactionTask", "BloomIndex"};
    private static final String[] APP_METHODS = {"handle", "process", "load", "compute", "render", "validate", "apply",
        "lookup", "merge", "encode", "score", "publish"};
    private static final String[] LIBRARY_CLASSES = {"com.fasterxml.jackson.databind.ser.BeanSerializer",
        "com.fasterxml.jackson.core.json.UTF8JsonGenerator", "io.netty.buffer.AbstractByteBuf",
        "io.netty.channel.DefaultChannelPipeline", "org.hibernate.engine.internal.StatefulPersistenceContext",
        "com.google.common.collect.ImmutableMap", "reactor.core.publisher.FluxMap$MapSubscriber",
        "org.apache.kafka.clients.producer.KafkaProducer", "com.zaxxer.hikari.pool.HikariPool",
        "org.postgresql.core.v3.QueryExecutorImpl", "io.micrometer.core.instrument.Timer",
        "ch.qos.logback.classic.Logger", "org.springframework.web.reactive.DispatcherHandler",
        "org.yaml.snakeyaml.parser.ParserImpl", "com.github.benmanes.caffeine.cache.BoundedLocalCache",
        "org.apache.commons.lang3.StringUtils", "io.grpc.internal.ServerImpl$JumpToApplicationThreadServerStreamListener",
        "com.google.protobuf.CodedOutputStream", "org.apache.avro.generic.GenericDatumWriter",
        "org.apache.parquet.column.impl.ColumnWriterBase"};
    private static final String[] LIBRARY_METHODS = {"serialize", "write", "invoke", "get", "apply", "onNext", "send",
        "execute", "record", "read", "parse", "put"};
    private static final String[] JDK_FUNCTIONS = {"java.util.HashMap.getNode", "java.util.HashMap.putVal",
        "java.util.ArrayList.grow", "java.lang.String.hashCode", "java.lang.StringLatin1.indexOf",
        "java.util.regex.Pattern$Slice.match", "java.lang.AbstractStringBuilder.append", "java.util.Arrays.copyOf",
        "java.math.BigDecimal.multiply", "java.util.concurrent.ConcurrentHashMap.get",
        "java.time.format.DateTimeFormatter.format", "java.nio.charset.CharsetEncoder.encode",
        "java.util.TreeMap.getEntry", "java.lang.Integer.toString", "java.util.stream.ReferencePipeline$3$1.accept",
        "java.util.zip.CRC32.update", "java.util.LinkedHashMap.afterNodeInsertion", "java.lang.Long.parseLong",
        "java.util.UUID.toString", "sun.security.provider.SHA2.implCompress", "java.util.Formatter.format",
        "java.lang.String.equals", "java.util.ArrayList$Itr.next", "java.lang.ThreadLocal.get",
        "java.util.concurrent.locks.ReentrantLock.lock", "java.lang.invoke.Invokers$Holder.linkToTargetMethod",
        "java.nio.HeapByteBuffer.get", "java.util.Collections$UnmodifiableCollection$1.next",
        "java.lang.StringConcatHelper.simpleConcat", "java.util.Objects.equals"};
    private static final String[] JIT_LEAVES = {"libjvm.so.PhaseChaitin::Split", "libjvm.so.PhaseIdealLoop::build_loop_tree",
        "libjvm.so.PhaseIterGVN::optimize", "libjvm.so.Parse::do_one_bytecode", "libjvm.so.Matcher::match"};
    private static final String[] GC_LEAVES = {"libjvm.so.G1ParScanThreadState::trim_queue",
        "libjvm.so.OopOopIterateDispatch<G1ScanCardClosure>::Table::oop_oop_iterate", "libjvm.so.SpinPause"};
    private static final String[] NATIVE_FUNCTIONS = {"liblz4-java.so.LZ4_compress_fast_extState",
        "liblz4-java.so.LZ4_compress_generic", "liblz4-java.so.LZ4_count"};

    /**
     * A service drawn at random. {@code program} chooses the application's own package and classes:
     * two services of different programs share only JDK, JVM and some library frames.
     */
    static SimulatedService generate(RandomDraws random, String program) {
        Builder b = new Builder();
        boolean batch = "batch".equals(program);
        String appPackage = batch ? "com.example.batch." : "com.example.orders.";
        String[] appClasses = batch ? BATCH_CLASSES : APP_CLASSES;
        int threadRun = b.function("java.lang.Thread.run", FrameKind.JDK);
        int worker = b.function(appPackage + "Worker.run", FrameKind.APPLICATION);

        // Library and JDK pools; popularity rank = index, drawn with a Zipf-like preference, so a few
        // library and JDK functions sit under many application methods (several call paths each).
        int[] library = new int[64];
        int offset = batch ? 7 : 0;
        for (int i = 0; i < library.length; i++) {
            String cls = LIBRARY_CLASSES[(i + offset) % LIBRARY_CLASSES.length];
            library[i] = b.function(cls + "." + LIBRARY_METHODS[(i * 5 + i / LIBRARY_CLASSES.length) % LIBRARY_METHODS.length],
                    FrameKind.LIBRARY);
        }
        int[] jdk = new int[JDK_FUNCTIONS.length];
        for (int i = 0; i < jdk.length; i++) {
            jdk[i] = b.function(JDK_FUNCTIONS[i], FrameKind.JDK);
        }

        // Application call tree under Worker.run, at most 6 application frames deep.
        int appCount = 30 + random.below(11);
        List<int[]> appPaths = new ArrayList<>(); // leaf-first paths from each application method to the root
        appPaths.add(new int[] {worker, threadRun});
        List<Integer> apps = new ArrayList<>();
        for (int i = 0; i < appCount; i++) {
            String name = appPackage + appClasses[random.below(appClasses.length)] + "."
                    + APP_METHODS[random.below(APP_METHODS.length)];
            if (b.ids.containsKey(name)) {
                name = name + (i + 2);
            }
            int f = b.function(name, FrameKind.APPLICATION);
            int[] parent;
            do {
                double u = random.uniform();
                parent = appPaths.get((int) Math.floor(appPaths.size() * u * u));
            } while (parent.length >= 8);
            int[] path = prepend(f, parent);
            appPaths.add(path);
            apps.add(f);
        }
        // Stacks: each application method's own loop, and 1-3 library/JDK chains below it.
        for (int a = 1; a < appPaths.size(); a++) {
            int[] path = appPaths.get(a);
            if (random.uniform() < 0.7) {
                b.stack(path, random.lognormal(0, 1.2), allocWeight(random));
            }
            int chains = 1 + random.below(3);
            for (int c = 0; c < chains; c++) {
                int[] chain = path;
                int depth = 1 + random.below(5);
                for (int d = 0; d < depth; d++) {
                    chain = prepend(library[popular(random, library.length)], chain);
                    if (d < depth - 1 && random.uniform() < 0.25) {
                        b.stack(chain, random.lognormal(-0.5, 1.2), allocWeight(random));
                    }
                }
                if (random.uniform() < 0.6) {
                    chain = prepend(jdk[popular(random, jdk.length)], chain);
                    if (random.uniform() < 0.3) {
                        chain = prepend(jdk[popular(random, jdk.length)], chain);
                    }
                }
                b.stack(chain, random.lognormal(0, 1.2), allocWeight(random));
            }
        }
        // The application's JNI library: one application method compresses through lz4-java.
        int[] compressorPath = appPaths.get(1 + random.below(appPaths.size() - 1));
        int wrapper = b.function("net.jpountz.lz4.LZ4JNI.LZ4_compress_limitedOutput", FrameKind.LIBRARY);
        int[] jni = prepend(wrapper, compressorPath);
        int[] nativeStack = jni;
        List<Integer> nativeStacks = new ArrayList<>();
        for (String nativeName : NATIVE_FUNCTIONS) {
            nativeStack = prepend(b.function(nativeName, FrameKind.NATIVE_APPLICATION), nativeStack);
            nativeStacks.add(b.stack(nativeStack, 1 + random.uniform(), 0));
        }
        // JVM work: JIT compiler and GC threads, and the JVM's dispatch stubs under library frames.
        int[] vmThread = {b.function("libjvm.so.Thread::call_run", FrameKind.JVM),
            b.function("libjvm.so.thread_native_entry", FrameKind.JVM), b.function("libc.so.6.start_thread", FrameKind.JVM)};
        int[] compiler = prepend(b.function("libjvm.so.C2Compiler::compile_method", FrameKind.JVM),
                prepend(b.function("libjvm.so.CompileBroker::compiler_thread_loop", FrameKind.JVM), vmThread));
        int[] gc = prepend(b.function("libjvm.so.G1ParEvacuateFollowersClosure::do_void", FrameKind.JVM),
                prepend(b.function("libjvm.so.WorkerThread::run", FrameKind.JVM), vmThread));
        List<Integer> jvmStacks = new ArrayList<>();
        for (String leaf : JIT_LEAVES) {
            jvmStacks.add(b.stack(prepend(b.function(leaf, FrameKind.JVM), compiler), 1 + random.uniform(), 0));
        }
        for (String leaf : GC_LEAVES) {
            jvmStacks.add(b.stack(prepend(b.function(leaf, FrameKind.JVM), gc), 1 + random.uniform(), 0));
        }
        int itable = b.function(".itable stub", FrameKind.JVM);
        List<Integer> stubStacks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int[] caller = b.stacks.get(random.below(b.stacks.size()));
            if (b.kinds.get(caller[0]) == FrameKind.LIBRARY || b.kinds.get(caller[0]) == FrameKind.APPLICATION) {
                stubStacks.add(b.stack(prepend(itable, caller), random.uniform(), 0));
            }
        }
        scale(b.cpu, jvmStacks, 0.08);
        scale(b.cpu, nativeStacks, 0.03);
        scale(b.cpu, stubStacks, 0.015);

        // Per-function between-pod noise: lognormal around 3.5 %, 3 % of functions very noisy.
        int functions = b.names.size();
        double[] sigma = new double[functions];
        for (int f = 0; f < functions; f++) {
            sigma[f] = random.uniform() < 0.03 ? 0.25 + 0.15 * random.uniform()
                    : Math.min(0.4, random.lognormal(Math.log(0.035), 0.7));
            if (b.kinds.get(f) == FrameKind.JVM) {
                sigma[f] *= 1.5;
            }
        }
        // JIT flips: about 3 % of the functions that are a library/JDK leaf below another frame.
        boolean[] flips = new boolean[functions];
        for (int f = 0; f < functions; f++) {
            FrameKind kind = b.kinds.get(f);
            if ((kind == FrameKind.LIBRARY || kind == FrameKind.JDK) && f != threadRun && random.uniform() < 0.06) {
                flips[f] = true;
            }
        }
        int stacksBefore = b.stacks.size();
        int[] flipTo = new int[stacksBefore];
        Arrays.fill(flipTo, -1);
        for (int s = 0; s < stacksBefore; s++) {
            int[] stack = b.stacks.get(s);
            if (flips[stack[0]] && stack.length >= 3) {
                flipTo[s] = b.stack(Arrays.copyOfRange(stack, 1, stack.length), 0, 0);
            }
        }
        return b.build(sigma, Arrays.copyOf(flipTo, b.stacks.size()), flips);
    }

    private static double allocWeight(RandomDraws random) {
        return random.uniform() < 0.45 ? random.lognormal(0, 1.5) : 0;
    }

    /** An index in [0, n) with a preference for small indices (popular functions). */
    private static int popular(RandomDraws random, int n) {
        double u = random.uniform();
        return Math.min(n - 1, (int) Math.floor(n * u * u * u));
    }

    private static int[] prepend(int leaf, int[] path) {
        int[] stack = new int[path.length + 1];
        stack[0] = leaf;
        System.arraycopy(path, 0, stack, 1, path.length);
        return stack;
    }

    /** Scales the weights of {@code group} to {@code share} of the total and the others to the rest. */
    private static void scale(List<Double> weights, List<Integer> group, double share) {
        double inGroup = 0;
        double total = 0;
        for (int s = 0; s < weights.size(); s++) {
            total += weights.get(s);
            if (group.contains(s)) {
                inGroup += weights.get(s);
            }
        }
        for (int s = 0; s < weights.size(); s++) {
            double w = weights.get(s);
            weights.set(s, group.contains(s) ? w * share / inGroup : w * (1 - share) / (total - inGroup));
        }
    }

    int functionCount() {
        return names.size();
    }

    int stackCount() {
        return stacks.length;
    }

    int function(String name) {
        return names.indexOf(name);
    }

    /** Stacks whose leaf is {@code function}. */
    List<Integer> selfStacks(int function) {
        List<Integer> out = new ArrayList<>();
        for (int s = 0; s < stacks.length; s++) {
            if (stacks[s][0] == function) {
                out.add(s);
            }
        }
        return out;
    }

    /** The same service with new per-stack rates (a changed build). */
    SimulatedService withRates(double[] cpu, double[] alloc) {
        return new SimulatedService(names, kinds, stacks, cpu, alloc, sigma, flipTo, flips);
    }

    /**
     * The same service with a new stack ending in a new application function {@code name} under
     * {@code callerStack}'s path and {@code libraryDepth} library frames below it: returns the service
     * and, through the rates, leaves the new stacks at rate 0 for the caller to fill.
     */
    SimulatedService withNewPath(String name, int callerStack, int[] libraryFrames) {
        List<String> newNames = new ArrayList<>(names);
        FrameKind[] newKinds = Arrays.copyOf(kinds, kinds.length + 1);
        newNames.add(name);
        int f = newNames.size() - 1;
        newKinds[f] = FrameKind.APPLICATION;
        int[] caller = stacks[callerStack];
        List<int[]> added = new ArrayList<>();
        int[] path = prepend(f, caller);
        added.add(path);
        for (int frame : libraryFrames) {
            path = prepend(frame, path);
            added.add(path);
        }
        int[][] newStacks = Arrays.copyOf(stacks, stacks.length + added.size());
        for (int i = 0; i < added.size(); i++) {
            newStacks[stacks.length + i] = added.get(i);
        }
        double[] newSigma = Arrays.copyOf(sigma, sigma.length + 1);
        newSigma[f] = 0.035;
        int[] newFlipTo = Arrays.copyOf(flipTo, newStacks.length);
        Arrays.fill(newFlipTo, stacks.length, newStacks.length, -1);
        return new SimulatedService(List.copyOf(newNames), newKinds, newStacks,
                Arrays.copyOf(cpuRate, newStacks.length), Arrays.copyOf(allocRate, newStacks.length), newSigma,
                newFlipTo, Arrays.copyOf(flips, flips.length + 1));
    }

    /** Collects functions and stacks while {@link #generate} draws them. */
    private static final class Builder {
        final List<String> names = new ArrayList<>();
        final List<FrameKind> kinds = new ArrayList<>();
        final Map<String, Integer> ids = new HashMap<>();
        final List<int[]> stacks = new ArrayList<>();
        final Map<String, Integer> stackIds = new LinkedHashMap<>();
        final List<Double> cpu = new ArrayList<>();
        final List<Double> alloc = new ArrayList<>();

        int function(String name, FrameKind kind) {
            Integer id = ids.get(name);
            if (id != null) {
                return id;
            }
            names.add(name);
            kinds.add(kind);
            ids.put(name, names.size() - 1);
            return names.size() - 1;
        }

        /** Adds weight to a stack (interned); returns its index. */
        int stack(int[] stack, double cpuWeight, double allocWeight) {
            String key = Arrays.toString(stack);
            Integer id = stackIds.get(key);
            if (id == null) {
                stacks.add(stack);
                cpu.add(0.0);
                alloc.add(0.0);
                id = stacks.size() - 1;
                stackIds.put(key, id);
            }
            cpu.set(id, cpu.get(id) + cpuWeight);
            alloc.set(id, alloc.get(id) + allocWeight);
            return id;
        }

        SimulatedService build(double[] sigma, int[] flipTo, boolean[] flips) {
            return new SimulatedService(List.copyOf(names), kinds.toArray(new FrameKind[0]),
                    stacks.toArray(new int[0][]), normalise(cpu), normalise(alloc), sigma, flipTo, flips);
        }
    }

    static double[] normalise(List<Double> weights) {
        double sum = weights.stream().mapToDouble(Double::doubleValue).sum();
        return weights.stream().mapToDouble(w -> w / sum).toArray();
    }

    static double[] normalise(double[] weights) {
        double sum = Arrays.stream(weights).sum();
        double[] out = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            out[i] = weights[i] / sum;
        }
        return out;
    }
}
