package org.mm1lab.core.data;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mm1lab.core.UserException;

/**
 * A Hugging Face {@code tokenizer.json} (through DJL's tokenizers library) with the special tokens
 * the multimodal pipeline needs. Specials the file already has (by their usual spellings, e.g.
 * {@code <s>}, {@code </s>}, {@code <pad>}, {@code <image>}) keep their ids; missing ones get new
 * ids after the file's last id, as LLaVA adds its {@code <image>} token, so the decoder's
 * vocabulary grows by at most five.
 */
public final class HuggingFaceTokenizerAdapter implements Tokenizer {

  private static final List<List<String>> SPELLINGS =
      List.of(
          List.of("<pad>", "[PAD]", "<|pad|>", "<|finetune_right_pad_id|>"),
          List.of("<s>", "<bos>", "<|begin_of_text|>", "[CLS]", "<|startoftext|>"),
          List.of("</s>", "<eos>", "<|end_of_text|>", "<|endoftext|>", "[SEP]"),
          List.of("<image>", "<|image|>", "<|image_pad|>"),
          List.of("<eoc>", "<|endofchunk|>"));
  private static final List<String> NEW_NAMES = List.of("<pad>", "<s>", "</s>", "<image>", "<eoc>");

  private final HuggingFaceTokenizer tokenizer;
  private final int baseSize;
  private final int[] specialIds = new int[5];
  private final List<String> tokens;

  private HuggingFaceTokenizerAdapter(HuggingFaceTokenizer tokenizer, Map<String, Integer> vocab) {
    this.tokenizer = tokenizer;
    int maxId = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
    this.baseSize = maxId + 1;
    List<String> names = new ArrayList<>(Collections.nCopies(baseSize, ""));
    vocab.forEach((token, id) -> names.set(id, token));
    int next = baseSize;
    for (int i = 0; i < SPELLINGS.size(); i++) {
      Integer found = null;
      for (String spelling : SPELLINGS.get(i)) {
        found = vocab.get(spelling);
        if (found != null) {
          break;
        }
      }
      if (found == null) {
        found = next++;
        names.add(NEW_NAMES.get(i));
      }
      specialIds[i] = found;
    }
    this.tokens = Collections.unmodifiableList(names);
  }

  /**
   * Loads a {@code tokenizer.json}.
   *
   * @throws UserException when the file cannot be read or is not a tokenizer
   */
  public static HuggingFaceTokenizerAdapter load(Path file) {
    Map<String, Integer> vocab = readVocabulary(file);
    try {
      // DJL truncates every encoding to the model's maximum length (512 unless the file says
      // otherwise) by default; a document must reach the sequence builder whole, which packs it
      // into seq-len and counts what it cuts.
      HuggingFaceTokenizer tokenizer =
          HuggingFaceTokenizer.newInstance(
              file, Map.of("addSpecialTokens", "false", "truncation", "false"));
      return new HuggingFaceTokenizerAdapter(tokenizer, vocab);
    } catch (IOException | RuntimeException e) {
      throw new UserException("tokenizer " + file + " cannot be loaded: " + e.getMessage(), e);
    }
  }

  /** The model's vocabulary and the added tokens, from the JSON itself. */
  private static Map<String, Integer> readVocabulary(Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      JsonObject root = JsonParser.parseReader(reader).getAsJsonObject();
      Map<String, Integer> vocab = new HashMap<>();
      JsonObject model = root.getAsJsonObject("model");
      if (model != null && model.get("vocab") != null && model.get("vocab").isJsonObject()) {
        for (Map.Entry<String, JsonElement> entry : model.getAsJsonObject("vocab").entrySet()) {
          vocab.put(entry.getKey(), entry.getValue().getAsInt());
        }
      } else if (model != null && model.get("vocab") != null && model.get("vocab").isJsonArray()) {
        // Unigram models list [piece, score] pairs; the index is the id.
        int id = 0;
        for (JsonElement piece : model.getAsJsonArray("vocab")) {
          vocab.put(piece.getAsJsonArray().get(0).getAsString(), id++);
        }
      }
      if (root.get("added_tokens") != null) {
        for (JsonElement added : root.getAsJsonArray("added_tokens")) {
          JsonObject token = added.getAsJsonObject();
          vocab.put(token.get("content").getAsString(), token.get("id").getAsInt());
        }
      }
      if (vocab.isEmpty()) {
        throw new UserException(
            "tokenizer " + file + " has no vocabulary (model.vocab is missing)");
      }
      return vocab;
    } catch (IOException e) {
      throw new UserException("tokenizer " + file + " cannot be read: " + e.getMessage(), e);
    } catch (JsonParseException
        | IllegalStateException
        | ClassCastException
        | NullPointerException e) {
      throw new UserException(
          "tokenizer " + file + " is not a tokenizer.json: " + e.getMessage(), e);
    }
  }

  @Override
  public int vocabularySize() {
    return tokens.size();
  }

  @Override
  public int[] encode(String text) {
    long[] ids = tokenizer.encode(text, false, false).getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = (int) ids[i];
    }
    return out;
  }

  @Override
  public String decode(int[] ids) {
    long[] kept = new long[ids.length];
    int n = 0;
    for (int id : ids) {
      if (id >= 0 && id < baseSize && !isSpecial(id)) {
        kept[n++] = id;
      }
    }
    return tokenizer.decode(java.util.Arrays.copyOf(kept, n), true);
  }

  private boolean isSpecial(int id) {
    for (int special : specialIds) {
      if (special == id) {
        return true;
      }
    }
    return false;
  }

  @Override
  public int padId() {
    return specialIds[0];
  }

  @Override
  public int bosId() {
    return specialIds[1];
  }

  @Override
  public int eosId() {
    return specialIds[2];
  }

  @Override
  public int imageId() {
    return specialIds[3];
  }

  @Override
  public int endOfChunkId() {
    return specialIds[4];
  }

  @Override
  public List<String> tokens() {
    return tokens;
  }
}
