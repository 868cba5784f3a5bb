package dev.carbonlens.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Figures as people read them: three significant digits, thousands grouped, no exponent. */
class FiguresTest {

  @Test
  void threeSignificantDigitsWithoutTrailingZerosOrExponent() {
    assertThat(Figures.format(0)).isEqualTo("0");
    assertThat(Figures.format(13.04)).isEqualTo("13");
    assertThat(Figures.format(17.66)).isEqualTo("17.7");
    assertThat(Figures.format(0.0123456)).isEqualTo("0.0123");
    assertThat(Figures.format(1e-7)).isEqualTo("0.0000001");
    assertThat(Figures.format(999.6)).isEqualTo("1000");
    assertThat(Figures.format(-0.411)).isEqualTo("-0.411");
    // the decimal as written is rounded half up, not the double's binary expansion (2.67499999...)
    assertThat(Figures.format(2.675)).isEqualTo("2.68");
    assertThat(Figures.format(1.185)).isEqualTo("1.19");
    assertThat(Figures.format(70.55)).isEqualTo("70.6");
  }

  @Test
  void thousandsAreWholeAndGroupedLikeTheFormatterDid() {
    assertThat(Figures.format(1000)).isEqualTo("1,000");
    assertThat(Figures.format(2520.5)).isEqualTo("2,521");
    assertThat(Figures.format(1234567.4)).isEqualTo("1,234,567");
    assertThat(Figures.format(-45678.9)).isEqualTo("-45,679");
    Random random = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      double value = 1000 + random.nextDouble() * 1e9;
      assertThat(Figures.format(value)).isEqualTo(String.format(Locale.ROOT, "%,.0f", value));
    }
  }

  @Test
  void machineFiguresKeepSixDigits() {
    assertThat(Figures.round(0.1 + 0.2)).isEqualTo(0.3);
    assertThat(Figures.round(123.456789)).isEqualTo(123.457);
    assertThat(Figures.round(1234567.0)).isEqualTo(1234570.0);
    assertThat(Figures.round(0)).isEqualTo(0.0);
  }
}
