package dev.stagegate.api.common;

/** The API group and version both resources are served under. */
public final class ApiGroup {
  public static final String GROUP = "stagegate.dev";
  public static final String VERSION = "v1alpha1";

  private ApiGroup() {
  }
}
