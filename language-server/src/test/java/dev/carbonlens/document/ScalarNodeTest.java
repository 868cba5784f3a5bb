package dev.carbonlens.document;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.model.SourceRange;
import org.junit.jupiter.api.Test;

class ScalarNodeTest {

  private static ScalarNode plain(String v) {
    return new ScalarNode(v, false, SourceRange.NONE);
  }

  private static ScalarNode quoted(String v) {
    return new ScalarNode(v, true, SourceRange.NONE);
  }

  @Test
  void booleans() {
    for (String t : new String[] {"true", "True", "TRUE", "yes", "Yes", "on", "ON"}) {
      assertThat(plain(t).asBoolean()).as(t).contains(true);
    }
    for (String t : new String[] {"false", "False", "no", "NO", "off", "Off"}) {
      assertThat(plain(t).asBoolean()).as(t).contains(false);
    }
    assertThat(quoted("true").asBoolean()).isEmpty();
    assertThat(plain("tru").asBoolean()).isEmpty();
    assertThat(plain("1").asBoolean()).isEmpty();
    assertThat(plain(null).asBoolean()).isEmpty();
  }

  @Test
  void numbers() {
    assertThat(plain("3").asNumber()).hasValue(3);
    assertThat(plain("-2.5").asNumber()).hasValue(-2.5);
    assertThat(plain("1e-4").asNumber()).hasValue(1e-4);
    assertThat(plain("1.0E+3").asNumber()).hasValue(1000);
    assertThat(plain("1_000").asNumber()).hasValue(1000);
    assertThat(plain(".5").asNumber()).hasValue(0.5);
    assertThat(plain("+7").asNumber()).hasValue(7);
    assertThat(plain("0x1F").asNumber()).hasValue(31);
    assertThat(plain("0o17").asNumber()).hasValue(15);
    assertThat(plain(".inf").asNumber()).hasValue(Double.POSITIVE_INFINITY);
    assertThat(plain("-.inf").asNumber()).hasValue(Double.NEGATIVE_INFINITY);
    assertThat(plain(".nan").asNumber().getAsDouble()).isNaN();
    assertThat(quoted("3").asNumber()).hasValue(3);
    assertThat(quoted(" 3 ").asNumber()).hasValue(3);
    assertThat(plain("3d").asNumber()).isEmpty();
    assertThat(plain("1f").asNumber()).isEmpty();
    assertThat(plain("abc").asNumber()).isEmpty();
    assertThat(plain("").asNumber()).isEmpty();
    assertThat(plain(".").asNumber()).isEmpty();
    assertThat(plain("1.2.3").asNumber()).isEmpty();
    assertThat(plain(null).asNumber()).isEmpty();
  }

  @Test
  void longs() {
    assertThat(plain("3").asLong()).hasValue(3);
    assertThat(plain("3.0").asLong()).hasValue(3);
    assertThat(plain("1e3").asLong()).hasValue(1000);
    assertThat(plain("1_000_000").asLong()).hasValue(1_000_000);
    assertThat(plain("-4").asLong()).hasValue(-4);
    assertThat(plain("0x10").asLong()).hasValue(16);
    assertThat(quoted("8").asLong()).hasValue(8);
    assertThat(plain("3.5").asLong()).isEmpty();
    assertThat(plain("1e-4").asLong()).isEmpty();
    assertThat(plain("99999999999999999999").asLong()).isEmpty();
    assertThat(plain("1e999999999").asLong()).isEmpty();
    assertThat(plain(".inf").asLong()).isEmpty();
    assertThat(plain("x").asLong()).isEmpty();
  }

  @Test
  void textAndNull() {
    assertThat(plain(null).isNull()).isTrue();
    assertThat(plain(null).text()).isEmpty();
    assertThat(plain("a").text()).isEqualTo("a");
  }
}
