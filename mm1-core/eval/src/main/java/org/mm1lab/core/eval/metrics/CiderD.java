package org.mm1lab.core.eval.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * CIDEr-D as in pycocoevalcap (Vedantam et al. 2015, the coco-caption reference implementation).
 *
 * <p>The arithmetic follows {@code pycocoevalcap/cider/cider_scorer.py} (identical to {@code
 * ciderD_scorer.py} of vrama91/cider with {@code df_mode="corpus"}) step by step:
 *
 * <ol>
 *   <li>Every text is tokenised with {@link CaptionTokenizer} (coco-caption runs the PTB tokenizer
 *       before scoring) and counted into n-grams of orders 1 to 4.
 *   <li>Document frequency: for each image, every distinct n-gram over all of its references counts
 *       once. Candidates do not contribute.
 *   <li>Each text becomes one vector per order with weight {@code count * (log(N) - log(max(1,
 *       df)))}, {@code N} the number of images in this call. The count is the raw count, not
 *       divided by the text's n-gram total: the cosine below makes the scale irrelevant except in
 *       the clipping, where the reference implementation compares raw-count weights.
 *   <li>For each reference and order: {@code sum over the candidate's n-grams of min(w_cand, w_ref)
 *       * w_ref}, divided by the product of both vectors' norms when neither is zero (otherwise
 *       left as is, which is zero or a sum of zeros), times the Gaussian length penalty {@code
 *       exp(-delta^2 / (2 * 6^2))}.
 *   <li>The image's score is the mean over the four orders of the sum over references, divided by
 *       the number of references, times 10. The corpus score is the mean over images.
 * </ol>
 *
 * <p>Reference behaviours kept on purpose:
 *
 * <ul>
 *   <li>{@code delta} is the difference of the texts' <em>bigram</em> counts (the reference code
 *       adds to its length only for {@code n == 1}, the 0-based index of bigrams). For two
 *       non-empty texts that equals the difference of their word counts; when either side is empty
 *       the cosine is already zero, so the choice never shows in a score.
 *   <li>With a single image {@code log(N) = 0} and every reference n-gram has {@code df = 1}, so
 *       every weight is zero and every score is 0, even for a candidate equal to its reference.
 *       CIDEr-D needs a corpus; score all images of a split in one call.
 *   <li>An n-gram present in the references of every image has weight zero (it says nothing about
 *       this image); an n-gram in no reference gets the largest weight, {@code log(N)}, in the
 *       candidate's norm, which lowers the cosine.
 *   <li>An order where the candidate or the reference has no n-grams (a three-word candidate has no
 *       4-grams) contributes 0 to the mean over orders, so short captions cannot reach 10.
 *   <li>An empty candidate (or one of punctuation only) scores 0.
 * </ul>
 */
public final class CiderD {

  /** Largest n-gram order. */
  static final int MAX_ORDER = 4;

  /** Standard deviation of the Gaussian length penalty, in tokens. */
  static final double SIGMA = 6.0;

  private CiderD() {}

  /**
   * Scores candidate i against references.get(i); document frequencies are computed over this
   * corpus's reference sets (as coco-caption does). Values are on pycocoevalcap's scale (already
   * times 10; a good COCO model scores ~1.1).
   *
   * @param candidates one generated caption per image, raw text (tokenised here)
   * @param references for each image, its human captions, raw text; at least one per image
   * @return the mean over images and the per-image scores in input order
   * @throws IllegalArgumentException if the lists differ in size, are empty, or an image has no
   *     references (the reference code would divide by zero)
   * @throws NullPointerException if any list or text is null
   */
  public static Scores score(List<String> candidates, List<List<String>> references) {
    Objects.requireNonNull(candidates, "candidates");
    Objects.requireNonNull(references, "references");
    if (candidates.size() != references.size()) {
      throw new IllegalArgumentException(
          "CIDEr-D needs one reference list per candidate, got "
              + candidates.size()
              + " candidates and "
              + references.size()
              + " reference lists");
    }
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("CIDEr-D needs at least one image to score");
    }
    List<NgramCounts> cookedCandidates = new ArrayList<>(candidates.size());
    List<List<NgramCounts>> cookedReferences = new ArrayList<>(references.size());
    for (int i = 0; i < candidates.size(); i++) {
      cookedCandidates.add(NgramCounts.of(Objects.requireNonNull(candidates.get(i), "candidate")));
      List<String> refs = Objects.requireNonNull(references.get(i), "references of an image");
      if (refs.isEmpty()) {
        throw new IllegalArgumentException("image " + i + " has no reference captions");
      }
      List<NgramCounts> cooked = new ArrayList<>(refs.size());
      for (String ref : refs) {
        cooked.add(NgramCounts.of(Objects.requireNonNull(ref, "reference")));
      }
      cookedReferences.add(cooked);
    }

    Map<String, Integer> documentFrequency = documentFrequency(cookedReferences);
    double logImages = Math.log(candidates.size());

    double[] perItem = new double[candidates.size()];
    double total = 0;
    for (int i = 0; i < perItem.length; i++) {
      TfIdf candidate = new TfIdf(cookedCandidates.get(i), documentFrequency, logImages);
      double[] summed = new double[MAX_ORDER];
      for (NgramCounts ref : cookedReferences.get(i)) {
        TfIdf reference = new TfIdf(ref, documentFrequency, logImages);
        double[] similarity = similarity(candidate, reference);
        for (int n = 0; n < MAX_ORDER; n++) {
          summed[n] += similarity[n];
        }
      }
      double meanOverOrders = Arrays.stream(summed).sum() / MAX_ORDER;
      perItem[i] = meanOverOrders / cookedReferences.get(i).size() * 10.0;
      total += perItem[i];
    }
    return new Scores(total / perItem.length, perItem);
  }

  /** For each n-gram, the number of images among whose references it occurs at least once. */
  private static Map<String, Integer> documentFrequency(List<List<NgramCounts>> references) {
    Map<String, Integer> frequency = new HashMap<>();
    for (List<NgramCounts> image : references) {
      Set<String> seen = new HashSet<>();
      for (NgramCounts ref : image) {
        for (Map<String, Integer> order : ref.byOrder) {
          seen.addAll(order.keySet());
        }
      }
      for (String ngram : seen) {
        frequency.merge(ngram, 1, Integer::sum);
      }
    }
    return frequency;
  }

  /** Per order: clipped cosine similarity times the length penalty, as in {@code sim()}. */
  private static double[] similarity(TfIdf candidate, TfIdf reference) {
    double delta = candidate.bigramCount - reference.bigramCount;
    double penalty = Math.exp(-(delta * delta) / (2 * SIGMA * SIGMA));
    double[] value = new double[MAX_ORDER];
    for (int n = 0; n < MAX_ORDER; n++) {
      Map<String, Double> referenceWeights = reference.weights.get(n);
      for (Map.Entry<String, Double> entry : candidate.weights.get(n).entrySet()) {
        double referenceWeight = referenceWeights.getOrDefault(entry.getKey(), 0.0);
        // CIDEr-D's clipping: a candidate cannot gain by repeating an n-gram more often than
        // the reference has it.
        value[n] += Math.min(entry.getValue(), referenceWeight) * referenceWeight;
      }
      if (candidate.norms[n] != 0 && reference.norms[n] != 0) {
        value[n] /= candidate.norms[n] * reference.norms[n];
      }
      value[n] *= penalty;
    }
    return value;
  }

  /** The n-gram counts of one tokenised text, by order ({@code byOrder.get(0)} holds words). */
  private static final class NgramCounts {
    final List<Map<String, Integer>> byOrder;

    private NgramCounts(List<Map<String, Integer>> byOrder) {
      this.byOrder = byOrder;
    }

    static NgramCounts of(String text) {
      List<String> words = CaptionTokenizer.tokenize(text);
      List<Map<String, Integer>> byOrder = new ArrayList<>(MAX_ORDER);
      for (int k = 1; k <= MAX_ORDER; k++) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i + k <= words.size(); i++) {
          // Tokens never contain a space, so the joined key is unique per n-gram and order.
          counts.merge(String.join(" ", words.subList(i, i + k)), 1, Integer::sum);
        }
        byOrder.add(counts);
      }
      return new NgramCounts(byOrder);
    }
  }

  /** A text's tf-idf weights per order, their norms and its length, as {@code counts2vec()}. */
  private static final class TfIdf {
    final List<Map<String, Double>> weights = new ArrayList<>(MAX_ORDER);
    final double[] norms = new double[MAX_ORDER];
    final int bigramCount;

    TfIdf(NgramCounts counts, Map<String, Integer> documentFrequency, double logImages) {
      int bigrams = 0;
      for (int n = 0; n < MAX_ORDER; n++) {
        Map<String, Double> orderWeights = new HashMap<>();
        double squares = 0;
        for (Map.Entry<String, Integer> entry : counts.byOrder.get(n).entrySet()) {
          // An n-gram in no reference counts as df = 1 (log 1 = 0): maximal weight log(N).
          int df = documentFrequency.getOrDefault(entry.getKey(), 0);
          double weight = entry.getValue() * (logImages - Math.log(Math.max(1.0, df)));
          orderWeights.put(entry.getKey(), weight);
          squares += weight * weight;
          if (n == 1) {
            bigrams += entry.getValue();
          }
        }
        weights.add(orderWeights);
        norms[n] = Math.sqrt(squares);
      }
      this.bigramCount = bigrams;
    }
  }

  /**
   * mean over items and the per-item scores in input order
   *
   * @param mean the mean of {@code perItem}, the corpus CIDEr-D
   * @param perItem one score per candidate, in input order (copied on the way in and out)
   */
  public record Scores(double mean, double[] perItem) {

    /** Copies {@code perItem} so that the record stays immutable. */
    public Scores {
      perItem = Objects.requireNonNull(perItem, "perItem").clone();
    }

    /** The per-item scores in input order, as a fresh copy. */
    @Override
    public double[] perItem() {
      return perItem.clone();
    }

    /** Equal when the means are equal and the per-item scores are element-wise equal. */
    @Override
    public boolean equals(Object other) {
      return other instanceof Scores that
          && Double.compare(mean, that.mean) == 0
          && Arrays.equals(perItem, that.perItem);
    }

    /** Consistent with {@link #equals}: hashes the mean and the per-item contents. */
    @Override
    public int hashCode() {
      return 31 * Double.hashCode(mean) + Arrays.hashCode(perItem);
    }

    /** The mean and every per-item score, for logs and assertion messages. */
    @Override
    public String toString() {
      return "Scores[mean=" + mean + ", perItem=" + Arrays.toString(perItem) + "]";
    }
  }
}
