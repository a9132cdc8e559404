package org.mm1lab.core.eval;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mm1lab.api.InvalidOptionException;

/**
 * How each task's prompt reads ({@code mm1.eval.prompts}): a line of text with {@code <image>} for
 * the image and {@code {question}}, {@code {prompt}}, {@code {answer}} filled in per item. An
 * in-context example shows the whole line; the query stops right before {@code {answer}}, so the
 * model continues with the answer. The defaults are the MM1 style, the strings of OpenFlamingo's
 * evaluation with a space after each colon (docs/evaluation.md compares the two):
 *
 * <pre>
 * caption     &lt;image&gt;Output: {answer}
 * vqa         &lt;image&gt;Question: {question} Short answer: {answer}
 * text-core   {prompt} {answer}
 * </pre>
 *
 * <p>Image tasks must start with {@code <image>} (the image's slots come before its text, as in
 * training sequences), and every template must end with {@code {answer}}.
 *
 * @param caption the caption task's template
 * @param vqa the VQA task's template
 * @param textCore the text-only tasks' template
 */
public record PromptTemplates(String caption, String vqa, String textCore) {

  /** Marks the image in a template. */
  public static final String IMAGE = "<image>";

  private static final String ANSWER = "{answer}";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^}]*}");

  /** The MM1 style. */
  public static final PromptTemplates MM1 =
      new PromptTemplates(
          "<image>Output: {answer}",
          "<image>Question: {question} Short answer: {answer}",
          "{prompt} {answer}");

  /**
   * Checks each template.
   *
   * @throws InvalidOptionException naming the task's key ({@code caption}, {@code vqa}, {@code
   *     text-core}) and what is wrong
   */
  public PromptTemplates {
    check("caption", caption, true, List.of());
    check("vqa", vqa, true, List.of("{question}"));
    check("text-core", textCore, false, List.of("{prompt}"));
  }

  private static void check(String key, String template, boolean image, List<String> needed) {
    if (template == null) {
      throw new InvalidOptionException(key, "is missing");
    }
    if (image != template.startsWith(IMAGE)) {
      throw new InvalidOptionException(
          key,
          image
              ? "must start with <image> (the image comes before its text), got \""
                  + template
                  + "\""
              : "is a text-only task and takes no <image>, got \"" + template + "\"");
    }
    if (template.indexOf(IMAGE, image ? IMAGE.length() : 0) >= 0) {
      throw new InvalidOptionException(key, "holds <image> more than once: \"" + template + "\"");
    }
    if (!template.endsWith(ANSWER) || template.indexOf(ANSWER) != template.lastIndexOf(ANSWER)) {
      throw new InvalidOptionException(
          key, "must end with {answer}, once, got \"" + template + "\"");
    }
    Matcher placeholders = PLACEHOLDER.matcher(template);
    while (placeholders.find()) {
      String found = placeholders.group();
      if (!found.equals(ANSWER) && !needed.contains(found)) {
        throw new InvalidOptionException(
            key,
            "has unknown placeholder "
                + found
                + "; it takes "
                + String.join(", ", needed)
                + (needed.isEmpty() ? "" : " and ")
                + ANSWER);
      }
    }
    for (String placeholder : needed) {
      if (!template.contains(placeholder)) {
        throw new InvalidOptionException(
            key, "needs " + placeholder + ", got \"" + template + "\"");
      }
    }
  }

  /**
   * The text of one line after its image marker, with the item's fields filled in.
   *
   * @param template one of this record's templates
   * @param fields value by placeholder, {@code {answer}} excluded
   * @param answer the answer to show, or {@code null} for a query (cut before the answer, trailing
   *     spaces dropped)
   */
  static String render(String template, Map<String, String> fields, String answer) {
    String body = template.startsWith(IMAGE) ? template.substring(IMAGE.length()) : template;
    for (Map.Entry<String, String> field : fields.entrySet()) {
      body = body.replace(field.getKey(), field.getValue().strip());
    }
    if (answer == null) {
      return body.substring(0, body.length() - ANSWER.length()).stripTrailing();
    }
    return body.substring(0, body.length() - ANSWER.length()) + answer;
  }
}
