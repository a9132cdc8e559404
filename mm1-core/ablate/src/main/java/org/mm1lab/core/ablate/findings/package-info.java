/**
 * {@code mm1 ablate findings}: the MM1 paper's findings, each a contrast (or an ordering of
 * contrasts, or a variant's rank) measured on the folders of the shipped ablation grids, with its
 * 95% interval over seeds and a verdict, written as one Markdown document with a chart per finding.
 * A findings file ({@link org.mm1lab.core.ablate.findings.FindingsReader}) says what the paper
 * claimed and how each claim is measured; the evaluation never invents what it cannot measure, and
 * the investigation of a finding that did not reproduce comes from that file, written by a person.
 */
package org.mm1lab.core.ablate.findings;
