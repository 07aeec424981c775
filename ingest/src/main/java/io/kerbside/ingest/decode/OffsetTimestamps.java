package io.kerbside.ingest.decode;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.format.DateTimeFormatter;

/**
 * Reads ISO-8601 date-times with an offset ({@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}), as
 * devices and network servers send them, into an {@link Instant}.
 *
 * <p>Nearly every message carries one, so the common shape {@code 2026-11-27T10:00:00.123Z} (or an
 * offset {@code +01:00}, and 0 to 9 fraction digits) is read directly, without the formatter's
 * parse context and maps; anything else, valid or not, is left to the formatter, which decides. The
 * result is therefore always the formatter's. Pure functions, safe from any thread.
 */
final class OffsetTimestamps {
  private OffsetTimestamps() {}

  /** The instant {@code text} names, or null when it is not an ISO-8601 date-time with offset. */
  static Instant parse(String text) {
    Instant fast = parseCommon(text);
    return fast != null ? fast : parseWithFormatter(text);
  }

  /**
   * As {@link #parse(String)}, for {@code length} characters of {@code text} from {@code offset}.
   */
  static Instant parse(char[] text, int offset, int length) {
    Instant fast = parseCommon(new CharArraySequence(text, offset, length));
    return fast != null ? fast : parseWithFormatter(new String(text, offset, length));
  }

  private static Instant parseWithFormatter(String text) {
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeException e) {
      return null;
    }
  }

  /**
   * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:mm)} with valid fields, or null for anything else (to
   * be decided by the formatter).
   */
  static Instant parseCommon(CharSequence s) {
    int end = s.length();
    if (end < 20) {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':'
        || day > Month.of(month).length(Year.isLeap(year))) {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (s.charAt(i) == '.') {
      i++;
      int start = i;
      while (i < end && i - start < 10 && isDigit(s.charAt(i))) {
        nanos = nanos * 10 + (s.charAt(i) - '0');
        i++;
      }
      int count = i - start;
      if (count == 0 || count > 9) {
        return null;
      }
      for (int k = count; k < 9; k++) {
        nanos *= 10;
      }
    }
    int offsetSeconds;
    if (i == end - 1 && s.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i == end - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      int offsetHours = digits(s, i + 1, 2);
      int offsetMinutes = digits(s, i + 4, 2);
      if (offsetHours < 0
          || offsetHours > 17
          || offsetMinutes < 0
          || offsetMinutes > 59
          || s.charAt(i + 3) != ':') {
        return null;
      }
      offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (s.charAt(i) == '-' ? -1 : 1);
    } else {
      return null;
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    long seconds = epochDay * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds;
    return Instant.ofEpochSecond(seconds, nanos);
  }

  /** The value of {@code count} ASCII digits from {@code at}, or -1. */
  private static int digits(CharSequence s, int at, int count) {
    int value = 0;
    for (int i = at; i < at + count; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** A window on a parser's character buffer, read without copying it into a string. */
  private record CharArraySequence(char[] buffer, int offset, int length) implements CharSequence {
    @Override
    public char charAt(int index) {
      return buffer[offset + index];
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new String(buffer, offset + start, end - start);
    }

    @Override
    public String toString() {
      return new String(buffer, offset, length);
    }
  }
}
