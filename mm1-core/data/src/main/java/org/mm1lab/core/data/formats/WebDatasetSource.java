package org.mm1lab.core.data.formats;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.mm1lab.core.data.Example;
import org.mm1lab.core.data.ImageSource;

/**
 * Image-caption pairs from WebDataset-style tar shards, yielded as {@link Example.Captioned}.
 *
 * <p>Layout: a directory of {@code *.tar} shards, gzip-compressed ones ({@code *.tar.gz}, {@code
 * *.tgz}) or bzip2 ones (or a list of shards and directories). Inside a shard, the members of one
 * record are consecutive and share a key: the member name up to the first dot of its last path
 * segment ({@code 000123.png} and {@code 000123.txt} form record {@code 000123}; {@code
 * a/b.c/000123.seg.png} has key {@code a/b.c/000123} and extension {@code seg.png}). A record needs
 * one image member ({@code .png}, {@code .jpg}, {@code .jpeg} or {@code .webp}) and a caption: a
 * {@code .txt} member (UTF-8) or a {@code .json} member with a string field {@code "caption"} (the
 * {@code .txt} wins when both are there). Other members are ignored.
 *
 * <p>A record without image or caption, with empty image bytes or malformed JSON is skipped and
 * counted as {@code shard.tar: key: reason}; the image is decoded later, by the pipeline, which
 * counts an undecodable one. A truncated or damaged shard counts as one bad record and the reader
 * moves on to the next shard.
 */
public final class WebDatasetSource extends FileDataSource {

  /** Members larger than this are not read into memory (the record is bad). */
  static final long MAX_MEMBER_BYTES = 64L << 20;

  /**
   * @param name the source's name in the run
   * @param paths shards ({@code *.tar}, {@code *.tar.gz}, {@code *.tgz}, {@code *.tar.bz2}) and
   *     directories of shards (their shards, sorted by name); read in the order given
   * @param maxBadFraction the largest tolerated share of bad records, in [0, 1]
   * @throws org.mm1lab.core.UserException when a path does not exist
   */
  public WebDatasetSource(String name, List<Path> paths, double maxBadFraction) {
    super(
        name,
        listFiles(name, paths, Compression.TAR_SUFFIXES.toArray(String[]::new)),
        describe(paths),
        maxBadFraction);
  }

  /** One directory or shard. */
  public WebDatasetSource(String name, Path path, double maxBadFraction) {
    this(name, List.of(path), maxBadFraction);
  }

  @Override
  protected RecordReader openFile(Path file) throws IOException {
    TarReader tar =
        new TarReader(Compression.open(file), file.getFileName().toString(), MAX_MEMBER_BYTES);
    return new ShardReader(tar);
  }

  /** Groups consecutive members by key. */
  private static final class ShardReader implements RecordReader {
    private final TarReader tar;
    private TarReader.Entry lookahead;
    private ReadRecord pendingBad;
    private boolean done;

    ShardReader(TarReader tar) {
      this.tar = tar;
    }

    @Override
    public ReadRecord next() throws IOException {
      if (pendingBad != null) {
        ReadRecord bad = pendingBad;
        pendingBad = null;
        return bad;
      }
      if (done) {
        return null;
      }
      TarReader.Entry first;
      try {
        first = lookahead != null ? lookahead : tar.next();
      } catch (TarReader.TruncatedMemberException e) {
        done = true;
        return ReadRecord.bad(key(e.member()), e.getMessage());
      }
      lookahead = null;
      if (first == null) {
        done = true;
        return null;
      }
      Group group = new Group(key(first.name()));
      group.add(first);
      while (true) {
        TarReader.Entry entry;
        try {
          entry = tar.next();
        } catch (TarReader.TruncatedMemberException e) {
          done = true;
          String cutKey = key(e.member());
          if (cutKey.equals(group.key)) {
            return ReadRecord.bad(group.key, e.getMessage());
          }
          // The cut is in the next record: this one is whole; report the cut one after it.
          pendingBad = ReadRecord.bad(cutKey, e.getMessage());
          break;
        } catch (IOException e) {
          // The shard is damaged inside or after this record: report it, then stop the shard.
          done = true;
          return ReadRecord.bad(group.key, e.getMessage());
        }
        if (entry == null) {
          done = true;
          break;
        }
        if (!key(entry.name()).equals(group.key)) {
          lookahead = entry;
          break;
        }
        group.add(entry);
      }
      return group.toRecord(tar.archiveName());
    }

    @Override
    public void close() throws IOException {
      tar.close();
    }
  }

  /** The members of one record. */
  private static final class Group {
    final String key;
    TarReader.Entry image;
    TarReader.Entry txt;
    TarReader.Entry json;

    Group(String key) {
      this.key = key;
    }

    void add(TarReader.Entry entry) {
      switch (extension(entry.name())) {
        case "png", "jpg", "jpeg", "webp" -> {
          if (image == null) {
            image = entry;
          }
        }
        case "txt" -> txt = entry;
        case "json" -> json = entry;
        default -> {
          // Other members (.cls, .seg.png, ...) are not used.
        }
      }
    }

    ReadRecord toRecord(String shard) {
      if (image == null) {
        return ReadRecord.bad(key, "no image member (.png, .jpg, .jpeg or .webp)");
      }
      if (image.content() == null) {
        return ReadRecord.bad(
            key, "image member is larger than " + (MAX_MEMBER_BYTES >> 20) + " MiB");
      }
      if (image.content().length == 0) {
        return ReadRecord.bad(key, "image member " + image.name() + " is empty");
      }
      String caption;
      if (txt != null && txt.content() != null) {
        caption = new String(txt.content(), StandardCharsets.UTF_8).strip();
      } else if (json != null && json.content() != null) {
        JsonObject object;
        try {
          object = Jsons.parseObject(new String(json.content(), StandardCharsets.UTF_8));
        } catch (Jsons.BadJson e) {
          return ReadRecord.bad(key, json.name() + ": " + e.getMessage());
        }
        JsonElement value = object.get("caption");
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
          return ReadRecord.bad(key, json.name() + " has no string field \"caption\"");
        }
        caption = value.getAsString().strip();
      } else {
        return ReadRecord.bad(key, "no caption member (.txt or .json)");
      }
      if (caption.isEmpty()) {
        return ReadRecord.bad(key, "empty caption");
      }
      return ReadRecord.good(
          new Example.Captioned(
              key,
              ImageSource.ofBytes(image.content(), shard + ", member " + image.name()),
              caption));
    }
  }

  /** The WebDataset key: the name up to the first dot of its last path segment. */
  static String key(String memberName) {
    int slash = memberName.lastIndexOf('/');
    int dot = memberName.indexOf('.', slash + 1);
    return dot < 0 ? memberName : memberName.substring(0, dot);
  }

  static String extension(String memberName) {
    int slash = memberName.lastIndexOf('/');
    int dot = memberName.indexOf('.', slash + 1);
    return dot < 0 ? "" : memberName.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
