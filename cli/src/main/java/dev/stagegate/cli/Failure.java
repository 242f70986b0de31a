package dev.stagegate.cli;

/** A clear one-line error for the user, with the exit code it ends the command with. */
final class Failure extends RuntimeException {
  final int exitCode;

  Failure(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }
}
