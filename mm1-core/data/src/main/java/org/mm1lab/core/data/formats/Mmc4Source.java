package org.mm1lab.core.data.formats;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mm1lab.core.UserException;
import org.mm1lab.core.data.Example;
import org.mm1lab.core.data.ImageSource;

/**
 * Interleaved documents in the MMC4 layout, yielded as {@link Example.Interleaved}: JSON Lines
 * (plain or compressed, as {@code docs_shard_N_v2.jsonl} ships), one document per line:
 *
 * <pre>{@code
 * {"url": "https://...",
 *  "text_list": ["First sentence.", "Second sentence.", "Third."],
 *  "image_info": [{"image_name": "8f1b7c.jpg", "raw_url": "https://...",
 *                  "matched_text_index": 1, "matched_sim": 0.27}]}
 * }</pre>
 *
 * Each image comes right before the sentence it was matched to, as OpenFlamingo lays MMC4 out;
 * images matched to the same sentence keep their order, and the sentences between images are joined
 * with a space. {@code image_name} is looked up in the image folder given (where the images were
 * downloaded). A {@code matched_text_index} outside {@code text_list}, an image file that is not
 * there or a document without text is a bad record ({@code file.jsonl: line N: reason}). The id is
 * the document's {@code url}, or {@code FILE:line N}.
 */
public final class Mmc4Source extends FileDataSource {

  private final Path imageDir;

  /**
   * @param name the source's name in the run
   * @param paths JSON Lines files and folders of them, read in the order given
   * @param imageDir the folder that holds the documents' images by {@code image_name}
   * @param maxBadFraction the largest tolerated share of bad records, in [0, 1]
   * @throws UserException when the image folder does not exist
   */
  public Mmc4Source(String name, List<Path> paths, Path imageDir, double maxBadFraction) {
    super(
        name,
        listFiles(name, paths, Compression.JSONL_SUFFIXES.toArray(String[]::new)),
        describe(paths),
        maxBadFraction);
    if (!Files.isDirectory(imageDir)) {
      throw new UserException(
          "data source '" + name + "': image folder " + imageDir + " does not exist");
    }
    this.imageDir = imageDir;
  }

  @Override
  protected RecordReader openFile(Path file) throws IOException {
    String fileName = file.getFileName().toString();
    return new JsonlRecords(file, (line, key) -> parse(line, key, fileName));
  }

  private ReadRecord parse(JsonObject line, String key, String fileName) {
    JsonElement textValue = line.get("text_list");
    if (textValue == null || !textValue.isJsonArray()) {
      return ReadRecord.bad(key, "no array field \"text_list\" (MMC4)");
    }
    JsonArray texts = textValue.getAsJsonArray();
    List<String> sentences = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      JsonElement sentence = texts.get(i);
      if (!sentence.isJsonPrimitive() || !sentence.getAsJsonPrimitive().isString()) {
        return ReadRecord.bad(key, "text_list[" + i + "] is not a string");
      }
      sentences.add(sentence.getAsString());
    }
    if (sentences.stream().allMatch(String::isBlank)) {
      return ReadRecord.bad(key, "no text");
    }
    List<List<Path>> imagesBefore = new ArrayList<>(sentences.size());
    for (int i = 0; i < sentences.size(); i++) {
      imagesBefore.add(new ArrayList<>());
    }
    JsonElement infoValue = line.get("image_info");
    if (infoValue != null && !infoValue.isJsonNull()) {
      if (!infoValue.isJsonArray()) {
        return ReadRecord.bad(key, "\"image_info\" is not an array");
      }
      JsonArray infos = infoValue.getAsJsonArray();
      for (int i = 0; i < infos.size(); i++) {
        String where = "image_info[" + i + "]: ";
        if (!infos.get(i).isJsonObject()) {
          return ReadRecord.bad(key, where + "not an object");
        }
        JsonObject info = infos.get(i).getAsJsonObject();
        String name = Jsons.stringOf(info, "image_name");
        JsonElement index = info.get("matched_text_index");
        if (name == null) {
          return ReadRecord.bad(key, where + "no string \"image_name\"");
        }
        if (index == null
            || !index.isJsonPrimitive()
            || !index.getAsJsonPrimitive().isNumber()
            || index.getAsDouble() != Math.rint(index.getAsDouble())
            || index.getAsDouble() < 0
            || index.getAsDouble() >= sentences.size()) {
          return ReadRecord.bad(
              key,
              where
                  + "matched_text_index "
                  + index
                  + " is not a sentence of text_list (0 to "
                  + (sentences.size() - 1)
                  + ")");
        }
        Path file;
        try {
          file = imageDir.resolve(name);
        } catch (RuntimeException e) {
          return ReadRecord.bad(key, where + "bad image_name '" + name + "'");
        }
        if (!Files.isRegularFile(file)) {
          return ReadRecord.bad(key, where + "image " + name + " is not in " + imageDir);
        }
        imagesBefore.get(index.getAsInt()).add(file);
      }
    }
    List<Example.Chunk> chunks = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < sentences.size(); i++) {
      if (!imagesBefore.get(i).isEmpty()) {
        if (text.length() > 0) {
          chunks.add(new Example.Chunk.TextChunk(text.toString()));
          text.setLength(0);
        }
        for (Path image : imagesBefore.get(i)) {
          chunks.add(new Example.Chunk.Image(ImageSource.ofFile(image)));
        }
      }
      String sentence = sentences.get(i).strip();
      if (!sentence.isEmpty()) {
        if (text.length() > 0) {
          text.append(' ');
        }
        text.append(sentence);
      }
    }
    if (text.length() > 0) {
      chunks.add(new Example.Chunk.TextChunk(text.toString()));
    }
    String url = Jsons.stringOf(line, "url");
    return ReadRecord.good(
        new Example.Interleaved(url != null ? url : fileName + ":" + key, chunks));
  }
}
