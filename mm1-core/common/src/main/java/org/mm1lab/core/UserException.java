package org.mm1lab.core;

import java.util.List;

/**
 * A problem the user can fix: a bad run file, a missing file, an unknown plugin, sizes that do not
 * fit. The command line prints each {@link #problems() problem} as one line and exits with status
 * 2, without a stack trace. Anything that is not a {@code UserException} is a bug in MM1 Lab or a
 * plugin.
 */
public class UserException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /** One problem, as one line that says what is wrong, where, and what to change. */
  public UserException(String problem) {
    this(List.of(problem), null);
  }

  /** One problem with the exception behind it (shown only with {@code --debug}). */
  public UserException(String problem, Throwable cause) {
    this(List.of(problem), cause);
  }

  /** Several independent problems, each one line, in the order the user should read them. */
  public UserException(List<String> problems) {
    this(problems, null);
  }

  private UserException(List<String> problems, Throwable cause) {
    super(String.join(System.lineSeparator(), problems), cause);
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a UserException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** The problems, one line each. */
  public List<String> problems() {
    return problems;
  }
}
