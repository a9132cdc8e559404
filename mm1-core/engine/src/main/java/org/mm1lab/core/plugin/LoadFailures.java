package org.mm1lab.core.plugin;

/** Turns what a broken plugin throws while loading into a short, actionable phrase. */
final class LoadFailures {

  private LoadFailures() {}

  /**
   * The innermost cause, in words: a missing class is named with what to do about it; anything else
   * is shown as its type and message.
   */
  static String describe(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if ((root instanceof NoClassDefFoundError || root instanceof ClassNotFoundException)
        && root.getMessage() != null
        && !root.getMessage().startsWith("Could not initialize")) {
      return "class "
          + root.getMessage().replace('/', '.')
          + " is missing; bundle it in the plugin jar, or put the jar that holds it beside the"
          + " plugin jar in a sub-folder of the plugins folder";
    }
    String message = root.getMessage();
    return root.getClass().getName() + (message == null ? "" : ": " + message);
  }
}
