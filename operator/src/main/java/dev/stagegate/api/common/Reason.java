package dev.stagegate.api.common;

/** A reason written to Events and conditions; each resource keeps its reasons as enums in one place. */
public interface Reason {
  String name();
}
