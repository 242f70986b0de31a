package dev.stagegate.api.common;

/** The outcome of one evaluation. Only Fail counts toward a failure limit; NoData and Error only wait. */
public enum CheckResult {
  Pass,
  Fail,
  NoData,
  Error;

  public boolean conclusive() {
    return this == Pass || this == Fail;
  }
}
