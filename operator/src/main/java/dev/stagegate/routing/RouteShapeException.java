package dev.stagegate.routing;

/** The named HTTPRoute cannot carry the split as it is; the message says what to change (prefix it with the route). */
public final class RouteShapeException extends RuntimeException {
  public RouteShapeException(String message) {
    super(message);
  }
}
