package dev.stagegate.demo;

/** A part of the sandbox could not start; the message says which and what to do. */
public final class SandboxException extends RuntimeException {
  public SandboxException(String message) {
    super(message);
  }

  public SandboxException(String message, Throwable cause) {
    super(message, cause);
  }
}
