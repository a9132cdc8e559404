package org.mm1lab.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigViewTest {

  private static final String RUN_CONF =
      String.join(
          "\n",
          "mm1 {",
          "  name = quickstart",
          "  eval {",
          "    tasks = [",
          "      caption,",
          "      vqa,",
          "      text-core",
          "    ]",
          "    shots = [0, 4]",
          "  }",
          "  pretrain { steps = 2000, objective = clip }",
          "  data.mix.sources { captioned = 1, \"a.b\" = 2 }",
          "}",
          "");

  @Test
  void aTrainingRunShowsItsSectionsCompactlyWithoutThePretrainingSettings() {
    ConfigView.View view = ConfigView.of(RUN_CONF, true);
    assertTrue(view.text().contains("    tasks = [caption, vqa, text-core]\n"), view.text());
    assertTrue(view.text().contains("    shots = [0, 4]\n"), view.text());
    assertFalse(view.text().contains("pretrain"), view.text());
    assertEquals(1, view.leftOut().size());
    assertTrue(view.leftOut().get(0).startsWith("mm1.pretrain: "), view.leftOut().toString());
    // What is shown reads back as the same settings.
    assertEquals(
        ConfigFactory.parseString(RUN_CONF).withoutPath("mm1.pretrain").resolve(),
        ConfigFactory.parseString(view.text()).resolve());
  }

  @Test
  void aPretrainingFolderKeepsEverySection() {
    ConfigView.View view = ConfigView.of(RUN_CONF, false);
    assertTrue(view.text().contains("  pretrain {\n    objective = clip\n"), view.text());
    assertEquals(List.of(), view.leftOut());
  }

  @Test
  void textThatIsNotHoconIsShownAsItIs() {
    ConfigView.View view = ConfigView.of("mm1 { name = ", true);
    assertEquals("mm1 { name = ", view.text());
  }
}
