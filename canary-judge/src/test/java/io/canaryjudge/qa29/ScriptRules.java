package io.canaryjudge.qa29;

import org.springframework.expression.Expression;
import org.springframework.expression.spel.SpelCompilerMode;
import org.springframework.expression.spel.SpelParserConfiguration;
import org.springframework.expression.spel.standard.SpelExpressionParser;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A pricing service whose rules are user scripts, evaluated per request: Groovy scripts (compiled by
 * {@code GroovyShell.parse}, so named {@code Script1}, {@code Script2}, … in compile order), JavaScript functions
 * compiled to bytecode by Rhino ({@code org.mozilla.javascript.gen.…_N}) and SpEL expressions in compiled mode
 * ({@code spel.ExN}). The engines are on the pod's class path only (not the test class path), so they are reached
 * through method handles, as a plug-in host would. Each JVM compiles its rules in an order drawn from its seed
 * (with a seed-drawn number of other tenants' scripts between), so one rule has a different generated name in each
 * JVM. Variants: {@code aa}; {@code expensive}: the Groovy {@code loyalty} rule does twice the work;
 * {@code newpath}: an own-code {@link #screenFraud} step; {@code recompile}: the {@code loyalty} rule is compiled
 * anew per request instead of once (same script, same cost to run).
 */
public final class ScriptRules {
    /** What differs between builds. */
    public enum Variant { AA, EXPENSIVE, NEWPATH, RECOMPILE }

    /** One order: item prices, quantities, the customer's tier. Public getters for SpEL. */
    public record Order(double[] prices, int[] quantities, int tier) {
        public double getTotal() {
            double total = 0;
            for (int i = 0; i < prices.length; i++) {
                total += prices[i] * quantities[i];
            }
            return total;
        }

        public int getTier() {
            return tier;
        }

        public int getItems() {
            return prices.length;
        }
    }

    static final Map<String, Integer> GROOVY_ROUNDS = new LinkedHashMap<>();
    static {
        GROOVY_ROUNDS.put("tax", 12);
        GROOVY_ROUNDS.put("discount", 20);
        GROOVY_ROUNDS.put("shipping", 8);
        GROOVY_ROUNDS.put("loyalty", 16);
    }
    static final Map<String, Integer> JS_ROUNDS = new LinkedHashMap<>();
    static {
        JS_ROUNDS.put("risk", 400);
        JS_ROUNDS.put("promo", 250);
    }
    static final Map<String, String> SPEL = new LinkedHashMap<>();
    static {
        SPEL.put("eligible", "total > 100.0 and tier >= 1 ? total * 0.05 + items : 0.0");
        SPEL.put("cap", "(total * 0.9 + tier * 3.5) / (items + 1)");
    }

    private final Variant variant;
    private final Object groovyShell;
    private final MethodHandle groovyParse;
    private final Map<String, MethodHandle> groovyRules = new LinkedHashMap<>();
    private final Map<String, Object> jsRules = new LinkedHashMap<>();
    private final Map<String, Expression> spelRules = new LinkedHashMap<>();
    private final MethodHandle jsCall;
    private final MethodHandle contextEnter;
    private final MethodHandle contextExit;
    private final MethodHandle newArray;
    private final Object jsScope;

    public ScriptRules(Variant variant, long seed) throws Throwable {
        this.variant = variant;
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        Class<?> shellClass = Class.forName("groovy.lang.GroovyShell");
        Class<?> scriptClass = Class.forName("groovy.lang.Script");
        groovyShell = shellClass.getConstructor().newInstance();
        groovyParse = lookup.findVirtual(shellClass, "parse", MethodType.methodType(scriptClass, String.class));
        Class<?> context = Class.forName("org.mozilla.javascript.Context");
        Class<?> scriptable = Class.forName("org.mozilla.javascript.Scriptable");
        Class<?> function = Class.forName("org.mozilla.javascript.Function");
        contextEnter = lookup.findStatic(context, "enter", MethodType.methodType(context));
        contextExit = lookup.findStatic(context, "exit", MethodType.methodType(void.class));
        MethodHandle compileFunction = lookup.findVirtual(context, "compileFunction",
                MethodType.methodType(function, scriptable, String.class, String.class, int.class, Object.class));
        jsCall = lookup.findVirtual(function, "call",
                MethodType.methodType(Object.class, context, scriptable, scriptable, Object[].class));
        newArray = lookup.findVirtual(context, "newArray",
                MethodType.methodType(scriptable, scriptable, Object[].class));
        Object cx = contextEnter.invoke();
        try {
            lookup.findVirtual(context, "setInterpretedMode", MethodType.methodType(void.class, boolean.class))
                    .invoke(cx, false);
            jsScope = lookup.findVirtual(context, "initStandardObjects", MethodType.methodType(
                    Class.forName("org.mozilla.javascript.ScriptableObject"))).invoke(cx);
            SpelExpressionParser spel = new SpelExpressionParser(
                    new SpelParserConfiguration(SpelCompilerMode.IMMEDIATE, getClass().getClassLoader()));
            // Compile order (and other tenants' scripts between) drawn from the seed: generated names differ per JVM.
            Random random = new Random(seed);
            List<String> order = new ArrayList<>();
            GROOVY_ROUNDS.keySet().forEach(name -> order.add("groovy:" + name));
            JS_ROUNDS.keySet().forEach(name -> order.add("js:" + name));
            SPEL.keySet().forEach(name -> order.add("spel:" + name));
            for (int t = 0, tenants = random.nextInt(6); t < tenants; t++) {
                order.add("tenant:" + t);
            }
            Collections.shuffle(order, random);
            int tenant = 0;
            for (String entry : order) {
                String kind = entry.substring(0, entry.indexOf(':'));
                String name = entry.substring(entry.indexOf(':') + 1);
                switch (kind) {
                    case "groovy" -> groovyRules.put(name, groovyRule(name));
                    case "js" -> jsRules.put(name, compileFunction.invoke(cx, jsScope, jsSource(name), name + ".js", 1, null));
                    case "spel" -> spelRules.put(name, spel.parseExpression(SPEL.get(name)));
                    default -> {
                        // another tenant's rule of each kind, never run here
                        parseGroovy("double score(double[] p, int[] q, int tier) { " + tenant + " }");
                        compileFunction.invoke(cx, jsScope, "function t" + tenant + "(p) { return " + tenant + "; }",
                                "tenant" + tenant + ".js", 1, null);
                        Expression other = spel.parseExpression("total + " + tenant);
                        other.getValue(new Order(new double[] {1}, new int[] {1}, 1));
                        other.getValue(new Order(new double[] {1}, new int[] {1}, 1));
                        tenant++;
                    }
                }
            }
        } finally {
            contextExit.invoke();
        }
    }

    static String groovySource(String name, int rounds) {
        return "double score(double[] p, int[] q, int tier) {\n"
                + "  double s = 0\n"
                + "  for (int r = 0; r < " + rounds + "; r++) {\n"
                + "    for (int i = 0; i < p.length; i++) {\n"
                + "      s += Math.sqrt(p[i] * q[i] + r + tier) * 0.01 + (p[i] > 50 ? 0.1 : 0.0)\n"
                + "    }\n"
                + "  }\n"
                + "  return s // rule " + name + "\n"
                + "}\n";
    }

    private int groovyRounds(String name) {
        int rounds = GROOVY_ROUNDS.get(name);
        return variant == Variant.EXPENSIVE && name.equals("loyalty") ? 2 * rounds : rounds;
    }

    private MethodHandle groovyRule(String name) throws Throwable {
        Object script = parseGroovy(groovySource(name, groovyRounds(name)));
        return MethodHandles.publicLookup().findVirtual(script.getClass(), "score",
                MethodType.methodType(double.class, double[].class, int[].class, int.class)).bindTo(script);
    }

    private Object parseGroovy(String source) throws Throwable {
        return groovyParse.invoke(groovyShell, source);
    }

    static String jsSource(String name) {
        return "function " + name + "(p, q, tier) {\n"
                + "  var s = 0;\n"
                + "  for (var r = 0; r < " + JS_ROUNDS.get(name) + "; r++) {\n"
                + "    for (var i = 0; i < p.length; i++) {\n"
                + "      s += Math.sqrt(p[i] * q[i] + r + tier) * 0.01;\n"
                + "    }\n"
                + "  }\n"
                + "  return s;\n"
                + "}\n";
    }

    /** Answers one request: a body {@code tier;price*qty,price*qty,...}; returns the receipt. */
    public String quote(String body) throws Throwable {
        Order order = parseOrder(body);
        if (variant == Variant.NEWPATH) {
            screenFraud(order);
        }
        double groovy = applyGroovyRules(order);
        double js = applyJsRules(order);
        double spel = applySpelRules(order);
        return renderReceipt(order, groovy, js, spel);
    }

    static Order parseOrder(String body) {
        int semi = body.indexOf(';');
        int tier = Integer.parseInt(body.substring(0, semi));
        String[] items = body.substring(semi + 1).split(",");
        double[] prices = new double[items.length];
        int[] quantities = new int[items.length];
        for (int i = 0; i < items.length; i++) {
            int star = items[i].indexOf('*');
            prices[i] = Double.parseDouble(items[i].substring(0, star));
            quantities[i] = Integer.parseInt(items[i].substring(star + 1));
        }
        return new Order(prices, quantities, tier);
    }

    double applyGroovyRules(Order order) throws Throwable {
        double sum = 0;
        for (Map.Entry<String, MethodHandle> rule : groovyRules.entrySet()) {
            MethodHandle score = variant == Variant.RECOMPILE && rule.getKey().equals("loyalty")
                    ? groovyRule("loyalty") : rule.getValue();
            sum += (double) score.invokeExact(order.prices(), order.quantities(), order.tier());
        }
        return sum;
    }

    double applyJsRules(Order order) throws Throwable {
        Object cx = contextEnter.invoke();
        try {
            Object[] prices = new Object[order.prices().length];
            Object[] quantities = new Object[prices.length];
            for (int i = 0; i < prices.length; i++) {
                prices[i] = order.prices()[i];
                quantities[i] = order.quantities()[i];
            }
            Object p = newArray.invoke(cx, jsScope, prices);
            Object q = newArray.invoke(cx, jsScope, quantities);
            double sum = 0;
            for (Object rule : jsRules.values()) {
                Object result = jsCall.invoke(rule, cx, jsScope, jsScope, new Object[] {p, q, order.tier()});
                sum += ((Number) result).doubleValue();
            }
            return sum;
        } finally {
            contextExit.invoke();
        }
    }

    /** SpEL rules run once per item, each with an order of that one item as its root. */
    double applySpelRules(Order order) {
        double sum = 0;
        for (int i = 0; i < order.prices().length; i++) {
            Order item = new Order(new double[] {order.prices()[i]}, new int[] {order.quantities()[i]}, order.tier());
            for (Expression rule : spelRules.values()) {
                sum += rule.getValue(item, Double.class);
            }
        }
        return sum;
    }

    /** The {@code newpath} build's extra step: scores the order's items against fraud patterns. */
    static double screenFraud(Order order) {
        double risk = 0;
        for (int pattern = 0; pattern < 1000; pattern++) {
            for (int i = 0; i < order.prices().length; i++) {
                risk += Math.abs(Math.sin(order.prices()[i] * (pattern + 1)) * order.quantities()[i]);
            }
        }
        return risk;
    }

    static String renderReceipt(Order order, double groovy, double js, double spel) {
        StringBuilder out = new StringBuilder(256);
        for (int i = 0; i < order.prices().length; i++) {
            out.append(String.format(Locale.ROOT, "%d x %.2f%n", order.quantities()[i], order.prices()[i]));
        }
        return out.append(String.format(Locale.ROOT, "rules %.4f %.4f %.4f total %.2f%n", groovy, js, spel,
                order.getTotal())).toString();
    }
}
