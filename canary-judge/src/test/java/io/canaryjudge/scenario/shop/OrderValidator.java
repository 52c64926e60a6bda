package io.canaryjudge.scenario.shop;

import java.util.Set;
import java.util.regex.Pattern;

/** Rejects malformed requests before they are priced. */
public final class OrderValidator {
    private static final String EMAIL_REGEX = "^[\\w.+-]+@[\\w-]+(\\.[\\w-]+)*\\.[a-z]{2,}$";
    private static final Pattern EMAIL = Pattern.compile(EMAIL_REGEX);
    private static final Set<String> COUNTRIES = Set.of("DE", "FR", "NL", "AT", "IT", "ES", "PL", "SE", "DK", "BE");

    private final boolean compilePatternPerRequest;

    /**
     * @param compilePatternPerRequest the injected regression: compile the e-mail pattern on every
     *                                 call, as code that calls {@code String.matches} does
     */
    public OrderValidator(boolean compilePatternPerRequest) {
        this.compilePatternPerRequest = compilePatternPerRequest;
    }

    /** True when the order may be priced. */
    public boolean validate(Order order) {
        if (order.customerId().isEmpty() || !COUNTRIES.contains(order.country())) {
            return false;
        }
        Pattern email = compilePatternPerRequest ? Pattern.compile(EMAIL_REGEX) : EMAIL;
        if (!email.matcher(order.email()).matches()) {
            return false;
        }
        if (order.lines().isEmpty() || order.lines().size() > 50) {
            return false;
        }
        for (Order.OrderLine line : order.lines()) {
            if (line.quantity() < 1 || line.quantity() > 99 || !isSku(line.sku())) {
                return false;
            }
        }
        String coupon = order.couponCode();
        for (int i = 0; i < coupon.length(); i++) {
            if (!Character.isLetterOrDigit(coupon.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSku(String sku) {
        if (sku.length() != 10 || !sku.startsWith("SKU-")) {
            return false;
        }
        for (int i = 4; i < sku.length(); i++) {
            char c = sku.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
