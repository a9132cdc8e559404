/**
 * Readers and writers for the real data formats users have: WebDataset-style tar shards ({@link
 * org.mm1lab.core.data.formats.WebDatasetSource}), JSON Lines interleaved documents ({@link
 * org.mm1lab.core.data.formats.InterleavedJsonlSource}), text JSON Lines ({@link
 * org.mm1lab.core.data.formats.TextJsonlSource}), COCO-style caption files ({@link
 * org.mm1lab.core.data.formats.CocoCaptionSource}), VQA-style question and annotation files ({@link
 * org.mm1lab.core.data.formats.VqaReader}), and the corpora of the field as they ship: OBELICS
 * ({@link org.mm1lab.core.data.formats.ObelicsSource}) and MMC4 ({@link
 * org.mm1lab.core.data.formats.Mmc4Source}) documents and Karpathy's caption splits ({@link
 * org.mm1lab.core.data.formats.KarpathySplitSource}). Tar goes through Apache Commons Compress
 * ({@link org.mm1lab.core.data.formats.TarReader}); gzip and bzip2 files are decompressed by their
 * first bytes ({@link org.mm1lab.core.data.formats.Compression}); paths may be brace patterns
 * ({@link org.mm1lab.core.data.formats.ShardPaths}).
 *
 * <p>All readers stream: they iterate files and records lazily and keep at most one record (plus,
 * for COCO and VQA, the small id tables that join their files) in memory; images stay encoded
 * ({@link org.mm1lab.core.data.ImageSource}) until the pipeline decodes them. Readers open files
 * read-only and never write into the user's data. A record that cannot be read (a malformed JSON
 * line, a tar record without a caption, empty image bytes, a missing image file) is skipped and
 * counted in {@link org.mm1lab.core.data.BadRecords} as {@code file: record: reason}; past the
 * configured fraction the run stops with a clear {@link org.mm1lab.core.UserException}.
 *
 * <p>The writers ({@code *Writer}) are what {@code mm1 data generate} uses to write the synthetic
 * world in each format. They never overwrite an existing file: they fail with a clear message.
 */
package org.mm1lab.core.data.formats;
