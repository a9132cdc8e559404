package org.mm1lab.core.data.formats;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Map;
import org.mm1lab.core.UserException;
import org.mm1lab.core.data.EvalItem;
import org.mm1lab.core.data.ImageSource;

/**
 * Visual question answering items in the VQA v2 layout, read as {@link EvalItem.Vqa}.
 *
 * <p>Two files (other fields are ignored):
 *
 * <pre>{@code
 * questions:   {"questions": [{"question_id": 1001, "image_id": 42, "question": "What color?"}]}
 * annotations: {"annotations": [{"question_id": 1001, "image_id": 42,
 *                                "answers": [{"answer": "red", "answer_id": 1}, ...]}]}
 * }</pre>
 *
 * and a directory of images named by a pattern with one {@code %d} for the image id (VQA v2's
 * validation images are {@code COCO_val2014_%012d.jpg}). The annotations are streamed once into a
 * table of question id to answer strings (text only); the questions are then streamed one at a
 * time. A question without annotation or answers, or whose image file does not exist, is a bad item
 * ({@code questions.json: question 1001: reason}).
 */
public final class VqaReader {

  private final String name;
  private final Path questions;
  private final Path annotations;
  private final Path imageDir;
  private final String imagePattern;
  private final double maxBadFraction;

  /**
   * @param name the eval set's name (for messages)
   * @param questions the questions file
   * @param annotations the annotations file
   * @param imageDir the image directory
   * @param imagePattern the image file name with one {@code %d} (or {@code %s}) for the image id,
   *     e.g. {@code COCO_val2014_%012d.jpg}
   * @param maxBadFraction the largest tolerated share of bad items, in [0, 1]
   * @throws UserException when a path does not exist or the pattern is not usable
   */
  public VqaReader(
      String name,
      Path questions,
      Path annotations,
      Path imageDir,
      String imagePattern,
      double maxBadFraction) {
    this.name = name;
    this.questions = CocoCaptionSource.requireFile(name, questions);
    this.annotations = CocoCaptionSource.requireFile(name, annotations);
    if (!Files.isDirectory(imageDir)) {
      throw new UserException(
          "data source '" + name + "': image directory " + imageDir + " does not exist");
    }
    this.imageDir = imageDir;
    String probe;
    try {
      probe = String.format(imagePattern, 1L);
    } catch (IllegalFormatException e) {
      probe = imagePattern;
    }
    if (probe.equals(imagePattern)) {
      throw new UserException(
          "data source '"
              + name
              + "': image pattern '"
              + imagePattern
              + "' needs one %d for the"
              + " image id, e.g. COCO_val2014_%012d.jpg");
    }
    this.imagePattern = imagePattern;
    if (!(maxBadFraction >= 0 && maxBadFraction <= 1)) {
      throw new UserException(
          "data source '" + name + "': max-bad-fraction must be in [0, 1], got " + maxBadFraction);
    }
    this.maxBadFraction = maxBadFraction;
  }

  /** The image file of an image id, by the pattern. */
  public Path imageFile(String imageId) {
    Object arg;
    try {
      arg = Long.parseLong(imageId);
    } catch (NumberFormatException e) {
      arg = imageId;
    }
    return imageDir.resolve(String.format(imagePattern, arg));
  }

  /** Opens one pass over the questions. */
  public EvalStream<EvalItem.Vqa> open() {
    Map<String, Annotation> answers;
    try {
      answers = readAnswers();
    } catch (IOException e) {
      throw new UserException(
          "data source '" + name + "': cannot read " + annotations + ": " + e.getMessage(), e);
    }
    JsonReader reader;
    boolean found;
    try {
      reader = CocoCaptionSource.open(questions);
      try {
        found = CocoCaptionSource.toArray(reader, "questions");
      } catch (IOException e) {
        reader.close();
        throw e;
      }
    } catch (IOException e) {
      throw new UserException(
          "data source '" + name + "': cannot read " + questions + ": " + e.getMessage(), e);
    }
    return new BaseEvalStream<>(
        name, questions.toString(), questions.getFileName().toString(), maxBadFraction) {
      private long index;
      private boolean closed;

      @Override
      Read<EvalItem.Vqa> read() throws IOException {
        if (closed || !found || !reader.hasNext()) {
          return null;
        }
        String questionId = null;
        String imageId = null;
        String question = null;
        if (reader.peek() == JsonToken.BEGIN_OBJECT) {
          reader.beginObject();
          while (reader.hasNext()) {
            switch (reader.nextName()) {
              case "question_id" -> questionId = Jsons.nextId(reader);
              case "image_id" -> imageId = Jsons.nextId(reader);
              case "question" -> question = Jsons.nextStringOrNull(reader);
              default -> reader.skipValue();
            }
          }
          reader.endObject();
        } else {
          reader.skipValue();
        }
        String key = "question " + (questionId != null ? questionId : "#" + index);
        index++;
        if (questionId == null || imageId == null || question == null || question.isBlank()) {
          return new Read<>(null, key, "needs question_id, image_id and question");
        }
        Annotation annotation = answers.get(questionId);
        if (annotation == null || annotation.answers().isEmpty()) {
          return new Read<>(null, key, "no answers in " + annotations.getFileName());
        }
        Path image;
        try {
          image = imageFile(imageId);
        } catch (IllegalFormatException e) {
          return new Read<>(null, key, "image id " + imageId + " does not fit the pattern");
        }
        if (!Files.isRegularFile(image)) {
          return new Read<>(null, key, "image file " + image.getFileName() + " does not exist");
        }
        return new Read<>(
            new EvalItem.Vqa(
                questionId,
                ImageSource.ofFile(image),
                question.strip(),
                annotation.answers(),
                annotation.questionType()),
            key,
            null);
      }

      @Override
      void closeFiles() throws IOException {
        if (!closed) {
          closed = true;
          reader.close();
        }
      }
    };
  }

  /** A question's annotation: its human answers and its {@code question_type}, if given. */
  private record Annotation(List<String> answers, String questionType) {}

  private Map<String, Annotation> readAnswers() throws IOException {
    Map<String, Annotation> answers = new HashMap<>();
    try (JsonReader reader = CocoCaptionSource.open(annotations)) {
      if (!CocoCaptionSource.toArray(reader, "annotations")) {
        return answers;
      }
      while (reader.hasNext()) {
        if (reader.peek() != JsonToken.BEGIN_OBJECT) {
          reader.skipValue();
          continue;
        }
        String questionId = null;
        String questionType = "";
        List<String> list = new ArrayList<>();
        reader.beginObject();
        while (reader.hasNext()) {
          String field = reader.nextName();
          if (field.equals("question_id")) {
            questionId = Jsons.nextId(reader);
          } else if (field.equals("question_type") && reader.peek() == JsonToken.STRING) {
            questionType = reader.nextString().strip();
          } else if (field.equals("answers") && reader.peek() == JsonToken.BEGIN_ARRAY) {
            reader.beginArray();
            while (reader.hasNext()) {
              String answer = readAnswer(reader);
              if (answer != null) {
                list.add(answer);
              }
            }
            reader.endArray();
          } else {
            reader.skipValue();
          }
        }
        reader.endObject();
        if (questionId != null) {
          answers.put(questionId, new Annotation(List.copyOf(list), questionType));
        }
      }
    }
    return answers;
  }

  private static String readAnswer(JsonReader reader) throws IOException {
    if (reader.peek() == JsonToken.STRING) {
      return reader.nextString(); // a plain list of strings is accepted too
    }
    if (reader.peek() != JsonToken.BEGIN_OBJECT) {
      reader.skipValue();
      return null;
    }
    String answer = null;
    reader.beginObject();
    while (reader.hasNext()) {
      if (reader.nextName().equals("answer")) {
        answer = Jsons.nextStringOrNull(reader);
      } else {
        reader.skipValue();
      }
    }
    reader.endObject();
    return answer;
  }
}
