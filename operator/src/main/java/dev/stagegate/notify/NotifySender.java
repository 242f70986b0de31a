package dev.stagegate.notify;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * POSTs one JSON body. Short timeouts, because a slow receiver holds one of the few background sender threads;
 * no redirects, because a webhook URL is a credential and a redirect would carry the body (and our trust) to a
 * host nobody configured. Errors are described in our own words: an exception's text can contain the host or
 * the whole URL, which must not reach status or logs.
 */
public class NotifySender {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(CONNECT_TIMEOUT)
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();

  /** Null when the receiver answered 2xx; otherwise why not. */
  public String post(URI address, String body, String idempotencyKey) {
    String scheme = address.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme) || address.getHost() == null) {
      return "the URL is not an absolute http(s) URL";
    }
    HttpRequest request = HttpRequest.newBuilder(address)
        .timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/json")
        .header(IDEMPOTENCY_HEADER, idempotencyKey)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .build();
    try {
      int code = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (code >= 200 && code < 300) {
        return null;
      }
      return code >= 300 && code < 400 ? "HTTP " + code + " (redirects are not followed)" : "HTTP " + code;
    } catch (HttpTimeoutException e) {
      return "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
    } catch (ConnectException e) {
      return "cannot connect";
    } catch (IOException e) {
      return "I/O error (" + e.getClass().getSimpleName() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (IllegalArgumentException e) {
      return "the URL is not usable";
    }
  }
}
