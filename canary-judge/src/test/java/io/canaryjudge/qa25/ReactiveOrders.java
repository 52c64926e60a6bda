package io.canaryjudge.qa25;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.canaryjudge.qa25.OrderQuotes.Item;
import io.canaryjudge.qa25.OrderQuotes.Line;
import io.canaryjudge.qa25.OrderQuotes.Order;
import io.canaryjudge.qa25.OrderQuotes.Quote;
import io.canaryjudge.qa25.OrderQuotes.Variant;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The reactive quote handler, as a WebFlux service writes one: the order is decoded, its items flow through
 * {@code map} (pricing, written inline in the lambda), {@code flatMap} (reservation) and, after {@code publishOn},
 * {@code map} (tax) before the quote is encoded. The application's own cost thus runs inside Reactor's operator
 * frames ({@code FluxMap$MapSubscriber.onNext}, {@code FluxFlatMap}, {@code FluxPublishOn$PublishOnSubscriber.run})
 * on Reactor Netty event-loop and Reactor parallel threads.
 */
final class ReactiveOrders {
    /** Rounds of the pricing loop per line in the baseline. */
    static final int PRICE_ROUNDS = Integer.getInteger("qa25.priceRounds", 3000);
    private final ObjectMapper mapper = new ObjectMapper();
    private final Variant variant;
    private final int priceRounds;
    /** Keeps the scratch buffers reachable for a moment so that the allocation is not removed. */
    private volatile byte[] lastScratch;

    ReactiveOrders(Variant variant) {
        this.variant = variant;
        this.priceRounds = (int) (PRICE_ROUNDS * variant.priceFactor);
    }

    ObjectMapper mapper() {
        return mapper;
    }

    Mono<byte[]> quote(byte[] body) {
        return Mono.fromCallable(() -> mapper.readValue(body, Order.class))
                .flatMap(order -> Flux.fromIterable(order.items)
                        .map(item -> {
                            // pricing, inline in the lambda as such code often is
                            long h = item.sku.hashCode() * 31L + item.quantity;
                            for (int r = 0; r < priceRounds; r++) {
                                h = h * 6364136223846793005L + 1442695040888963407L;
                                h ^= h >>> 29;
                            }
                            if (variant.scratch) {
                                byte[] scratch = new byte[4096];
                                scratch[(int) (h & 4095)] = (byte) h;
                                lastScratch = scratch;
                            }
                            long discount = (h & 7) == 0 ? item.unitPriceCents / 20 : 0;
                            return new Line(item.sku, item.unitPriceCents * item.quantity - discount);
                        })
                        .flatMap(line -> Mono.fromCallable(() -> reserve(line)))
                        .publishOn(Schedulers.parallel())
                        .map(ReactiveOrders::tax)
                        .collectList()
                        .map(lines -> new Quote(order.orderId, lines)))
                .map(quote -> {
                    try {
                        return mapper.writeValueAsBytes(quote);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    private Line reserve(Line line) {
        long h = line.sku.hashCode();
        for (int r = 0; r < 600; r++) {
            h = h * 2862933555777941757L + 3037000493L;
        }
        line.reserved = (h & 15) != 0;
        if (variant.fraudCheck) {
            line.risk = fraudScore(line);
        }
        return line;
    }

    /** The canary's new hot path: scoring each line for fraud. */
    static int fraudScore(Line line) {
        long h = line.cents ^ line.sku.hashCode();
        for (int r = 0; r < 3000; r++) {
            h = Long.rotateLeft(h * 0x9E3779B97F4A7C15L, 17) ^ r;
        }
        return (int) (h & 0xff);
    }

    static Line tax(Line line) {
        long h = line.cents;
        for (int r = 0; r < 300; r++) {
            h = h * 6364136223846793005L + r;
        }
        line.taxCents = line.cents * 19 / 100 + (h & 1);
        return line;
    }
}
