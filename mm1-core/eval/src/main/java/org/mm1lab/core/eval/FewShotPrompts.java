package org.mm1lab.core.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mm1lab.core.UserException;
import org.mm1lab.core.data.EvalItem;
import org.mm1lab.core.data.ImageSource;
import org.mm1lab.core.data.Tokenizer;

/**
 * Assembles few-shot prompts from the {@link PromptTemplates} (the MM1 style by default), laid out
 * exactly as training sequences are (see {@link org.mm1lab.core.pipeline.SequenceBuilder}): {@code
 * <bos>} first, every image as {@code T} image-slot tokens where {@code <image>} stands, text
 * through the same tokenizer.
 *
 * <p>Each in-context example is complete and followed by the end-of-chunk token; the query comes
 * last, cut right before its answer ({@code <image>Output:}), so the model continues with the
 * answer. A caption example shows one of its references, chosen by the item's id, and a VQA example
 * its most common answer.
 *
 * <p>A prompt must leave room for the answer within the model's sequence length: when it would not,
 * the oldest examples are dropped (whole, images and all) and counted in {@link
 * Prompt#droppedShots()}. A query that does not fit even alone is a configuration problem.
 */
public final class FewShotPrompts {

  /** Marks an image in {@link Prompt#query()}. */
  public static final String IMAGE = "<image>";

  private final Tokenizer tokenizer;
  private final int imageTokens;
  private final int maxLength;
  private final PromptTemplates templates;

  /**
   * @param tokenizer text to ids, and the special ids
   * @param imageTokens image-slot tokens per image, the connector's token count
   * @param maxLength the longest sequence the model takes (its training {@code seq-len}); prompt
   *     plus answer stay within it
   */
  public FewShotPrompts(Tokenizer tokenizer, int imageTokens, int maxLength) {
    this(tokenizer, imageTokens, maxLength, PromptTemplates.MM1);
  }

  /**
   * @param tokenizer text to ids, and the special ids
   * @param imageTokens image-slot tokens per image, the connector's token count
   * @param maxLength the longest sequence the model takes (its training {@code seq-len}); prompt
   *     plus answer stay within it
   * @param templates how each task's prompt reads
   */
  public FewShotPrompts(
      Tokenizer tokenizer, int imageTokens, int maxLength, PromptTemplates templates) {
    if (imageTokens < 1 || maxLength < 2) {
      throw new IllegalArgumentException(
          "need imageTokens >= 1 and maxLength >= 2, got " + imageTokens + " and " + maxLength);
    }
    this.tokenizer = tokenizer;
    this.imageTokens = imageTokens;
    this.maxLength = maxLength;
    this.templates = templates;
  }

  /** The tokenizer. */
  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /** The longest sequence, prompt and answer together. */
  public int maxLength() {
    return maxLength;
  }

  /** The tokens of a zero-shot prompt for {@code query}: {@code <bos>}, its images and its text. */
  int zeroShotLength(EvalItem query) {
    return 1 + segment(query, false).length();
  }

  /** The image-slot tokens of each image. */
  int imageTokens() {
    return imageTokens;
  }

  /**
   * Builds the prompt for a query.
   *
   * @param query the item to answer
   * @param shots in-context examples, oldest first (they appear in this order)
   * @param maxNewTokens room to leave for the answer
   * @throws UserException when the query alone does not leave room for the answer
   */
  public Prompt build(EvalItem query, List<EvalItem> shots, int maxNewTokens) {
    List<Segment> examples = new ArrayList<>(shots.size());
    for (EvalItem shot : shots) {
      examples.add(segment(shot, true));
    }
    Segment question = segment(query, false);
    int length = 1 + question.length();
    for (Segment example : examples) {
      length += example.length() + 1;
    }
    int dropped = 0;
    while (dropped < examples.size() && length + maxNewTokens > maxLength) {
      length -= examples.get(dropped).length() + 1;
      dropped++;
    }
    if (length + maxNewTokens > maxLength) {
      throw new UserException(
          "evaluation item "
              + query.id()
              + ": its prompt alone takes "
              + length
              + " tokens and"
              + " the answer up to "
              + maxNewTokens
              + ", more than the model's sequence length "
              + maxLength
              + "; raise mm1.train.seq-len or lower mm1.eval.max-new-tokens");
    }
    Builder out = new Builder(length);
    out.add(tokenizer.bosId(), false);
    List<ImageSource> images = new ArrayList<>();
    for (Segment example : examples.subList(dropped, examples.size())) {
      out.add(example);
      images.addAll(example.images());
      out.add(tokenizer.endOfChunkId(), false);
    }
    out.add(question);
    images.addAll(question.images());
    return new Prompt(
        out.tokens, out.slots, images, examples.size() - dropped, dropped, display(query));
  }

  /**
   * A query as text, {@code <image>} for its image and without the answer: {@code <image>Output:}
   * for a caption, {@code <image>Question: q Short answer:} for VQA, the prompt for a text task (in
   * the default templates).
   */
  public String display(EvalItem query) {
    String text = text(query, null);
    return query instanceof EvalItem.TextTask ? text : IMAGE + text;
  }

  /**
   * The answer an example shows: one of a caption's references, VQA's most common answer.
   *
   * <p>A caption example shows the reference its id picks, not always the first: a benchmark's
   * training split pairs each image with one annotator's caption, and annotators are
   * interchangeable. References need not be: a set may list them in a fixed order of style (the
   * synthetic world lists its most detailed paraphrase first), and always showing the first would
   * teach in context a register that no other example or training text has. The pick depends only
   * on the id, so every run and every shot count shows the same caption for the same example.
   */
  static String shownAnswer(EvalItem item) {
    if (item instanceof EvalItem.Caption caption) {
      List<String> references = caption.references();
      if (references.isEmpty()) {
        throw new UserException("caption item " + item.id() + " has no reference caption");
      }
      return references.get(referenceIndex(item.id(), references.size()));
    } else if (item instanceof EvalItem.Vqa vqa) {
      return mostCommon(vqa);
    }
    return ((EvalItem.TextTask) item).answer();
  }

  /**
   * A reference index from an item's id: the id's hash spread by SplitMix64's finaliser, so that
   * ids that differ in one character still pick independently.
   */
  static int referenceIndex(String id, int references) {
    long z = id.hashCode() + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return (int) Math.floorMod(z, (long) references);
  }

  /** The most frequent answer, the first one met among equals (stable across runs). */
  private static String mostCommon(EvalItem.Vqa vqa) {
    if (vqa.answers().isEmpty()) {
      throw new UserException("VQA item " + vqa.id() + " has no answers");
    }
    Map<String, Integer> counts = new HashMap<>();
    String best = null;
    int bestCount = 0;
    for (String answer : vqa.answers()) {
      int count = counts.merge(answer.strip(), 1, Integer::sum);
      if (count > bestCount) {
        best = answer.strip();
        bestCount = count;
      }
    }
    return best;
  }

  /** An item's line after its image, with {@code answer} or cut before it ({@code null}). */
  private String text(EvalItem item, String answer) {
    if (item instanceof EvalItem.Caption) {
      return PromptTemplates.render(templates.caption(), Map.of(), answer);
    } else if (item instanceof EvalItem.Vqa vqa) {
      return PromptTemplates.render(templates.vqa(), Map.of("{question}", vqa.question()), answer);
    }
    EvalItem.TextTask task = (EvalItem.TextTask) item;
    return PromptTemplates.render(templates.textCore(), Map.of("{prompt}", task.prompt()), answer);
  }

  /** One example or the query: its images' slots first, then its text. */
  private Segment segment(EvalItem item, boolean withAnswer) {
    String answer = withAnswer ? shownAnswer(item) : null;
    List<ImageSource> images;
    if (item instanceof EvalItem.Caption caption) {
      images = List.of(caption.image());
    } else if (item instanceof EvalItem.Vqa vqa) {
      images = List.of(vqa.image());
    } else {
      images = List.of();
    }
    int[] text = tokenizer.encode(text(item, answer));
    return new Segment(images, text, images.size() * imageTokens + text.length);
  }

  /** Images (each {@code T} slots, in front) and text ids; {@code length} counts both. */
  private record Segment(List<ImageSource> images, int[] text, int length) {}

  /** A prompt of known length, filled in order. */
  private final class Builder {
    private final int[] tokens;
    private final boolean[] slots;
    private int next;

    Builder(int length) {
      tokens = new int[length];
      slots = new boolean[length];
    }

    void add(int id, boolean slot) {
      tokens[next] = id;
      slots[next] = slot;
      next++;
    }

    void add(Segment segment) {
      for (int i = 0; i < segment.images().size() * imageTokens; i++) {
        add(tokenizer.imageId(), true);
      }
      for (int id : segment.text()) {
        add(id, false);
      }
    }
  }
}
