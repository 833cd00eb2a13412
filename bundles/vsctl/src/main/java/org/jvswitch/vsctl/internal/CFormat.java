package org.jvswitch.vsctl.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * C's {@code printf("%.*g", DBL_DIG, x)}, which Open vSwitch uses for every real it prints (atoms
 * and JSON). Java's {@code %g} neither strips trailing zeros nor switches to plain notation the
 * same way, so the rule is spelled out here: round to 15 significant digits (the exact binary
 * value, ties to even, as glibc does), use an exponent when it is below -4 or at least 15, and drop
 * trailing zeros.
 */
final class CFormat {
    static final int DBL_DIG = 15;

    private CFormat() {
    }

    static String g(double d) {
        if (Double.isNaN(d)) {
            return Double.doubleToRawLongBits(d) < 0 ? "-nan" : "nan";
        }
        if (Double.isInfinite(d)) {
            return d < 0 ? "-inf" : "inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        BigDecimal rounded = new BigDecimal(d).round(new MathContext(DBL_DIG, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= DBL_DIG) {
            BigDecimal mantissa = rounded.movePointLeft(exponent).stripTrailingZeros();
            String m = mantissa.scale() <= 0 ? mantissa.toBigInteger().toString() : mantissa.toPlainString();
            String sign = exponent < 0 ? "-" : "+";
            int abs = Math.abs(exponent);
            return m + "e" + sign + (abs < 10 ? "0" : "") + abs;
        }
        BigDecimal plain = rounded.stripTrailingZeros();
        return plain.scale() < 0 ? plain.toBigInteger().toString() : plain.toPlainString();
    }
}
