package org.mm1lab.core.data.formats;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.mm1lab.core.data.Example;

/**
 * Text-only documents from JSON Lines files, yielded as {@link Example.Text}.
 *
 * <p>Schema, one JSON object per line (blank lines ignored):
 *
 * <pre>{"id": "doc-17", "text": "The whole document ..."}</pre>
 *
 * {@code id} (string or number) is optional: without it the example's id is {@code FILE:LINE}.
 * {@code text} is required and non-empty. A line that is not such an object is skipped and counted
 * as {@code file.jsonl: line N: reason}.
 */
public final class TextJsonlSource extends FileDataSource {

  /**
   * @param name the source's name in the run
   * @param paths JSON Lines files (plain, or compressed: {@code .jsonl.gz}, {@code .json.gz}) and
   *     directories of them (their {@link Compression#JSONL_SUFFIXES} files, sorted by name); read
   *     in the order given
   * @param maxBadFraction the largest tolerated share of bad records, in [0, 1]
   */
  public TextJsonlSource(String name, List<Path> paths, double maxBadFraction) {
    super(
        name,
        listFiles(name, paths, Compression.JSONL_SUFFIXES.toArray(String[]::new)),
        describe(paths),
        maxBadFraction);
  }

  /** One file or directory. */
  public TextJsonlSource(String name, Path path, double maxBadFraction) {
    this(name, List.of(path), maxBadFraction);
  }

  @Override
  protected RecordReader openFile(Path file) throws IOException {
    String fileName = file.getFileName().toString();
    return new JsonlRecords(
        file,
        (line, key) -> {
          String text = Jsons.stringOf(line, "text");
          if (text == null) {
            return ReadRecord.bad(key, "no string field \"text\"" + Jsons.layoutHint(line));
          }
          if (text.isBlank()) {
            return ReadRecord.bad(key, "empty text");
          }
          String id = Jsons.idOf(line, "id");
          return ReadRecord.good(new Example.Text(id != null ? id : fileName + ":" + key, text));
        });
  }
}
