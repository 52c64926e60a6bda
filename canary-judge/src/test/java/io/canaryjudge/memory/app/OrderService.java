package io.canaryjudge.memory.app;

import java.util.SplittableRandom;

/**
 * The request handler of the memory scenarios' small order service. Every request looks up a
 * product (a bounded cache that warms as the pod serves), prices an order, renders it as JSON
 * (short-lived garbage, tens of KB), keeps the response in a bounded ring of recent responses (8 s
 * at 25 requests per second: they die young), optionally keeps a receipt for minutes
 * ({@link RecentReceipts}: promoted garbage, the saw-tooth recording), and — in the leaking
 * variants — retains a little more.
 *
 * <p>Not thread-safe; one per worker thread, except the shared caches and leaks, which are static
 * as they would be in a service.
 */
public final class OrderService {
    /** Requests per second each pod serves (one worker). */
    public static final int REQUESTS_PER_SECOND = 25;

    private final MemoryVariant variant;
    private final SplittableRandom random;
    private final RecentResponses responses = new RecentResponses(200);
    /**
     * Seconds a receipt is kept ({@code -Dorders.receiptSeconds}, default 0: none). The saw-tooth
     * recording keeps them for minutes (promoted garbage); the first recordings kept none.
     */
    private final RecentReceipts receipts;
    private long sink;

    public OrderService(MemoryVariant variant, long seed) {
        this.variant = variant;
        this.random = new SplittableRandom(seed);
        int receiptSeconds = Integer.getInteger("orders.receiptSeconds", 0);
        this.receipts = receiptSeconds > 0 ? new RecentReceipts(receiptSeconds) : null;
        if (variant == MemoryVariant.BIGGER_FLAT) {
            RegionTable.load();
        }
        if (variant == MemoryVariant.BIGGER_NONHEAP) {
            NonHeapLeaks.bigger();
        }
    }

    /** Serves request {@code id}; returns a number derived from the response. */
    public long handle(long id) {
        Product product = ProductCatalog.product(random.nextInt(ProductCatalog.PRODUCTS));
        Order order = Order.random(id, product, random);
        String json = variant == MemoryVariant.MEMO_RESPONSES
                ? ResponseMemo.render(id, order, random) : OrderSerializer.toJson(order);
        byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        responses.remember(json, variant == MemoryVariant.RESPONSES_PINNED && id % RecentResponses.PIN_EVERY == 0);
        if (receipts != null) {
            receipts.keep(json);
        }
        switch (variant) {
            case LEAK_SESSIONS -> SessionRegistry.register(id, order);
            case LEAK_LISTENERS -> PriceListeners.subscribe(order);
            case LEAK_AUDIT -> AuditLog.remember(id, order);
            case LEAK_CLASSES -> NonHeapLeaks.classLoader(id);
            case LEAK_DIRECT -> NonHeapLeaks.directBuffer(id);
            case LEAK_THREADS -> NonHeapLeaks.parkedThread(id);
            case LEAK_NATIVE -> NonHeapLeaks.nativeBlock(id);
            case LEAK_INFLATER -> NonHeapLeaks.keptInflater(id, body);
            case DROPPED_INFLATER -> NonHeapLeaks.droppedInflater(id, body);
            case CHURN_NATIVE -> sink += NonHeapLeaks.compressed(body);
            case TTL_CACHE, TTL_BROKEN, TTL_HALF, TTL_QUARTER, RESPONSES_PINNED -> IdempotencyKeys.remember(id, order, variant);
            case SLOW_CACHE -> sink += RecommendationCache.recommendations(random.nextInt(RecommendationCache.KEYS)).length;
            default -> {
            }
        }
        sink += body.length;
        return sink;
    }
}
