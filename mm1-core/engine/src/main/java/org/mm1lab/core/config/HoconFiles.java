package org.mm1lab.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.mm1lab.core.UserException;

/**
 * Parses the HOCON files a user writes (run files, grid files) strictly: every {@code include} must
 * find its file. HOCON itself skips a plain {@code include} of a missing file, so a misspelt name
 * would silently drop the settings it was meant to bring in; here it is an error naming the
 * including file and line, as is an unreadable {@code include required(...)}.
 */
public final class HoconFiles {

  private HoconFiles() {}

  /**
   * Parses a file, unresolved.
   *
   * @param file the file
   * @param kind what the file is, for messages ("run file", "grid file")
   * @throws UserException for a missing or unreadable file or include, or a syntax error, with file
   *     and line
   */
  public static Config parse(Path file, String kind) {
    if (!Files.isRegularFile(file)) {
      throw new UserException(kind + " " + file + " does not exist or is not a file");
    }
    if (!Files.isReadable(file)) {
      throw new UserException(kind + " " + file + " is not readable");
    }
    try {
      return ConfigFactory.parseFile(
          file.toFile(),
          ConfigParseOptions.defaults()
              .setAllowMissing(false)
              .setSyntax(ConfigSyntax.CONF)
              .setIncluder(new RequiredIncluder(null)));
    } catch (MissingInclude e) {
      throw new UserException(describe(file, e), e);
    } catch (ConfigException e) {
      throw new UserException(ConfigErrors.describe(e), e);
    }
  }

  /** "FILE:LINE: include "x": no such file /abs/x", the line found in the including file. */
  private static String describe(Path file, MissingInclude e) {
    String where = file.toString();
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.contains("include") && line.contains("\"" + e.name + "\"")) {
          where = file + ":" + (i + 1);
          break;
        }
      }
    } catch (IOException unreadable) {
      // the file was parsed a moment ago; without its text the message names it without a line
    }
    String reason;
    Path target = e.file != null ? e.file.toPath() : null;
    if (target != null && !target.isAbsolute()) {
      Path parent = file.toAbsolutePath().getParent();
      target = parent == null ? target : parent.resolve(target);
    }
    if (target == null) {
      reason = "it cannot be loaded";
    } else if (!Files.exists(target)) {
      reason = "no such file " + target.normalize();
    } else if (!Files.isRegularFile(target)) {
      reason = target.normalize() + " is not a file";
    } else {
      reason = target.normalize() + " is not readable";
    }
    return where + ": include \"" + e.name + "\": " + reason;
  }

  /** An include whose file was not found or could not be read. */
  private static final class MissingInclude extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final transient File file;

    MissingInclude(String name, File file, Throwable cause) {
      super(name, cause);
      this.name = name;
      this.file = file;
    }
  }

  /** Makes every include required, and reports a missing one as a {@link MissingInclude}. */
  private static final class RequiredIncluder
      implements ConfigIncluder, ConfigIncluderFile, ConfigIncluderURL, ConfigIncluderClasspath {

    private final ConfigIncluder fallback;

    RequiredIncluder(ConfigIncluder fallback) {
      this.fallback = fallback;
    }

    @Override
    public ConfigIncluder withFallback(ConfigIncluder fallback) {
      return this.fallback == null ? new RequiredIncluder(fallback) : this;
    }

    private static ConfigIncludeContext required(ConfigIncludeContext context) {
      return context.setParseOptions(context.parseOptions().setAllowMissing(false));
    }

    @Override
    public ConfigObject include(ConfigIncludeContext context, String what) {
      try {
        return fallback.include(required(context), what);
      } catch (ConfigException.IO e) {
        throw new MissingInclude(what, new File(what), e);
      }
    }

    @Override
    public ConfigObject includeFile(ConfigIncludeContext context, File what) {
      try {
        return ((ConfigIncluderFile) fallback).includeFile(required(context), what);
      } catch (ConfigException.IO e) {
        throw new MissingInclude(what.toString(), what, e);
      }
    }

    @Override
    public ConfigObject includeURL(ConfigIncludeContext context, URL what) {
      try {
        return ((ConfigIncluderURL) fallback).includeURL(required(context), what);
      } catch (ConfigException.IO e) {
        throw new MissingInclude(what.toString(), null, e);
      }
    }

    @Override
    public ConfigObject includeResources(ConfigIncludeContext context, String what) {
      try {
        return ((ConfigIncluderClasspath) fallback).includeResources(required(context), what);
      } catch (ConfigException.IO e) {
        throw new MissingInclude(what, null, e);
      }
    }
  }
}
