package org.mm1lab.core.io;

import java.util.regex.Pattern;

/**
 * Gson's parse errors as a reason a user can read: its first line, without the advice to parse
 * leniently (advice to programmers, which a user cannot follow) or the troubleshooting link.
 */
public final class JsonMessages {

  private static final Pattern LENIENT_ADVICE =
      Pattern.compile(
          "Use JsonReader\\.set(?:Strictness|Lenient)\\([^)]*\\) to accept malformed JSON");

  private JsonMessages() {}

  /** The reason in a Gson exception's message: "syntax error at line 1 column 5 path $.a". */
  public static String reason(String message) {
    if (message == null || message.isBlank()) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    String line = newline < 0 ? message : message.substring(0, newline);
    return LENIENT_ADVICE.matcher(line).replaceAll("syntax error").strip();
  }
}
