/**
 * The run report, read from a run folder's files alone: loss and learning-rate plots, the results
 * table, example predictions with their images, the configuration; written as {@code
 * report/index.html} and {@code report.md}. Plots and charts are drawn with Java2D, headless.
 */
package org.mm1lab.core.report;
