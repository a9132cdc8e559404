package org.mm1lab.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.UserException;

class EvalSettingsTest {

  @TempDir Path dir;

  private EvalSettings settings(String... overrides) {
    return new EvalSettings(EvalFixtures.config(dir, overrides));
  }

  private String problem(String... overrides) {
    UserException e =
        assertThrows(
            UserException.class, () -> new EvalSettings(EvalFixtures.config(dir, overrides)));
    return e.getMessage();
  }

  @Test
  void defaultsReadTheWorldsSets() {
    EvalSettings s = settings();
    assertEquals(List.of("caption", "vqa", "text-core"), s.tasks());
    assertEquals(List.of(0, 4, 8), s.shots());
    assertEquals(8, s.maxShots());
    assertEquals(100, s.items());
    assertEquals(16, s.batchSize());
    assertEquals(24, s.maxNewTokens("caption"));
    assertEquals(6, s.maxNewTokens("vqa"));
    assertEquals(8, s.maxNewTokens("text-core"));
    assertEquals(4, s.examples());
    assertEquals(List.of("caption", "vqa", "text-core"), List.copyOf(s.sets().keySet()));
    assertTrue(s.sets().values().stream().allMatch(EvalSettings.SetSpec::isWorld));
  }

  @Test
  void badValuesNameTheirPathAndOrigin() {
    assertEquals(
        "mm1.eval.tasks (--set mm1.eval.tasks=[caption, vqa, txt-core]): unknown task 'txt-core';"
            + " known: caption, vqa, text-core; did you mean text-core?",
        problem("mm1.eval.tasks=[caption, vqa, txt-core]"));
    assertTrue(
        problem("mm1.eval.shots=[0, -4]")
            .contains(
                "mm1.eval.shots (--set mm1.eval.shots=[0, -4]): shot counts cannot be negative"));
    assertTrue(problem("mm1.eval.batch-size=0").startsWith("mm1.eval.batch-size (--set"));
    assertTrue(problem("mm1.eval.max-new-tokens.vqa=0").startsWith("mm1.eval.max-new-tokens.vqa"));
    // unknown keys are the loader's: strict like every core key
    assertTrue(problem("mm1.eval.itmes=5").contains("unknown key; did you mean mm1.eval.items?"));
    assertTrue(problem("mm1.eval.max-new-tokens.captoin=5").contains("unknown key"));
  }

  @Test
  void promptTemplatesAreReadAndBadOnesNamed() {
    assertEquals(PromptTemplates.MM1, settings().prompts());
    assertEquals(
        "<image>{answer}",
        settings("mm1.eval.prompts.caption=\"<image>{answer}\"").prompts().caption());
    String problem = problem("mm1.eval.prompts.vqa=\"<image>Q: {answer}\"");
    assertTrue(problem.startsWith("mm1.eval.prompts.vqa (--set"), problem);
    assertTrue(problem.endsWith("needs {question}, got \"<image>Q: {answer}\""), problem);
  }

  @Test
  void fileSetsAreCheckedPerTask() {
    EvalSettings s =
        settings(
            "mm1.eval.shots=[0]",
            "mm1.eval.tasks=[text-core, vqa]",
            "mm1.eval.sets.text-core={format=jsonl-text-tasks, path=t.jsonl}",
            "mm1.eval.sets.vqa={format=world}");
    assertEquals(List.of("text-core", "vqa"), List.copyOf(s.sets().keySet()));
    assertEquals(Map.of("path", "t.jsonl"), s.sets().get("text-core").options());
    assertEquals("jsonl-text-tasks", s.sets().get("text-core").format());
    assertTrue(s.sets().get("vqa").isWorld());

    String vqa =
        settings(
                "mm1.eval.shots=[0]",
                "mm1.eval.tasks=[vqa]",
                "mm1.eval.sets.vqa={format=vqa, questions=q.json, annotations=a.json, images=img}")
            .sets()
            .get("vqa")
            .options()
            .get("image-pattern");
    assertEquals("%012d.png", vqa);

    assertTrue(
        problem(
                "mm1.eval.tasks=[caption]",
                "mm1.eval.sets.caption={format=coco, annotations=a.json, images=i}")
            .contains(
                "shots asks for in-context examples, so format coco needs"
                    + " shots-annotations, shots-images"));
    assertTrue(
        problem(
                "mm1.eval.shots=[0]",
                "mm1.eval.tasks=[caption]",
                "mm1.eval.sets.caption={format=coco, annotations=a.json, image=i}")
            .contains("format coco takes no option 'image'; did you mean images?"));
    assertTrue(
        problem(
                "mm1.eval.shots=[0]",
                "mm1.eval.tasks=[caption]",
                "mm1.eval.sets.caption={format=vqa}")
            .contains("task caption reads format world, coco or karpathy, not 'vqa'"));
    assertTrue(
        problem(
                "mm1.eval.shots=[0]",
                "mm1.eval.tasks=[caption, vqa]",
                "mm1.eval.sets.caption={format=world}")
            .contains("has no entry for task vqa; add vqa { format = world }"));
    assertTrue(
        problem("mm1.eval.shots=[0]", "mm1.eval.tasks=[vqa]", "mm1.eval.sets.vq={format=world}")
            .contains("unknown task 'vq'; known: caption, vqa, text-core; did you mean vqa?"));
  }
}
