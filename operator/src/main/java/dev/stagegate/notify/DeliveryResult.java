package dev.stagegate.notify;

/**
 * What one send of one notification to one target came to, fed back into the outbox on the next turn.
 *
 * @param attempt which attempt this was (1 for the first), so that a result is applied once only
 * @param error null when delivered; otherwise the operator's own words (a status code, a timeout), never a URL
 */
public record DeliveryResult(long sequence, String target, int attempt, String error) {
  public boolean delivered() {
    return error == null;
  }
}
