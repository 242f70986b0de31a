package dev.stagegate.common;

import java.util.regex.Pattern;

/**
 * An exception as one line fit for an Event: its type and message, with anything credential-shaped removed
 * (user:password in URLs, password/token parameters) and long messages cut.
 */
public final class ErrorText {
  private static final Pattern USERINFO = Pattern.compile("(?<=://)[^/@\\s]+@");
  private static final Pattern SECRET_PARAMS = Pattern.compile("(?i)(password|passwd|pwd|token|secret)=[^&;,\\s]*");
  private static final int LIMIT = 500;

  private ErrorText() {}

  public static String of(Throwable e) {
    String message = e.getMessage() == null ? "" : e.getMessage().replaceAll("\\s+", " ").trim();
    message = USERINFO.matcher(message).replaceAll("***@");
    message = SECRET_PARAMS.matcher(message).replaceAll("$1=***");
    if (message.length() > LIMIT) {
      message = message.substring(0, LIMIT - 3) + "...";
    }
    return e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }
}
