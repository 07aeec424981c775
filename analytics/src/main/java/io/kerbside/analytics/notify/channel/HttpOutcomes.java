package io.kerbside.analytics.notify.channel;

import io.kerbside.analytics.notify.DeliveryOutcome;
import java.io.IOException;
import java.net.http.HttpTimeoutException;

/** How an HTTP destination's answer or failure becomes an outcome. */
final class HttpOutcomes {
  private HttpOutcomes() {}

  /** 5xx, 429 (too many requests) and 408 (request timeout) are worth retrying. */
  static boolean retryable(int status) {
    return status >= 500 || status == 429 || status == 408;
  }

  static DeliveryOutcome failure(int status, String what) {
    String error = "HTTP " + status + (what == null || what.isBlank() ? "" : ": " + what);
    return retryable(status)
        ? DeliveryOutcome.retry(error, status)
        : DeliveryOutcome.permanent(error, status);
  }

  static DeliveryOutcome exception(Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return DeliveryOutcome.retry("interrupted while delivering");
    }
    if (e instanceof HttpTimeoutException) {
      return DeliveryOutcome.retry("timed out: " + e.getMessage());
    }
    if (e instanceof IOException) {
      return DeliveryOutcome.retry(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    return DeliveryOutcome.permanent(e.getClass().getSimpleName() + ": " + e.getMessage());
  }

  /** The start of a response body, for the delivery log. */
  static String excerpt(String body) {
    if (body == null) {
      return "";
    }
    String s = body.strip();
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }
}
