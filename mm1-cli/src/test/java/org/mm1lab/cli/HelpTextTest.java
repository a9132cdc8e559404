package org.mm1lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every command's help as picocli lays it out: a summary that is one whole sentence (shown whole in
 * its parent's list of commands), descriptions written as paragraphs that picocli wraps (no line
 * broken by hand mid-sentence), lines that fit the width, and the width taken from the terminal.
 */
class HelpTextTest {

  /** Every command and subcommand, depth first, the root first. */
  private static List<CommandLine> commands(CommandLine root) {
    List<CommandLine> all = new ArrayList<>();
    all.add(root);
    for (CommandLine sub : root.getSubcommands().values()) {
      all.addAll(commands(sub));
    }
    return all;
  }

  private static String name(CommandLine command) {
    return command.getCommandSpec().qualifiedName();
  }

  /**
   * A paragraph as written in the source: each array element is a line of its own in the help, so
   * one that ends mid-sentence or starts with a lower-case word was wrapped by hand.
   */
  private static void assertParagraph(String where, String text) {
    if (text.isEmpty()) {
      return; // a blank line, on purpose
    }
    assertFalse(
        Character.isLowerCase(text.codePointAt(0)), where + " starts mid-sentence: " + text);
    assertTrue(
        text.endsWith(".") || text.endsWith(":") || text.endsWith("?"),
        where + " ends mid-sentence: " + text);
  }

  @Test
  void everySummaryIsOneWholeSentenceAndEveryParagraphIsWhole() {
    List<String> checked = new ArrayList<>();
    for (CommandLine command : commands(Main.commandLine())) {
      CommandSpec spec = command.getCommandSpec();
      String[] description = spec.usageMessage().description();
      assertTrue(description.length > 0, name(command) + " has no description");
      String summary = description[0];
      assertParagraph(name(command) + " summary", summary);
      assertTrue(summary.endsWith("."), name(command) + ": " + summary);
      for (String line : description) {
        assertParagraph(name(command) + " description", line);
      }
      for (String line : spec.usageMessage().footer()) {
        assertParagraph(name(command) + " footer", line);
      }
      for (ArgSpec arg : spec.args()) {
        for (String line : arg.description()) {
          assertParagraph(name(command) + " " + arg.paramLabel(), line);
        }
      }
      checked.add(name(command));
    }
    assertTrue(checked.contains("mm1 ablate report"), checked.toString());
    assertTrue(checked.contains("mm1 ask"), checked.toString());
    assertTrue(checked.size() >= 19, checked.toString());
  }

  @Test
  void theHelpFitsTheWidthAndShowsEverySummaryWhole() {
    CommandLine root = Main.commandLine();
    for (CommandLine command : commands(root)) {
      assertTrue(
          command.getCommandSpec().usageMessage().autoWidth(),
          name(command) + " takes its width from the terminal");
    }
    root.setUsageHelpAutoWidth(false);
    for (int width : new int[] {80, 120}) {
      root.setUsageHelpWidth(width);
      for (CommandLine command : commands(root)) {
        String usage = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
        for (String line : usage.lines().toList()) {
          assertTrue(
              line.length() <= width,
              name(command)
                  + " at "
                  + width
                  + " columns: a line of "
                  + line.length()
                  + ": "
                  + line);
        }
        for (CommandLine sub : command.getSubcommands().values()) {
          // picocli may break a line inside a dotted setting path, so compare without spaces
          String summary = sub.getCommandSpec().usageMessage().description()[0];
          assertTrue(
              squeeze(usage).contains(squeeze(summary)),
              name(sub) + "'s summary is cut in " + name(command) + "'s help: " + summary);
        }
      }
    }
  }

  @Test
  void aParagraphIsWrappedByPicocliNotByTheSource() {
    CommandLine root = Main.commandLine();
    root.setUsageHelpAutoWidth(false);
    root.setUsageHelpWidth(120);
    String usage = root.getSubcommands().get("train").getUsageMessage(CommandLine.Help.Ansi.OFF);
    List<String> lines = usage.lines().toList();
    // the description's second paragraph fills the wide lines: no line ends early mid-sentence
    int start = lines.indexOf("Train the model a run file describes.") + 1;
    assertTrue(start > 0, usage);
    for (int i = start; !lines.get(i + 1).startsWith(" "); i++) {
      assertTrue(lines.get(i).length() > 100, "a short line inside a paragraph: " + lines.get(i));
    }
    assertEquals(
        "Train the model a run file describes.",
        root.getSubcommands().get("train").getCommandSpec().usageMessage().description()[0]);
  }

  private static String squeeze(String text) {
    return text.replaceAll("\\s+", "");
  }
}
