package org.mm1lab.core.world;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mm1lab.core.data.DataSource;
import org.mm1lab.core.data.EvalItem;
import org.mm1lab.core.data.Example;
import org.mm1lab.core.data.Example.Chunk;
import org.mm1lab.core.data.ImageSource;
import org.mm1lab.core.data.WorldTokenizer;

class SyntheticWorldTest {

  private static final List<String> NUMBERS =
      List.of(
          "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten");

  private final SyntheticWorld world = new SyntheticWorld(42, WorldSettings.defaults());
  private final WorldTokenizer tokenizer = new WorldTokenizer();

  private static List<Example> take(DataSource source, long from, int count) {
    List<Example> out = new ArrayList<>();
    try (DataSource.ExampleStream stream = source.open(from)) {
      for (int i = 0; i < count; i++) {
        assertTrue(stream.hasNext());
        out.add(stream.next());
      }
      assertEquals(0, stream.badRecords().bad());
    }
    return out;
  }

  private static Scene scene(ImageSource image) {
    return ((SceneImage) image).scene();
  }

  private static List<Scene> scenes(Example e) {
    List<Scene> out = new ArrayList<>();
    if (e instanceof Example.Captioned c) {
      out.add(scene(c.image()));
    } else if (e instanceof Example.Interleaved d) {
      for (Chunk chunk : d.chunks()) {
        if (chunk instanceof Chunk.Image image) {
          out.add(scene(image.image()));
        }
      }
    }
    return out;
  }

  private static List<String> texts(Example e) {
    List<String> out = new ArrayList<>();
    if (e instanceof Example.Captioned c) {
      out.add(c.caption());
    } else if (e instanceof Example.Text t) {
      out.add(t.text());
    } else if (e instanceof Example.Interleaved d) {
      for (Chunk chunk : d.chunks()) {
        if (chunk instanceof Chunk.TextChunk text) {
          out.add(text.text());
        }
      }
    }
    return out;
  }

  private static int[] pixels(BufferedImage image) {
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }

  @Test
  void sourcesHaveTheirNames() {
    assertEquals(SyntheticWorld.SOURCES, world.sources().stream().map(DataSource::name).toList());
    assertEquals("captioned", world.captioned().name());
    assertEquals("vecap", world.vecap().name());
    assertEquals("interleaved", world.interleaved().name());
    assertEquals("text", world.text().name());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> world.source("laion"));
    assertTrue(e.getMessage().contains("[captioned, vecap, interleaved, text]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> world.evalSet("ocr", 3));
    assertTrue(e.getMessage().contains("[caption, vqa, text-core]"), e.getMessage());
  }

  @Test
  void sameSeedGivesTheSamePixelsAndTextsAndAnotherSeedDoesNot() throws Exception {
    SyntheticWorld again = new SyntheticWorld(42, WorldSettings.defaults());
    SyntheticWorld other = new SyntheticWorld(43, WorldSettings.defaults());
    for (String name : SyntheticWorld.SOURCES) {
      List<Example> a = take(world.source(name), 0, 20);
      List<Example> b = take(again.source(name), 0, 20);
      List<Example> c = take(other.source(name), 0, 20);
      assertEquals(a, b, name);
      List<String> textsA = new ArrayList<>();
      List<String> textsC = new ArrayList<>();
      for (int i = 0; i < a.size(); i++) {
        assertEquals(texts(a.get(i)), texts(b.get(i)));
        textsA.addAll(texts(a.get(i)));
        textsC.addAll(texts(c.get(i)));
        List<Scene> sa = scenes(a.get(i));
        List<Scene> sb = scenes(b.get(i));
        for (int k = 0; k < sa.size(); k++) {
          // Rendered twice, independently: identical pixels.
          assertArrayEquals(
              pixels(new SceneImage(sa.get(k)).decode()),
              pixels(new SceneImage(sb.get(k)).decode()));
        }
      }
      assertNotEquals(textsA, textsC, name);
    }
    BufferedImage mine = ((Example.Captioned) take(world.vecap(), 0, 1).get(0)).image().decode();
    BufferedImage theirs = ((Example.Captioned) take(other.vecap(), 0, 1).get(0)).image().decode();
    assertFalse(java.util.Arrays.equals(pixels(mine), pixels(theirs)));
    assertEquals(world.evalSet("vqa", 30), again.evalSet("vqa", 30));
    assertNotEquals(world.evalSet("vqa", 30), other.evalSet("vqa", 30));
  }

  @Test
  void openingAtAPositionEqualsSkipping() {
    for (String name : SyntheticWorld.SOURCES) {
      List<Example> fromStart = take(world.source(name), 0, 40);
      assertEquals(fromStart.subList(17, 40), take(world.source(name), 17, 23), name);
      // Far positions open at once (no replay of what comes before).
      assertEquals(
          take(world.source(name), 5_000_000_000L, 2), take(world.source(name), 5_000_000_000L, 2));
    }
    assertThrows(IllegalArgumentException.class, () -> world.text().open(-1));
    // A larger evaluation set extends a smaller one.
    assertEquals(world.evalSet("caption", 10), world.evalSet("caption", 25).subList(0, 10));
  }

  @Test
  void everyTextRoundTripsThroughTheWorldTokenizer() {
    List<String> all = new ArrayList<>();
    for (DataSource source : world.sources()) {
      take(source, 0, 300).forEach(e -> all.addAll(texts(e)));
    }
    for (String task : SyntheticWorld.TASKS) {
      for (EvalItem item : world.evalSet(task, 150)) {
        if (item instanceof EvalItem.Caption c) {
          all.addAll(c.references());
        } else if (item instanceof EvalItem.Vqa v) {
          all.add(v.question());
          all.addAll(v.answers());
        } else if (item instanceof EvalItem.TextTask t) {
          all.add(t.prompt());
          all.add(t.answer());
          all.add(t.prompt() + " " + t.answer());
        }
      }
    }
    int unknown = tokenizer.tokens().indexOf("<unk>");
    for (String text : all) {
      assertFalse(text.isBlank());
      int[] ids = tokenizer.encode(text);
      assertEquals(text, tokenizer.decode(ids), "round trip");
      for (int id : ids) {
        assertNotEquals(unknown, id, text);
      }
    }
  }

  @Test
  void denseCaptionsNameEveryObjectAndTheWord() {
    for (Example e : take(world.vecap(), 0, 300)) {
      String caption = ((Example.Captioned) e).caption();
      Scene scene = scenes(e).get(0);
      int n = scene.objects().size();
      assertTrue(caption.contains(NUMBERS.get(n) + (n == 1 ? " object" : " objects")), caption);
      for (SceneObject o : scene.objects()) {
        String where = Scene.positionPhrase(o.position());
        String thing = o.sizeWord() + " " + o.colour().word() + " " + o.shape().word();
        assertTrue(
            caption.contains(thing + " " + where)
                || caption.contains(where + " is a " + thing)
                || caption.contains(thing + " is " + where)
                || caption.contains(where + " is an " + thing),
            caption + " should name " + thing + " " + where);
      }
      scene
          .wordText()
          .ifPresent(
              w ->
                  assertTrue(
                      caption.contains("word " + w) || caption.contains("reads " + w), caption));
    }
  }

  @Test
  void altTextIsShortAndMostlyTrue() {
    int off = 0;
    List<Example> examples = take(world.captioned(), 0, 1000);
    for (Example e : examples) {
      String caption = ((Example.Captioned) e).caption();
      Scene scene = scenes(e).get(0);
      assertTrue(tokenizer.encode(caption).length <= 12, caption);
      boolean true_ =
          scene.objects().stream()
                  .anyMatch(
                      o ->
                          caption.contains(o.colour().word() + " " + o.shape().word())
                              || caption.equals("a " + o.shape().word() + "."))
              || scene.wordText().map(caption::contains).orElse(false);
      if (!true_) {
        off++;
      }
    }
    // Configured noise 0.2: about 200 of 1000 are generic or wrong.
    assertTrue(off > 120 && off < 280, "off-captions: " + off);
  }

  @Test
  void interleavedDocumentsRepeatOnePatternOverSeveralImages() {
    for (Example e : take(world.interleaved(), 0, 300)) {
      Example.Interleaved doc = (Example.Interleaved) e;
      long images = doc.imageCount();
      assertTrue(images >= 3 && images <= 5, "images " + images);
      // Each image has a text next to it, on the same side of every image of the document: the
      // page's repeated layout. A text that introduces the image ends in ':' (or is a list number).
      List<Chunk> chunks = doc.chunks();
      Set<Boolean> sides = new HashSet<>();
      for (int i = 0; i < chunks.size(); i++) {
        if (!(chunks.get(i) instanceof Chunk.Image)) {
          continue;
        }
        String before = i > 0 && chunks.get(i - 1) instanceof Chunk.TextChunk t ? t.text() : "";
        String after =
            i + 1 < chunks.size() && chunks.get(i + 1) instanceof Chunk.TextChunk t ? t.text() : "";
        assertFalse(before.isEmpty() && after.isEmpty(), doc.id() + ": " + chunks);
        sides.add(before.endsWith(":"));
      }
      assertEquals(1, sides.size(), doc.id() + ": " + chunks);
    }
  }

  @Test
  void interleavedPagesAreOfEveryKind() {
    java.util.Map<Documents.Page, Integer> kinds = new java.util.EnumMap<>(Documents.Page.class);
    for (long i = 0; i < 500; i++) {
      kinds.merge(Documents.page(Streams.mix(42, Streams.INTERLEAVED, i)), 1, Integer::sum);
    }
    assertEquals(Documents.Page.values().length, kinds.size(), kinds.toString());
    kinds.values().forEach(n -> assertTrue(n > 60, kinds.toString()));
    // Galleries caption their photos without numbering them; articles number their figures.
    boolean gallery = false;
    boolean article = false;
    for (Example e : take(world.interleaved(), 0, 100)) {
      String text = String.join(" ", texts(e));
      gallery |= !text.contains("picture 1") && !text.contains("figure 1") && !text.contains("1.");
      article |= text.contains("figure 2");
    }
    assertTrue(gallery && article);
  }

  @Test
  void scenesRespectTheSettings() {
    WorldSettings s = WorldSettings.defaults();
    for (Example e : take(world.vecap(), 0, 500)) {
      Scene scene = scenes(e).get(0);
      assertTrue(scene.objects().size() >= 1 && scene.objects().size() <= s.maxObjects());
      for (SceneObject o : scene.objects()) {
        assertTrue(o.size() >= s.minObjectFraction() && o.size() <= s.maxObjectFraction());
        assertTrue(o.left() >= Scene.GAP && o.top() >= Scene.GAP);
        assertTrue(o.left() + o.width() <= 1 - Scene.GAP && o.top() + o.height() <= 1 - Scene.GAP);
      }
      scene
          .word()
          .ifPresent(
              w -> {
                assertTrue(w.text().matches("[a-z]{3,5}"));
                assertTrue(
                    w.fontSize() >= s.minTextFraction() && w.fontSize() <= s.maxTextFraction());
                assertTrue(w.left() >= Scene.GAP && w.left() + w.width() <= 1 - Scene.GAP);
              });
    }
  }

  @Test
  void renderingPutsEachObjectsColourAtItsCentre() {
    int checked = 0;
    for (Example e : take(world.vecap(), 0, 300)) {
      Scene scene = scenes(e).get(0);
      // Large enough that the thinnest part of the smallest shape covers whole pixels.
      int side = 256;
      BufferedImage image = new SceneImage(scene).decode(side);
      assertEquals(BufferedImage.TYPE_INT_RGB, image.getType());
      assertEquals(side, image.getWidth());
      assertEquals(side, image.getHeight());
      for (SceneObject o : scene.objects()) {
        double[] p = o.interiorPoint();
        int x = (int) (p[0] * side);
        int y = (int) (p[1] * side);
        assertClose(o.colour().rgb(), image.getRGB(x, y), 24, o + " in " + e.id());
        checked++;
      }
      // Background in a corner, unless something covers it.
      assertClose(scene.background(), image.getRGB(0, 0), 1, "corner");
      // The written word leaves dark ink in its box.
      scene
          .word()
          .ifPresent(
              w -> {
                int dark = 0;
                int top = (int) (w.top() * side);
                int left = (int) (w.left() * side);
                for (int y = top; y < top + w.height() * side; y++) {
                  for (int x = left; x < left + w.width() * side; x++) {
                    int rgb = image.getRGB(x, y);
                    if (((rgb >> 16) & 255) + ((rgb >> 8) & 255) + (rgb & 255) < 300) {
                      dark++;
                    }
                  }
                }
                assertTrue(dark >= 10, "ink pixels for " + w.text() + ": " + dark);
              });
    }
    assertTrue(checked > 600);
  }

  private static void assertClose(int expected, int actual, int tolerance, String what) {
    for (int shift = 0; shift <= 16; shift += 8) {
      int a = (expected >> shift) & 255;
      int b = (actual >> shift) & 255;
      assertTrue(
          Math.abs(a - b) <= tolerance,
          String.format("%s: expected %06x, got %06x", what, expected, actual & 0xFFFFFF));
    }
  }

  @Test
  void vqaItemsHaveTenAnswersWhoseMajorityIsTheTruth() {
    List<EvalItem> items = world.evalSet("vqa", 600);
    Set<String> questionKinds = new HashSet<>();
    int disagreements = 0;
    for (EvalItem item : items) {
      EvalItem.Vqa v = (EvalItem.Vqa) item;
      assertEquals(10, v.answers().size());
      Map<String, Integer> votes = new HashMap<>();
      v.answers().forEach(a -> votes.merge(a, 1, Integer::sum));
      String majority =
          votes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
      assertTrue(votes.get(majority) >= 6, v.toString());
      if (votes.size() > 1) {
        disagreements++;
      }
      String truth = truth(scene(v.image()), v.question());
      questionKinds.add(v.question().split(" ")[0] + " " + v.question().split(" ")[1]);
      assertEquals(truth, majority, v.question() + " about " + scene(v.image()));
    }
    assertTrue(disagreements > 100 && disagreements < 500, "disagreements " + disagreements);
    assertTrue(questionKinds.size() >= 5, questionKinds.toString());
  }

  /** The answer to a world question, computed from the scene independently of the generator. */
  private static String truth(Scene scene, String question) {
    String[] w = question.substring(0, question.length() - 1).split(" ");
    if (question.equals("how many objects are there?")) {
      return NUMBERS.get(scene.objects().size());
    }
    if (question.startsWith("how many ")) {
      long n = scene.objects().stream().filter(o -> o.shape().plural().equals(w[2])).count();
      return NUMBERS.get((int) n);
    }
    if (question.startsWith("is there ")) {
      boolean yes =
          scene.objects().stream()
              .anyMatch(o -> o.colour().word().equals(w[3]) && o.shape().word().equals(w[4]));
      return yes ? "yes" : "no";
    }
    if (question.startsWith("what colour is the ")) {
      List<SceneObject> matches =
          scene.objects().stream().filter(o -> o.shape().word().equals(w[4])).toList();
      assertEquals(1, matches.size(), question);
      return matches.get(0).colour().word();
    }
    if (question.startsWith("where is the ")) {
      List<SceneObject> matches =
          scene.objects().stream().filter(o -> o.shape().word().equals(w[3])).toList();
      assertEquals(1, matches.size(), question);
      return matches.get(0).position();
    }
    if (question.startsWith("what shape is the ")) {
      List<SceneObject> matches =
          scene.objects().stream().filter(o -> o.colour().word().equals(w[4])).toList();
      assertEquals(1, matches.size(), question);
      return matches.get(0).shape().word();
    }
    if (question.equals("what word is written?") || question.equals("what does the text say?")) {
      return scene.wordText().orElseThrow();
    }
    throw new AssertionError("unexpected question " + question);
  }

  @Test
  void captionEvalItemsHaveFiveReferencesAboutTheImage() {
    for (EvalItem item : world.evalSet("caption", 100)) {
      EvalItem.Caption c = (EvalItem.Caption) item;
      assertEquals(5, c.references().size());
      assertEquals(5, new HashSet<>(c.references()).size(), c.references().toString());
      Scene scene = scene(c.image());
      // The most detailed reference names every shape.
      for (SceneObject o : scene.objects()) {
        assertTrue(c.references().get(0).contains(o.describe()), c.references().get(0));
      }
    }
  }

  @Test
  void textTasksAreRightAndCycleThroughTheTasks() {
    List<EvalItem> items = world.evalSet("text-core", 90);
    Map<String, Integer> perTask = new HashMap<>();
    for (EvalItem item : items) {
      EvalItem.TextTask t = (EvalItem.TextTask) item;
      perTask.merge(t.task(), 1, Integer::sum);
      assertFalse(t.answer().contains(" "), t.toString());
      if (t.task().equals("count")) {
        // "five squares and two rings make" -> seven
        String[] w = t.prompt().split(" ");
        assertEquals(NUMBERS.get(NUMBERS.indexOf(w[0]) + NUMBERS.indexOf(w[3])), t.answer());
      }
      if (t.task().equals("next-in-sequence")) {
        String[] seq = t.prompt().substring(0, t.prompt().length() - 1).split(", ");
        if (NUMBERS.contains(seq[0])) {
          assertEquals(NUMBERS.get(NUMBERS.indexOf(seq[seq.length - 1]) + 1), t.answer());
        } else {
          // A repeating unit of period 2 or 3: the answer continues it.
          boolean continues = false;
          for (int period = 2; period <= 3; period++) {
            if (seq.length >= period && seq[seq.length - period].equals(t.answer())) {
              continues = true;
            }
          }
          assertTrue(continues, t.toString());
        }
      }
    }
    assertEquals(Map.of("count", 30, "colour-fact", 30, "next-in-sequence", 30), perTask);
  }

  @Test
  void evaluationShotsAndTrainingStreamsDoNotOverlap() {
    Set<Long> training = new HashSet<>();
    for (String name : List.of("captioned", "vecap", "interleaved")) {
      for (Example e : take(world.source(name), 0, 1500)) {
        scenes(e).forEach(s -> training.add(s.fingerprint()));
      }
    }
    Set<Long> eval = new HashSet<>();
    for (String task : List.of("caption", "vqa")) {
      for (EvalItem item : world.evalSet(task, 300)) {
        ImageSource image =
            item instanceof EvalItem.Caption c ? c.image() : ((EvalItem.Vqa) item).image();
        eval.add(scene(image).fingerprint());
      }
    }
    Set<Long> shots = new HashSet<>();
    for (String task : List.of("caption", "vqa")) {
      for (EvalItem item : world.shotsSet(task, 300)) {
        ImageSource image =
            item instanceof EvalItem.Caption c ? c.image() : ((EvalItem.Vqa) item).image();
        shots.add(scene(image).fingerprint());
      }
    }
    assertTrue(training.size() > 5000);
    assertTrue(eval.size() > 350);
    for (long f : eval) {
      assertFalse(training.contains(f), "an evaluation scene is also a training scene");
      assertFalse(shots.contains(f), "an evaluation scene is also a shot");
    }
    for (long f : shots) {
      assertFalse(training.contains(f), "a shot is also a training scene");
    }
    assertNotEquals(world.evalSet("text-core", 20), world.shotsSet("text-core", 20));
    assertTrue(world.shotsSet("caption", 3).get(0).id().startsWith("world-shots/caption/"));
    assertTrue(world.evalSet("caption", 3).get(0).id().startsWith("world-eval/caption/"));
  }

  @Test
  void harderSettingsChangeTheWorld() throws Exception {
    WorldSettings hard = new WorldSettings(128, 4, 8, 0.06, 0.12, 0.05, 0.08, 1.0, 0.2, 3, 5, 0.15);
    SyntheticWorld small = new SyntheticWorld(42, hard);
    int objects = 0;
    for (Example e : take(small.vecap(), 0, 100)) {
      Scene scene = scenes(e).get(0);
      objects += scene.objects().size();
      assertTrue(scene.word().isPresent());
      assertEquals(128, ((Example.Captioned) e).image().decode().getWidth());
    }
    assertTrue(objects > 400, "mean objects " + objects / 100.0);
  }
}
