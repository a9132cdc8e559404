package org.mm1lab.core.eval;

/**
 * Turns a raw continuation into the answer that is scored. Generation already stops at {@code
 * <eos>} and end-of-chunk, but a model that has not learnt to stop runs on after a short answer
 * ("five. three is more than ..."), so short-answer tasks keep only the first line and the text
 * before the first sentence end; a caption keeps its first line. Decimal points ("3.5") survive: a
 * sentence ends at a full stop followed by a space or the end.
 */
public final class Answers {

  private Answers() {}

  /**
   * The scored answer of a task's continuation.
   *
   * @param task caption, vqa or text-core
   * @param raw the decoded continuation
   */
  public static String extract(String task, String raw) {
    String text = raw.strip();
    int newline = text.indexOf('\n');
    if (newline >= 0) {
      text = text.substring(0, newline).strip();
    }
    if (task.equals("caption")) {
      return text;
    }
    int stop = text.indexOf(". ");
    if (stop >= 0) {
      text = text.substring(0, stop);
    }
    if (text.endsWith(".")) {
      text = text.substring(0, text.length() - 1);
    }
    return text.strip();
  }
}
