package dev.stagegate.common;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Deep copies of status objects, so a planner never mutates what it was given. */
public final class Copies {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Copies() {}

  public static <T> T deep(T value, Class<T> type) {
    return value == null ? null : MAPPER.convertValue(value, type);
  }
}
