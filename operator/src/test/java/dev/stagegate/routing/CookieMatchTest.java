package dev.stagegate.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The Cookie header pattern a cookie stage writes. Gateways differ in how they apply a header regular expression
 * (Traefik finds it anywhere in the value, Envoy matches the whole value), so every case is checked both ways.
 */
class CookieMatchTest {
  private static final CookieMatch CANARY = new CookieMatch("canary", "always");

  @ParameterizedTest(name = "Cookie: {0} -> {1}")
  @DisplayName("given the cookie canary=always, then the Cookie header matches exactly when it holds that cookie with that value")
  @CsvSource(delimiter = '|', value = {
      "canary=always                      | true",
      "a=1; canary=always                 | true",
      "canary=always; b=2                 | true",
      "a=1;canary=always;b=2              | true",
      "a=1;  canary=always                | true",
      "canary=never                       | false",
      "canary=always2                     | false",
      "canary=alwaysX; b=2                | false",
      "xcanary=always                     | false",
      "a=xcanary=always                   | false",
      "Canary=always                      | false",
      "b=canary                           | false",
      "a=1; canary=                       | false",
  })
  void matches(String header, boolean expected) {
    Pattern p = Pattern.compile(CANARY.pattern());
    assertThat(p.matcher(header.strip()).find()).as("found anywhere (Traefik)").isEqualTo(expected);
    assertThat(p.matcher(header.strip()).matches()).as("whole value (Envoy)").isEqualTo(expected);
  }

  @Test
  @DisplayName("given a name and value with regular-expression characters, then they are matched literally")
  void literal() {
    CookieMatch odd = new CookieMatch("a.b", "x+y*");
    Pattern p = Pattern.compile(odd.pattern());
    assertThat(p.matcher("a.b=x+y*").find()).isTrue();
    assertThat(p.matcher("aXb=x+y*").find()).isFalse();
    assertThat(p.matcher("a.b=xxy").find()).isFalse();
  }

  @Test
  @DisplayName("a cookie match is a RegularExpression header match on Cookie")
  void asHeader() {
    assertThat(CANARY.asHeader())
        .isEqualTo(new HeaderMatch("Cookie", "^(?:.*;\\s*)?canary=always(?:;.*)?$", HeaderMatch.REGULAR_EXPRESSION));
  }

  @Test
  @DisplayName("given two cookies, a Cookie header entry next to a cookie, or a value with a space or backtick, then each is refused naming the field")
  void validation() {
    String f = "spec.stages[0].match.cookies";
    assertThat(TrafficRoutingValidator.validateCookies(f, List.of(CANARY), List.of(new HeaderMatch("x-canary", "1"))))
        .isEmpty();
    assertThat(TrafficRoutingValidator.validateCookies(f, List.of(CANARY, new CookieMatch("b", "1")), List.of()))
        .singleElement().asString().startsWith(f + " has 2 cookies");
    assertThat(TrafficRoutingValidator.validateCookies(f, List.of(CANARY), List.of(new HeaderMatch("cookie", "a=1"))))
        .singleElement().asString().startsWith(f + " cannot be combined with a Cookie entry in match.headers");
    assertThat(TrafficRoutingValidator.validateCookies(f, List.of(new CookieMatch("can ary", "a b")), List.of()))
        .containsExactly(f + "[0].name must be a cookie name (1-256 token characters), got 'can ary'",
            f + "[0].value must be 1-1024 cookie characters (no spaces, quotes, commas, semicolons, backslashes or"
                + " backticks)");
    assertThat(TrafficRoutingValidator.validateCookies(f, List.of(new CookieMatch("canary", "a`b")), List.of()))
        .singleElement().asString().startsWith(f + "[0].value");
  }
}
