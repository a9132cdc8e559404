package org.mm1lab.core.data.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.UserException;
import org.mm1lab.core.data.DataSource;
import org.mm1lab.core.data.EvalItem;
import org.mm1lab.core.data.Example;
import org.mm1lab.core.data.ImageSource;

class CocoVqaTest {

  @TempDir Path dir;

  private static <T> List<T> all(java.util.Iterator<T> it) {
    List<T> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  private Path writeCoco(int images) {
    Path json = dir.resolve("captions.json");
    try (CocoCaptionWriter writer = new CocoCaptionWriter(json, dir.resolve("images"))) {
      for (int i = 0; i < images; i++) {
        writer.write(
            new EvalItem.Caption(
                "img" + i,
                ImageSource.of(Fixtures.image(i)),
                List.of("first of " + i, "second of " + i, "third of " + i)));
      }
    }
    return json;
  }

  @Test
  void cocoRoundTripForTrainingAndEval() throws IOException {
    Path json = writeCoco(3);
    Fixtures.Snapshot before = Fixtures.Snapshot.of(dir);
    CocoCaptionSource source = new CocoCaptionSource("coco", json, dir.resolve("images"), 0.1);
    List<Example> train = all(source.onePass());
    assertEquals(9, train.size());
    Example.Captioned fourth = (Example.Captioned) train.get(4);
    assertEquals("second of 1", fourth.caption());
    assertEquals(Fixtures.pixel(Fixtures.image(1)), Fixtures.pixel(fourth.image().decode()));

    List<EvalItem.Caption> eval = all(source.evalItems());
    assertEquals(3, eval.size());
    assertEquals("3", eval.get(2).id());
    assertEquals(List.of("first of 2", "second of 2", "third of 2"), eval.get(2).references());
    assertEquals(Fixtures.pixel(Fixtures.image(2)), Fixtures.pixel(eval.get(2).image().decode()));

    try (DataSource.ExampleStream s = source.open(0)) {
      List<String> ids = Fixtures.ids(Fixtures.take(s, 20));
      for (int n : new int[] {1, 8, 10}) {
        try (DataSource.ExampleStream t = source.open(n)) {
          assertEquals(ids.subList(n, n + 5), Fixtures.ids(Fixtures.take(t, 5)));
        }
      }
      assertEquals(ids.subList(0, 9), ids.subList(9, 18));
    }
    before.assertUnchanged(dir);
  }

  @Test
  void cocoBadAnnotationsAndTopLevelOrder() throws IOException {
    Path images = Files.createDirectories(dir.resolve("imgs"));
    Files.write(images.resolve("a.png"), Fixtures.png(1));
    Path json = dir.resolve("c.json");
    // Annotations before images, extra fields, and three bad annotations.
    Files.writeString(
        json,
        "{\"info\": {\"v\": [1, 2]}, \"annotations\": ["
            + "{\"id\": 1, \"image_id\": 10, \"caption\": \"good\", \"extra\": [1]},"
            + "{\"id\": 2, \"image_id\": 99, \"caption\": \"unknown image\"},"
            + "{\"id\": 3, \"image_id\": 11, \"caption\": \"missing file\"},"
            + "{\"id\": 4, \"image_id\": 10}],"
            + "\"images\": [{\"id\": 10, \"file_name\": \"a.png\"},"
            + " {\"id\": 11, \"file_name\": \"gone.png\"}]}");
    DataSource.ExampleStream pass = new CocoCaptionSource("c", json, images, 1.0).onePass();
    assertEquals(List.of("1"), Fixtures.ids(all(pass)));
    assertEquals(
        List.of(
            "c.json: annotation 2: image_id 99 is not in \"images\"",
            "c.json: annotation 3: image file gone.png does not exist",
            "c.json: annotation 4: no caption"),
        pass.badRecords().reasons());
    UserException e =
        assertThrows(
            UserException.class,
            () -> Fixtures.take(new CocoCaptionSource("c", json, images, 0.5).open(0), 2));
    assertTrue(
        e.getMessage().startsWith("data source 'c': 3 of 4 records in " + json), e.getMessage());

    Path empty = dir.resolve("empty.json");
    Files.writeString(empty, "{\"images\": [], \"annotations\": []}");
    UserException e2 =
        assertThrows(
            UserException.class,
            () -> new CocoCaptionSource("c", empty, images, 0.5).open(0).next());
    assertEquals("data source 'c': no records in " + empty, e2.getMessage());
    UserException e3 =
        assertThrows(
            UserException.class,
            () -> new CocoCaptionSource("c", empty, images, 0.5).evalItems().hasNext());
    assertEquals("data source 'c': no records in " + empty, e3.getMessage());
  }

  @Test
  void vqaRoundTripSharedImagesAndBadQuestions() throws IOException {
    Path q = dir.resolve("questions.json");
    Path a = dir.resolve("annotations.json");
    Path images = dir.resolve("vqa-images");
    ImageSource shared = ImageSource.of(Fixtures.image(4));
    List<String> answers =
        List.of("red", "red", "red", "dark red", "red", "red", "maroon", "red", "red", "red");
    try (VqaWriter writer = new VqaWriter(q, a, images, "img_%06d.png")) {
      writer.write(new EvalItem.Vqa("x", shared, "What colour is it?", answers, "what color is"));
      writer.write(new EvalItem.Vqa("y", shared, "How many?", List.of("1", "one")));
      writer.write(
          new EvalItem.Vqa("z", ImageSource.of(Fixtures.image(7)), "Shape?", List.of("square")));
    }
    try (Stream<Path> listed = Files.list(images)) {
      assertEquals(2, listed.count());
    }
    assertTrue(Files.isRegularFile(images.resolve("img_000002.png")));
    Fixtures.Snapshot before = Fixtures.Snapshot.of(dir);
    VqaReader reader = new VqaReader("vqa", q, a, images, "img_%06d.png", 0.1);
    List<EvalItem.Vqa> items = all(reader.open());
    assertEquals(3, items.size());
    assertEquals("1", items.get(0).id());
    assertEquals("What colour is it?", items.get(0).question());
    assertEquals(answers, items.get(0).answers());
    // VQA v2's question_type survives the round trip; a question without one has none.
    assertEquals("what color is", items.get(0).questionType());
    assertEquals("", items.get(1).questionType());
    assertEquals(List.of("1", "one"), items.get(1).answers());
    assertEquals(Fixtures.pixel(Fixtures.image(7)), Fixtures.pixel(items.get(2).image().decode()));
    before.assertUnchanged(dir);

    // A question without annotation and one whose image is missing are skipped and counted.
    Path q2 = dir.resolve("q2.json");
    Files.writeString(
        q2,
        "{\"info\": 1, \"questions\": [{\"question_id\": 1, \"image_id\": 1, \"question\": \"A?\"},"
            + "{\"question_id\": 77, \"image_id\": 1, \"question\": \"B?\"},"
            + "{\"question_id\": 2, \"image_id\": 5, \"question\": \"C?\"}]}");
    EvalStream<EvalItem.Vqa> stream =
        new VqaReader("vqa", q2, a, images, "img_%06d.png", 1.0).open();
    assertEquals(List.of("1"), all(stream).stream().map(EvalItem::id).toList());
    assertFalse(stream.hasNext());
    assertEquals(
        List.of(
            "q2.json: question 77: no answers in annotations.json",
            "q2.json: question 2: image file img_000005.png does not exist"),
        stream.badRecords().reasons());
    UserException tooMany =
        assertThrows(
            UserException.class,
            () -> all(new VqaReader("vqa", q2, a, images, "img_%06d.png", 0.5).open()));
    assertTrue(
        tooMany.getMessage().startsWith("data source 'vqa': 2 of 3 records"), tooMany.getMessage());

    UserException pattern =
        assertThrows(UserException.class, () -> new VqaReader("vqa", q, a, images, "img.png", 0.1));
    assertTrue(pattern.getMessage().contains("needs one %d"), pattern.getMessage());
    assertThrows(
        UserException.class, () -> new VqaWriter(q, dir.resolve("new.json"), images, "%d"));
    assertThrows(UserException.class, () -> new CocoCaptionWriter(q, images));
  }
}
