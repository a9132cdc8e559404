package org.mm1lab.core.data.formats;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import org.mm1lab.core.data.EvalItem;
import org.mm1lab.core.data.ImageSource;

/**
 * Writes VQA items in the VQA v2 layout that {@link VqaReader} reads: a questions file, an
 * annotations file (both streamed, item by item) and PNG images named {@code
 * String.format(imagePattern, imageId)}. Items that share the same {@link ImageSource} object share
 * one image file and image id. Never overwrites: the two files and every image must not exist.
 */
public final class VqaWriter implements AutoCloseable {

  /** The image pattern this writer uses by default. */
  public static final String DEFAULT_IMAGE_PATTERN = "%012d.png";

  private final Path questions;
  private final Path annotations;
  private final Path imageDir;
  private final String imagePattern;
  private final JsonWriter questionsOut;
  private final JsonWriter annotationsOut;
  private final IdentityHashMap<ImageSource, Long> imageIds = new IdentityHashMap<>();
  private long nextQuestionId = 1;
  private boolean closed;

  /**
   * @param questions the new questions file
   * @param annotations the new annotations file
   * @param imageDir the image directory (created when missing)
   * @param imagePattern image file names, with one {@code %d} for the image id
   */
  public VqaWriter(Path questions, Path annotations, Path imageDir, String imagePattern) {
    Outputs.requireAbsent(questions);
    Outputs.requireAbsent(annotations);
    this.questions = questions;
    this.annotations = annotations;
    this.imageDir = imageDir;
    this.imagePattern = imagePattern;
    try {
      questionsOut = open(questions);
      annotationsOut = open(annotations);
      questionsOut.beginObject().name("questions").beginArray();
      annotationsOut.beginObject().name("annotations").beginArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + questions + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes one item (and its image, the first time that image is seen).
   *
   * @return the question id
   */
  public long write(EvalItem.Vqa item) {
    Long imageId = imageIds.get(item.image());
    if (imageId == null) {
      imageId = (long) imageIds.size() + 1;
      Outputs.writeNew(
          imageDir.resolve(String.format(imagePattern, imageId)), Images.png(item.image()));
      imageIds.put(item.image(), imageId);
    }
    long questionId = nextQuestionId++;
    try {
      questionsOut.beginObject().name("question_id").value(questionId);
      questionsOut.name("image_id").value(imageId).name("question").value(item.question());
      questionsOut.endObject();
      annotationsOut.beginObject().name("question_id").value(questionId);
      annotationsOut.name("image_id").value(imageId);
      if (!item.questionType().isEmpty()) {
        annotationsOut.name("question_type").value(item.questionType());
      }
      annotationsOut.name("answers").beginArray();
      int answerId = 1;
      for (String answer : item.answers()) {
        annotationsOut.beginObject().name("answer").value(answer);
        annotationsOut.name("answer_id").value(answerId++).endObject();
      }
      annotationsOut.endArray().endObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + questions + ": " + e.getMessage(), e);
    }
    return questionId;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try (questionsOut;
        annotationsOut) {
      questionsOut.endArray().endObject();
      annotationsOut.endArray().endObject();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot finish " + questions + " and " + annotations + ": " + e.getMessage(), e);
    }
  }

  private static JsonWriter open(Path file) {
    return new JsonWriter(new OutputStreamWriter(Outputs.createNew(file), StandardCharsets.UTF_8));
  }
}
