package org.mm1lab.core.eval;

import java.util.List;
import org.mm1lab.core.data.ImageSource;

/**
 * An item saved for the report, an entry of {@code examples.json}.
 *
 * @param task the task
 * @param shots in-context examples asked for
 * @param image the item's image, or {@code null} for a text task
 * @param imagePath where the image is saved, relative to the output folder ({@code
 *     examples/caption-0.png}), or {@code null}
 * @param prompt the query as text
 * @param output the answer scored
 * @param expected the references, human answers, or the expected answer
 * @param metric the metric the item was scored with ({@code CIDEr-D}, {@code VQA accuracy}, ...)
 * @param score the item's own score under {@code metric}, x100 as the task's score
 */
public record EvalExample(
    String task,
    int shots,
    ImageSource image,
    String imagePath,
    String prompt,
    String output,
    List<String> expected,
    String metric,
    double score) {

  public EvalExample {
    expected = List.copyOf(expected);
    if ((image == null) != (imagePath == null)) {
      throw new IllegalArgumentException("image and imagePath must both be set or both null");
    }
  }
}
