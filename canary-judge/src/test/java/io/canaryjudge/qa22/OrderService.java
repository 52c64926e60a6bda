package io.canaryjudge.qa22;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.canaryjudge.scenario.ShopPod;
import one.profiler.AsyncProfiler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A small JSON order service run flat out on one thread, as a canary whose own code never changes between baseline and
 * canary: what differs is the Jackson 2 version on its class path, the JDK or a JVM flag. Each operation decodes a
 * request body with Jackson databind ({@link OrderCodec#decode}), validates and prices it (own code) and encodes the
 * response ({@link OrderCodec#encode}).
 *
 * <p>Arguments: {@code OUTPUT SECONDS [EVENT] [INTERVAL]}; warm-up {@code -Dqa22.warmupMillis} (5000). Records
 * async-profiler JFR ({@code event=EVENT,interval=INTERVAL,alloc=512k}) to OUTPUT and writes {@code requests.csv}
 * beside it: the operations completed while recording. The class path is built by the caller: test classes,
 * async-profiler and one version's jackson-databind, -core and -annotations jars.
 */
public final class OrderService {
    private OrderService() {
    }

    public static void main(String[] args) throws Exception {
        Path output = Path.of(args[0]);
        double seconds = Double.parseDouble(args[1]);
        String event = args.length > 2 ? args[2] : "cpu";
        String interval = args.length > 3 ? args[3] : "1ms";
        OrderApi api = new OrderApi();
        List<String> bodies = requestBodies(api.codec, 64);
        long sink = 0;
        long warmupEnd = System.nanoTime() + Long.getLong("qa22.warmupMillis", 5000) * 1_000_000L;
        int next = 0;
        while (System.nanoTime() < warmupEnd) {
            sink += api.handle(bodies.get(next++ & 63)).length();
        }
        AsyncProfiler profiler = ShopPod.loadProfiler();
        Files.createDirectories(output.toAbsolutePath().getParent());
        profiler.execute("start,event=" + event + ",interval=" + interval + ",alloc=512k,jfr,file=" + output);
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long operations = 0;
        while (System.nanoTime() < end) {
            sink += api.handle(bodies.get(next++ & 63)).length();
            operations++;
        }
        profiler.execute("stop");
        Files.writeString(output.resolveSibling("requests.csv"),
                "profile,requests\n" + output.getFileName() + "," + operations + "\n");
        System.err.printf(Locale.ROOT, "%s %s jackson %s: %d operations, sink %x%n", System.getProperty("java.version"),
                output, ObjectMapper.class.getPackage().getImplementationVersion(), operations, sink);
    }

    static List<String> requestBodies(OrderCodec codec, int count) throws Exception {
        Random random = new Random(42);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            OrderRequest request = new OrderRequest();
            request.orderId = "order-" + random.nextInt(1_000_000);
            request.customerId = "customer-" + random.nextInt(5000);
            request.currency = random.nextBoolean() ? "EUR" : "USD";
            request.coupon = random.nextInt(4) == 0 ? "SAVE10" : null;
            request.shippingAddress = new Address();
            request.shippingAddress.street = random.nextInt(400) + " Main Street";
            request.shippingAddress.city = "City " + random.nextInt(100);
            request.shippingAddress.country = random.nextBoolean() ? "DE" : "US";
            request.shippingAddress.postcode = String.valueOf(10000 + random.nextInt(89999));
            int lines = 3 + random.nextInt(10);
            for (int l = 0; l < lines; l++) {
                LineItem item = new LineItem();
                item.sku = "sku-" + random.nextInt(10_000);
                item.description = "An item described in a few words, number " + random.nextInt(1000);
                item.quantity = 1 + random.nextInt(5);
                item.unitPriceCents = 100 + random.nextInt(20_000);
                item.tags = List.of("tag-" + random.nextInt(20), "tag-" + random.nextInt(20));
                request.items.add(item);
            }
            bodies.add(codec.mapper.writeValueAsString(request));
        }
        return bodies;
    }

    /** The service's request handler. */
    public static final class OrderApi {
        final OrderCodec codec = new OrderCodec();
        private final Pricing pricing = new Pricing();

        public String handle(String body) throws Exception {
            OrderRequest request = codec.decode(body);
            List<String> problems = Validation.validate(request);
            OrderResponse response = pricing.price(request);
            response.problems = problems;
            return codec.encode(response);
        }
    }

    /** Jackson databind at the application's call sites. */
    public static final class OrderCodec {
        final ObjectMapper mapper = new ObjectMapper();

        public OrderRequest decode(String body) throws Exception {
            return mapper.readValue(body, OrderRequest.class);
        }

        public String encode(OrderResponse response) throws Exception {
            return mapper.writeValueAsString(response);
        }
    }

    /** Own code: checks a request. */
    public static final class Validation {
        private Validation() {
        }

        public static List<String> validate(OrderRequest request) {
            List<String> problems = new ArrayList<>();
            if (request.items.isEmpty()) {
                problems.add("no items");
            }
            for (LineItem item : request.items) {
                if (item.quantity <= 0) {
                    problems.add(item.sku + ": quantity");
                }
                if (!item.sku.startsWith("sku-")) {
                    problems.add(item.sku + ": sku");
                }
            }
            if (request.shippingAddress == null || request.shippingAddress.postcode.length() != 5) {
                problems.add("postcode");
            }
            return problems;
        }
    }

    /** Own code: prices a request, with a fraud score that costs some CPU. */
    public static final class Pricing {
        public OrderResponse price(OrderRequest request) {
            OrderResponse response = new OrderResponse();
            response.orderId = request.orderId;
            long total = 0;
            for (LineItem item : request.items) {
                total += (long) item.quantity * item.unitPriceCents;
            }
            if ("SAVE10".equals(request.coupon)) {
                total -= total / 10;
            }
            long tax = taxCents(total, request.shippingAddress.country);
            response.subtotalCents = total;
            response.taxCents = tax;
            response.totalCents = total + tax;
            response.currency = request.currency;
            response.fraudScore = fraudScore(request);
            return response;
        }

        long taxCents(long total, String country) {
            return "DE".equals(country) ? total * 19 / 100 : total * 7 / 100;
        }

        double fraudScore(OrderRequest request) {
            long h = request.customerId.hashCode();
            for (LineItem item : request.items) {
                h = h * 31 + item.sku.hashCode();
                for (int r = 0; r < 40; r++) {
                    h ^= h >>> 33;
                    h *= 0xff51afd7ed558ccdL;
                    h ^= h >>> 29;
                }
            }
            return (h >>> 11) / (double) (1L << 53);
        }
    }

    public static final class OrderRequest {
        public String orderId;
        public String customerId;
        public String currency;
        public String coupon;
        public Address shippingAddress;
        public List<LineItem> items = new ArrayList<>();
    }

    public static final class Address {
        public String street;
        public String city;
        public String country;
        public String postcode;
    }

    public static final class LineItem {
        public String sku;
        public String description;
        public int quantity;
        public long unitPriceCents;
        public List<String> tags;
    }

    public static final class OrderResponse {
        public String orderId;
        public long subtotalCents;
        public long taxCents;
        public long totalCents;
        public String currency;
        public double fraudScore;
        public List<String> problems;
    }
}
