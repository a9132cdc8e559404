package org.mm1lab.core.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.mm1lab.core.data.WorldTokenizer;

/**
 * A Hugging Face {@code tokenizer.json} with the synthetic world's vocabulary padded to a chosen
 * size, so that a benchmark on the world's data has the embedding and output head of a real small
 * LLM (about 8k ids) instead of the world tokenizer's few hundred. The decoder takes its vocabulary
 * from the run's tokenizer ({@link org.mm1lab.api.DecoderContext}), and the built-in decoders have
 * no vocabulary option, so a larger tokenizer is the way to a larger vocabulary without touching
 * the model code.
 *
 * <p>The file is a WordPiece model over the world's tokens (whole words, then letters and digits
 * with {@code ##} continuation pieces, as {@link WorldTokenizer} splits them), lower-casing and
 * BERT pre-tokenisation; the world's special tokens keep their names, so the adapter finds them.
 * The padding ids ({@code [unused-N]}) never occur in text: they cost what real rare tokens cost in
 * the embedding, head and loss, which is what the benchmark needs.
 */
public final class BenchTokenizer {

  private BenchTokenizer() {}

  /**
   * Writes the tokenizer.
   *
   * @param file where to write {@code tokenizer.json}
   * @param vocabularySize the ids wanted (at least the world's own vocabulary)
   * @return the vocabulary size written
   */
  public static int write(Path file, int vocabularySize) {
    List<String> world = new WorldTokenizer().tokens();
    int size = Math.max(vocabularySize, world.size());
    JsonObject vocab = new JsonObject();
    for (int i = 0; i < world.size(); i++) {
      vocab.addProperty(world.get(i), i);
    }
    for (int i = world.size(); i < size; i++) {
      vocab.addProperty("[unused-" + i + "]", i);
    }
    JsonArray added = new JsonArray();
    for (int i = 0; i < WorldTokenizer.SPECIALS.size(); i++) {
      JsonObject token = new JsonObject();
      token.addProperty("id", i);
      token.addProperty("content", WorldTokenizer.SPECIALS.get(i));
      token.addProperty("single_word", false);
      token.addProperty("lstrip", false);
      token.addProperty("rstrip", false);
      token.addProperty("normalized", false);
      token.addProperty("special", true);
      added.add(token);
    }
    JsonObject model = new JsonObject();
    model.addProperty("type", "WordPiece");
    model.addProperty("unk_token", "<unk>");
    model.addProperty("continuing_subword_prefix", "##");
    model.addProperty("max_input_chars_per_word", 100);
    model.add("vocab", vocab);
    JsonObject root = new JsonObject();
    root.addProperty("version", "1.0");
    root.add("truncation", null);
    root.add("padding", null);
    root.add("added_tokens", added);
    root.add("normalizer", type("Lowercase"));
    root.add("pre_tokenizer", type("BertPreTokenizer"));
    root.add("post_processor", null);
    JsonObject decoder = type("WordPiece");
    decoder.addProperty("prefix", "##");
    decoder.addProperty("cleanup", true);
    root.add("decoder", decoder);
    root.add("model", model);
    try {
      Files.writeString(file, root.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return size;
  }

  private static JsonObject type(String name) {
    JsonObject object = new JsonObject();
    object.addProperty("type", name);
    return object;
  }
}
